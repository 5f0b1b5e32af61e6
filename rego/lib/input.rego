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
# evaluator), or else those a bundle's data attaches to the caller (its
# identity policies, boundary and SCP levels, caller.rego), the resource
# and the resource's account (bundle.rego).
request_policies := input.policies if has_policies

request_policies := object.union(caller_policies, {
	"resource": object.get(resource_record, "policy", []),
	"rcps": object.get(resource_account_record, "rcps", []),
}) if {
	not has_policies
}

# Helper rules, because `not f(input.missing)` is undefined in Rego rather
# than true.
has_policies if is_object(input.policies)

action_ok if regex.match(`^[A-Za-z0-9-]+:[A-Za-z0-9*?_.-]+$`, input.action)

resource_arn_ok if is_string(raw_resource.arn)

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
	{"arn_resource": r | r := arn_resource},
	{"arn_account_resource": r | r := arn_account_resource},
])

# The resource ARN split once at its colons. arn_resource is its text
# after the fifth colon (the resource part), arn_account_resource after
# the fourth (account, colon, resource part). Rules of patterns like
# arn:aws:ec2:*:*:instance/* or arn:aws:ec2:*::snapshot/* test them (with
# an indexed startswith or equality) instead of a regex on the whole ARN.
arn_parts := split(raw_resource.arn, ":")

arn_resource := concat(":", array.slice(arn_parts, 5, count(arn_parts))) if count(arn_parts) > 5

arn_account_resource := concat(":", array.slice(arn_parts, 4, count(arn_parts))) if count(arn_parts) > 4

resource_account_from_arn := arn_parts[4] if {
	count(arn_parts) >= 6
} else := caller_principal.account if {
	# Actions on "*" are evaluated in the caller's own account.
	raw_resource.arn == "*"
} else := ""

# principal is the caller's principal object (caller.rego) with what the
# request adds: for AssumeRoleWithWebIdentity / AssumeRoleWithSAML the
# identity provider, which a trust policy's Federated entry matches
# (aws:FederatedProvider, §2.5); canonicalUser, the S3 canonical id of the
# caller, when given.
principal := object.union(caller_principal, federation)

federation := object.union(
	{"federated_provider": p | lower(input.action) in {"sts:assumerolewithwebidentity", "sts:assumerolewithsaml"}; p := explicit_context["aws:federatedprovider"]},
	{"canonical_user": c | c := raw_principal.canonicalUser; is_string(c)},
)

# context: explicit keys (lower-cased, values as text) win over the
# derived ones: the caller's (caller.rego) and the resource's.
explicit_context := {lower(k): text_value(v) | some k, v in object.get(input, "context", {})}

context := object.union_n([caller_context, resource_keys, explicit_context])

text_value(v) := v if is_string(v)

text_value(v) := [scalar_text(x) | some x in v] if is_array(v)

text_value(v) := scalar_text(v) if not is_array(v)

scalar_text(v) := v if is_string(v)

scalar_text(v) := json.marshal(v) if is_number(v)

scalar_text(v) := json.marshal(v) if is_boolean(v)

resource_keys := object.union_n([
	{concat("", ["aws:resourcetag/", lower(k)]): v | some k, v in resource.tags},
	{"aws:resourceaccount": resource.account | resource.account != ""},
	resource_org_keys,
])

# input_errors lists what makes a request impossible to decide; any of
# them turns the decision into a deny that says why (fail closed).
input_errors contains "input.action must be a string like \"service:Action\"" if {
	not action_ok
}

input_errors contains "input.principal.arn is missing or not a principal ARN, a service principal or \"anonymous\"" if {
	not caller_principal
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
	not bundle_caller
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
