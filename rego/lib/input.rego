# Input normalisation: clients (an OPA sidecar's callers, or the Go
# evaluator) send the request as AWS writes it; generated policies read a
# normalised form with a lower-cased action, a resource object and a
# context with lower-cased keys and the derived keys of §7–§8.
package iam2rego.lib

# normalized is the request every other rule reads: the generated rules as
# their input (`with input as normalized`, decide.rego), the decision chain
# directly. pids names every policy of the request: the generated rules
# are guarded by membership in it.
normalized := {
	"action": lower(input.action),
	"action_name": input.action,
	"principal": principal,
	"resource": resource,
	"context": context,
	"policies": request_policies,
	"pids": policy_ids,
	"management_account": management_account,
}

# request_policies: the policies named in the input (cases, the Go
# evaluator), or else those a bundle's data attaches to the principal,
# its account and the resource (bundle.rego).
request_policies := input.policies if has_policies

request_policies := bundle_policies if not has_policies

# Helper rules, because `not f(input.missing)` is undefined in Rego rather
# than true.
has_policies if is_object(input.policies)

action_ok if regex.match(`^[A-Za-z0-9-]+:[A-Za-z0-9*?_.-]+$`, input.action)

resource_arn_ok if is_string(raw_resource.arn)

raw_principal := {"arn": input.principal} if is_string(input.principal)

raw_principal := input.principal if is_object(input.principal)

raw_resource := {"arn": input.resource} if is_string(input.resource)

raw_resource := input.resource if is_object(input.resource)

management_account := input.organization.managementAccount if {
	is_string(input.organization.managementAccount)
} else := data.iam2rego.organization.management_account if {
	is_string(data.iam2rego.organization.management_account)
} else := ""

resource := object.union_n([
	{
		"arn": raw_resource.arn,
		"account": object.get(raw_resource, "account", object.get(resource_record, "account", resource_account_from_arn)),
		"tags": object.union(object.get(resource_record, "tags", {}), object.get(raw_resource, "tags", {})),
	},
	{"arn_resource": r | some r in [arn_tail(5)]},
	{"arn_account_resource": r | some r in [arn_tail(4)]},
])

# arn_tail(n) is the text of the resource ARN after its n-th colon: the
# resource part (n = 5), or the account, a colon and the resource part
# (n = 4). Rules of patterns like arn:aws:ec2:*:*:instance/* or
# arn:aws:ec2:*::snapshot/* test it (with an indexed startswith or
# equality) instead of a regex on the whole ARN.
arn_tail(n) := concat(":", array.slice(parts, n, count(parts))) if {
	parts := split(raw_resource.arn, ":")
	count(parts) > n
}

resource_account_from_arn := acct if {
	parts := split(raw_resource.arn, ":")
	count(parts) >= 6
	acct := parts[4]
} else := principal_base.account if {
	# Actions on "*" are evaluated in the caller's own account.
	raw_resource.arn == "*"
} else := ""

# principal describes the caller (§2.4): kind, account, partition and, for
# a role session, the role; for a federated user, the user who federated.
principal := object.union_n([
	{"arn": raw_principal.arn, "federated_by": object.get(raw_principal, "federatedBy", "")},
	principal_base,
	{"role_arn": principal_role_arn, "tags": principal_tags},
	federation,
])

# For AssumeRoleWithWebIdentity / AssumeRoleWithSAML the caller is the
# identity provider's user; a trust policy's Federated entry matches the
# provider named by aws:FederatedProvider (§2.5). canonicalUser is the S3
# canonical id of the caller, when given.
federation := object.union(
	{"federated_provider": p | lower(input.action) in {"sts:assumerolewithwebidentity", "sts:assumerolewithsaml"}; p := explicit_context["aws:federatedprovider"]},
	{"canonical_user": c | c := raw_principal.canonicalUser; is_string(c)},
)

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

# context: explicit keys (lower-cased, values as text) win over derived ones.
explicit_context := {lower(k): text_value(v) | some k, v in object.get(input, "context", {})}

context := object.union(derived_context, explicit_context)

text_value(v) := v if is_string(v)

text_value(v) := [scalar_text(x) | some x in v] if is_array(v)

text_value(v) := scalar_text(v) if not is_array(v)

scalar_text(v) := v if is_string(v)

scalar_text(v) := json.marshal(v) if is_number(v)

scalar_text(v) := json.marshal(v) if is_boolean(v)

derived_context := object.union_n([
	principal_keys,
	{concat("", ["aws:principaltag/", lower(k)]): v | some k, v in principal_tags},
	{concat("", ["aws:resourcetag/", lower(k)]): v | some k, v in resource.tags},
	{"aws:resourceaccount": resource.account | resource.account != ""},
	org_keys,
])

principal_types := {
	"root": "Account", "user": "User", "role_session": "AssumedRole",
	"federated_user": "FederatedUser", "anonymous": "Anonymous",
}

principal_keys := object.union_n([
	{"aws:principaltype": t | t := principal_types[principal.kind]},
	{"aws:principalarn": principal_arn_key | principal.kind in {"root", "user", "role_session", "federated_user"}},
	{"aws:principalaccount": principal.account | principal.account != ""},
	{"aws:username": principal.name | principal.kind == "user"},
	{"aws:userid": userid | some userid in [principal_userid]},
	{"aws:principalisawsservice": v | some v in [principal_is_service]},
	{"aws:principalservicename": principal.arn | principal.kind == "service"},
	{"aws:principalservicenameslist": [principal.arn] | principal.kind == "service"},
])

# aws:PrincipalIsAWSService is in every signed request: true only for a
# service principal calling directly (§8).
principal_is_service := "true" if {
	principal.kind == "service"
} else := "false" if {
	principal.kind in {"root", "user", "role_session", "federated_user"}
}

principal_arn_key := principal.role_arn if principal.kind == "role_session"

principal_arn_key := principal.arn if principal.kind != "role_session"

# A caller-supplied unique id wins; otherwise it is derived where the ARN
# determines it (§7).
principal_userid := raw_principal.userId if {
	is_string(raw_principal.userId)
} else := principal.account if {
	principal.kind == "root"
} else := "anonymous" if {
	principal.kind == "anonymous"
} else := concat(":", [principal.account, principal.name]) if {
	principal.kind == "federated_user"
}

# input_errors lists what makes a request impossible to decide; any of
# them turns the decision into a deny that says why (fail closed).
input_errors contains "input.action must be a string like \"service:Action\"" if {
	not action_ok
}

input_errors contains "input.principal.arn is missing or not a principal ARN, a service principal or \"anonymous\"" if {
	not principal_base
}

input_errors contains "input.resource.arn must be a string" if {
	not resource_arn_ok
}

# Keys that differ only in letter case would collide once lower-cased
# (§3.1): the request is rejected rather than decided on one of them.
input_errors contains msg if {
	some field, obj in {"context": object.get(input, "context", {}), "principal tags": object.get(raw_principal, "tags", {}), "resource tags": object.get(raw_resource, "tags", {})}
	is_object(obj)
	lowered := {lower(k) | some k, _ in obj}
	count(lowered) != count(obj)
	msg := sprintf("%s hold keys that differ only in letter case", [field])
}

# Without an account the same-account rules cannot be applied; guessing
# could allow what AWS denies.
input_errors contains msg if {
	resource_arn_ok
	raw_resource.arn != "*"
	not resource_account_known
	msg := sprintf("the account that owns %v is unknown: give resource.account", [raw_resource.arn])
}

resource_account_known if object.get(raw_resource, "account", "") != ""

resource_account_known if object.get(resource_record, "account", "") != ""

resource_account_known if resource_account_from_arn != ""

input_errors contains msg if {
	not has_policies
	is_object(data.iam2rego.principals)
	principal_base.kind in {"user", "role_session"}
	not principal_entry
	msg := sprintf("principal %v is not in the bundle", [raw_principal.arn])
}

input_errors contains msg if {
	some pid in policy_ids
	not data.iam2rego.policies[pid].statements
	msg := sprintf("policy %v is not loaded", [pid])
}

policy_ids contains pid if {
	some t in ["identity", "boundary", "session", "resource", "vpce"]
	some pid in as_id_list(object.get(request_policies, t, []))
}

policy_ids contains pid if {
	some t in ["scps", "rcps"]
	some level in object.get(request_policies, t, [])
	some pid in level
}

as_id_list(x) := x if is_array(x)

as_id_list(x) := [x] if is_string(x)

as_id_list(x) := [] if is_null(x)
