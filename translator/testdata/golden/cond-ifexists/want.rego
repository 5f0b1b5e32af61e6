package iam2rego.policies.p990cc47e8b57c12beb2c75e0

statements := 1

match contains {"effect": "Deny", "index": 0} if {
	data.iam2rego.lib.cond("ArnLike", false, "", true, "aws:sourcearn", ["(?s)^[^:]*:aws:sqs:[^:]*:111111111111:.*$"])
	data.iam2rego.lib.cond("DateLessThan", false, "", true, "aws:currenttime", [[1893456000, 0]])
	data.iam2rego.lib.cond("IpAddress", false, "", true, "aws:sourceip", ["10.0.0.0/8"])
	data.iam2rego.lib.cond("NumericLessThan", false, "", true, "aws:multifactorauthage", [3600])
	data.iam2rego.lib.cond("StringEquals", false, "", true, "aws:principaltag/team", ["blue"])
	data.iam2rego.lib.cond("StringEquals", true, "", true, "aws:requestedregion", ["us-east-1", "eu-west-1"])
}
