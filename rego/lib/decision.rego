# The decision object: which step of §5.4 decided, why, and the statements
# involved. Each `else` branch is one step of the algorithm, in order.
package iam2rego.lib

decide := d if {
	normalized.action == "sts:getcalleridentity"
	kind != "anonymous"
	d := result("Allow", "get-caller-identity", "sts:GetCallerIdentity needs no permission and cannot be denied", [])
} else := d if {
	count(denies) > 0
	d := result("ExplicitDeny", "deny-sweep", sprintf("explicit deny in %s", [type_label[denies[0].type]]), denies)
} else := d if {
	count(protected_hits) > 0
	d := result("ImplicitDeny", "protected-resource", protected_reason(protected_hits[0]), [])
} else := d if {
	scps_apply
	failing := [n | some i, _ in policies.scps; n := i + 1; not n in scp_allow_levels]
	count(failing) > 0
	n := failing[0]
	d := result("ImplicitDeny", "scp", sprintf("no SCP at level %d%s allows %s", [n, level_name("scp_names", n), normalized.action_name]), [])
} else := d if {
	count(id_lists.vpce) > 0
	count(vpce_allows) == 0
	d := result("ImplicitDeny", "vpce", sprintf("the VPC endpoint policy does not allow %s", [normalized.action_name]), [])
} else := grant

type_label := {
	"identity": "an identity-based policy", "boundary": "the permissions boundary",
	"session": "the session policy", "resource": "the resource-based policy",
	"scp": "an SCP", "rcp": "an RCP", "vpce": "the VPC endpoint policy",
}

# level_name names SCP level n: from policies.scp_names when the caller
# gives names (bundles name their OUs), else by position: the organisation
# root first, the account last, OUs between.
level_name(names, n) := sprintf(" (%s)", [object.get(policies, names, [])[n - 1]]) if {
	is_string(object.get(policies, names, [])[n - 1])
} else := " (organization root)" if {
	n == 1
} else := " (account)" if {
	n == count(object.get(policies, "scps", []))
} else := " (OU)"

result(decision, step, reason, statements) := {
	"decision": decision,
	"allow": decision == "Allow",
	"step": step,
	"reason": reason,
	"statements": statements,
}

allows_of(k) := [h | some h in resource_allows; h.kind == k]

caps := array.concat(boundary_allows, session_allows)

grant := d if {
	kind in {"anonymous", "service"}
	"Direct" in rp_kinds
	d := result("Allow", "resource-policy", "a resource-based policy allows this principal directly", allows_of("Direct"))
} else := d if {
	kind in {"anonymous", "service"}
	d := result("ImplicitDeny", "resource-policy", sprintf("no resource-based policy allows %s for this %s caller", [normalized.action_name, kind]), [])
} else := d if {
	kind == "root"
	normalized.action in sts_role_actions
	d := result("ImplicitDeny", "root", "root user credentials cannot assume a role", [])
} else := d if {
	kind == "root"
	same_account
	identity_path_allowed
	d := result("Allow", "root", "the root user has full access in its own account", resource_allows)
} else := d if {
	kind == "root"
	"Direct" in rp_kinds
	d := result("Allow", "resource-policy", "a resource-based policy allows the root user directly", allows_of("Direct"))
} else := d if {
	kind == "root"
	same_account
	d := result("ImplicitDeny", "resource-policy", delegation_reason, [])
} else := d if {
	kind == "root"
	"Account" in rp_kinds
	d := result("Allow", "cross-account", sprintf("the resource-based policy of account %s trusts account %s", [normalized.resource.account, normalized.principal.account]), allows_of("Account"))
} else := d if {
	kind == "root"
	d := result("ImplicitDeny", "cross-account", cross_account_reason, [])
} else := d if {
	same_account
	"Direct" in rp_kinds
	d := result("Allow", "resource-policy", "a same-account resource-based policy names this principal (identity policies, boundary and session policy are not needed)", allows_of("Direct"))
} else := d if {
	same_account
	"SessionOfRole" in rp_kinds
	pb_ok
	sp_ok
	d := result("Allow", "resource-policy", "a same-account resource-based policy names the session's role", array.concat(allows_of("SessionOfRole"), caps))
} else := d if {
	same_account
	"FederatingUser" in rp_kinds
	pb_ok
	sp_ok
	d := result("Allow", "resource-policy", "a same-account resource-based policy names the user who federated this session", array.concat(allows_of("FederatingUser"), caps))
} else := d if {
	same_account
	identity_path_allowed
	id_allow
	pb_ok
	sp_ok
	d := result("Allow", "identity", "an identity-based policy allows the request", array.concat(identity_allows, caps))
} else := d if {
	same_account
	d := result("ImplicitDeny", missing_step, missing_reason, [])
} else := d if {
	count(rp_kinds) == 0
	d := result("ImplicitDeny", "cross-account", cross_account_reason, [])
} else := d if {
	id_allow
	pb_ok
	sp_ok
	d := result("Allow", "cross-account", sprintf("both accounts allow: the resource-based policy of account %s and the caller's own policies", [normalized.resource.account]), array.concat(array.concat(resource_allows, identity_allows), caps))
} else := result("ImplicitDeny", missing_step, missing_reason, [])

cross_account_reason := sprintf("cross-account request: no resource-based policy of account %s allows %s for this caller", [normalized.resource.account, normalized.action_name])

delegation_reason := "the trust policy does not allow this principal or its account" if resource_is_role

delegation_reason := "the KMS key policy does not allow this principal or delegate to its account" if not resource_is_role

# missing_step names what blocked the request. A same-account grant that
# names the caller's role (or the user who federated) stops only at the
# boundary or the session policy (§5.5), so those are named first.
missing_step := "boundary" if {
	capped_grant
	not pb_ok
} else := "session" if {
	capped_grant
	not sp_ok
} else := "resource-policy" if {
	not identity_path_allowed
} else := "identity" if {
	not id_allow
} else := "boundary" if {
	not pb_ok
} else := "session" if {
	not sp_ok
}

capped_grant if {
	same_account
	some k in {"SessionOfRole", "FederatingUser"}
	k in rp_kinds
}

missing_reason := delegation_reason if missing_step == "resource-policy"

missing_reason := sprintf("no identity-based policy allows %s on %s", [normalized.action_name, normalized.resource.arn]) if missing_step == "identity"

missing_reason := sprintf("the permissions boundary does not allow %s on %s", [normalized.action_name, normalized.resource.arn]) if missing_step == "boundary"

missing_reason := sprintf("the session policy does not allow %s on %s", [normalized.action_name, normalized.resource.arn]) if {
	missing_step == "session"
	count(id_lists.session) > 0
}

missing_reason := "a federated user session without a session policy has no permissions" if {
	missing_step == "session"
	count(id_lists.session) == 0
}

# error_decision is the fail-closed answer to a request that cannot be
# decided: a deny that says why.
error_decision(errors) := {
	"decision": "ImplicitDeny",
	"allow": false,
	"step": "error",
	"reason": concat("; ", sort(errors)),
	"error": concat("; ", sort(errors)),
	"statements": [],
}
