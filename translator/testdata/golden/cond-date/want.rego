package iam2rego.policies.p5aab51b3f942be3f91761c96

statements := 1

allow contains {"index": 0} if {
	input.action == "s3:getobject"
	data.iam2rego.lib.cond("DateEquals", false, "", false, "aws:epochtime", [1735689600000000000])
	data.iam2rego.lib.cond("DateGreaterThan", false, "", false, "aws:currenttime", [1577836800000000000])
	data.iam2rego.lib.cond("DateGreaterThanEquals", false, "", false, "aws:epochtime", [1700000000000000000])
	data.iam2rego.lib.cond("DateLessThan", false, "", false, "aws:currenttime", [1893456000000000000])
	data.iam2rego.lib.cond("DateLessThanEquals", false, "", false, "aws:currenttime", [1748736000000000000, 1751241600000000000, 1751327999500000000])
	data.iam2rego.lib.cond("DateEquals", true, "", false, "aws:tokenissuetime", [1717236000000000000])
}
