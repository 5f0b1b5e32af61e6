package iam2rego.policies

p2fddc5c8e0d2e428ad27ecf7["statements"] := 1

match contains {"effect": "Allow", "index": 0, "policy": "p2fddc5c8e0d2e428ad27ecf7"} if {
	"p2fddc5c8e0d2e428ad27ecf7" in input.pids
	input.action == "ec2:createtags"
	data.iam2rego.lib.cond("StringEquals", false, "ForAllValues", false, "aws:tagkeys", ["env", "team"])
	data.iam2rego.lib.cond("StringLike", false, "ForAllValues", true, "aws:principalorgpaths", ["(?s)^o-a1b2c3/r-ab12/.*$"])
	data.iam2rego.lib.cond("StringLike", true, "ForAllValues", false, "aws:tagkeys", ["(?s)^key1.*$"])
}
