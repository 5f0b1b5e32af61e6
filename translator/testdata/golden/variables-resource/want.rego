package iam2rego.policies

pc82ca5dae72e4f9e45b2e96f["statements"] := 4

match contains {"effect": "Allow", "index": 0, "policy": "pc82ca5dae72e4f9e45b2e96f"} if {
	"pc82ca5dae72e4f9e45b2e96f" in input.pids
	input.action == "s3:getobject"
	startswith(input.resource.arn, "arn:aws:s3:::bucket/home/")
	data.iam2rego.lib.template_match(["(?s)^", "arn:aws:s3:::bucket/home/", {"var": "aws:username"}, "/.*", "$"], input.resource.arn)
}

match contains {"effect": "Allow", "index": 1, "policy": "pc82ca5dae72e4f9e45b2e96f"} if {
	"pc82ca5dae72e4f9e45b2e96f" in input.pids
	input.action == "s3:putobject"
	startswith(input.resource.arn, "arn:aws:s3:::bucket/")
	data.iam2rego.lib.template_match(["(?s)^", "arn:aws:s3:::bucket/", {"default": "none", "var": "aws:principaltag/team"}, "/", {"var": "aws:userid"}, "$"], input.resource.arn)
}

match contains {"effect": "Allow", "index": 2, "policy": "pc82ca5dae72e4f9e45b2e96f"} if {
	"pc82ca5dae72e4f9e45b2e96f" in input.pids
	input.action == "s3:listbucket"
	input.resource.arn == "arn:aws:s3:::bucket/literal*star?q$dollar"
}

match contains {"effect": "Allow", "index": 2, "policy": "pc82ca5dae72e4f9e45b2e96f"} if {
	"pc82ca5dae72e4f9e45b2e96f" in input.pids
	input.action == "s3:listbucket"
	startswith(input.resource.arn, "arn:aws:s3:::bucket/*/")
}

match contains {"effect": "Allow", "index": 3, "policy": "pc82ca5dae72e4f9e45b2e96f"} if {
	"pc82ca5dae72e4f9e45b2e96f" in input.pids
	input.action == "ec2:startinstances"
	startswith(input.resource.arn, "arn:aws:ec2:${aws:RequestedRegion}:111111111111:instance/")
}
