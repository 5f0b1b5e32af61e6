package iam2rego.policies

p99edafd43346a317296ddf54["statements"] := 2

match contains {"effect": "Allow", "index": 1, "policy": "p99edafd43346a317296ddf54"} if {
	"p99edafd43346a317296ddf54" in input.pids
	input.action == "s3:putobject"
	startswith(input.resource.arn, "arn:aws:s3:::bucket/")
}
