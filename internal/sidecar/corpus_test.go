package sidecar_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"testing"
	"time"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/internal/sidecar"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/rego/cases"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/bundle"
)

// corpusCase is one case of the decision corpus as a sidecar request:
// the case's policies are packages of one bundle, named by id in
// input.policies.
type corpusCase struct {
	c     *cases.Case
	input map[string]any // decoded with json.Number, as OPA would read it
}

// corpus holds every case of testdata/cases and testdata/demo.
type corpus struct {
	bundle *bundle.Bundle
	cases  []corpusCase
	// invalid are the cases that are not requests at all (a case or a
	// policy that iam2rego rejects): no sidecar can be asked them.
	invalid []*cases.Case
	// byFile lists every case in file order, with invalid ones, for the
	// comparison with the case runner.
	all []*cases.Case
}

var roleARN = regexp.MustCompile(`^arn:[^:]+:iam::[0-9]{12}:role/`)

func loadCorpus(t *testing.T) *corpus {
	t.Helper()
	var files []string
	for _, glob := range []string{"testdata/cases/*.jsonl", "testdata/demo/*.jsonl"} {
		m, err := filepath.Glob(filepath.Join(root, glob))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatal("no case files")
	}
	co := &corpus{}
	modules := map[string][]byte{} // package name → Rego source
	parsed := map[string]*ast.Module{}
	compile := func(doc any, typ translator.PolicyType) (string, error) {
		c, err := translator.CompileDocument("", typ, doc)
		if err != nil {
			return "", err
		}
		src, err := translator.Format(c.Module)
		if err != nil {
			return "", err
		}
		if prev, ok := modules[c.Name]; ok && !bytes.Equal(prev, src) {
			return "", fmt.Errorf("package %s compiles to two different modules", c.Name)
		}
		modules[c.Name] = src
		parsed[c.Name] = c.Module
		return c.Name, nil
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		list, err := cases.Load(filepath.Base(f), bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range list {
			co.all = append(co.all, c)
			if c.Err != nil {
				co.invalid = append(co.invalid, c)
				continue
			}
			in, err := caseInput(c, compile)
			if err != nil {
				co.invalid = append(co.invalid, c)
				continue
			}
			co.cases = append(co.cases, corpusCase{c: c, input: in})
		}
	}
	names := make([]string, 0, len(modules))
	for n := range modules {
		names = append(names, n)
	}
	sort.Strings(names)
	roots := []string{bundles.Root}
	v1 := 1
	b := &bundle.Bundle{Manifest: bundle.Manifest{Roots: &roots, RegoVersion: &v1}, Data: map[string]any{}}
	h := sha256.New()
	for _, n := range names {
		path := "/" + bundles.Root + "/policies/" + n + ".rego"
		b.Modules = append(b.Modules, bundle.ModuleFile{URL: path, Path: path, Raw: modules[n], Parsed: parsed[n]})
		h.Write(modules[n])
	}
	lib := rego.LibraryFiles()
	libNames := make([]string, 0, len(lib))
	for n := range lib {
		libNames = append(libNames, n)
	}
	sort.Strings(libNames)
	for _, n := range libNames {
		m, err := ast.ParseModuleWithOpts(n, string(lib[n]), ast.ParserOptions{RegoVersion: ast.RegoV1})
		if err != nil {
			t.Fatal(err)
		}
		b.Modules = append(b.Modules, bundle.ModuleFile{URL: "/" + n, Path: "/" + n, Raw: lib[n], Parsed: m})
		h.Write(lib[n])
	}
	b.Manifest.Revision = "corpus-" + hex.EncodeToString(h.Sum(nil))[:16]
	co.bundle = b
	return co
}

// caseInput builds the sidecar input of a case: what rego.Engine.Decide
// sends for the same request (rego/engine.go requestValue), with the
// policies compiled by compile and named by package.
func caseInput(c *cases.Case, compile func(any, translator.PolicyType) (string, error)) (map[string]any, error) {
	var refs rego.PolicyRefs
	named := false
	for _, d := range c.Identity {
		id, err := compile(d.Value, translator.Identity)
		if err != nil {
			return nil, err
		}
		refs.Identity = append(refs.Identity, id)
		named = true
	}
	one := func(d *cases.Doc, typ translator.PolicyType, into *string) error {
		if d == nil {
			return nil
		}
		id, err := compile(d.Value, typ)
		*into, named = id, true
		return err
	}
	if err := one(c.Boundary, translator.Boundary, &refs.Boundary); err != nil {
		return nil, err
	}
	if err := one(c.Session, translator.Session, &refs.Session); err != nil {
		return nil, err
	}
	resType := translator.Resource
	if roleARN.MatchString(c.ResourceARN) {
		resType = translator.Trust
	}
	if err := one(c.ResourcePolicy, resType, &refs.Resource); err != nil {
		return nil, err
	}
	levels := func(docs [][]cases.Doc, typ translator.PolicyType) ([][]string, error) {
		var out [][]string
		for _, level := range docs {
			ids := []string{}
			for _, d := range level {
				id, err := compile(d.Value, typ)
				if err != nil {
					return nil, err
				}
				ids = append(ids, id)
			}
			out = append(out, ids)
			named = true
		}
		return out, nil
	}
	var err error
	if refs.SCPs, err = levels(c.SCPs, translator.SCP); err != nil {
		return nil, err
	}
	if refs.RCPs, err = levels(c.RCPs, translator.RCP); err != nil {
		return nil, err
	}
	in := map[string]any{
		"principal": rego.Principal{ARN: c.PrincipalARN, Tags: c.PrincipalTag, FederatedBy: c.FederatedBy, RoleARN: c.RoleARN, CanonicalUser: c.Canonical},
		"action":    c.Action,
		"resource":  rego.Resource{ARN: c.ResourceARN, Account: c.ResourceAcct, Tags: c.ResourceTags},
	}
	if named {
		in["policies"] = refs
	}
	if c.Context != nil {
		in["context"] = c.Context
	}
	if c.ManagementAccount != "" {
		in["organization"] = map[string]any{"managementAccount": c.ManagementAccount}
	}
	raw, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var out map[string]any
	if err := dec.Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}

// Every case of the decision corpus (testdata/cases, testdata/demo) that is
// a request is decided by a stock OPA sidecar over REST exactly as
// in-process over the same bundle, and as the project's case runner
// (`iam2rego test`) decides it: decision, allow, step, reason and every
// statement. The remaining cases are invalid input that iam2rego rejects
// before any engine is asked; they all expect "error".
func TestCorpusOverREST(t *testing.T) {
	t.Parallel()
	ctx := testContext(t, 3*time.Minute)
	co := loadCorpus(t)
	key := testKey(t)
	data, err := sidecar.Encode(co.bundle, key)
	if err != nil {
		t.Fatal(err)
	}
	read, err := bundles.Read(bytes.NewReader(data), &bundles.Verification{Key: key.PublicPEM, KeyID: sidecar.KeyID})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := rego.PrepareBundle(ctx, read)
	if err != nil {
		t.Fatal(err)
	}
	// The project's own runner over the same cases (the embedded library
	// and rego.Prepare, as `iam2rego test` runs them).
	var runnable []*cases.Case
	for _, cc := range co.cases {
		runnable = append(runnable, cc.c)
	}
	results, err := cases.Run(ctx, runnable, cases.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := startSidecar(t, ctx, signedConfig(t, 5, 10), data)
	same := 0
	for i, cc := range co.cases {
		label := fmt.Sprintf("%s %s", cc.c.File, cc.c.IDString())
		got := restDecide(t, ctx, e.opa, cc.input)
		want := eng.DecideInput(ctx, cc.input)
		ok := true
		if d := diff(got, want); d != "" {
			t.Errorf("%s: REST and in-process (bundle) differ:%s", label, d)
			ok = false
		}
		if results[i].Err != nil {
			t.Errorf("%s: the case runner could not decide it: %v", label, results[i].Err)
			ok = false
		} else if d := diff(got, results[i].Decision); d != "" {
			t.Errorf("%s: REST and the case runner differ:%s", label, d)
			ok = false
		}
		outcome := got.Decision
		if got.Error != "" {
			outcome = "error"
		}
		if cc.c.Expect != "" && outcome != cc.c.Expect {
			t.Errorf("%s: REST decided %s, the case expects %s", label, outcome, cc.c.Expect)
			ok = false
		}
		if ok {
			same++
		}
	}
	for _, c := range co.invalid {
		if c.Expect != "error" {
			t.Errorf("%s %s: not a valid request (%v), but expects %s", c.File, c.IDString(), c.Err, c.Expect)
		}
	}
	t.Logf("%d of %d cases decided over REST identically to in-process and to the case runner (%d policy packages in the bundle); %d cases are invalid input, expect error, and cannot be sent",
		same, len(co.cases), len(co.bundle.Modules)-len(rego.LibraryFiles()), len(co.invalid))
	if len(co.cases) < 300 {
		t.Errorf("only %d cases decided: the corpus was not found whole", len(co.cases))
	}
}
