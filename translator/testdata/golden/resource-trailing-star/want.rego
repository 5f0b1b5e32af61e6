package iam2rego.policies

p23ed30e5a4e08adc5f1dbd14["statements"] := 2

match contains {"effect": "Allow", "index": 0, "policy": "p23ed30e5a4e08adc5f1dbd14"} if {
	"p23ed30e5a4e08adc5f1dbd14" in input.pids
	input.action == "s3:getobject"
	startswith(input.resource.arn, "arn:aws:s3:::bucket/")
}

match contains {"effect": "Allow", "index": 1, "policy": "p23ed30e5a4e08adc5f1dbd14"} if {
	"p23ed30e5a4e08adc5f1dbd14" in input.pids
	input.action == "s3:getobject"
	input.resource.arn == "arn:aws:s3:::bucket"
}

match contains {"effect": "Allow", "index": 1, "policy": "p23ed30e5a4e08adc5f1dbd14"} if {
	"p23ed30e5a4e08adc5f1dbd14" in input.pids
	input.action == "s3:getobject"
	strings.any_prefix_match(input.resource.arn, ["arn:aws:s3:::bucket/home/", "arn:aws:s3:::other/"])
}
