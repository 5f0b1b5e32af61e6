# The decision algorithm of IAM-SEMANTICS.md §5.4 and §6, over the
# normalised input. Policy sets are named by input.policies:
#   identity: [id], boundary: id, session: id, resource: id, vpce: id,
#   scps: [[id]] and rcps: [[id]] (organisation root first).
package iam2rego.lib

policies := object.get(input, "policies", {})

ids(t) := as_id_list(object.get(policies, t, []))

# hits lists the statements of the policies `pids` in the partial set `set`
# ("allow" or "deny"), annotated for the explanation.
hits(t, level, pids, set) := [h |
	some slot, pid in pids
	some s in data.iam2rego.policies[pid][set] # only this partial set is evaluated
	h := object.union_n([s, {"policy": pid, "type": t, "effect": effect_name[set], "slot": slot}, level_field(level), name_field(pid)])
]

# name_field names a bundle's policy (where it is attached, or its managed
# policy name and ARN), from data written by `iam2rego build`.
name_field(pid) := {"names": n} if {
	n := data.iam2rego.policy_names[pid]
} else := {}

level_field(0) := {}

level_field(n) := {"level": n} if n > 0

effect_name := {"allow": "Allow", "deny": "Deny"}

kind := input.principal.kind

authenticated if kind in {"root", "user", "role_session", "federated_user"}

iam_principal if kind in {"user", "role_session", "federated_user"}

# SCPs apply to principals of member accounts (§5.3).
scps_apply if {
	authenticated
	input.principal.account != input.management_account
	count(object.get(policies, "scps", [])) > 0
}

# RCPs apply to resources of member accounts, for services that support
# them (§5.3). RCPFullAWSAccess is implicit at every level.
rcps_apply if {
	input.resource.account != input.management_account
	service := split(input.action, ":")[0]
	service in rcp_services
}

scp_levels := [hits("scp", i + 1, level, "allow") | some i, level in object.get(policies, "scps", [])]

# --- step 1: explicit deny anywhere -------------------------------------

denies := array.concat(array.concat(array.concat(guardrail_denies, hits("resource", 0, ids("resource"), "deny")), identity_side_denies), hits("vpce", 0, ids("vpce"), "deny"))

guardrail_denies := array.concat(scp_denies, rcp_denies)

scp_denies := [h | scps_apply; some i, level in policies.scps; some h in hits("scp", i + 1, level, "deny")]

rcp_denies := [h | rcps_apply; some i, level in object.get(policies, "rcps", []); some h in hits("rcp", i + 1, level, "deny")]

identity_side_denies := [] if not iam_principal

identity_side_denies := array.concat(array.concat(hits("identity", 0, ids("identity"), "deny"), hits("boundary", 0, ids("boundary"), "deny")), hits("session", 0, ids("session"), "deny")) if iam_principal

# --- step 3: grants -------------------------------------------------------

resource_allows := hits("resource", 0, ids("resource"), "allow")

rp_kinds := {h.kind | some h in resource_allows}

identity_allows := hits("identity", 0, ids("identity"), "allow")

boundary_allows := hits("boundary", 0, ids("boundary"), "allow")

session_allows := hits("session", 0, ids("session"), "allow")

id_allow if count(identity_allows) > 0

# A federated session created by the root user has root's implicit allow.
id_allow if {
	kind == "federated_user"
	endswith(input.principal.federated_by, ":root")
}

pb_ok if count(ids("boundary")) == 0

pb_ok if count(boundary_allows) > 0

sp_ok if kind in {"root", "user"}

sp_ok if {
	kind == "role_session"
	count(ids("session")) == 0
}

sp_ok if {
	kind in {"role_session", "federated_user"}
	count(session_allows) > 0
}

same_account if {
	input.principal.account != ""
	input.principal.account == input.resource.account
}

sts_role_actions := {
	"sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
	"sts:tagsession", "sts:setsourceidentity", "sts:setcontext",
}

resource_is_role if regex.match(`^arn:[^:]+:iam::[0-9]{12}:role/`, input.resource.arn)

resource_is_kms_key if regex.match(`^arn:[^:]+:kms:[^:]*:[0-9]{12}:key/`, input.resource.arn)

# Trust policies and KMS key policies must delegate to the account before
# IAM policies count (§5.7).
needs_delegation if {
	resource_is_role
	input.action in sts_role_actions
	count(ids("resource")) > 0
}

needs_delegation if resource_is_kms_key

identity_path_allowed if not needs_delegation

identity_path_allowed if {
	needs_delegation
	"Account" in rp_kinds
}
