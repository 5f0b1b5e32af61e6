package regocover

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/rego/cases"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/open-policy-agent/opa/v1/ast"
)

// Library parses the decision library's files (rego.LibraryFiles: every
// .rego file of rego/lib) as rego.Prepare does.
func Library() (map[string][]byte, map[string]*ast.Module, error) {
	files := rego.LibraryFiles()
	mods := map[string]*ast.Module{}
	for name, src := range files {
		m, err := ast.ParseModuleWithOpts(name, string(src), ast.ParserOptions{RegoVersion: ast.RegoV1})
		if err != nil {
			return nil, nil, fmt.Errorf("rego library %s: %w", name, err)
		}
		mods[name] = m
	}
	return files, mods, nil
}

// Mismatch is a case or request whose traced decision is not the
// expected one.
type Mismatch struct {
	Where, Want, Got string
}

func (m Mismatch) String() string {
	return fmt.Sprintf("%s: expected %s, the traced decision is %s", m.Where, m.Want, m.Got)
}

// Cases evaluates every case of the corpus files with the coverage tracer
// (their policies compiled once, as `iam2rego eval --cases` does) and
// checks each outcome against the case's expect. A case whose policies do
// not compile has no decision to evaluate: its outcome is "error".
func Cases(ctx context.Context, files []string) (map[string]*FileCoverage, int, []Mismatch, error) {
	var list []*cases.Case
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, 0, nil, err
		}
		cs, err := cases.Load(filepath.Base(f), bytes.NewReader(data))
		if err != nil {
			return nil, 0, nil, err
		}
		list = append(list, cs...)
	}
	b, err := cases.Compile(list)
	if err != nil {
		return nil, 0, nil, err
	}
	libFiles, lib, err := Library()
	if err != nil {
		return nil, 0, nil, err
	}
	q, err := PrepareModules(ctx, lib, map[string]*ast.Module{cases.PoliciesFile: b.Module})
	if err != nil {
		return nil, 0, nil, err
	}
	var bad []Mismatch
	for i, req := range b.Requests {
		c := b.Results[i].Case
		got := "error"
		if req != nil {
			in, err := rego.RequestValue(*req)
			if err != nil {
				return nil, 0, nil, fmt.Errorf("%s: %w", c.File, err)
			}
			d, err := q.Decide(ctx, in)
			if err != nil {
				return nil, 0, nil, fmt.Errorf("%s: %w", c.File, err)
			}
			got = Outcome(d)
		}
		if got != c.Expect {
			bad = append(bad, Mismatch{Where: c.File + " (" + c.IDString() + ")", Want: c.Expect, Got: got})
		}
	}
	cov, err := q.LibraryCoverage(libFiles)
	return cov, len(list), bad, err
}

// Example is an account to build into a bundle, with requests and their
// expected decisions (testdata/example).
type Example struct {
	Inputs   account.Inputs
	Requests string // JSON Lines, `eval --bundle --requests`
	Expected string // JSON list of {"id", "decision"}
	// More are further request files, each with its expected decisions
	// (testdata/example/plan-requests.jsonl: the decision plans' steps).
	More []RequestFile
}

// RequestFile is a file of requests and the file of their decisions.
type RequestFile struct{ Requests, Expected string }

// Bundle builds the example's bundle as `iam2rego build` does (written
// and read back as an archive), evaluates every request through it with
// the coverage tracer, and checks each decision against Expected.
func Bundle(ctx context.Context, ex Example) (map[string]*FileCoverage, int, []Mismatch, error) {
	exp, err := account.Load(ex.Inputs)
	if err != nil {
		return nil, 0, nil, err
	}
	res, err := bundles.Build(exp, bundles.Options{TextOnly: true, ReleaseDocuments: true})
	if err != nil {
		return nil, 0, nil, err
	}
	archive, err := bundles.Encode(res.Bundle)
	if err != nil {
		return nil, 0, nil, err
	}
	b, err := bundles.Read(bytes.NewReader(archive), nil)
	if err != nil {
		return nil, 0, nil, err
	}
	q, err := PrepareBundle(ctx, b)
	if err != nil {
		return nil, 0, nil, err
	}
	var bad []Mismatch
	n := 0
	for _, rf := range append([]RequestFile{{ex.Requests, ex.Expected}}, ex.More...) {
		k, m, err := q.decideFile(ctx, rf)
		if err != nil {
			return nil, 0, nil, err
		}
		n += k
		bad = append(bad, m...)
	}
	// The build's own queries (the callers' plans, what plans share) are
	// the library's too: trace them over the bundle's principals.
	if err := q.traceBuild(ctx, b); err != nil {
		return nil, 0, nil, err
	}
	files, _, err := Library()
	if err != nil {
		return nil, 0, nil, err
	}
	cov, err := q.LibraryCoverage(files)
	return cov, n, bad, err
}

// decideFile decides every request of a file through the bundle, traced,
// and lists those whose decision is not the expected one.
func (q *Query) decideFile(ctx context.Context, rf RequestFile) (int, []Mismatch, error) {
	var expected []struct{ ID, Decision string }
	raw, err := os.ReadFile(rf.Expected)
	if err != nil {
		return 0, nil, err
	}
	if err := json.Unmarshal(raw, &expected); err != nil {
		return 0, nil, fmt.Errorf("%s: %v", rf.Expected, err)
	}
	want := map[string]string{}
	for _, e := range expected {
		want[e.ID] = e.Decision
	}
	f, err := os.Open(rf.Requests)
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	reqs, errs, err := cases.LoadRequests(rf.Requests, f)
	if err != nil {
		return 0, nil, err
	}
	var bad []Mismatch
	for i, r := range reqs {
		if errs[i] != nil {
			return 0, nil, errs[i]
		}
		in, err := ast.InterfaceToValue(r.Value())
		if err != nil {
			return 0, nil, err
		}
		d, err := q.Decide(ctx, in)
		if err != nil {
			return 0, nil, fmt.Errorf("%s: request %v: %w", rf.Requests, r.ID, err)
		}
		id := fmt.Sprint(r.ID)
		if w, ok := want[id]; !ok || w != Outcome(d) {
			bad = append(bad, Mismatch{Where: rf.Requests + " (" + id + ")", Want: w, Got: Outcome(d)})
		}
	}
	return len(reqs), bad, nil
}
