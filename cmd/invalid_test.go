package cmd

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// invalidDir is the corpus of broken inputs (testdata/invalid/README.md).
const invalidDir = "testdata/invalid"

// exampleDetails is the valid export that organization and resource files
// of the corpus are built with.
const exampleDetails = "testdata/example/account-details.json"

// notFromInput are the error codes no input file can produce, and why.
var notFromInput = map[string]string{
	"internal_error": "a bug in iam2rego, not a problem of the input",
}

// errorCodes reads every error code (constants named Code…) declared in
// schema/codes.go; warnings (Warn…) are left out.
func errorCodes(t *testing.T) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join("schema", "codes.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, s := range gd.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if !strings.HasPrefix(n.Name, "Code") || i >= len(vs.Values) {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					t.Fatalf("schema/codes.go: %s is not a string literal", n.Name)
				}
				v, _ := strconv.Unquote(lit.Value)
				out[v] = n.Name
			}
		}
	}
	if len(out) < 30 {
		t.Fatalf("read only %d error codes from schema/codes.go", len(out))
	}
	return out
}

// invalidCommand is the CLI command that reads one corpus entry, chosen
// by its name (README.md), and the prefix every diagnostic line names.
func invalidCommand(t *testing.T, name, out string) (args []string, prefix string) {
	t.Helper()
	path := filepath.Join(invalidDir, name)
	kind, rest, _ := strings.Cut(name, "-")
	switch kind {
	case "policy":
		typ, _, _ := strings.Cut(rest, "-")
		return []string{"validate", "--type", typ, path}, path + ": "
	case "case":
		return []string{"validate", path}, path + ":"
	case "gaad":
		return []string{"build", "--account-details", path, "-o", out}, path + ": "
	case "org":
		return []string{"build", "--account-details", exampleDetails, "--org", path, "-o", out}, path + ": "
	case "resources":
		return []string{"build", "--account-details", exampleDetails, "--resource-policies", path, "-o", out}, path + ": "
	case "folder":
		return []string{"build", "-o", out, path}, path + string(filepath.Separator)
	case "tfplan":
		return []string{"build", "--terraform-plan", path, "-o", out}, path + ": "
	}
	t.Fatalf("%s: the name does not say which command reads it (README.md)", name)
	return nil, ""
}

// diagnosticLine is `FILE: /pointer: [warning: ]message (code)`; in case
// files FILE is `name.jsonl:LINE`.
var diagnosticLine = regexp.MustCompile(`^(\S+?): (/[^ ]*): (warning: )?(.+) \(([a-z_]+)\)$`)

// isControl: C0 and C1 controls, DEL and the Unicode line and paragraph
// separators, none of which may appear inside a one-line diagnostic.
func isControl(r rune) bool {
	return r < 0x20 || r >= 0x7f && r < 0xa0 || r == 0x2028 || r == 0x2029
}

// TestInvalidInputs runs every input of testdata/invalid through the
// command that reads it: the exit status is 2; each line of stderr is one
// problem naming the file, a JSON pointer and a code; there is no stack
// trace and no output file; the error codes are exactly those listed in
// expected.json; and together the inputs cover every error code of
// schema/codes.go.
func TestInvalidInputs(t *testing.T) {
	var expected map[string][]string
	data, err := os.ReadFile(filepath.Join(invalidDir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &expected); err != nil {
		t.Fatalf("expected.json: %v", err)
	}
	entries, err := os.ReadDir(invalidDir)
	if err != nil {
		t.Fatal(err)
	}
	codes := errorCodes(t)
	seen := map[string][]string{}
	n := 0
	for _, e := range entries {
		name := e.Name()
		if name == "README.md" || name == "expected.json" {
			continue
		}
		n++
		want, ok := expected[name]
		if !ok {
			t.Errorf("%s is not listed in expected.json", name)
			continue
		}
		delete(expected, name)
		t.Run(name, func(t *testing.T) {
			outDir := t.TempDir()
			args, prefix := invalidCommand(t, name, filepath.Join(outDir, "bundle.tar.gz"))
			code, stdout, stderr := runCLI(t, "", args...)
			if code != exitBadData {
				t.Fatalf("iam2rego %s: exit %d, want 2\nstdout %s\nstderr %s", strings.Join(args, " "), code, stdout, stderr)
			}
			for _, bad := range []string{"panic", "goroutine ", ".go:", "runtime."} {
				if strings.Contains(stderr, bad) {
					t.Errorf("stderr looks like a stack trace (%q):\n%s", bad, stderr)
				}
			}
			if files, _ := os.ReadDir(outDir); len(files) > 0 {
				t.Errorf("a failed build left %d files in the output directory", len(files))
			}
			got := map[string]bool{}
			lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
			for _, line := range lines {
				if i := strings.IndexFunc(line, isControl); i >= 0 {
					t.Errorf("BUG: a diagnostic line holds the control character %U at byte %d, so one problem can print as several lines or forge another: %q "+
						"(schema.Error.Error should escape control characters in pointers)", []rune(line[i:])[0], i, line)
				}
				m := diagnosticLine.FindStringSubmatch(line)
				if m == nil || !strings.HasPrefix(line, prefix) {
					t.Errorf("not a one-line diagnostic naming %s, a pointer and a code: %q", prefix, line)
					continue
				}
				c, warning := m[5], m[3] != ""
				if _, known := codes[c]; !known && !warning {
					t.Errorf("unknown error code %q in %q", c, line)
				}
				if !warning {
					got[c] = true
					seen[c] = append(seen[c], name)
				}
			}
			gotList := make([]string, 0, len(got))
			for c := range got {
				gotList = append(gotList, c)
			}
			sort.Strings(gotList)
			sort.Strings(want)
			if !slices.Equal(gotList, want) {
				t.Errorf("error codes %v, want %v (expected.json)\n%s", gotList, want, stderr)
			}
		})
	}
	for name := range expected {
		t.Errorf("expected.json lists %s, which is not in %s", name, invalidDir)
	}
	if n < 40 {
		t.Errorf("%s holds %d inputs, want at least 40", invalidDir, n)
	}
	for c, name := range codes {
		if _, skip := notFromInput[c]; skip {
			continue
		}
		if len(seen[c]) == 0 {
			t.Errorf("no input of %s produces %s (%s)", invalidDir, c, name)
		}
	}
	for c := range notFromInput {
		if _, ok := codes[c]; !ok {
			t.Errorf("notFromInput lists %q, which schema/codes.go no longer declares", c)
		}
	}
}
