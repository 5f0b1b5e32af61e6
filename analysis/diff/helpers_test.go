package diff

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/iam2rego/iam2rego/translator/account"
)

// variant copies testdata/base (a folder manifest) into a temporary
// directory and applies the edits to it.
func variant(t *testing.T, edits ...func(t *testing.T, dir string)) string {
	t.Helper()
	dir := t.TempDir()
	err := filepath.WalkDir("testdata/base", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("testdata/base", path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range edits {
		e(t, dir)
	}
	return dir
}

// editJSON rewrites one JSON file of a variant.
func editJSON(file string, f func(doc map[string]any)) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		path := filepath.Join(dir, file)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		f(doc)
		out, _ := json.MarshalIndent(doc, "", "  ")
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// writeJSON adds a file to a variant.
func writeJSON(file string, v any) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		out, _ := json.MarshalIndent(v, "", "  ")
		if err := os.WriteFile(filepath.Join(dir, file), out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func statements(doc map[string]any) []any { return doc["Statement"].([]any) }

func statement(doc map[string]any, sid string) map[string]any {
	for _, s := range statements(doc) {
		if m := s.(map[string]any); m["Sid"] == sid {
			return m
		}
	}
	panic("no statement " + sid)
}

// firstAccount returns the manifest's account entry.
func firstAccount(doc map[string]any) map[string]any {
	return doc["accounts"].([]any)[0].(map[string]any)
}

// entity returns a user, group or role of the manifest by name.
func entity(doc map[string]any, kind, name string) map[string]any {
	for _, e := range firstAccount(doc)[kind].([]any) {
		if m := e.(map[string]any); m["name"] == name {
			return m
		}
	}
	panic("no " + kind + " " + name)
}

var (
	baseOnce sync.Once
	baseSide *Side
	baseErr  error
)

// base is the unmodified fixture, loaded once.
func base(t *testing.T) *Side {
	t.Helper()
	baseOnce.Do(func() {
		baseSide, baseErr = LoadInputs(context.Background(), "testdata/base", account.Inputs{Folder: "testdata/base"})
	})
	if baseErr != nil {
		t.Fatal(baseErr)
	}
	return baseSide
}

func load(t *testing.T, dir string) *Side {
	t.Helper()
	s, err := LoadInputs(context.Background(), dir, account.Inputs{Folder: dir})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func run(t *testing.T, old, new *Side, opts Options) *Report {
	t.Helper()
	r, err := Run(context.Background(), old, new, opts)
	if err != nil {
		t.Fatal(err)
	}
	if r.Stats.Undecided > 0 || r.Stats.Truncated {
		t.Fatalf("undecided %d, truncated %v: %v", r.Stats.Undecided, r.Stats.Truncated, r.Errors)
	}
	return r
}

func describe(list []Access) string {
	var b strings.Builder
	for _, a := range list {
		b.WriteString("\n  " + a.Principal + " " + a.Action + " " + a.Resource)
		for _, g := range a.Statements {
			b.WriteString(" [" + g.describe() + "]")
		}
	}
	return b.String()
}
