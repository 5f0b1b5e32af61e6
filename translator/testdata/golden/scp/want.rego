package iam2rego.policies

pc9f17f77ec43c75615845b52["statements"] := 3

match contains {"effect": "Allow", "index": 0, "policy": "pc9f17f77ec43c75615845b52", "sid": "FullAccess"} if "pc9f17f77ec43c75615845b52" in input.pids

match contains {"effect": "Deny", "index": 1, "policy": "pc9f17f77ec43c75615845b52", "sid": "DenyOutsideRegions"} if {
	"pc9f17f77ec43c75615845b52" in input.pids
	not strings.any_prefix_match(input.action, ["iam:", "organizations:", "sts:", "support:"])
	not is_array(object.get(input.context, "aws:principalarn", null))
	not regex.match("(?s)^[^:]*:aws:iam::[^:]*:role/OrgAdmin$", object.get(input.context, "aws:principalarn", null))
	not is_array(object.get(input.context, "aws:requestedregion", null))
	not object.get(input.context, "aws:requestedregion", null) in {"eu-west-1", "us-east-1"}
}

match contains {"effect": "Deny", "index": 2, "policy": "pc9f17f77ec43c75615845b52", "sid": "ProtectLogs"} if {
	"pc9f17f77ec43c75615845b52" in input.pids
	strings.any_prefix_match(input.action, ["cloudtrail:stop", "cloudtrail:delete"])
	startswith(input.resource.arn, "arn:aws:cloudtrail:")
	input.resource.arn_resource == "trail/org-trail"
}
