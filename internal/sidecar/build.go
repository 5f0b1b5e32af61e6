package sidecar

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/bundle"
)

// The GenAI example account, relative to the module root.
const (
	ExampleAccountDetails = "testdata/example/account-details.json"
	ExampleOrganization   = "testdata/example/organization.json"
	ExampleResources      = "testdata/example/resource-policies.json"
	ExampleRequests       = "testdata/example/requests.jsonl"
)

// LoadExample reads the GenAI example account from the module at root.
// patch, when not nil, edits the account-details file first (to make a
// second revision).
func LoadExample(root string, patch func([]byte) []byte) (*account.Export, error) {
	file := filepath.Join(root, ExampleAccountDetails)
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	if patch != nil {
		data = patch(data)
	}
	b := account.NewBuilder()
	b.AddAccountDetails(file, data)
	b.AddOrganizationFile(filepath.Join(root, ExampleOrganization))
	b.AddResources(filepath.Join(root, ExampleResources))
	return b.Export()
}

// Build compiles an export into a bundle (bundles.Build), signs it when key
// is not nil (kid KeyID, RS256) and encodes it as the bundle server serves
// it.
func Build(exp *account.Export, key *KeyPair) (*bundle.Bundle, []byte, error) {
	// Generated accounts sweep statement counts past AWS's per-role
	// inline quota on purpose (indexing_test.go).
	res, err := bundles.Build(exp, bundles.Options{SkipPrincipalLimits: true})
	if err != nil {
		return nil, nil, err
	}
	data, err := Encode(res.Bundle, key)
	if err != nil {
		return nil, nil, err
	}
	return res.Bundle, data, nil
}

// Encode signs a copy of b when key is not nil and encodes it; b itself is
// left unsigned.
func Encode(b *bundle.Bundle, key *KeyPair) ([]byte, error) {
	cp := *b
	if key != nil {
		if err := bundles.Sign(&cp, bundles.Signing{Key: key.PrivatePEM, Algorithm: "RS256", KeyID: KeyID}); err != nil {
			return nil, err
		}
	}
	return bundles.Encode(&cp)
}

// FloorModule is the `allow := true` policy the load test measures
// everything against: the same OPA, the same path and input, no work.
const FloorModule = "package iam2rego.authz\n\nallow := true\n"

// FloorBundle is a bundle of FloorModule alone, with iam2rego's root.
func FloorBundle() (*bundle.Bundle, error) {
	return ModuleBundle("floor", map[string]string{"/iam2rego/authz/floor.rego": FloorModule})
}

// ModuleBundle makes a bundle of Rego sources (path → source) under the
// root "iam2rego", with no data, in Rego v1.
func ModuleBundle(revision string, sources map[string]string) (*bundle.Bundle, error) {
	roots := []string{bundles.Root}
	v1 := 1
	b := &bundle.Bundle{
		Manifest: bundle.Manifest{Revision: revision, Roots: &roots, RegoVersion: &v1},
		Data:     map[string]any{},
	}
	paths := make([]string, 0, len(sources))
	for p := range sources {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, path := range paths {
		src := sources[path]
		m, err := ast.ParseModuleWithOpts(path, src, ast.ParserOptions{RegoVersion: ast.RegoV1})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		b.Modules = append(b.Modules, bundle.ModuleFile{URL: path, Path: path, Raw: []byte(src), Parsed: m})
	}
	return b, nil
}
