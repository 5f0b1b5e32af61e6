package iam2rego.policies

p31205c1765003fcb585fae20["statements"] := 2

match contains {"effect": "Allow", "index": 0, "policy": "p31205c1765003fcb585fae20", "sid": "ReadOne"} if {
	"p31205c1765003fcb585fae20" in input.pids
	input.action == "s3:getobject"
}

match contains {"effect": "Allow", "index": 1, "policy": "p31205c1765003fcb585fae20", "sid": "ReadSome"} if {
	"p31205c1765003fcb585fae20" in input.pids
	input.action in {"s3:getobject", "s3:getobjectversion"}
}
