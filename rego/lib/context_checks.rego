# Malformed request context (README, "Malformed context values"). In AWS
# the request context is built by AWS; here a caller builds it, so a value
# AWS could never send is an input error and the request is denied with a
# message that names the key and its JSON pointer. Otherwise a list on a
# single-valued key, or a value that does not parse for the operator that
# tests it, would switch a Deny's negated condition off.
#
# Two layers: the keys whose shape is known without the policies (the
# global keys below) are checked here, in input_errors; the keys the
# request's policies test are checked by rules the translator generates
# into data.iam2rego.policies.match ({"policy", "error", "key"} elements,
# guarded by the policy id like the statements), which context_errors
# turns into messages.
package iam2rego.lib

# global_key_types: the global condition keys (translator/catalog's global
# list, lower-cased) with their catalogue type; TestGlobalKeyTypes keeps
# the two equal. Tag keys (aws:PrincipalTag/<k>, ...) are single-valued
# strings.
global_key_types := {
	"aws:assumedroot": "Bool",
	"aws:calledvia": "ArrayOfString",
	"aws:calledviaawsmcp": "String",
	"aws:calledviafirst": "String",
	"aws:calledvialast": "String",
	"aws:chatbotsourcearn": "ARN",
	"aws:currenttime": "Date",
	"aws:ec2instancesourceprivateipv4": "IPAddress",
	"aws:ec2instancesourcevpc": "String",
	"aws:epochtime": "Date",
	"aws:federatedprovider": "String",
	"aws:ismcpserviceaction": "Bool",
	"aws:multifactorauthage": "Numeric",
	"aws:multifactorauthpresent": "Bool",
	"aws:principalaccount": "String",
	"aws:principalarn": "ARN",
	"aws:principalisawsservice": "Bool",
	"aws:principalorgid": "String",
	"aws:principalorgpaths": "ArrayOfString",
	"aws:principalservicename": "String",
	"aws:principalservicenameslist": "ArrayOfString",
	"aws:principaltype": "String",
	"aws:referer": "String",
	"aws:requestedregion": "String",
	"aws:resourceaccount": "String",
	"aws:resourceorgid": "String",
	"aws:resourceorgpaths": "ArrayOfString",
	"aws:securetransport": "Bool",
	"aws:sourceaccount": "String",
	"aws:sourcearn": "ARN",
	"aws:sourceidentity": "String",
	"aws:sourceip": "IPAddress",
	"aws:sourceorgid": "String",
	"aws:sourceorgpaths": "ArrayOfString",
	"aws:sourceowner": "String",
	"aws:sourcevpc": "String",
	"aws:sourcevpcarn": "String",
	"aws:sourcevpce": "String",
	"aws:tagkeys": "ArrayOfString",
	"aws:tokenissuetime": "Date",
	"aws:useragent": "String",
	"aws:userid": "String",
	"aws:username": "String",
	"aws:viaawsmcpservice": "Bool",
	"aws:viaawsservice": "Bool",
	"aws:vpceaccount": "String",
	"aws:vpceorgid": "String",
	"aws:vpceorgpaths": "ArrayOfString",
	"aws:vpcsourceip": "IPAddress",
}

# The value kinds a check reads, by catalogue type.
type_kinds := {"Bool": "bool", "Numeric": "number", "Date": "date", "IPAddress": "ip"}

tag_key_prefixes := ["aws:principaltag/", "aws:resourcetag/", "aws:requesttag/"]

input_errors contains context_error_message(k, problem) if {
	some k, v in object.get(input, "context", {})
	problem := context_value_problem(lower(k), v)
}

# context_value_problem says what is wrong with a caller's context value,
# judged by the key alone; undefined when nothing is.
context_value_problem(key, v) := kind_problems.shape if {
	not context_value_shape(v)
} else := kind_problems.list if {
	is_array(v)
	single_valued_global(key)
} else := kind_problems.scalar if {
	is_string(text_value(v))
	startswith(global_key_types[key], "ArrayOf")
} else := kind_problems[kind] if {
	kind := type_kinds[global_key_types[key]]
	malformed(kind, text_value(v))
}

single_valued_global(key) if {
	t := global_key_types[key]
	not startswith(t, "ArrayOf")
}

single_valued_global(key) if strings.any_prefix_match(key, tag_key_prefixes)

# A value is text, a number, a boolean, null (an absent key) or a list of
# text, numbers and booleans.
context_value_shape(v) if scalar_text(v)

context_value_shape(v) if is_null(v)

context_value_shape(v) if {
	is_array(v)
	every x in v {
		scalar_text(x)
	}
}

kind_problems := {
	"shape": "must be a string, a number, a boolean or a list of them",
	"list": "is a list, but the key is single-valued",
	"scalar": "is not a list, but the key is multivalued",
	"number": "is not a number",
	"date": "is not a date (ISO 8601 or epoch seconds)",
	"ip": "is not an IP address",
	"bool": "is not \"true\" or \"false\"",
}

# malformed(kind, v) holds when the normalised value v (text or a list of
# text) has the wrong shape for kind: a list where the key is single-valued,
# text where it is multivalued, or text an operator cannot read.
malformed("list", v) if is_array(v)

malformed("scalar", v) if is_string(v)

malformed(kind, v) if {
	kind in {"number", "date", "ip", "bool"}
	some x in as_list(v)
	not parses(kind, x)
}

parses("number", x) if decimal(x)

parses("date", x) if date_ns(x)

parses("ip", x) if net.cidr_contains("0.0.0.0/0", x)

parses("ip", x) if net.cidr_contains("::/0", x)

parses("bool", x) if lower(x) in {"true", "false"}

# context_error_message names the key as the caller wrote it and its JSON
# pointer (RFC 6901: "~" is "~0", "/" is "~1").
context_error_message(k, problem) := sprintf("context value %s at /context/%s %s", [k, replace(replace(k, "~", "~0"), "/", "~1"), problem])

# context_errors: what the generated checks found wrong with the caller's
# values of the keys the request's policies test. Keys the caller did not
# send (derived from the principal, tags or the bundle) are not checked.
# (object.get: without check rules in any policy, the type checker knows
# match elements only as statements, and would reject m.error.)
context_errors contains context_error_message(k, kind_problems[kind]) if {
	some m in matched
	kind := object.get(m, "error", "")
	some k, _ in object.get(input, "context", {})
	lower(k) == object.get(m, "key", "")
}

# Tag values given with the request become aws:PrincipalTag/<k> and
# aws:ResourceTag/<k>: text only (the Go Request types them so).
input_errors contains sprintf("tag value %v at /%s/tags/%s must be a string", [k, field, replace(replace(sprintf("%v", [k]), "~", "~0"), "/", "~1")]) if {
	some field, obj in {"principal": raw_principal, "resource": raw_resource}
	some k, v in object.get(obj, "tags", {})
	not is_string(v)
}

# context_value_limit: the longest context value (text, or each member of
# a list), in characters. A bundle built with --max-context-value-length
# sets data.iam2rego.limits.context_value_chars; in-process engines take
# it from rego.WithData. Matching costs time linear in a value's length,
# so the limit bounds what one request can cost.
context_value_limit := n if {
	n := data.iam2rego.limits.context_value_chars
	is_number(n)
} else := 65536

input_errors contains context_error_message(k, sprintf("is longer than %d characters", [context_value_limit])) if {
	some k, v in object.get(input, "context", {})
	some x in as_list(text_value(v))
	count(x) > context_value_limit
}

input_errors contains "input.context must be an object" if {
	c := input.context
	not is_object(c)
	not is_null(c)
}
