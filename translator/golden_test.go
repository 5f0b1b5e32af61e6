package translator

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

var update = flag.Bool("update", false, "rewrite golden files")

const goldenDir = "testdata/golden"

// goldenType reads the optional type.txt of a scenario (default identity).
func goldenType(t testing.TB, dir string) PolicyType {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "type.txt"))
	if errors.Is(err, os.ErrNotExist) {
		return Identity
	}
	if err != nil {
		t.Fatal(err)
	}
	typ := PolicyType(strings.TrimSpace(string(b)))
	for _, known := range PolicyTypes {
		if typ == known {
			return typ
		}
	}
	t.Fatalf("%s/type.txt: unknown policy type %q", dir, typ)
	return ""
}

// TestGolden compiles every testdata/golden/<note>/policy.json and compares
// the formatted module with want.rego, or the sorted error lines with
// want.err. Regenerate with `go test ./translator -run TestGolden -update`
// and review the diff like code.
func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(goldenDir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Fatalf("no scenarios under %s", goldenDir)
	}
	lib := mustLibrary(t)
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, "policy.json"))
			if err != nil {
				t.Fatal(err)
			}
			typ := goldenType(t, dir)
			c, cerr := Compile("policy.json", typ, data)
			var got []byte
			wantFile, otherFile := "want.rego", "want.err"
			if cerr != nil {
				got = []byte(errorLines(cerr))
				wantFile, otherFile = otherFile, wantFile
				if len(got) == 0 {
					t.Fatalf("Compile returned an error without diagnostics: %v", cerr)
				}
			} else {
				got, err = Format(c.Module)
				if err != nil {
					t.Fatalf("Format: %v", err)
				}
				if _, err := roundTrip(got, lib); err != nil {
					t.Error(err)
				}
				checkProvenance(t, c)
			}
			if *update {
				if err := os.WriteFile(filepath.Join(dir, wantFile), got, 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Remove(filepath.Join(dir, otherFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
					t.Fatal(err)
				}
				return
			}
			if _, err := os.Stat(filepath.Join(dir, otherFile)); err == nil {
				t.Errorf("%s exists, but Compile produced %s (cerr=%v)", otherFile, wantFile, cerr)
			}
			want, err := os.ReadFile(filepath.Join(dir, wantFile))
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the output (run with -update after review):\n%s\n--- got:\n%s", wantFile, firstDiff(want, got), got)
			}
		})
	}
}

// checkProvenance asserts that every statement maps to at least one rule
// unless it can never apply, and that each rule names its statement
// (STYLE-ANCHORS.md §7.8).
func checkProvenance(t *testing.T, c *Compiled) {
	t.Helper()
	rules := c.Module.Rules
	if len(rules) == 0 || RuleKind(rules[0]) != "statements" {
		t.Errorf("the first rule must be `statements`, got %v", rules)
		return
	}
	if c.Stats.Rules != len(rules)-1 {
		t.Errorf("Stats.Rules = %d, module has %d match rules", c.Stats.Rules, len(rules)-1)
	}
	if c.Stats.Statements != len(c.Policy.Statements) {
		t.Errorf("Stats.Statements = %d, policy has %d statements", c.Stats.Statements, len(c.Policy.Statements))
	}
	perStatement := map[int]int{}
	for _, r := range rules[1:] {
		name := RuleKind(r)
		if len(r.Head.Args) == 1 && strings.HasPrefix(name, c.Name+".like_") {
			continue // a linear wildcard matcher (glob.go)
		}
		if name != "match" {
			t.Errorf("unexpected rule %q", name)
			continue
		}
		obj, ok := r.Head.Key.Value.(ast.Object)
		if !ok {
			t.Errorf("rule %s: the set element is %v, want an object naming the statement", name, r.Head.Key)
			continue
		}
		if kind := obj.Get(ast.StringTerm("error")); kind != nil {
			// A context check (lower_checks.go), not a statement.
			if obj.Get(ast.StringTerm("key")) == nil || obj.Get(ast.StringTerm("effect")) != nil {
				t.Errorf("rule %s: the check %v needs a key and no effect", name, r.Head.Key)
			}
			continue
		}
		idx := obj.Get(ast.StringTerm("index"))
		if idx == nil {
			t.Errorf("rule %s: the set element %v has no index", name, r.Head.Key)
			continue
		}
		n, _ := idx.Value.(ast.Number).Int()
		perStatement[n]++
	}
	for _, s := range c.Policy.Statements {
		if perStatement[s.Index] == 0 && !neverApplies(s) {
			t.Errorf("statement %s produced no rule", s.Pointer)
		}
	}
}

// neverApplies reports whether a statement can be dropped from the module:
// NotAction "*", NotResource "*", or an Action/Resource element whose
// entries all match nothing.
func neverApplies(s *Statement) bool {
	all := func(ms []Matcher, k MatchKind) bool {
		for _, m := range ms {
			if m.Kind != k {
				return false
			}
		}
		return true
	}
	anyOf := func(ms []Matcher, k MatchKind) bool {
		for _, m := range ms {
			if m.Kind == k {
				return true
			}
		}
		return false
	}
	acts, res := matchers(s.Actions), resourceMatchers(s.Resources)
	switch {
	case s.NotAction && anyOf(acts, MatchAny), s.NotResource && anyOf(res, MatchAny):
		return true
	case !s.NotResource && s.HasResource && all(res, MatchNever):
		return true
	}
	return false
}
