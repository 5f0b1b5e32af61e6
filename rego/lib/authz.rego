# The public entry points (DESIGN.md): data.iam2rego.authz.decision and
# data.iam2rego.authz.allow. The request is normalised once, then decided
# with `with input as`, which keeps the generated rules indexable.
package iam2rego.authz

default allow := false

allow := decision.allow

decision := data.iam2rego.lib.error_decision(errors) if {
	errors := data.iam2rego.lib.input_errors
	count(errors) > 0
} else := d if {
	n := data.iam2rego.lib.normalized
	d := data.iam2rego.lib.decide with input as n
} else := data.iam2rego.lib.error_decision({"the request could not be normalised"})
