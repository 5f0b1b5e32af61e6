package iam2rego.policies.p12f22411c8fee808cadbdb52

statements := 3

allow contains {"index": 0} if startswith(input.action, "s3:get")

allow contains {"index": 1} if input.action == "s3:getobject"

allow contains {"index": 1} if strings.any_prefix_match(input.action, ["s3:list", "ec2:describe"])

deny contains {"index": 2} if startswith(input.action, "iam:")
