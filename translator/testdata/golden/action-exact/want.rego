package iam2rego.policies.p31205c1765003fcb585fae20

statements := 2

allow contains {"index": 0, "sid": "ReadOne"} if input.action == "s3:getobject"

allow contains {"index": 1, "sid": "ReadSome"} if input.action in {"s3:getobject", "s3:getobjectversion"}
