package iam2rego.policies

p12f22411c8fee808cadbdb52["statements"] := 3

match contains {"effect": "Allow", "index": 0, "policy": "p12f22411c8fee808cadbdb52"} if {
	"p12f22411c8fee808cadbdb52" in input.pids
	startswith(input.action, "s3:get")
}

match contains {"effect": "Allow", "index": 1, "policy": "p12f22411c8fee808cadbdb52"} if {
	"p12f22411c8fee808cadbdb52" in input.pids
	input.action == "s3:getobject"
}

match contains {"effect": "Allow", "index": 1, "policy": "p12f22411c8fee808cadbdb52"} if {
	"p12f22411c8fee808cadbdb52" in input.pids
	strings.any_prefix_match(input.action, ["s3:list", "ec2:describe"])
}

match contains {"effect": "Deny", "index": 2, "policy": "p12f22411c8fee808cadbdb52"} if {
	"p12f22411c8fee808cadbdb52" in input.pids
	startswith(input.action, "iam:")
}
