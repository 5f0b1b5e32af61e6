package iam2rego.policies

pa3c94b915a9f5125c30e9ec1["statements"] := 1

match contains {"effect": "Allow", "index": 0, "policy": "pa3c94b915a9f5125c30e9ec1"} if {
	"pa3c94b915a9f5125c30e9ec1" in input.pids
	input.action == "s3:listbucket"
	data.iam2rego.lib.cond("NumericEquals", false, "", false, "s3:max-keys", [10])
	data.iam2rego.lib.cond("NumericGreaterThan", false, "", false, "ec2:volumesize", [1.5])
	data.iam2rego.lib.cond("NumericGreaterThanEquals", false, "", false, "ec2:iops", [-3, 0.5, 7])
	data.iam2rego.lib.cond("NumericLessThan", false, "", false, "s3:signatureage", [600000])
	data.iam2rego.lib.cond("NumericLessThanEquals", false, "", false, "aws:multifactorauthage", [3600])
	data.iam2rego.lib.cond("NumericEquals", true, "", false, "ec2:volumethroughput", [125])
}

match contains {"error": "list", "key": k, "policy": "pa3c94b915a9f5125c30e9ec1"} if {
	"pa3c94b915a9f5125c30e9ec1" in input.pids
	some k in ["ec2:iops", "ec2:volumesize", "ec2:volumethroughput", "s3:max-keys", "s3:signatureage"]
	is_array(object.get(input.context, k, null))
}

match contains {"error": "number", "key": k, "policy": "pa3c94b915a9f5125c30e9ec1"} if {
	"pa3c94b915a9f5125c30e9ec1" in input.pids
	some k in ["ec2:iops", "ec2:volumesize", "ec2:volumethroughput", "s3:max-keys", "s3:signatureage"]
	data.iam2rego.lib.malformed("number", object.get(input.context, k, null))
}
