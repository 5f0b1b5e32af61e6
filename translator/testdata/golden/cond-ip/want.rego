package iam2rego.policies

peab3cb37832ba085c36fc9fd["statements"] := 1

match contains {"effect": "Allow", "index": 0, "policy": "peab3cb37832ba085c36fc9fd"} if {
	"peab3cb37832ba085c36fc9fd" in input.pids
	startswith(input.action, "s3:")
	data.iam2rego.lib.cond("IpAddress", false, "", false, "aws:sourceip", ["203.0.113.0/24", "198.51.100.7/32", "2001:db8:1234:5678::/64", "2001:db8::1/128", "10.1.2.3/8"])
	data.iam2rego.lib.cond("IpAddress", true, "", false, "aws:vpcsourceip", ["192.0.2.0/24", "::1/128"])
}
