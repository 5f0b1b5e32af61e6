package bundles

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/iam2rego/iam2rego/rego"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/bundle"
)

// assemble turns the compiled policies and the data into an OPA bundle.
func (b *builder) assemble() (*Result, error) {
	st := Stats{Principals: len(b.data.Principals), Policies: len(b.modules), Resources: len(b.data.Resources), Accounts: len(b.data.Accounts), UnindexedPatterns: map[string]int{}}
	names := make([]string, 0, len(b.modules))
	for n := range b.modules {
		names = append(names, n)
	}
	sort.Strings(names)
	policies := make(map[string]*ast.Module, len(names))
	for _, n := range names {
		c := b.modules[n]
		st.Statements += c.Stats.Statements
		st.Unindexed += c.Stats.Unindexed
		for _, p := range c.Stats.UnindexedPatterns {
			st.UnindexedPatterns[p]++
		}
		policies[n] = c.Module
		used := make([]string, 0, len(b.names[n]))
		for u := range b.names[n] {
			used = append(used, u)
		}
		sort.Strings(used)
		b.data.PolicyNames[n] = used
	}
	// All policies share one module (translator.Merge says why).
	src, merged, err := b.policiesModule(names, policies)
	if err != nil {
		return nil, err
	}
	modules := make([]bundle.ModuleFile, 0, 8)
	if len(names) > 0 {
		modules = append(modules, bundle.ModuleFile{URL: PoliciesModule, Path: PoliciesModule, Raw: src, Parsed: merged})
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
			return nil, fmt.Errorf("decision library %s: %w", n, err)
		}
		modules = append(modules, bundle.ModuleFile{URL: "/" + n, Path: "/" + n, Raw: lib[n], Parsed: m})
	}
	b.data.Meta = st
	raw, err := json.Marshal(b.data)
	if err != nil {
		return nil, err
	}
	var generic map[string]any
	if err := json.Unmarshal(raw, &generic); err != nil {
		return nil, err
	}
	// Each principal's caller (rego.Callers): the library's derivation,
	// done once here instead of per request. It follows from the data and
	// the library, both of which the revision hashes.
	callers, err := rego.Callers(context.Background(), generic)
	if err != nil {
		return nil, err
	}
	generic["callers"] = callers
	if generic["plan"], err = rego.PlanData(context.Background()); err != nil {
		return nil, err
	}
	h := sha256.New()
	h.Write(raw)
	for _, m := range modules {
		h.Write([]byte(m.Path))
		h.Write([]byte{0})
		h.Write(m.Raw)
		h.Write([]byte{0})
	}
	roots := []string{Root}
	v1 := 1
	out := &bundle.Bundle{
		Manifest: bundle.Manifest{
			Revision:    hex.EncodeToString(h.Sum(nil))[:32],
			Roots:       &roots,
			RegoVersion: &v1,
			Metadata: map[string]any{
				"generator":            "iam2rego",
				"principals":           st.Principals,
				"policies":             st.Policies,
				"statements":           st.Statements,
				"unindexed_statements": st.Unindexed,
			},
		},
		Modules: modules,
		Data:    map[string]any{Root: generic},
	}
	return &Result{Bundle: out, Stats: st, Warnings: b.diags.Warnings()}, nil
}
