package iam2rego.policies

p21a39be5e15b823d05865cbd["statements"] := 4

match contains {"effect": "Allow", "index": 0, "kind": kind, "policy": "p21a39be5e15b823d05865cbd", "sid": "Ec2"} if {
	"p21a39be5e15b823d05865cbd" in input.pids
	input.action == "sts:assumerole"
	kind := data.iam2rego.lib.principal_kind({"accounts": [], "arns": [], "canonical": [], "federated": [], "roles": [], "services": ["ec2.amazonaws.com"], "wildcard": false})
}

match contains {"effect": "Allow", "index": 1, "kind": kind, "policy": "p21a39be5e15b823d05865cbd", "sid": "CrossAccount"} if {
	"p21a39be5e15b823d05865cbd" in input.pids
	input.action in {"sts:assumerole", "sts:tagsession"}
	kind := data.iam2rego.lib.principal_kind({"accounts": [], "arns": ["arn:aws:iam::222222222222:role/deployer"], "canonical": [], "federated": [], "roles": ["aws:222222222222:deployer"], "services": [], "wildcard": false})
	object.get(input.context, "sts:externalid", null) == "abc123"
}

match contains {"effect": "Allow", "index": 2, "kind": kind, "policy": "p21a39be5e15b823d05865cbd", "sid": "Github"} if {
	"p21a39be5e15b823d05865cbd" in input.pids
	input.action == "sts:assumerolewithwebidentity"
	kind := data.iam2rego.lib.principal_kind({"accounts": [], "arns": [], "canonical": [], "federated": ["arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"], "roles": [], "services": [], "wildcard": false})
	object.get(input.context, "token.actions.githubusercontent.com:aud", null) == "sts.amazonaws.com"
	regex.match("(?s)^repo:org/repo:.*$", object.get(input.context, "token.actions.githubusercontent.com:sub", null))
}

match contains {"effect": "Deny", "index": 3, "policy": "p21a39be5e15b823d05865cbd", "sid": "NoOthers"} if {
	"p21a39be5e15b823d05865cbd" in input.pids
	startswith(input.action, "sts:")
	data.iam2rego.lib.principal_kind({"accounts": ["*:444444444444"], "arns": [], "canonical": [], "federated": [], "roles": [], "services": [], "wildcard": false})
}

match contains {"error": "list", "key": k, "policy": "p21a39be5e15b823d05865cbd"} if {
	"p21a39be5e15b823d05865cbd" in input.pids
	some k in ["sts:externalid", "token.actions.githubusercontent.com:aud", "token.actions.githubusercontent.com:sub"]
	is_array(object.get(input.context, k, null))
}
