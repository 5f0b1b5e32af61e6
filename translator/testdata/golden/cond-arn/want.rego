package iam2rego.policies

p3e3cdd916d2c2d0c83795571["statements"] := 1

match contains {"effect": "Allow", "index": 0, "policy": "p3e3cdd916d2c2d0c83795571"} if {
	"p3e3cdd916d2c2d0c83795571" in input.pids
	input.action == "sns:publish"
	regex.match("(?s)^[^:]*:aws:cloudwatch:us-east-1:111111111111:alarm:my-alarm$", object.get(input.context, "aws:sourcearn", null))
	regex.match("(?s)^(?:[^:]*:aws:iam::[^:]*:role/admin-.*|[^:]*:aws:iam::111111111111:user/a.c)$", object.get(input.context, "aws:principalarn", null))
	not is_array(object.get(input.context, "aws:sourcevpce", null))
	not regex.match("(?s)^[^:]*:aws:ec2:us-east-1:111111111111:vpc-endpoint/vpce-1$", object.get(input.context, "aws:sourcevpce", null))
	not is_array(object.get(input.context, "aws:sourcearn", null))
	not regex.match("(?s)^[^:]*:aws:s3:::bucket-.*$", object.get(input.context, "aws:sourcearn", null))
}
