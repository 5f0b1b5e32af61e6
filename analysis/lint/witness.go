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
	f := pick.ARN
	var b strings.Builder
	for {
		i := strings.Index(f, "${")
		j := strings.Index(f[max(i, 0):], "}")
		if i < 0 || j < 0 {
			b.WriteString(f)
			return b.String()
		}
		b.WriteString(f[:i])
		switch strings.ToLower(f[i+2 : i+j]) {
		case "partition":
			b.WriteString("aws")
		case "region":
			b.WriteString(kernel.WitnessRegion)
		case "account", "accountid":
			b.WriteString(account)
		default:
			b.WriteString("iam2rego-witness")
		}
		f = f[i+j+1:]
	}
}
