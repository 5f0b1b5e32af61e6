package iam2rego.policies

p448fdd3ba460a9cbe3d8207e["statements"] := 1

match contains {"effect": "Deny", "index": 0, "policy": "p448fdd3ba460a9cbe3d8207e", "sid": "LongPatternsUseTheLinearMatcher"} if {
	"p448fdd3ba460a9cbe3d8207e" in input.pids
	input.action == "s3:listbucket"
	not is_array(object.get(input.context, "s3:prefix", null))
	not data.iam2rego.policies.p448fdd3ba460a9cbe3d8207e.like_0(object.get(input.context, "s3:prefix", null))
}

p448fdd3ba460a9cbe3d8207e["like_0"](x) if {
	is_string(x)
	startswith(x, "projects/")
	r1 := trim_prefix(x, "projects/")
	m2 := regex.find_n("(?s)^.*?/reports/2026-..-../.*?/final-.*?-approved-by-.*?-and-.*?-signed-", r1, 1)[0]
	r2 := trim_prefix(r1, m2)
	endswith(r2, ".pdf")
}

p448fdd3ba460a9cbe3d8207e["like_0"](x) if {
	is_string(x)
	startswith(x, "archive/")
	r1 := trim_prefix(x, "archive/")
	i2 := indexof(r1, "/0123456789012345678901234567890123456789012345678901234567890123456789/")
	i2 >= 0
	r2 := substring(r1, i2 + 72, -1)
	c := count(r2)
	c >= 6
	regex.match("(?s)^.\\.json$", substring(r2, c - 6, -1))
}

p448fdd3ba460a9cbe3d8207e["like_0"](x) if regex.match("(?s)^home/.*$", x)

match contains {"error": "list", "key": k, "policy": "p448fdd3ba460a9cbe3d8207e"} if {
	"p448fdd3ba460a9cbe3d8207e" in input.pids
	some k in ["s3:prefix"]
	is_array(object.get(input.context, k, null))
}
