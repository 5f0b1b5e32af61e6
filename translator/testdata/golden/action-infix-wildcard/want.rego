package iam2rego.policies.pd7888dde2d58edd622a93d01

statements := 3

match contains {"effect": "Allow", "index": 0} if {
	strings.any_prefix_match(input.action, ["s3:", "iam:", "ec2:describe"])
	regex.match("(?s)^(?:s3:.*object|iam:.etuser|ec2:describe.*attribute)$", input.action)
}

match contains {"effect": "Allow", "index": 1} if startswith(input.action, "s3:get")

match contains {"effect": "Allow", "index": 1} if {
	startswith(input.action, "s3:get")
	regex.match("(?s)^(?:s3:get.*tagging)$", input.action)
}

match contains {"effect": "Allow", "index": 2}
