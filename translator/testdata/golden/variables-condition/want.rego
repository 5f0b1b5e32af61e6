package iam2rego.policies

pe9cad28a1b6c8b1d6225d488["statements"] := 1

match contains {"effect": "Allow", "index": 0, "policy": "pe9cad28a1b6c8b1d6225d488"} if {
	"pe9cad28a1b6c8b1d6225d488" in input.pids
	input.action == "s3:listbucket"
	input.resource.arn == "arn:aws:s3:::bucket"
	data.iam2rego.lib.cond("ArnLike", false, "", false, "aws:sourcearn", [{"re": true, "t": ["(?s)^", "[^:]*:aws:sns:us-east-1:111111111111:", {"var": "aws:username"}, "-.*", "$"]}])
	data.iam2rego.lib.cond("Bool", false, "", false, "aws:securetransport", [{"re": false, "t": [{"default": "TRUE", "var": "aws:principaltag/secure"}]}])
	data.iam2rego.lib.cond("StringEquals", false, "", false, "s3:prefix", [{"re": false, "t": ["home/", {"var": "aws:username"}]}, "shared"])
	data.iam2rego.lib.cond("StringLike", false, "", false, "aws:userid", [{"re": true, "t": ["(?s)^", "AIDA", "\\*", "\\?", ".*", "$"]}])
	data.iam2rego.lib.cond("StringLike", false, "", false, "s3:delimiter", [{"re": true, "t": ["(?s)^", {"default": "none", "var": "aws:principaltag/team"}, "/.*", "$"]}])
	data.iam2rego.lib.cond("StringEquals", true, "", false, "aws:principaltag/owner", [{"re": false, "t": [{"var": "aws:username"}]}])
}

match contains {"error": "list", "key": k, "policy": "pe9cad28a1b6c8b1d6225d488"} if {
	"pe9cad28a1b6c8b1d6225d488" in input.pids
	some k in ["s3:delimiter", "s3:prefix"]
	is_array(object.get(input.context, k, null))
}
