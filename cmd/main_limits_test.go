package cmd

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/iam2rego/iam2rego/schema"
)

// TestCaseAndRequestFilesAreBounded: eval --cases, test and eval
// --requests refuse more than 64 MiB (schema.MaxInputBytes), from a file
// or from stdin, with exit 2 and input_too_large naming the input. The
// input here is blank lines, which were skipped without end before.
func TestCaseAndRequestFilesAreBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 64 MiB")
	}
	line := strings.Repeat(" ", 1023) + "\n"
	blank := strings.Repeat(line, schema.MaxInputBytes/len(line)+1)
	file := filepath.Join(t.TempDir(), "big.jsonl")
	if err := os.WriteFile(file, []byte(blank), 0o644); err != nil {
		t.Fatal(err)
	}
	bundle := exBundle(t)
	for _, tc := range []struct {
		stdin string
		args  []string
		name  string
	}{
		{"", []string{"eval", "--cases", file}, file},
		{blank, []string{"eval", "--cases", "-"}, "<stdin>"},
		{"", []string{"test", file}, file},
		{"", []string{"eval", "--bundle", bundle, "--requests", file}, file},
		{blank, []string{"eval", "--bundle", bundle, "--requests", "-"}, "<stdin>"},
	} {
		start := time.Now()
		code, _, stderr := runCLI(t, tc.stdin, tc.args...)
		if code != exitBadData || !strings.Contains(stderr, "input_too_large") || !strings.HasPrefix(stderr, tc.name) {
			t.Errorf("iam2rego %s: exit %d, stderr %q; want 2 and %s: … (input_too_large)", strings.Join(tc.args, " "), code, stderr, tc.name)
		}
		t.Logf("%s: %v", strings.Join(tc.args[:2], " "), time.Since(start).Round(time.Millisecond))
	}
}

// TestBuildInputsAreBoundedInAll: repeated inputs are bounded in total by
// --max-input-bytes: past it, the file that passes it is input_too_large
// (exit 2, no bundle); within it the build succeeds.
func TestBuildInputsAreBoundedInAll(t *testing.T) {
	var total int64
	for _, f := range []string{"account-details.json", "organization.json", "resource-policies.json"} {
		st, err := os.Stat(filepath.Join(exDir, f))
		if err != nil {
			t.Fatal(err)
		}
		total += st.Size()
	}
	out := filepath.Join(t.TempDir(), "b.tar.gz")
	args := exBuildArgs(exDir, out)
	if code, _, stderr := runCLI(t, "", append(args, "--max-input-bytes", strconv.FormatInt(total, 10))...); code != exitOK {
		t.Fatalf("build within --max-input-bytes %d: exit %d, %s", total, code, stderr)
	}
	os.Remove(out)
	code, _, stderr := runCLI(t, "", append(args, "--max-input-bytes", strconv.FormatInt(total-1, 10))...)
	if code != exitBadData || !strings.Contains(stderr, "resource-policies.json") || !strings.Contains(stderr, "input_too_large") {
		t.Errorf("build over --max-input-bytes %d: exit %d, stderr %q; want 2 and input_too_large on the last file", total-1, code, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a build over --max-input-bytes wrote a bundle")
	}
}
