package iam2rego.policies

pd28e21005023c144562694a7["statements"] := 1

match contains {"effect": "Allow", "index": 0, "policy": "pd28e21005023c144562694a7"} if {
	"pd28e21005023c144562694a7" in input.pids
	input.action == "dynamodb:getitem"
	data.iam2rego.lib.cond("BinaryEquals", false, "", false, "dynamodb:attributes", ["QmluYXJ5VmFsdWVJbkJhc2U2NA==", "YWJj", "YQ==", "/+8="])
}

match contains {"error": "scalar", "key": k, "policy": "pd28e21005023c144562694a7"} if {
	"pd28e21005023c144562694a7" in input.pids
	some k in ["dynamodb:attributes"]
	is_string(object.get(input.context, k, null))
}
