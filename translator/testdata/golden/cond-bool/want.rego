package iam2rego.policies

p6e85858e1716fc0f69f6b8e3["statements"] := 3

match contains {"effect": "Deny", "index": 0, "policy": "p6e85858e1716fc0f69f6b8e3"} if {
	"p6e85858e1716fc0f69f6b8e3" in input.pids
	lower(object.get(input.context, "aws:securetransport", null)) == "false"
}

match contains {"effect": "Deny", "index": 1, "policy": "p6e85858e1716fc0f69f6b8e3"} if {
	"p6e85858e1716fc0f69f6b8e3" in input.pids
	lower(object.get(input.context, "aws:multifactorauthpresent", "false")) == "false"
}

match contains {"effect": "Allow", "index": 2, "policy": "p6e85858e1716fc0f69f6b8e3"} if {
	"p6e85858e1716fc0f69f6b8e3" in input.pids
	lower(object.get(input.context, "aws:viaawsservice", null)) == "true"
}
