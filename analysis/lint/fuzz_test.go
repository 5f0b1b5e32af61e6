package lint

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/iam2rego/iam2rego/translator"
)

// FuzzLint lints arbitrary policy text as every policy type. The property:
// no panic, every finding has a rule of the table, and its pointer leads
// to a value of the text (the SARIF region).
func FuzzLint(f *testing.F) {
	for _, dir := range []string{"findings", "clean", "bad"} {
		files, _ := filepath.Glob(filepath.Join(testdata, dir, "*.json"))
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data, byte(0))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, typ byte) {
		r := newRunner()
		pt := translator.PolicyType("") // decided per document
		if int(typ) < len(translator.PolicyTypes) {
			pt = translator.PolicyTypes[typ]
		}
		r.text("fuzz.json", data, pt)
		r.decideSingles()
		for _, e := range r.findings.All() {
			if ruleOf(e.Code).Short == "" {
				t.Errorf("finding without a rule: %s", e.Error())
			}
			if _, _, ok := locate(data, e.Pointer); !ok {
				t.Errorf("pointer %q of %s leads nowhere in the text", e.Pointer, e.Error())
			}
		}
		for _, e := range r.errs.All() {
			if e.Code == "" || e.File != "fuzz.json" {
				t.Errorf("uncoded error: %+v", e)
			}
		}
	})
}
