package rego

import (
	"fmt"
	"sort"

	"github.com/open-policy-agent/opa/v1/ast"
)

// policiesPath is the package every compiled policy shares.
var policiesPath = ast.MustParseRef("data.iam2rego.policies")

// checkLayout refuses policy modules in a layout Decide cannot read: a
// package below data.iam2rego.policies, as bundles built before all
// policies shared one package had (one package per policy). Their
// statements are not in data.iam2rego.policies.match, so Decide would see
// none of them, denies included; such a bundle must be rebuilt.
func checkLayout(c *ast.Compiler) error {
	names := make([]string, 0, len(c.Modules))
	for name := range c.Modules {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := c.Modules[name].Package.Path
		if len(p) > len(policiesPath) && p.HasPrefix(policiesPath) {
			return fmt.Errorf("%s: package %v: policies in one package each come from an older iam2rego; rebuild the bundle", name, p)
		}
	}
	return nil
}
