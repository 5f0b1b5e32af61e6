package iam2rego.policies

p7641259eea83a5ce3cd9d3cb["statements"] := 1

match contains {"effect": "Allow", "index": 0, "policy": "p7641259eea83a5ce3cd9d3cb"} if {
	"p7641259eea83a5ce3cd9d3cb" in input.pids
	input.action == "s3:getobject"
	startswith(input.resource.arn, "arn:aws:s3:::bucket/${aws:username}/")
	object.get(input.context, "s3:prefix", null) == "${aws:username}"
	regex.match("(?s)^\\$\\{.*\\}x$", object.get(input.context, "s3:delimiter", null))
}

match contains {"error": "list", "key": k, "policy": "p7641259eea83a5ce3cd9d3cb"} if {
	"p7641259eea83a5ce3cd9d3cb" in input.pids
	some k in ["s3:delimiter", "s3:prefix"]
	is_array(object.get(input.context, k, null))
}
