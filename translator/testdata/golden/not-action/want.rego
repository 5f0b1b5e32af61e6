package iam2rego.policies

p2268d5db709587a14eecefd4["statements"] := 2

match contains {"effect": "Allow", "index": 0, "policy": "p2268d5db709587a14eecefd4", "sid": "AllButIam"} if {
	"p2268d5db709587a14eecefd4" in input.pids
	not input.action == "s3:deletebucket"
	not startswith(input.action, "iam:")
	not regex.match("(?s)^(?:ec2:.*instances)$", input.action)
}
