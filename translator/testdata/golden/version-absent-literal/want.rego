package iam2rego.policies.p68afe7729614e17da4a575e5

statements := 1

match contains {"effect": "Allow", "index": 0} if {
	input.action == "s3:getobject"
	input.resource.arn == "arn:aws:s3:::bucket/${aws:username}"
}
