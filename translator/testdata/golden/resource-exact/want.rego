package iam2rego.policies

p47bfecc9a041253903a2e9cd["statements"] := 2

match contains {"effect": "Allow", "index": 0, "policy": "p47bfecc9a041253903a2e9cd"} if {
	"p47bfecc9a041253903a2e9cd" in input.pids
	input.action == "s3:getobject"
	input.resource.arn == "arn:aws:s3:::bucket/key.txt"
}

match contains {"effect": "Allow", "index": 1, "policy": "p47bfecc9a041253903a2e9cd"} if {
	"p47bfecc9a041253903a2e9cd" in input.pids
	input.action == "s3:getobject"
	input.resource.arn in {"arn:aws:s3:::bucket/a", "arn:aws:s3:::bucket/b"}
}
