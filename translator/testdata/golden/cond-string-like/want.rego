package iam2rego.policies.p84612401c22a773c25513045

statements := 1

match contains {"effect": "Deny", "index": 0} if {
	input.action == "s3:putobject"
	data.iam2rego.lib.cond("StringLike", false, "", false, "s3:prefix", ["(?s)^home/.*$", "(?s)^a\\.b\\[c\\]\\{d\\}\\\\e\\+.$", "(?s)^x$"])
	data.iam2rego.lib.cond("StringLike", true, "", false, "aws:userid", ["(?s)^AIDA.*:.*$"])
}
