package iam2rego.policies

p68afe7729614e17da4a575e5["statements"] := 1

match contains {"effect": "Allow", "index": 0, "policy": "p68afe7729614e17da4a575e5"} if {
	"p68afe7729614e17da4a575e5" in input.pids
	input.action == "s3:getobject"
	input.resource.arn == "arn:aws:s3:::bucket/${aws:username}"
}
