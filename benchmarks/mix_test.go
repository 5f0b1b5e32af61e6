package benchmarks_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/benchmarks/gen/accountgen"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/open-policy-agent/opa/v1/ast"
)

// TestWriteMixes writes, for each size of IAM2REGO_MIX_SIZES (default
// "example,gaad-small,5000"), the built bundle and its request mix (one
// raw OPA input per line, `eval --requests` form) into IAM2REGO_MIX_OUT,
// so that stock OPA's own figures can be reproduced:
//
//	IAM2REGO_MIX_OUT=bin/mix go test -run TestWriteMixes ./benchmarks
//	../shared/tools/opa-bench-ratio OPA bin/mix/5000.tar.gz bin/mix/5000.jsonl 20
//
// (make bench-opa does both). Without IAM2REGO_MIX_OUT it is skipped.
func TestWriteMixes(t *testing.T) {
	out := os.Getenv("IAM2REGO_MIX_OUT")
	if out == "" {
		t.Skip("IAM2REGO_MIX_OUT is not set: nothing to write")
	}
	sizes := os.Getenv("IAM2REGO_MIX_SIZES")
	if sizes == "" {
		sizes = "example,gaad-small,5000"
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, size := range strings.Split(sizes, ",") {
		f := getFixture(t, size)
		if err := os.WriteFile(filepath.Join(out, size+".tar.gz"), f.bundle, 0o644); err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, p := range mixPrincipals(f) {
			for _, r := range requestMix(p, f.exp) {
				v, err := rego.RequestValue(r)
				if err != nil {
					t.Fatal(err)
				}
				g, err := ast.JSON(v)
				if err != nil {
					t.Fatal(err)
				}
				b, err := json.Marshal(g)
				if err != nil {
					t.Fatal(err)
				}
				lines = append(lines, string(b))
			}
		}
		if len(lines) == 0 {
			t.Fatalf("%s: no requests", size)
		}
		if err := os.WriteFile(filepath.Join(out, size+".jsonl"), []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d requests", size, len(lines))
	}
}

// mixPrincipals are the principals whose request mixes make a size's
// mix: all of a small account's, and 25 spread evenly over the ranking
// (fewest to most statements) of a large one.
func mixPrincipals(f *fixture) []accountgen.Principal {
	const most = 25
	if len(f.ranked) <= most {
		return f.ranked
	}
	out := make([]accountgen.Principal, 0, most)
	for i := range most {
		out = append(out, f.ranked[i*(len(f.ranked)-1)/(most-1)])
	}
	return out
}
