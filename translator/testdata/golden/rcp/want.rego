package iam2rego.policies

pa33b3a8132b1a12573403950["statements"] := 3

match contains {"effect": "Allow", "index": 0, "kind": kind, "policy": "pa33b3a8132b1a12573403950", "sid": "RCPFullAWSAccess"} if {
	"pa33b3a8132b1a12573403950" in input.pids
	kind := data.iam2rego.lib.principal_kind({"accounts": [], "arns": [], "canonical": [], "federated": [], "roles": [], "services": [], "wildcard": true})
}

match contains {"effect": "Deny", "index": 1, "policy": "pa33b3a8132b1a12573403950", "sid": "EnforceOrgIdentities"} if {
	"pa33b3a8132b1a12573403950" in input.pids
	strings.any_prefix_match(input.action, ["s3:", "sqs:"])
	data.iam2rego.lib.principal_kind({"accounts": [], "arns": [], "canonical": [], "federated": [], "roles": [], "services": [], "wildcard": true})
	lower(object.get(input.context, "aws:principalisawsservice", "false")) == "false"
	not is_array(object.get(input.context, "aws:principalorgid", null))
	not object.get(input.context, "aws:principalorgid", null) == "o-a1b2c3d4e5"
}

match contains {"effect": "Deny", "index": 2, "policy": "pa33b3a8132b1a12573403950", "sid": "EnforceTls"} if {
	"pa33b3a8132b1a12573403950" in input.pids
	startswith(input.action, "s3:")
	data.iam2rego.lib.principal_kind({"accounts": [], "arns": [], "canonical": [], "federated": [], "roles": [], "services": [], "wildcard": true})
	lower(object.get(input.context, "aws:securetransport", null)) == "false"
}
