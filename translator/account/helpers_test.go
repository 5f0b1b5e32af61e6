package account

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/schema"
)

// corpusDir is where the shared corpus lives relative to this package
// (/work/shared/corpus beside /work/main). Tests that need it skip when it
// is absent.
const corpusDir = "../../../shared/corpus"

func corpusFile(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join(corpusDir, name)
	if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("corpus file %s not present", p)
	} else if err != nil {
		t.Fatal(err)
	}
	return p
}

// diag is what tests assert on: a code and a pointer, never message text.
type diag struct{ code, ptr string }

// fdiag is a diag with the file it must name.
type fdiag struct{ file, code, ptr string }

func diagsOf(t *testing.T, err error) []*schema.Error {
	t.Helper()
	list := schema.List(err)
	if err != nil && list == nil {
		t.Fatalf("error holds no *schema.Error diagnostics: %v", err)
	}
	for _, e := range list {
		if e.Message == "" {
			t.Errorf("%s %s: empty message", e.Code, e.Pointer)
		}
		if e.Severity != schema.SeverityError {
			t.Errorf("%s: severity %q", e, e.Severity)
		}
	}
	return list
}

// wantDiags compares the diagnostics of err, as a set, with want; every
// diagnostic must name file.
func wantDiags(t *testing.T, err error, file string, want ...diag) {
	t.Helper()
	var fw []fdiag
	for _, w := range want {
		fw = append(fw, fdiag{file, w.code, w.ptr})
	}
	wantFileDiags(t, err, fw...)
}

func wantFileDiags(t *testing.T, err error, want ...fdiag) {
	t.Helper()
	var got []fdiag
	for _, e := range diagsOf(t, err) {
		got = append(got, fdiag{e.File, e.Code, e.Pointer})
	}
	cmp := func(a, b fdiag) int {
		return strings.Compare(a.file+"\x00"+a.ptr+"\x00"+a.code, b.file+"\x00"+b.ptr+"\x00"+b.code)
	}
	want = slices.Clone(want)
	slices.SortFunc(got, cmp)
	slices.SortFunc(want, cmp)
	if !slices.Equal(got, want) {
		t.Errorf("diagnostics:\n got %v\nwant %v\nerr: %v", got, want, err)
	}
}

// resolvePointer follows an RFC 6901 pointer through decoded JSON.
func resolvePointer(v any, ptr string) (any, bool) {
	if ptr == "" {
		return v, true
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil, false
	}
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[tok]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// canon is the canonical JSON of a decoded value.
func canon(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// decodeFile decodes a JSON file with schema.Decode.
func decodeFile(t testing.TB, path string) any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v, err := schema.Decode(path, data)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// documents lists every Document of an account with what it is.
func documents(a *Account) map[string]Document {
	out := map[string]Document{}
	for _, u := range a.Users {
		for _, d := range u.Inline {
			out[u.ARN+" inline "+d.Name] = d.Document
		}
	}
	for _, g := range a.Groups {
		for _, d := range g.Inline {
			out[g.ARN+" inline "+d.Name] = d.Document
		}
	}
	for _, r := range a.Roles {
		for _, d := range r.Inline {
			out[r.ARN+" inline "+d.Name] = d.Document
		}
		if r.Trust != nil {
			out[r.ARN+" trust"] = *r.Trust
		}
	}
	return out
}

// writeFiles creates files (slash paths → content) under a new temporary
// directory and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
