package diff

import (
	"fmt"
	"io"

	"github.com/iam2rego/iam2rego/analysis/kernel"
)

// NewAccessRule is the SARIF rule id of a new access result.
const NewAccessRule = "iam2rego/new-access"

// UnknownRule is the SARIF rule id of a planned value known only after
// apply (a Terraform plan's terraform_unknown).
const UnknownRule = "iam2rego/terraform-unknown"

// WriteSARIF prints the new access as a SARIF 2.1.0 log (kernel's): one
// result per (principal, action, resource), located at the statement that
// grants it (the input file and the statement's JSON pointer when the new
// side was built from inputs, the bundle's document otherwise), and one
// per planned value known only after apply, located at the plan's pointer.
func WriteSARIF(w io.Writer, r *Report, version string) error {
	run := kernel.SARIFRun{Tool: kernel.SARIFTool{Driver: kernel.SARIFDriver{
		Name:    "iam2rego",
		Version: version,
		Rules: []kernel.SARIFRule{{
			ID:               NewAccessRule,
			Name:             "NewAccess",
			ShortDescription: kernel.SARIFText{Text: "The new policies grant access the old ones did not"},
		}, {
			ID:               UnknownRule,
			Name:             "KnownAfterApply",
			ShortDescription: kernel.SARIFText{Text: "A planned policy or attachment is known only after apply"},
		}},
	}}}
	for _, a := range r.Added {
		run.Results = append(run.Results, kernel.SARIFResult{
			RuleID:    NewAccessRule,
			Level:     "error",
			Message:   kernel.SARIFText{Text: fmt.Sprintf("%s gains %s on %s%s", a.Principal, a.Action, a.Resource, contextText(a.Context))},
			Locations: locations(r.New, a),
			Properties: map[string]any{
				"principal": a.Principal, "action": a.Action, "resource": a.Resource, "context": a.Context,
			},
		})
	}
	for _, u := range r.Unknown {
		run.Results = append(run.Results, kernel.SARIFResult{
			RuleID:    UnknownRule,
			RuleIndex: 1,
			Level:     "error",
			Message:   kernel.SARIFText{Text: u.Message},
			Locations: []kernel.SARIFLocation{kernel.Locate(u.File, u.Pointer, "object", nil, "")},
		})
	}
	return kernel.WriteSARIF(w, run)
}

// locations points at each granting statement.
func locations(bundle string, a Access) []kernel.SARIFLocation {
	out := []kernel.SARIFLocation{}
	for _, g := range a.Statements {
		if len(g.Sources) == 0 {
			out = append(out, kernel.Locate(bundle, "/iam2rego/documents/"+g.Policy+g.Pointer, "object", nil, g.describe()))
		}
		for _, s := range g.Sources {
			out = append(out, kernel.Locate(s.File, s.Pointer, "object", nil, g.describe()))
		}
	}
	return out
}
