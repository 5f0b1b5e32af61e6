package terraform

import (
	"github.com/iam2rego/iam2rego/translator/account"
)

// Load reads the build inputs (when there are any) and the plan, applies
// the plan (state Planned or Prior) and checks the result as the account
// Builder checks an export (account.Merge): what is returned is what
// `iam2rego build` would build from an export of the account as planned.
func Load(in account.Inputs, planFile string, state State) (*Result, error) {
	var base *account.Export
	if in.Folder != "" || len(in.AccountDetails) > 0 || in.Org != "" || len(in.Resources) > 0 {
		var err error
		if base, err = account.Load(in); err != nil {
			return nil, err
		}
	}
	p, err := ReadFile(planFile)
	if err != nil {
		return nil, err
	}
	res, err := Apply(base, p, state)
	if err != nil {
		return nil, err
	}
	bytes := res.Export.InputBytes
	if res.Export, err = account.Merge(res.Export); err != nil {
		return nil, err
	}
	res.Export.InputBytes = bytes
	return res, nil
}
