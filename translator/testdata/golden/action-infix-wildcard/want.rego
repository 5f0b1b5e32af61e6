package iam2rego.policies

pd7888dde2d58edd622a93d01["statements"] := 3

match contains {"effect": "Allow", "index": 0, "policy": "pd7888dde2d58edd622a93d01"} if {
	"pd7888dde2d58edd622a93d01" in input.pids
	strings.any_prefix_match(input.action, ["s3:", "iam:", "ec2:describe"])
	regex.match("(?s)^(?:s3:.*object|iam:.etuser|ec2:describe.*attribute)$", input.action)
}

match contains {"effect": "Allow", "index": 1, "policy": "pd7888dde2d58edd622a93d01"} if {
	"pd7888dde2d58edd622a93d01" in input.pids
	startswith(input.action, "s3:get")
}

match contains {"effect": "Allow", "index": 1, "policy": "pd7888dde2d58edd622a93d01"} if {
	"pd7888dde2d58edd622a93d01" in input.pids
	startswith(input.action, "s3:get")
	regex.match("(?s)^(?:s3:get.*tagging)$", input.action)
}

match contains {"effect": "Allow", "index": 2, "policy": "pd7888dde2d58edd622a93d01"} if "pd7888dde2d58edd622a93d01" in input.pids
