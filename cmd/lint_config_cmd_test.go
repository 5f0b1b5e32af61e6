package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLintConfigCLI: --config, --enable, --show-suppressed and --format
// markdown, with their exit codes and errors.
func TestLintConfigCLI(t *testing.T) {
	const dir = "testdata/lint/config/"
	const policies = dir + "policies"
	logsAndReads := []string{dir + "policies/logs.json", dir + "policies/reads.json"}
	for _, tc := range []struct {
		name string
		args []string
		code int
		out  string // in stdout
		not  string // not in stdout
		err  string // in stderr
	}{
		{"suppressed, counted", append([]string{"lint", "--config", dir + "example.json"}, logsAndReads...), 0,
			"2 findings (0 errors, 2 warnings) in 2 policies; 1 suppressed (--show-suppressed lists them)", "[suppressed", ""},
		{"suppressed, listed", append([]string{"lint", "--config", dir + "example.json", "--show-suppressed"}, logsAndReads...), 0,
			"(write_on_any_resource) [suppressed: Lambda logging: log groups are created at run time]", "", ""},
		{"severity raised to error", []string{"lint", "--config", dir + "severity.json", dir + "policies/wildcards.json"}, 1,
			`"sqs:*" allows every action of sqs`, "(write_on_any_resource)", ""},
		{"expired suppression", []string{"lint", "--config", dir + "suppressions.json", "--enable", "read_on_any_resource", policies}, 1,
			"/suppressions/2/expires: warning: the suppression expired on 2020-01-31", "", ""},
		{"optional rule off", []string{"lint", policies}, 1, "in 3 policies", "(read_on_any_resource)", ""},
		{"optional rule on", []string{"lint", "--enable", "read_on_any_resource", dir + "policies/reads.json"}, 0, "(read_on_any_resource)", "", ""},
		{"markdown", []string{"lint", "--format", "markdown", "--config", dir + "example.json", policies}, 1,
			"## iam2rego lint\n\n**6 findings** (3 errors, 3 warnings) in 3 policies; 1 suppressed.", "", ""},
		{"bad config", []string{"lint", "--config", dir + "bad/unknown-codes.json", policies}, 2, "", "",
			dir + `bad/unknown-codes.json: /severity/service_wildcards: unknown rule code "service_wildcards"`},
		{"missing config", []string{"lint", "--config", "nonexistent.json", policies}, 2, "", "", "nonexistent.json: /: cannot read the file"},
		{"bad --enable", []string{"lint", "--enable", "action_wildcard", policies}, 2, "", "", `--enable "action_wildcard": not an optional rule`},
		{"bad baseline", []string{"lint", "--baseline", dir + "bad/baseline.json", policies}, 2, "", "",
			dir + "bad/baseline.json: /version: version must be 1, got 2 (schema_enum)"},
		{"both baselines", []string{"lint", "--baseline", "a.json", "--write-baseline", "b.json", policies}, 2, "", "", "--baseline and --write-baseline go separately"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", tc.args...)
			if code != tc.code || !strings.Contains(out, tc.out) || tc.not != "" && strings.Contains(out, tc.not) || !strings.Contains(errOut, tc.err) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tc.code, out, errOut)
			}
		})
	}
}

// TestLintBaselineCLI: a baseline written by one run lets the same
// findings through the next, marked; a finding not in it fails the run.
func TestLintBaselineCLI(t *testing.T) {
	base := filepath.Join(t.TempDir(), "baseline.json")
	const policies = "testdata/lint/config/policies"
	code, out, errOut := runCLI(t, "", "lint", "--write-baseline", base, "--fail-on", "warning", policies)
	if code != 0 || !strings.Contains(out, "; 0 new, 5 in the baseline\n") || errOut != "" {
		t.Fatalf("--write-baseline: exit %d\n%s%s", code, out, errOut)
	}
	if data, err := os.ReadFile(base); err != nil || !strings.Contains(string(data), `"fingerprint"`) {
		t.Fatalf("baseline file: %v\n%s", err, data)
	}
	code, out, _ = runCLI(t, "", "lint", "--baseline", base, "--fail-on", "warning", policies)
	if code != 0 || strings.Count(out, " [baseline]\n") != 5 {
		t.Errorf("--baseline, same inputs: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "", "lint", "--baseline", base, "--enable", "read_on_any_resource", "--fail-on", "warning", policies)
	if code != 1 || !strings.Contains(out, "(read_on_any_resource)\n") || !strings.Contains(out, "; 1 new, 5 in the baseline") {
		t.Errorf("--baseline, a new finding: exit %d\n%s", code, out)
	}
}
