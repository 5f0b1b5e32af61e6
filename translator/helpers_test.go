package translator

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/iam2rego/iam2rego/schema"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"
)

// libDir is the hand-written Rego library, read from disk so that these
// tests do not import package rego (which comes later in the pipeline).
const libDir = "../rego/lib"

// library parses ../rego/lib/*.rego once. The compiler copies the modules
// it is given, so the parsed modules can be shared between compilations.
var library = sync.OnceValues(func() (map[string]*ast.Module, error) {
	files, err := filepath.Glob(filepath.Join(libDir, "*.rego"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no Rego library files under %s", libDir)
	}
	sort.Strings(files)
	mods := map[string]*ast.Module{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		m, err := ast.ParseModuleWithOpts(f, string(src), ast.ParserOptions{RegoVersion: ast.RegoV1})
		if err != nil {
			return nil, fmt.Errorf("library %s: %w", f, err)
		}
		mods[f] = m
	}
	return mods, nil
})

func mustLibrary(tb testing.TB) map[string]*ast.Module {
	tb.Helper()
	lib, err := library()
	if err != nil {
		tb.Fatalf("loading the Rego library: %v", err)
	}
	return lib
}

// roundTrip checks the invariants of every emitted module (STYLE-ANCHORS.md
// §7.4): the formatted text re-parses as Rego v1, formats to the same bytes
// again (both from the re-parsed AST and through `opa fmt`'s source path),
// and compiles together with the library. It returns the re-parsed module.
func roundTrip(src []byte, lib map[string]*ast.Module) (*ast.Module, error) {
	const name = "generated.rego"
	mod, err := ast.ParseModuleWithOpts(name, string(src), ast.ParserOptions{RegoVersion: ast.RegoV1})
	if err != nil {
		return nil, fmt.Errorf("formatted module does not re-parse: %w\n%s", err, src)
	}
	again, err := Format(mod)
	if err != nil {
		return nil, fmt.Errorf("formatting the re-parsed module: %w", err)
	}
	if !bytes.Equal(again, src) {
		return nil, fmt.Errorf("formatting is not idempotent (AST path):\n%s", firstDiff(src, again))
	}
	fromSource, err := format.SourceWithOpts(name, src, format.Opts{RegoVersion: ast.RegoV1})
	if err != nil {
		return nil, fmt.Errorf("opa fmt of the emitted module: %w", err)
	}
	if !bytes.Equal(fromSource, src) {
		return nil, fmt.Errorf("formatting is not idempotent (source path):\n%s", firstDiff(src, fromSource))
	}
	mods := make(map[string]*ast.Module, len(lib)+1)
	for k, v := range lib {
		mods[k] = v
	}
	mods[name] = mod.Copy()
	c := ast.NewCompiler().WithDefaultRegoVersion(ast.RegoV1)
	c.Compile(mods)
	if c.Failed() {
		return nil, fmt.Errorf("emitted module does not compile with the library: %v\n%s", c.Errors, src)
	}
	return mod, nil
}

// firstDiff reports the line and column of the first difference, like
// go/printer's golden test.
func firstDiff(a, b []byte) string {
	line, col := 1, 1
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return fmt.Sprintf("first difference at %d:%d\n--- want\n%s\n--- got\n%s", line, col, excerpt(a, i), excerpt(b, i))
		}
		if a[i] == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	if len(a) != len(b) {
		return fmt.Sprintf("lengths differ (%d vs %d) after %d:%d", len(a), len(b), line, col)
	}
	return "no difference"
}

func excerpt(b []byte, i int) string {
	start := bytes.LastIndexByte(b[:i], '\n') + 1
	end := bytes.IndexByte(b[i:], '\n')
	if end < 0 {
		end = len(b)
	} else {
		end += i
	}
	return string(b[start:end])
}

// errorLines renders the diagnostics of err, sorted, one per line.
func errorLines(err error) string {
	var b strings.Builder
	for _, e := range schema.List(err) {
		b.WriteString(e.Error())
		b.WriteByte('\n')
	}
	return b.String()
}

// diagnostic is what assertions look at: code and pointer, never message
// text.
type diagnostic struct{ code, ptr string }

func diagnosticsOf(err error) []diagnostic {
	var out []diagnostic
	for _, e := range schema.List(err) {
		out = append(out, diagnostic{e.Code, e.Pointer})
	}
	return out
}

func hasDiagnostic(err error, code, ptr string) bool {
	for _, d := range diagnosticsOf(err) {
		if d.code == code && d.ptr == ptr {
			return true
		}
	}
	return false
}

// compileOne compiles a document given as JSON text and fails the test on
// an error.
func compileOne(t *testing.T, typ PolicyType, doc string) *Compiled {
	t.Helper()
	c, err := Compile("policy.json", typ, []byte(doc))
	if err != nil {
		t.Fatalf("Compile(%s):\n%v\ndocument: %s", typ, err, doc)
	}
	return c
}
