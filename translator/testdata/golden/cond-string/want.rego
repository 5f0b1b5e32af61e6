package iam2rego.policies

pa2f257d78aca717f1b899b08["statements"] := 1

match contains {"effect": "Allow", "index": 0, "policy": "pa2f257d78aca717f1b899b08"} if {
	"pa2f257d78aca717f1b899b08" in input.pids
	input.action == "s3:getobject"
	object.get(input.context, "aws:requestedregion", null) == "us-east-1"
	object.get(input.context, "aws:principaltag/team", null) in {"*literal?", "blue"}
	data.iam2rego.lib.cond("StringEqualsIgnoreCase", false, "", false, "aws:principaltag/env", ["Prod"])
	not is_array(object.get(input.context, "aws:principalaccount", null))
	not object.get(input.context, "aws:principalaccount", null) == "222222222222"
	data.iam2rego.lib.cond("StringEqualsIgnoreCase", true, "", false, "aws:principaltag/stage", ["Dev", "Test"])
}
