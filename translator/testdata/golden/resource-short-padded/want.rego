package iam2rego.policies

paab8cdd3f614a3737851215a["statements"] := 2

match contains {"effect": "Allow", "index": 0, "policy": "paab8cdd3f614a3737851215a"} if {
	"paab8cdd3f614a3737851215a" in input.pids
	startswith(input.action, "ec2:")
	startswith(input.resource.arn, "arn:aws:ec2:us-east-1:")
	input.resource.arn_resource
}

match contains {"effect": "Allow", "index": 1, "policy": "paab8cdd3f614a3737851215a"} if {
	"paab8cdd3f614a3737851215a" in input.pids
	startswith(input.action, "s3:")
	strings.any_prefix_match(input.resource.arn, ["arn:aws:s3", "arn:aws:"])
	regex.match("(?s)^(?:arn:aws:s3[^:]*:[^:]*:[^:]*:.*|arn:aws:[^:]*:[^:]*:[^:]*:.*)$", input.resource.arn)
}
