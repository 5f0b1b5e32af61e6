package iam2rego.policies.p6e85858e1716fc0f69f6b8e3

statements := 3

deny contains {"index": 0} if data.iam2rego.lib.cond("Bool", false, "", false, "aws:securetransport", ["false"])

deny contains {"index": 1} if data.iam2rego.lib.cond("Bool", false, "", true, "aws:multifactorauthpresent", ["false"])

allow contains {"index": 2} if data.iam2rego.lib.cond("Bool", false, "", false, "aws:viaawsservice", ["true", "true"])
