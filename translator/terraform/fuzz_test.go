package terraform

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/iam2rego/iam2rego/translator/account"
)

// FuzzPlan feeds arbitrary bytes (seeded with the plan fixtures) to Read
// and Apply, with no export and on the example export. The property: no
// panic; a plan that reads either applies or fails with coded
// diagnostics, and applying it twice gives the same unknowns.
func FuzzPlan(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(plans, "*.json"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	base, err := account.Load(account.Inputs{AccountDetails: []string{example}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Read("fuzz.json", data)
		if err != nil {
			return
		}
		for _, b := range []*account.Export{nil, base} {
			for _, st := range []State{Planned, Prior} {
				r1, err1 := Apply(b, p, st)
				r2, err2 := Apply(b, p, st)
				if (err1 == nil) != (err2 == nil) {
					t.Fatalf("Apply is not deterministic: %v / %v", err1, err2)
				}
				if err1 == nil && len(r1.Unknown) != len(r2.Unknown) {
					t.Fatalf("unknowns differ: %v / %v", r1.Unknown, r2.Unknown)
				}
			}
		}
	})
}
