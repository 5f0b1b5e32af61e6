# The public entry points (DESIGN.md): data.iam2rego.authz.decision and
# data.iam2rego.authz.allow. The request is normalised once; the generated
# rules are evaluated on it `with input as` (which keeps them indexable),
# and the decision chain reads it as data.iam2rego.lib.normalized.
package iam2rego.authz

default allow := false

allow := decision.allow

# A request that takes a decision plan (lib/plan.rego) is decided there;
# any other request by the general path below.
decision := d if {
	data.iam2rego.lib.plan_ok
	d := data.iam2rego.lib.plan_decide
} else := general_decision

# general_decision is the general path alone: what every request would
# get without its plan (the plan tests compare the two).
general_decision := data.iam2rego.lib.error_decision(errors) if {
	errors := data.iam2rego.lib.input_errors
	count(errors) > 0
} else := data.iam2rego.lib.error_decision({"data.iam2rego.policies.match is undefined although the request names policies"}) if {
	# Deciding without the statements of the policies named could lose a
	# deny.
	count(data.iam2rego.lib.policy_ids) > 0
	not data.iam2rego.lib.matched
} else := data.iam2rego.lib.error_decision(errors) if {
	# Malformed values of the keys the request's policies test
	# (lib/context_checks.rego).
	errors := data.iam2rego.lib.context_errors
	count(errors) > 0
} else := d if {
	data.iam2rego.lib.normalized
	d := data.iam2rego.lib.decide
} else := data.iam2rego.lib.error_decision({"the request could not be normalised"})
