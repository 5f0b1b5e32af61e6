package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/internal/testexport"
)

// diffFolder is a policy folder (iam2rego.json and the files it names).
const diffFolder = "analysis/diff/testdata/base"

// TestBoundsMustBePositive: --max-probes 0 or negative is refused by diff
// and can (it used to become the default silently).
func TestBoundsMustBePositive(t *testing.T) {
	b := exBundle(t)
	for _, n := range []string{"0", "-1", "-200000"} {
		for _, args := range [][]string{
			{"diff", "--max-probes", n, b, b},
			{"can", "--bundle", b, "--principal", exInvoke, "--max-probes", n},
		} {
			code, stdout, stderr := runCLI(t, "", args...)
			if code != exitBadData || stdout != "" || !strings.Contains(stderr, "--max-probes must be positive, got "+n) {
				t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
			}
		}
	}
}

// TestUndecidedIsAnError: when requests cannot be decided (a context
// value that is not what its key needs), who-can and can list them as not
// decided and exit 2; neither says "0 allowed" and exits 0.
func TestUndecidedIsAnError(t *testing.T) {
	b := exBundle(t)
	bad := "aws:SourceIp=not-an-ip"
	code, stdout, stderr := runCLI(t, "", "can", "--bundle", b, "--principal", exInvoke, "--context", bad)
	if code != exitBadData || !strings.Contains(stdout, "not decided (deny)") || !strings.Contains(stderr, "could not be decided") || strings.Contains(stdout, "requests decided") {
		t.Errorf("can: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	code, stdout, stderr = runCLI(t, "", "who-can", "--bundle", b, "--action", "s3:GetObject", "--resource", "*", "--context", bad)
	if code != exitBadData || !strings.Contains(stderr, "could be decided") {
		t.Errorf("who-can: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
}

// TestLintOnNothingIsAnError: lint of an empty folder exits 2.
func TestLintOnNothingIsAnError(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runCLI(t, "", "lint", dir)
	if code != exitBadData || !strings.Contains(stdout+stderr, "nothing was linted") {
		t.Errorf("lint on an empty folder: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
}

// TestDiffVerificationNeedsBundles: diff --verification-key (or
// --verification-secret) with a side that is a folder, or built from
// flags, is refused with a message saying why, never ignored; an HS*
// key file that does not exist is an error naming a flag diff has.
func TestDiffVerificationNeedsBundles(t *testing.T) {
	priv, pub := rsaKeyFiles(t)
	signed := exBundle(t, "--signing-key", priv)
	for _, args := range [][]string{
		{"--verification-key", pub, diffFolder, signed},
		{"--verification-key", pub, signed, diffFolder},
		{"--verification-secret", "s3cret", "--verification-alg", "HS256", diffFolder, diffFolder},
		append(append([]string{"--verification-key", pub}, widenedExample(t)...), signed),
	} {
		code, stdout, stderr := runCLI(t, "", append([]string{"diff"}, args...)...)
		if code != exitBadData || stdout != "" || !strings.Contains(stderr, "--verification-key checks bundle signatures") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
	missing := filepath.Join(t.TempDir(), "no-such-secret")
	code, _, stderr := runCLI(t, "", "diff", "--verification-alg", "HS256", "--verification-key", missing, signed, signed)
	if code != exitBadData || !strings.Contains(stderr, "--verification-secret") {
		t.Fatalf("missing HS256 key file: exit %d, stderr %q", code, stderr)
	}
	_, help, _ := runCLI(t, "", "diff", "--help")
	if !strings.Contains(help, "--verification-secret") {
		t.Errorf("the error names --verification-secret, which diff --help does not list:\n%s", help)
	}
	// The flag works: an HS256 bundle verifies with its secret.
	hs := exBundle(t, "--signing-alg", "HS256", "--signing-secret", "s3cret")
	if code, stdout, stderr := runCLI(t, "", "diff", "--verification-alg", "HS256", "--verification-secret", "s3cret", hs, hs); code != exitOK {
		t.Errorf("HS256 with its secret: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, _ := runCLI(t, "", "diff", "--verification-alg", "HS256", "--verification-secret", "other", hs, hs); code != exitBadData {
		t.Errorf("HS256 with another secret: exit %d, want 2", code)
	}
}

// TestDiffNeverPanicsOnMalformedData: data.json records that are null or
// of the wrong type, in an unsigned NEW bundle, exit 2 with a message
// naming the record (it used to be a nil-pointer panic).
func TestDiffNeverPanicsOnMalformedData(t *testing.T) {
	old := exBundle(t)
	for name, edit := range map[string]func(d map[string]any){
		"null account":    func(d map[string]any) { d["accounts"].(map[string]any)["111111111111"] = nil },
		"null resource":   func(d map[string]any) { d["resources"].(map[string]any)[exInvoke] = nil },
		"null principal":  func(d map[string]any) { d["principals"].(map[string]any)[exInvoke] = nil },
		"null caller":     func(d map[string]any) { d["callers"].(map[string]any)[exInvoke] = nil },
		"null accounts":   func(d map[string]any) { d["accounts"] = nil },
		"string accounts": func(d map[string]any) { d["accounts"] = "x" },
		"null documents":  func(d map[string]any) { d["documents"] = nil },
		"no callers":      func(d map[string]any) { delete(d, "callers") },
		"no principals":   func(d map[string]any) { delete(d, "principals") },
		"number document": func(d map[string]any) {
			for n := range d["documents"].(map[string]any) {
				d["documents"].(map[string]any)[n] = 7
				break
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			b, err := bundles.ReadFile(old, nil)
			if err != nil {
				t.Fatal(err)
			}
			edit(b.Data["iam2rego"].(map[string]any))
			path := filepath.Join(t.TempDir(), "new.tar.gz")
			if err := bundles.WriteFile(path, b); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := runCLI(t, "", "diff", "--fail-on-new-access", old, path)
			if code != exitBadData || stdout != "" || !strings.Contains(stderr, "new.tar.gz: ") || strings.Contains(stderr, "panic") {
				t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
			}
		})
	}
}

// TestDiffOutputGrowsWithDifferences is issue 23's output bound, small:
// NEW gives each of 40 roles the same inline Action "*" policy (one
// policy, 40 uses). Each statement line lists at most 3 of its uses and
// the policy is listed in full once, so the output is about the size of
// its lines, not lines × uses; the probe bound is hit and said.
func TestDiffOutputGrowsWithDifferences(t *testing.T) {
	dir := t.TempDir()
	old, new := filepath.Join(dir, "old.json"), filepath.Join(dir, "new.json")
	if err := testexport.WriteWildcard(old, 40, false); err != nil {
		t.Fatal(err)
	}
	if err := testexport.WriteWildcard(new, 40, true); err != nil {
		t.Fatal(err)
	}
	oldB := filepath.Join(dir, "old.tar.gz")
	if code, _, stderr := runCLI(t, "", "build", "--account-details", old, "-o", oldB); code != exitOK {
		t.Fatal(stderr)
	}
	code, stdout, stderr := runCLI(t, "", "diff", "--max-probes", "200", "--fail-on-new-access", "--new-account-details", new, oldB)
	if code != exitFailed {
		t.Fatalf("exit %d, want 1 (new access)\n%s", code, stderr)
	}
	lines := strings.Split(stdout, "\n")
	added := 0
	for _, l := range lines {
		if strings.HasPrefix(l, "  arn:") {
			added++
		}
		if strings.Contains(l, "Allow statement 0 of") && strings.Count(l, "inline admin") > 3 {
			t.Fatalf("a statement line lists more than 3 uses: %s", l)
		}
	}
	if added == 0 || added > 200 {
		t.Fatalf("%d new accesses from 200 probes", added)
	}
	if n := strings.Count(stdout, "role/role-39 inline admin"); n != 1 {
		t.Errorf("the 40th use is listed %d times, want once (in the policies table)", n)
	}
	if per := len(stdout) / added; per > 1000 {
		t.Errorf("%d bytes of output per new access", per)
	}
	if !strings.Contains(stdout, "incomplete: the probe bound 200 was hit") || !strings.Contains(stdout, "40 uses: ") {
		t.Errorf("the output does not say the bound was hit or list the policy's uses:\n%s", tail(stdout))
	}
	code, stdout, _ = runCLI(t, "", "diff", "--max-probes", "200", "--format", "json", "--new-account-details", new, oldB)
	var rep struct {
		Added []struct {
			Statements []struct {
				Names []string
				Uses  int
			}
		}
		Policies map[string]struct{ Names []string }
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != exitOK {
		t.Fatalf("json: exit %d, %v", code, err)
	}
	for _, a := range rep.Added {
		for _, s := range a.Statements {
			if len(s.Names) > 3 || (s.Uses != 0 && s.Uses != 40) {
				t.Fatalf("a statement lists %d names of %d uses", len(s.Names), s.Uses)
			}
		}
	}
	if len(rep.Policies) != 1 {
		t.Errorf("policies table: %d policies, want the shared one", len(rep.Policies))
	}
	for _, p := range rep.Policies {
		if len(p.Names) != 40 {
			t.Errorf("the shared policy lists %d uses, want 40", len(p.Names))
		}
	}
}

func tail(s string) string {
	if len(s) > 2000 {
		return s[len(s)-2000:]
	}
	return s
}

// TestEmptyCaseSetsAreErrors: test, eval --cases and eval --requests of
// a file with no case or request exit 2; a CI step that decided nothing
// must not pass.
func TestEmptyCaseSetsAreErrors(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.jsonl")
	if err := os.WriteFile(empty, []byte("\n\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b := exBundle(t)
	for _, args := range [][]string{
		{"test", empty},
		{"eval", "--cases", empty},
		{"eval", "--bundle", b, "--requests", empty},
	} {
		code, stdout, stderr := runCLI(t, "", args...)
		if code != exitBadData || !strings.Contains(stderr, "nothing was") || !strings.Contains(stderr, "empty.jsonl") {
			t.Errorf("%v: exit %d\nstdout %s\nstderr %s", args, code, stdout, stderr)
		}
	}
}
