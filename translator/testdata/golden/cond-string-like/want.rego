package iam2rego.policies

p84612401c22a773c25513045["statements"] := 1

match contains {"effect": "Deny", "index": 0, "policy": "p84612401c22a773c25513045"} if {
	"p84612401c22a773c25513045" in input.pids
	input.action == "s3:putobject"
	regex.match("(?s)^(?:home/.*|a\\.b\\[c\\]\\{d\\}\\\\e\\+.|x)$", object.get(input.context, "s3:prefix", null))
	not is_array(object.get(input.context, "aws:userid", null))
	not regex.match("(?s)^AIDA.*:.*$", object.get(input.context, "aws:userid", null))
}

match contains {"error": "list", "key": k, "policy": "p84612401c22a773c25513045"} if {
	"p84612401c22a773c25513045" in input.pids
	some k in ["s3:prefix"]
	is_array(object.get(input.context, k, null))
}
