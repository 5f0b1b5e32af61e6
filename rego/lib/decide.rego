# The decision algorithm of IAM-SEMANTICS.md §5.4 and §6, over the
# normalised request (normalized, input.rego). Its policies name the
# policy sets:
#   identity: [id], boundary: id, session: id, resource: id, vpce: id,
#   scps: [[id]] and rcps: [[id]] (organisation root first).
package iam2rego.lib

policies := object.get(normalized, "policies", {})

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

# matched: the statements that apply, from the generated rules, which read
# the normalised request as input (so that OPA's rule index applies). Only
# this evaluation runs `with input as`; the rest of the chain reads
# `normalized`, which is evaluated once.
matched := m if {
	m := data.iam2rego.policies.match with input as normalized
}

# hits: every statement that applies, from every source, in one pass: one
# (indexed) evaluation of the `match` set all policies share, whose rules
# are guarded by input.pids; each statement found counts once per source
# that names its policy. Bundles add where each policy is used (names).
hits contains h if {
	some s in matched
	some src in sources
	src.policy == s.policy
	h := object.union_n([src, s, {"names": n | n := data.iam2rego.policy_names[src.policy]}])
}

# The hits by type and effect are complete rules, each evaluated once per
# request (a function such as hits_of(t, effect) would be called, and its
# comprehension run, at every use).

kind := normalized.principal.kind

authenticated if kind in {"root", "user", "role_session", "federated_user"}

iam_principal if kind in {"user", "role_session", "federated_user"}

# SCPs apply to principals of member accounts (§5.3).
scps_apply if {
	authenticated
	normalized.principal.account != normalized.management_account
	count(object.get(policies, "scps", [])) > 0
}

# RCPs apply to resources of member accounts, for services that support
# them (§5.3). RCPFullAWSAccess is implicit at every level.
rcps_apply if {
	normalized.resource.account != normalized.management_account
	service := split(normalized.action, ":")[0]
	service in rcp_services
}

# scp_allow_levels: the SCP levels with an applicable Allow.
scp_allow_levels := {h.level | some h in hits; h.type == "scp"; h.effect == "Allow"}

# --- step 1: explicit deny anywhere -------------------------------------

# denies are ordered by the step of §5.4 that sweeps them.
deny_order := ["scp", "rcp", "resource", "identity", "boundary", "session", "vpce"]

# Most requests have no deny: the sweep in deny_order runs only when one
# applies.
deny_hits := [h | some h in hits; h.effect == "Deny"]

denies := [] if {
	count(deny_hits) == 0
} else := [h | some t in deny_order; some h in deny_hits; h.type == t]

# --- step 3: grants -------------------------------------------------------

resource_allows := [h | some h in hits; h.type == "resource"; h.effect == "Allow"]

rp_kinds := {h.kind | some h in resource_allows}

identity_allows := [h | some h in hits; h.type == "identity"; h.effect == "Allow"]

boundary_allows := [h | some h in hits; h.type == "boundary"; h.effect == "Allow"]

session_allows := [h | some h in hits; h.type == "session"; h.effect == "Allow"]

vpce_allows := [h | some h in hits; h.type == "vpce"; h.effect == "Allow"]

id_allow if count(identity_allows) > 0

# A federated session created by the root user has root's implicit allow.
id_allow if {
	kind == "federated_user"
	endswith(normalized.principal.federated_by, ":root")
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
	normalized.principal.account != ""
	normalized.principal.account == normalized.resource.account
}

sts_role_actions := {
	"sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
	"sts:tagsession", "sts:setsourceidentity", "sts:setcontext",
}

resource_is_role if regex.match(`^arn:[^:]+:iam::[0-9]{12}:role/`, normalized.resource.arn)

resource_is_kms_key if regex.match(`^arn:[^:]+:kms:[^:]*:[0-9]{12}:key/`, normalized.resource.arn)

# Trust policies and KMS key policies must delegate to the account before
# IAM policies count (§5.7).
needs_delegation if {
	resource_is_role
	normalized.action in sts_role_actions
	count(id_lists.resource) > 0
}

needs_delegation if resource_is_kms_key

identity_path_allowed if not needs_delegation

identity_path_allowed if {
	needs_delegation
	"Account" in rp_kinds
}
