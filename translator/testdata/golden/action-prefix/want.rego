package iam2rego.policies.p12f22411c8fee808cadbdb52

statements := 3

match contains {"effect": "Allow", "index": 0} if startswith(input.action, "s3:get")

match contains {"effect": "Allow", "index": 1} if input.action == "s3:getobject"

match contains {"effect": "Allow", "index": 1} if strings.any_prefix_match(input.action, ["s3:list", "ec2:describe"])

match contains {"effect": "Deny", "index": 2} if startswith(input.action, "iam:")
