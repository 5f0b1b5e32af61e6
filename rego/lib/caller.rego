# The caller: what a request's principal is (its normalised principal
# object), the context keys derived from it (§7, §8) and the policies
# attached to it, from bundle data. None of it depends on the rest of the
# request, so `iam2rego build` evaluates derived_caller once for every
# user and role of the bundle and stores the result in
# data.iam2rego.callers, keyed by ARN; a request then finds its caller with
# one lookup. Only a principal the bundle does not hold, a principal sent
# as an object (with tags or ids), or a request that names its own
# policies derives it here, per request.
package iam2rego.lib

# The caller's parts, each evaluated alone, so that what one part needs
# (the request checks need the principal and the policies) does not
# derive the others.
caller_principal := c.principal if {
	c := bundle_caller
} else := derived_principal

caller_context := c.context if {
	c := bundle_caller
} else := derived_principal_context

caller_policies := c.policies if {
	c := bundle_caller
} else := derived_policies

# bundle_caller is the caller the build precomputed, when the request
# names its principal by ARN alone ("arn:..." or {"arn": "arn:..."}) and
# names no policies of its own.
bundle_caller := c if {
	not has_policies
	c := data.iam2rego.callers[principal_arn]
} else := c if {
	not has_policies
	c := session_caller
}

principal_arn := input.principal if {
	is_string(input.principal)
} else := input.principal.arn if {
	count(input.principal) == 1
	is_string(input.principal.arn)
}

# A session of a role the bundle holds, arn:P:sts::A:assumed-role/NAME/S:
# the role's caller (and its plan) with the session's own ARN, role name
# and session name.
# This is the derivation's role_session form (principal_base), found by
# splitting instead of a regex.
session_caller := object.union(data.iam2rego.callers[session_role], {"principal": session_principal})

session_principal := object.union(data.iam2rego.callers[session_role].principal, {"arn": principal_arn, "role_name": session_names[0], "session": session_names[1]})

# session_names: the role name and the session name of a session ARN.
session_names := [seg[1], session] if {
	parts := split(principal_arn, ":")
	count(parts) == 6
	parts[0] == "arn"
	parts[2] == "sts"
	parts[3] == ""
	seg := split(parts[5], "/")
	seg[0] == "assumed-role"
	count(seg) > 2
	session := concat("/", array.slice(seg, 2, count(seg)))
	session != ""
}

# session_role: the ARN of the role of a session ARN, when the bundle
# holds it (in the session's partition).
session_role := role if {
	parts := split(principal_arn, ":")
	role := data.iam2rego.roles_by_name[parts[4]][lower(session_names[0])]
	data.iam2rego.callers[role].principal.partition == parts[1]
	data.iam2rego.callers[role].principal.kind == "role_session"
}

# bundle_key: the entry of data.iam2rego.callers the request's caller
# comes from (its own ARN, or its role's for a session), as bundle_caller
# finds it.
bundle_key := principal_arn if {
	not has_policies
	data.iam2rego.callers[principal_arn]
} else := session_role if {
	not has_policies
}

# derived_caller is the caller worked out from input.principal and the
# bundle's records.
derived_caller := {
	"principal": derived_principal,
	"context": derived_principal_context,
	"policies": derived_policies,
}

derived_principal_context := object.union_n([
	principal_keys,
	{concat("", ["aws:principaltag/", lower(k)]): v | some k, v in principal_tags},
	principal_org_keys,
])

derived_policies := {
	"identity": object.get(principal_record, "identity", []),
	"boundary": object.get(principal_record, "boundary", []),
	"scps": object.get(principal_account_record, "scps", []),
	"scp_names": object.get(principal_account_record, "scp_names", []),
}

derived_principal := object.union_n([
	{"arn": raw_principal.arn, "federated_by": object.get(raw_principal, "federatedBy", "")},
	principal_base,
	{"role_arn": principal_role_arn, "tags": principal_tags},
	principal_match_keys,
])

# The keys Principal elements are matched by (principals.rego): the
# caller's account in its partition and in any ("*:" for a bare account
# id), and a session's role as "partition:account:name", the name
# lower-cased.
principal_match_keys := object.union(
	{"account_keys": [concat(":", [principal_base.partition, principal_base.account]), concat(":", ["*", principal_base.account])] |
		principal_base.kind in {"root", "user", "role_session", "federated_user"}
	},
	{"role_key": concat(":", [principal_base.partition, principal_base.account, lower(principal_base.role_name)]) |
		principal_base.kind == "role_session"
	},
)

raw_principal := {"arn": input.principal} if is_string(input.principal)

raw_principal := input.principal if is_object(input.principal)

# The role ARN of a session, with its path when the caller or the bundle
# knows it (aws:PrincipalArn, §7).
principal_role_arn := raw_principal.roleArn if {
	is_string(raw_principal.roleArn)
} else := bundle_role_arn if {
	principal_base.kind == "role_session"
} else := object.get(principal_base, "role_arn", "")

# Session tags (given with the request) override the entity's tags.
principal_tags := object.union(object.get(principal_record, "tags", {}), object.get(raw_principal, "tags", {}))

principal_base := {"kind": "anonymous", "account": "", "partition": ""} if {
	raw_principal.arn == "anonymous"
} else := {"kind": "root", "account": m[2], "partition": m[1]} if {
	m := regex.find_all_string_submatch_n(`^arn:([a-z][a-z0-9-]*):iam::([0-9]{12}):root$`, raw_principal.arn, 1)[0]
} else := {"kind": "user", "account": m[2], "partition": m[1], "name": name} if {
	m := regex.find_all_string_submatch_n(`^arn:([a-z][a-z0-9-]*):iam::([0-9]{12}):user/(.+)$`, raw_principal.arn, 1)[0]
	parts := split(m[3], "/")
	name := parts[count(parts) - 1]
	name != ""
} else := {"kind": "role_session", "account": m[2], "partition": m[1], "role_name": m[3], "session": m[4], "role_arn": role_arn} if {
	m := regex.find_all_string_submatch_n(`^arn:([a-z][a-z0-9-]*):sts::([0-9]{12}):assumed-role/([^/]+)/(.+)$`, raw_principal.arn, 1)[0]
	role_arn := concat("", ["arn:", m[1], ":iam::", m[2], ":role/", m[3]])
} else := {"kind": "role_session", "account": m[2], "partition": m[1], "role_name": m[4], "session": "iam2rego", "role_arn": raw_principal.arn, "arn": session} if {
	# A role ARN as the principal asks "what may this role's sessions do?".
	m := regex.find_all_string_submatch_n(`^arn:([a-z][a-z0-9-]*):iam::([0-9]{12}):role/(.*/)?([^/]+)$`, raw_principal.arn, 1)[0]
	session := concat("", ["arn:", m[1], ":sts::", m[2], ":assumed-role/", m[4], "/iam2rego"])
} else := {"kind": "federated_user", "account": m[2], "partition": m[1], "name": m[3]} if {
	m := regex.find_all_string_submatch_n(`^arn:([a-z][a-z0-9-]*):sts::([0-9]{12}):federated-user/(.+)$`, raw_principal.arn, 1)[0]
} else := {"kind": "service", "account": "", "partition": ""} if {
	regex.match(`^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$`, raw_principal.arn)
}

principal_types := {
	"root": "Account", "user": "User", "role_session": "AssumedRole",
	"federated_user": "FederatedUser", "anonymous": "Anonymous",
}

principal_keys := object.union_n([
	{"aws:principaltype": t | t := principal_types[derived_principal.kind]},
	{"aws:principalarn": principal_arn_key | derived_principal.kind in {"root", "user", "role_session", "federated_user"}},
	{"aws:principalaccount": derived_principal.account | derived_principal.account != ""},
	{"aws:username": derived_principal.name | derived_principal.kind == "user"},
	{"aws:userid": userid | some userid in [principal_userid]},
	{"aws:principalisawsservice": v | some v in [principal_is_service]},
	{"aws:principalservicename": derived_principal.arn | derived_principal.kind == "service"},
	{"aws:principalservicenameslist": [derived_principal.arn] | derived_principal.kind == "service"},
])

# aws:PrincipalIsAWSService is in every signed request: true only for a
# service principal calling directly (§8).
principal_is_service := "true" if {
	derived_principal.kind == "service"
} else := "false" if {
	derived_principal.kind in {"root", "user", "role_session", "federated_user"}
}

principal_arn_key := derived_principal.role_arn if derived_principal.kind == "role_session"

principal_arn_key := derived_principal.arn if derived_principal.kind != "role_session"

# A caller-supplied unique id wins; otherwise it is derived where the ARN
# determines it (§7).
principal_userid := raw_principal.userId if {
	is_string(raw_principal.userId)
} else := derived_principal.account if {
	derived_principal.kind == "root"
} else := "anonymous" if {
	derived_principal.kind == "anonymous"
} else := concat(":", [derived_principal.account, derived_principal.name]) if {
	derived_principal.kind == "federated_user"
}
