# The decision algorithm of IAM-SEMANTICS.md §5.4 and §6, over the
# normalised input. Policy sets are named by input.policies:
#   identity: [id], boundary: id, session: id, resource: id, vpce: id,
#   scps: [[id]] and rcps: [[id]] (organisation root first).
package iam2rego.lib

policies := object.get(input, "policies", {})

# id_lists: the policy ids of each single-list type.
id_lists := {t: as_id_list(object.get(policies, t, [])) | some t in ["identity", "boundary", "session", "resource", "vpce"]}

# sources are the policies that take part in this request, with their
# place: type, organisation level (0 outside SCPs/RCPs) and position.
# Identity-side policies count only for IAM principals, SCPs only where
# they apply, RCPs only where they apply (§5.3).
sources contains {"type": t, "level": 0, "slot": slot, "policy": pid} if {
	some t in ["resource", "vpce"]
	some slot, pid in id_lists[t]
}

sources contains {"type": t, "level": 0, "slot": slot, "policy": pid} if {
	iam_principal
	some t in ["identity", "boundary", "session"]
	some slot, pid in id_lists[t]
}

sources contains {"type": "scp", "level": i + 1, "slot": slot, "policy": pid} if {
	scps_apply
	some i, level in policies.scps
	some slot, pid in level
}

sources contains {"type": "rcp", "level": i + 1, "slot": slot, "policy": pid} if {
	rcps_apply
	some i, level in object.get(policies, "rcps", [])
	some slot, pid in level
}

# hits: every statement that applies, from every source, in one pass: one
# (indexed) evaluation of the `match` set all policies share, whose rules
# are guarded by input.pids; each statement found counts once per source
# that names its policy. Bundles add where each policy is used (names).
hits contains h if {
	some s in data.iam2rego.policies.match
	some src in sources
	src.policy == s.policy
	h := object.union_n([src, s, {"names": n | n := data.iam2rego.policy_names[src.policy]}])
}

hits_of(t, effect) := [h | some h in hits; h.type == t; h.effect == effect]

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

# scp_allow_levels: the SCP levels with an applicable Allow.
scp_allow_levels := {h.level | some h in hits; h.type == "scp"; h.effect == "Allow"}

# --- step 1: explicit deny anywhere -------------------------------------

# denies are ordered by the step of §5.4 that sweeps them.
deny_order := ["scp", "rcp", "resource", "identity", "boundary", "session", "vpce"]

denies := [h | some t in deny_order; some h in hits_of(t, "Deny")]

# --- step 3: grants -------------------------------------------------------

resource_allows := hits_of("resource", "Allow")

rp_kinds := {h.kind | some h in resource_allows}

identity_allows := hits_of("identity", "Allow")

boundary_allows := hits_of("boundary", "Allow")

session_allows := hits_of("session", "Allow")

vpce_allows := hits_of("vpce", "Allow")

id_allow if count(identity_allows) > 0

# A federated session created by the root user has root's implicit allow.
id_allow if {
	kind == "federated_user"
	endswith(input.principal.federated_by, ":root")
}

pb_ok if count(id_lists.boundary) == 0

pb_ok if count(boundary_allows) > 0

sp_ok if kind in {"root", "user"}

sp_ok if {
	kind == "role_session"
	count(id_lists.session) == 0
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
	count(id_lists.resource) > 0
}

needs_delegation if resource_is_kms_key

identity_path_allowed if not needs_delegation

identity_path_allowed if {
	needs_delegation
	"Account" in rp_kinds
}
