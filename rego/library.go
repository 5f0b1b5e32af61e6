package rego

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"

	"github.com/open-policy-agent/opa/v1/ast"
)

//go:embed lib/*.rego
var libFS embed.FS

// LibraryFiles returns the hand-written Rego library, file name → source,
// as it is shipped in bundles next to the generated policies.
func LibraryFiles() map[string][]byte {
	out := map[string][]byte{}
	entries, _ := fs.ReadDir(libFS, "lib")
	for _, e := range entries {
		b, _ := libFS.ReadFile(path.Join("lib", e.Name()))
		out["iam2rego/lib/"+e.Name()] = b
	}
	return out
}

// libraryModules parses the library once per call; callers cache the
// prepared query, not the modules.
func libraryModules() (map[string]*ast.Module, error) {
	files := LibraryFiles()
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	mods := map[string]*ast.Module{}
	for _, n := range names {
		m, err := ast.ParseModuleWithOpts(n, string(files[n]), ast.ParserOptions{RegoVersion: ast.RegoV1})
		if err != nil {
			return nil, fmt.Errorf("rego library %s: %w", n, err)
		}
		mods[n] = m
	}
	return mods, nil
}
