package iam2rego.policies.p31205c1765003fcb585fae20

statements := 2

match contains {"effect": "Allow", "index": 0, "sid": "ReadOne"} if input.action == "s3:getobject"

match contains {"effect": "Allow", "index": 1, "sid": "ReadSome"} if input.action in {"s3:getobject", "s3:getobjectversion"}
