package iam2rego.policies

p5aab51b3f942be3f91761c96["statements"] := 1

match contains {"effect": "Allow", "index": 0, "policy": "p5aab51b3f942be3f91761c96"} if {
	"p5aab51b3f942be3f91761c96" in input.pids
	input.action == "s3:getobject"
	data.iam2rego.lib.cond("DateEquals", false, "", false, "aws:epochtime", [[1735689600, 0]])
	data.iam2rego.lib.cond("DateGreaterThan", false, "", false, "aws:currenttime", [[1577836800, 0]])
	data.iam2rego.lib.cond("DateGreaterThanEquals", false, "", false, "aws:epochtime", [[1700000000, 0]])
	data.iam2rego.lib.cond("DateLessThan", false, "", false, "aws:currenttime", [[1893456000, 0]])
	data.iam2rego.lib.cond("DateLessThanEquals", false, "", false, "aws:currenttime", [[1748736000, 0], [1751241600, 0], [1751327999, 500000000]])
	data.iam2rego.lib.cond("DateEquals", true, "", false, "aws:tokenissuetime", [[1717236000, 0]])
}
