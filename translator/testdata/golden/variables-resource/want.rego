package iam2rego.policies.pc82ca5dae72e4f9e45b2e96f

statements := 4

match contains {"effect": "Allow", "index": 0} if {
	input.action == "s3:getobject"
	startswith(input.resource.arn, "arn:aws:s3:::bucket/home/")
	data.iam2rego.lib.template_match(["(?s)^", "arn:aws:s3:::bucket/home/", {"var": "aws:username"}, "/.*", "$"], input.resource.arn)
}

match contains {"effect": "Allow", "index": 1} if {
	input.action == "s3:putobject"
	startswith(input.resource.arn, "arn:aws:s3:::bucket/")
	data.iam2rego.lib.template_match(["(?s)^", "arn:aws:s3:::bucket/", {"default": "none", "var": "aws:principaltag/team"}, "/", {"var": "aws:userid"}, "$"], input.resource.arn)
}

match contains {"effect": "Allow", "index": 2} if {
	input.action == "s3:listbucket"
	input.resource.arn == "arn:aws:s3:::bucket/literal*star?q$dollar"
}

match contains {"effect": "Allow", "index": 2} if {
	input.action == "s3:listbucket"
	startswith(input.resource.arn, "arn:aws:s3:::bucket/*/")
}

match contains {"effect": "Allow", "index": 3} if {
	input.action == "ec2:startinstances"
	startswith(input.resource.arn, "arn:aws:ec2:${aws:RequestedRegion}:111111111111:instance/")
}
