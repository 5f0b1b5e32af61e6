package iam2rego.policies

p8dd742621b4657ca40201098["statements"] := 6

match contains {"effect": "Allow", "index": 0, "kind": kind, "policy": "p8dd742621b4657ca40201098", "sid": "Public read: anyone"} if {
	"p8dd742621b4657ca40201098" in input.pids
	input.action == "s3:getobject"
	startswith(input.resource.arn, "arn:aws:s3:::bucket/public/")
	kind := data.iam2rego.lib.principal_kind({"accounts": [], "arns": [], "canonical": [], "federated": [], "roles": [], "services": [], "wildcard": true})
}

match contains {"effect": "Allow", "index": 1, "kind": kind, "policy": "p8dd742621b4657ca40201098", "sid": "Accounts"} if {
	"p8dd742621b4657ca40201098" in input.pids
	input.action == "s3:listbucket"
	input.resource.arn == "arn:aws:s3:::bucket"
	kind := data.iam2rego.lib.principal_kind({"accounts": ["*:111111111111", "aws:222222222222"], "arns": [], "canonical": [], "federated": [], "roles": [], "services": [], "wildcard": true})
}

match contains {"effect": "Allow", "index": 2, "kind": kind, "policy": "p8dd742621b4657ca40201098", "sid": "Entities"} if {
	"p8dd742621b4657ca40201098" in input.pids
	input.action == "s3:getobject"
	kind := data.iam2rego.lib.principal_kind({"accounts": [], "arns": ["arn:aws:iam::111111111111:role/path/Reader", "arn:aws:iam::111111111111:user/alice", "arn:aws:sts::111111111111:assumed-role/Reader/s1", "arn:aws:sts::111111111111:federated-user/bob", "AROAEXAMPLEEXAMPLE12"], "canonical": [], "federated": [], "roles": ["aws:111111111111:reader"], "services": [], "wildcard": false})
}

match contains {"effect": "Allow", "index": 3, "kind": kind, "policy": "p8dd742621b4657ca40201098", "sid": "Others"} if {
	"p8dd742621b4657ca40201098" in input.pids
	input.action == "s3:putobject"
	startswith(input.resource.arn, "arn:aws:s3:::bucket/logs/")
	kind := data.iam2rego.lib.principal_kind({"accounts": [], "arns": [], "canonical": ["79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"], "federated": ["accounts.google.com"], "roles": [], "services": ["cloudtrail.amazonaws.com", "logs.amazonaws.com"], "wildcard": false})
}

match contains {"effect": "Deny", "index": 4, "policy": "p8dd742621b4657ca40201098", "sid": "Everyone but admin"} if {
	"p8dd742621b4657ca40201098" in input.pids
	input.action == "s3:deleteobject"
	startswith(input.resource.arn, "arn:aws:s3:::bucket/")
	data.iam2rego.lib.not_principal_applies({"accounts": ["*:111111111111"], "arns": ["arn:aws:iam::111111111111:user/admin"], "canonical": [], "federated": [], "roles": [], "services": [], "wildcard": false})
}

match contains {"effect": "Deny", "index": 5, "policy": "p8dd742621b4657ca40201098", "sid": "Deny principal"} if {
	"p8dd742621b4657ca40201098" in input.pids
	startswith(input.action, "s3:")
	startswith(input.resource.arn, "arn:aws:s3:::bucket/")
	data.iam2rego.lib.principal_kind({"accounts": ["aws:333333333333"], "arns": [], "canonical": [], "federated": [], "roles": [], "services": [], "wildcard": false})
}
