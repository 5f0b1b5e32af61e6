package iam2rego.policies

p990cc47e8b57c12beb2c75e0["statements"] := 1

match contains {"effect": "Deny", "index": 0, "policy": "p990cc47e8b57c12beb2c75e0"} if {
	"p990cc47e8b57c12beb2c75e0" in input.pids
	regex.match("(?s)^[^:]*:aws:sqs:[^:]*:111111111111:.*$", object.get(input.context, "aws:sourcearn", "arn:aws:sqs::111111111111:"))
	data.iam2rego.lib.cond("DateLessThan", false, "", true, "aws:currenttime", [[1893456000, 0]])
	data.iam2rego.lib.cond("IpAddress", false, "", true, "aws:sourceip", ["10.0.0.0/8"])
	data.iam2rego.lib.cond("NumericLessThan", false, "", true, "aws:multifactorauthage", [3600])
	object.get(input.context, "aws:principaltag/team", "blue") == "blue"
	not is_array(object.get(input.context, "aws:requestedregion", null))
	not object.get(input.context, "aws:requestedregion", null) in {"eu-west-1", "us-east-1"}
}
