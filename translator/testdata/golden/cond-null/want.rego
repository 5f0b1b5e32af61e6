package iam2rego.policies

p1ee282d8687d6f2071e8ef13["statements"] := 1

match contains {"effect": "Deny", "index": 0, "policy": "p1ee282d8687d6f2071e8ef13"} if {
	"p1ee282d8687d6f2071e8ef13" in input.pids
	input.action == "ec2:runinstances"
	not "aws:requesttag/costcenter" in object.keys(input.context)
}
