// Package testbundle builds bundles for tests: the GenAI example account
// of `make demo` (testdata/example) and any other build inputs, as
// `iam2rego build` would. Never imported by production code.
package testbundle

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/iam2rego/iam2rego/benchmarks/gen/accountgen"
	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/open-policy-agent/opa/v1/bundle"
)

// ExampleDir is the example account's folder, by absolute path (tests run
// in their package's folder).
func ExampleDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "example")
}

// ExampleInputs are the example account's build inputs.
func ExampleInputs() account.Inputs {
	dir := ExampleDir()
	return account.Inputs{
		AccountDetails: []string{filepath.Join(dir, "account-details.json")},
		Org:            filepath.Join(dir, "organization.json"),
		Resources:      []string{filepath.Join(dir, "resource-policies.json")},
	}
}

// Build loads the inputs and builds their bundle with opts, failing the
// test on any error.
func Build(tb testing.TB, in account.Inputs, opts bundles.Options) *bundle.Bundle {
	tb.Helper()
	exp, err := account.Load(in)
	if err != nil {
		tb.Fatal(err)
	}
	res, err := bundles.Build(exp, opts)
	if err != nil {
		tb.Fatal(err)
	}
	return res.Bundle
}

// Example builds the example account's bundle (a fresh one every call).
func Example(tb testing.TB) *bundle.Bundle {
	tb.Helper()
	return Build(tb, ExampleInputs(), bundles.Options{})
}

// Archived builds the inputs' bundle, writes it and reads it back as the
// commands read a bundle file (bundles.ReadFile): what who-can, can and
// eval --bundle see.
func Archived(tb testing.TB, in account.Inputs) *bundle.Bundle {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "bundle.tar.gz")
	if err := bundles.WriteFile(path, Build(tb, in, bundles.Options{})); err != nil {
		tb.Fatal(err)
	}
	b, err := bundles.ReadFile(path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// Generated writes a generated organization of the given size
// (benchmarks/gen/accountgen, deterministic for the seed) to a temporary
// folder and returns its build inputs.
func Generated(tb testing.TB, seed uint64, principals int) account.Inputs {
	tb.Helper()
	set, err := accountgen.Generate(accountgen.Config{Seed: seed, Principals: principals})
	if err != nil {
		tb.Fatal(err)
	}
	files, err := set.Write(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	return files.Inputs()
}
