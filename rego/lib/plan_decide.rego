# The decision of a planned request (plan.rego): the steps of
# decision.rego for a user or a role session with no session policy, no
# VPC endpoint policy and no federation, over plan_hits. Every answer,
# explanation included, is the one decision.rego gives (make plans).
package iam2rego.lib

plan_decide := d if {
	plan_action == "sts:getcalleridentity"
	d := result("Allow", "get-caller-identity", "sts:GetCallerIdentity needs no permission and cannot be denied", [])
} else := d if {
	count(plan_deny_hits) > 0
	denies := [h | some t in deny_order; some h in plan_deny_hits; h.type == t]
	d := result("ExplicitDeny", "deny-sweep", sprintf("explicit deny in %s", [type_label[denies[0].type]]), denies)
} else := d if {
	data.iam2rego.callers[bundle_key].plan.scps_apply
	failing := [n | some n in numbers.range(1, data.iam2rego.callers[bundle_key].plan.scps); not n in plan_scp_allow_levels]
	count(failing) > 0
	n := failing[0]
	d := result("ImplicitDeny", "scp", sprintf("no SCP at level %d%s allows %s", [n, plan_level_name(n), input.action]), [])
} else := plan_grant

plan_deny_hits := [h | some h in plan_hits; h.effect == "Deny"]

plan_scp_allow_levels := {h.level | some h in plan_hits; h.type == "scp"; h.effect == "Allow"}

# As level_name (decision.rego), over the caller's SCP names.
plan_level_name(n) := sprintf(" (%s)", [names[n - 1]]) if {
	names := data.iam2rego.callers[bundle_key].policies.scp_names
	is_string(names[n - 1])
} else := " (organization root)" if {
	n == 1
} else := " (account)" if {
	n == data.iam2rego.callers[bundle_key].plan.scps
} else := " (OU)"

plan_resource_allows := [h | some h in plan_hits; h.type == "resource"; h.effect == "Allow"]

plan_rp_kinds := {h.kind | some h in plan_resource_allows}

plan_allows_of(k) := [h | some h in plan_resource_allows; h.kind == k]

plan_identity_allows := [h | some h in plan_hits; h.type == "identity"; h.effect == "Allow"]

plan_boundary_allows := [h | some h in plan_hits; h.type == "boundary"; h.effect == "Allow"]

plan_has_boundary if count(data.iam2rego.callers[bundle_key].policies.boundary) > 0

plan_pb_ok if not plan_has_boundary

plan_pb_ok if count(plan_boundary_allows) > 0

plan_id_allow if count(plan_identity_allows) > 0

plan_same_account if {
	data.iam2rego.callers[bundle_key].principal.account != ""
	data.iam2rego.callers[bundle_key].principal.account == plan_racct
}

plan_needs_delegation if {
	regex.match(`^arn:[^:]+:iam::[0-9]{12}:role/`, plan_rarn)
	plan_action in sts_role_actions
	count(plan_rpolicy) > 0
}

plan_needs_delegation if regex.match(`^arn:[^:]+:kms:[^:]*:[0-9]{12}:key/`, plan_rarn)

plan_identity_path_allowed if not plan_needs_delegation

plan_identity_path_allowed if "Account" in plan_rp_kinds

plan_grant := d if {
	plan_same_account
	"Direct" in plan_rp_kinds
	d := result("Allow", "resource-policy", "a same-account resource-based policy names this principal (identity policies, boundary and session policy are not needed)", plan_allows_of("Direct"))
} else := d if {
	plan_same_account
	"SessionOfRole" in plan_rp_kinds
	plan_pb_ok
	d := result("Allow", "resource-policy", "a same-account resource-based policy names the session's role", array.concat(plan_allows_of("SessionOfRole"), plan_boundary_allows))
} else := d if {
	plan_same_account
	plan_identity_path_allowed
	plan_id_allow
	plan_pb_ok
	d := result("Allow", "identity", "an identity-based policy allows the request", array.concat(plan_identity_allows, plan_boundary_allows))
} else := d if {
	plan_same_account
	d := result("ImplicitDeny", plan_missing_step, plan_missing_reason, [])
} else := d if {
	count(plan_rp_kinds) == 0
	d := result("ImplicitDeny", "cross-account", plan_cross_account_reason, [])
} else := d if {
	plan_id_allow
	plan_pb_ok
	d := result("Allow", "cross-account", sprintf("both accounts allow: the resource-based policy of account %s and the caller's own policies", [plan_racct]), array.concat(array.concat(plan_resource_allows, plan_identity_allows), plan_boundary_allows))
} else := result("ImplicitDeny", plan_missing_step, plan_missing_reason, [])

plan_cross_account_reason := sprintf("cross-account request: no resource-based policy of account %s allows %s for this caller", [plan_racct, input.action])

# As missing_step (decision.rego): a same-account grant that names the
# session's role stops only at the boundary.
plan_missing_step := "boundary" if {
	plan_same_account
	"SessionOfRole" in plan_rp_kinds
	not plan_pb_ok
} else := "resource-policy" if {
	not plan_identity_path_allowed
} else := "identity" if {
	not plan_id_allow
} else := "boundary" if {
	not plan_pb_ok
}

plan_missing_reason := plan_delegation_reason if plan_missing_step == "resource-policy"

plan_missing_reason := sprintf("no identity-based policy allows %s on %s", [input.action, plan_rarn]) if plan_missing_step == "identity"

plan_missing_reason := sprintf("the permissions boundary does not allow %s on %s", [input.action, plan_rarn]) if plan_missing_step == "boundary"

plan_delegation_reason := "the trust policy does not allow this principal or its account" if {
	regex.match(`^arn:[^:]+:iam::[0-9]{12}:role/`, plan_rarn)
} else := "the KMS key policy does not allow this principal or delegate to its account"
