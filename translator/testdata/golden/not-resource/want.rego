package iam2rego.policies

p013397f6333da62bfa34bee2["statements"] := 3

match contains {"effect": "Deny", "index": 0, "policy": "p013397f6333da62bfa34bee2", "sid": "DenyOutside"} if {
	"p013397f6333da62bfa34bee2" in input.pids
	startswith(input.action, "s3:")
	not input.resource.arn == "arn:aws:s3:::bucket"
	not startswith(input.resource.arn, "arn:aws:s3:::bucket/")
	not regex.match("(?s)^(?:arn:aws:ec2:[^:]*:[^:]*:instance/i-.)$", input.resource.arn)
}

match contains {"effect": "Allow", "index": 1, "policy": "p013397f6333da62bfa34bee2", "sid": "AllowEverythingButSecrets"} if {
	"p013397f6333da62bfa34bee2" in input.pids
	input.action == "s3:getobject"
	not input.resource.arn == "arn:aws:s3:::secrets/key"
}
