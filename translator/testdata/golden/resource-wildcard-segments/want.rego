package iam2rego.policies

p72df603deddd823b86786ed8["statements"] := 3

match contains {"effect": "Allow", "index": 0, "policy": "p72df603deddd823b86786ed8"} if {
	"p72df603deddd823b86786ed8" in input.pids
	input.action == "ec2:startinstances"
	startswith(input.resource.arn, "arn:aws:ec2:")
	startswith(input.resource.arn_account_resource, "111111111111:instance/")
}

match contains {"effect": "Allow", "index": 1, "policy": "p72df603deddd823b86786ed8"} if {
	"p72df603deddd823b86786ed8" in input.pids
	input.action == "ec2:attachvolume"
	strings.any_prefix_match(input.resource.arn, ["arn:aws:ec2:us-east-1:", "arn:aws:s3:::bucket/"])
	regex.match("(?s)^(?:arn:aws:ec2:us-east-1:[^:]*:volume/vol-.|arn:aws:s3:::bucket/.*/test/.*)$", input.resource.arn)
}

match contains {"effect": "Allow", "index": 2, "policy": "p72df603deddd823b86786ed8"} if {
	"p72df603deddd823b86786ed8" in input.pids
	input.action == "s3:getobject"
	startswith(input.resource.arn, "arn:aws:s3:::[b]{u}.c\\k+t(1)/")
}
