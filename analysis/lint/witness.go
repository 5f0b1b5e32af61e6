package lint

import (
	"strings"

	"github.com/iam2rego/iam2rego/analysis/kernel"
	"github.com/iam2rego/iam2rego/translator/catalog"
)

// fitsType reports whether a witness can be a resource of the action: one of
// its resource types (catalog.FitsResourceType), or "*" for an action
// that names none. An action the catalogue does not know fits anything.
func fitsType(action, resource string) bool {
	ok, known := catalog.FitsResourceType(action, resource)
	return ok || !known
}

// genericWitness is a resource of one of the action's resource types in
// the account (the target type when it has it, else its first required
// one, else its first), its ARN format filled in (partition aws, region
// us-east-1, every name "iam2rego-witness"), or "*" for an action that
// names no resource type.
func genericWitness(action, target, account string) string {
	types, _ := catalog.ResourceTypes(action)
	if len(types) == 0 {
		return "*"
	}
	pick := types[0]
	for _, t := range types {
		if t.Required {
			pick = t
			break
		}
	}
	for _, t := range types {
		if t.Name == target {
			pick = t
		}
	}
	// The format's placeholders are policy variables to Substitute: those
	// it is given are filled, every other becomes *, then a name.
	filled := kernel.Substitute(pick.ARN, map[string]string{"partition": "aws", "region": kernel.WitnessRegion, "account": account, "accountid": account})
	return strings.ReplaceAll(filled, "*", "iam2rego-witness")
}
