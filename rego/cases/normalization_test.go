package cases

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/iam2rego/iam2rego/rego"
	"github.com/open-policy-agent/opa/v1/ast"
)

// TestGoNormalisationOnCorpus: on every case of the decision corpus,
// Engine.Decide (the request normalised in Go, the decision chain in Go,
// chain.go) gives exactly the answer of the Rego library's own
// normalisation and decision chain, which OPA sidecars run.
func TestGoNormalisationOnCorpus(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/cases/*.jsonl")
	demo, _ := filepath.Glob("../../testdata/demo/*.jsonl")
	files = append(files, demo...)
	if len(files) < 2 {
		t.Fatalf("corpus not found: %v", files)
	}
	r := &Runner{cache: map[string]*compiled{}, modules: map[string]*ast.Module{}}
	var reqs []rego.Request
	var ids []string
	for _, file := range files {
		fh, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		list, err := Load(file, fh)
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range list {
			if c.Err != nil {
				continue
			}
			req, _, _, err := r.request(c)
			if err != nil {
				continue
			}
			reqs = append(reqs, req)
			ids = append(ids, file+" "+c.IDString())
		}
	}
	eng, err := rego.Prepare(context.Background(), r.modules)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i, req := range reqs {
		if err := eng.CheckNormalization(ctx, req); err != nil {
			t.Errorf("%s: %v", ids[i], err)
		}
		got, want := eng.Decide(ctx, req), eng.DecideReference(ctx, req)
		if !rego.SameDecision(got, want) {
			t.Errorf("%s:\n Go-normalised: %+v\nRego-normalised: %+v", ids[i], got, want)
		}
	}
	if len(reqs) < 350 {
		t.Errorf("compared %d cases, want the whole corpus", len(reqs))
	}
}
