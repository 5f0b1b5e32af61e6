# Decision plans (DESIGN.md, "Decision plans"): the compiled path of a
# request that names a user or role of the bundle by its ARN alone.
#
# What does not depend on the request was decided at build: the caller's
# principal, context keys and policies (caller.rego), and its plan: the ids
# of its policies (the guard of the generated rules) and the place of each
# policy on the identity side (type, SCP level, slot), with whether SCPs
# apply. Per request this file checks only what the plan reads, adds the
# resource's policies and RCPs, runs the generated statements of those
# policies once (indexed by action and policy id: only the statements
# whose actions match are evaluated, and only their resource patterns and
# conditions are tested), and decides over the statements that apply with
# the steps of decide.rego and decision.rego specialised to users and role
# sessions.
#
# Anything else takes the general path (authz.rego): a request naming its
# own policies or organization, a principal that is not a user or role of
# the bundle, a resource with tags or more fields, malformed context
# values, an action on a protected resource, a federation action. The
# tests of `make plans` (benchmarks/normalization_test.go,
# plans_random_test.go) hold both paths to the same answers.
package iam2rego.lib

# --- at build ---------------------------------------------------------------

# caller_plan is evaluated by rego.Callers with the principal's ARN as the
# whole input, and stored in data.iam2rego.callers[arn].plan. A place in
# src omits its policy id, the key it is stored under: a hit takes it from
# the matched statement, which names it too.
caller_plan := {
	"pids": [pid | some pid in policy_ids],
	"src": {pid: [object.remove(s, ["policy"]) | some s in caller_sources; s.policy == pid] | some s in caller_sources; pid := s.policy},
	"scps": count(object.get(caller_policies, "scps", [])),
	"scps_apply": caller_scps_apply,
} if {
	caller_principal.kind in {"user", "role_session"}
}

caller_sources contains {"type": t, "level": 0, "slot": slot, "policy": pid} if {
	some t in ["identity", "boundary"]
	some slot, pid in as_id_list(object.get(caller_policies, t, []))
}

caller_sources contains {"type": "scp", "level": i + 1, "slot": slot, "policy": pid} if {
	caller_scps_apply
	some i, level in caller_policies.scps
	some slot, pid in level
}

caller_scps_apply := true if {
	caller_principal.account != management_account
	count(object.get(caller_policies, "scps", [])) > 0
} else := false

# --- per request: what takes a plan -----------------------------------------

plan_action := lower(input.action)

plan_rarn := input.resource if is_string(input.resource)

plan_rarn := input.resource.arn if {
	is_object(input.resource)
	count(object.remove(input.resource, ["arn", "account"])) == 0
}

# plan_ok holds when the request takes its plan: its caller is
# bundle_key's (caller.rego: a user or role of the bundle, or a session of
# such a role, named by ARN alone, with no policies of the request's own). Each failing test sends
# it to the general path, which decides it (or names what is wrong).
plan_ok if {
	not input.organization
	data.iam2rego.callers[bundle_key].plan
	action_ok
	not data.iam2rego.plan.fallback_actions[plan_action]
	is_string(plan_rarn)
	plan_racct_ok
	plan_context_ok
	plan_matched
	count(plan_match_errors) == 0
}

plan_racct_ok if plan_racct != ""

plan_racct_ok if plan_rarn == "*"

# Context values the general path would reject, or that need its checks:
# every value text within the length limit, no two keys equal but for
# letter case, and the values of global keys it parses (booleans,
# numbers, dates, IP addresses) vouched for by plan_kind_ok.
plan_context_ok if not input.context

plan_context_ok if {
	is_object(input.context)
	count({lower(k) | some k, _ in input.context}) == count(input.context)
	every v in input.context {
		is_string(v)
		count(v) <= context_value_limit
	}
	every k, v in object.filter(plan_explicit, data.iam2rego.plan.checked_keys) {
		plan_kind_ok(data.iam2rego.plan.checked_keys[k], v)
	}
}

# plan_explicit: the request's context keys lower-cased (read only once
# plan_context_ok has found no two keys equal but for letter case, which
# would make this object conflict).
plan_explicit := {lower(k): v | some k, v in input.context}

# plan_kind_ok: a sufficient test per kind, cheaper than the general
# one; a value it does not vouch for (a list key, a date in another form)
# takes the general path, which decides it.
plan_kind_ok("bool", v) if lower(v) in {"true", "false"}

# decimal's own pattern (conditions.rego): it then always converts.
plan_kind_ok("number", v) if regex.match(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`, v)

plan_kind_ok("ip", v) if parses("ip", v)

# RFC 3339 with seconds and Z: one of date_ns's forms, which it parses
# whenever time.parse_rfc3339_ns does (its year shift keeps leap years).
plan_kind_ok("date", v) if {
	regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$`, v)
	time.parse_rfc3339_ns(v)
}

# --- per request: the normalised request the generated rules read ----------

plan_input := {
	"action": plan_action,
	"pids": plan_pids,
	"resource": plan_resource,
	"principal": plan_principal,
	"context": plan_context,
	"policies": data.iam2rego.callers[bundle_key].policies,
}

# The caller's principal, as bundle_caller gives it.
plan_principal := data.iam2rego.callers[principal_arn].principal if {
	bundle_key == principal_arn
} else := session_principal

plan_pids := array.concat(data.iam2rego.callers[bundle_key].plan.pids, array.concat(plan_rpolicy, plan_rcp_ids))

plan_rcp_ids := [pid | some level in data.iam2rego.accounts[plan_racct].rcps; some pid in level]

plan_arn_parts := split(plan_rarn, ":")

plan_resource := object.union_n([
	{"arn": plan_rarn, "account": plan_racct, "tags": plan_rtags},
	{"arn_resource": concat(":", array.slice(plan_arn_parts, 5, count(plan_arn_parts))) | count(plan_arn_parts) > 5},
	{"arn_account_resource": concat(":", array.slice(plan_arn_parts, 4, count(plan_arn_parts))) | count(plan_arn_parts) > 4},
])

# The resource's record and, for an S3 object, its bucket's (bundle.rego).
plan_exact := r if {
	r := data.iam2rego.resources[plan_rarn]
} else := {}

plan_bucket := r if {
	plan_arn_parts[2] == "s3"
	plan_arn_parts[3] == ""
	plan_arn_parts[4] == ""
	i := indexof(plan_rarn, "/")
	i > 0
	r := data.iam2rego.resources[substring(plan_rarn, 0, i)]
	startswith(plan_rarn, "arn:")
	plan_arn_parts[1] != ""
} else := {}

plan_rpolicy := array.concat(object.get(plan_exact, "policy", []), object.get(plan_bucket, "policy", []))

plan_rtags := object.get(plan_exact, "tags", {})

plan_racct := a if {
	a := input.resource.account
	is_string(a)
} else := a if {
	a := object.get(plan_exact, "account", object.get(plan_bucket, "account", ""))
	a != ""
} else := a if {
	count(plan_arn_parts) >= 6
	a := plan_arn_parts[4]
} else := data.iam2rego.callers[bundle_key].principal.account if {
	plan_rarn == "*"
} else := ""

plan_context := object.union_n([
	data.iam2rego.callers[bundle_key].context,
	plan_resource_keys,
	plan_explicit,
])

plan_resource_keys := object.union_n([
	{concat("", ["aws:resourcetag/", lower(k)]): v | some k, v in plan_rtags},
	{"aws:resourceaccount": plan_racct | plan_racct != ""},
	{"aws:resourceorgid": id | id := data.iam2rego.accounts[plan_racct].org_id},
	{"aws:resourceorgpaths": p | p := data.iam2rego.accounts[plan_racct].org_paths},
])

# --- per request: the statements that apply --------------------------------

plan_matched := m if {
	m := data.iam2rego.policies.match with input as plan_input
}

# A generated check found a malformed value: the general path says which.
# (object.get: without check rules the type checker knows match elements
# only as statements.)
plan_match_errors contains m if {
	some m in plan_matched
	object.get(m, "error", "") != ""
}

plan_rcps_apply if {
	plan_racct != management_account
	split(plan_action, ":")[0] in rcp_services
}

plan_hits contains object.union_n([src, s, {"names": n | n := data.iam2rego.policy_names[s.policy]}]) if {
	some s in plan_matched
	some src in data.iam2rego.callers[bundle_key].plan.src[s.policy]
}

plan_hits contains object.union_n([{"type": "resource", "level": 0, "slot": slot, "policy": pid}, s, {"names": n | n := data.iam2rego.policy_names[pid]}]) if {
	some s in plan_matched
	some slot, pid in plan_rpolicy
	pid == s.policy
}

plan_hits contains object.union_n([{"type": "rcp", "level": i + 1, "slot": slot, "policy": pid}, s, {"names": n | n := data.iam2rego.policy_names[pid]}]) if {
	plan_rcps_apply
	some s in plan_matched
	some i, level in data.iam2rego.accounts[plan_racct].rcps
	some slot, pid in level
	pid == s.policy
}

# --- at build: what every request's plan shares ------------------------------

# build_caller is what rego.Callers stores for each user and role: the
# derived caller, and its plan when it has one.
build_caller := object.union(derived_caller, {"plan": p | p := caller_plan})

# build_plan is stored as data.iam2rego.plan (rego.PlanData): the global
# context keys whose values the general path checks (lists, booleans,
# numbers, dates, IP addresses), and the actions it decides itself
# (protected resources, federation, which adds the identity provider).
build_plan := {
	"checked_keys": {k: kind |
		some k, t in global_key_types
		kind := plan_checked_kind(t)
	},
	"fallback_actions": {a: true |
		some a in array.concat(
			[a | some r in protected_resources; some a in r.actions],
			["sts:assumerolewithwebidentity", "sts:assumerolewithsaml"],
		)
	},
}

plan_checked_kind(t) := "list" if {
	startswith(t, "ArrayOf")
} else := type_kinds[t]
