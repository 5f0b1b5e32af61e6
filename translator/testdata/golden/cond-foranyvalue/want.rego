package iam2rego.policies

pe3533c1270c58a200f176ed7["statements"] := 1

match contains {"effect": "Deny", "index": 0, "policy": "pe3533c1270c58a200f176ed7"} if {
	"pe3533c1270c58a200f176ed7" in input.pids
	input.action == "ec2:createtags"
	data.iam2rego.lib.cond("NumericGreaterThan", false, "ForAnyValue", false, "dynamodb:attributes", [3])
	data.iam2rego.lib.cond("StringEquals", false, "ForAnyValue", true, "aws:calledvia", ["athena.amazonaws.com"])
	data.iam2rego.lib.cond("StringLike", false, "ForAnyValue", false, "aws:principalorgpaths", ["(?s)^o-a1b2c3/r-ab12/ou-ab12-11111111/.*$"])
	data.iam2rego.lib.cond("StringEquals", true, "ForAnyValue", false, "aws:tagkeys", ["a", "b"])
}

match contains {"error": "number", "key": k, "policy": "pe3533c1270c58a200f176ed7"} if {
	"pe3533c1270c58a200f176ed7" in input.pids
	some k in ["dynamodb:attributes"]
	data.iam2rego.lib.malformed("number", object.get(input.context, k, null))
}
