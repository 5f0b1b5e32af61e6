package cmd

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestMistakesGetOneLineAndExit2: a misspelled command or flag, a bad
// --format, a missing required flag or a flag after a file name gets one
// line on stderr that names the mistake and what to do, nothing on
// stdout (no help dump), and exit 2.
func TestMistakesGetOneLineAndExit2(t *testing.T) {
	const policy = "testdata/lint/clean/app-s3-prefix.json"
	for _, tc := range []struct {
		name string
		args []string
		want []string // in the one stderr line
	}{
		{"unknown command", []string{"validat", policy}, []string{`no command "validat"`, `Did you mean "validate"?`, "iam2rego --help"}},
		{"misspelled flag", []string{"validate", "--formt", "json", policy}, []string{"iam2rego validate: no flag --formt", "Did you mean --format?"}},
		{"unknown global flag", []string{"--bogus"}, []string{"iam2rego: no flag --bogus"}},
		{"bad format", []string{"inspect", "--format", "yaml", "bin/x.tar.gz"}, []string{`iam2rego inspect: --format must be pretty or json, got "yaml"`}},
		{"bad lint format", []string{"lint", "--format", "xml", policy}, []string{`--format must be pretty, json, sarif or markdown, got "xml"`}},
		{"flag after a file", []string{"validate", policy, "--format", "json"}, []string{"--format comes after " + policy, "put flags before the file names"}},
		{"flag after a bundle", []string{"inspect", "bin/example.tar.gz", "--format=json"}, []string{"--format=json comes after"}},
		{"missing required flags", []string{"who-can", "--bundle", "bin/example.tar.gz"}, []string{"iam2rego who-can needs --action and --resource"}},
		{"missing required flag", []string{"can", "--bundle", "bin/example.tar.gz"}, []string{"iam2rego can needs --principal"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", tc.args...)
			if code != exitBadData || stdout != "" || strings.Count(stderr, "\n") != 1 {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2, one line on stderr and nothing on stdout", code, stdout, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q lacks %q", stderr, w)
				}
			}
		})
	}
}

func TestVersionAndHelp(t *testing.T) {
	code, stdout, _ := runCLI(t, "", "--version")
	if code != exitOK || !strings.HasPrefix(stdout, "iam2rego version ") || !strings.Contains(stdout, "OPA v") {
		t.Errorf("--version: exit %d, %q", code, stdout)
	}
	code, stdout, _ = runCLI(t, "", "--help")
	if code != exitOK || !strings.Contains(stdout, "EXIT STATUS:") || !strings.Contains(stdout, "   2  bad input or usage") {
		t.Errorf("--help: exit %d, no exit-code table:\n%s", code, stdout)
	}
	code, stdout, _ = runCLI(t, "", "lint", "--help")
	for _, rule := range []string{"action_wildcard", "privilege_escalation_path", "unknown_condition_key"} {
		if code != exitOK || !strings.Contains(stdout, rule) {
			t.Errorf("lint --help does not list the rule %s", rule)
		}
	}
	code, stdout, _ = runCLI(t, "", "eval", "--help")
	if code != exitOK || !strings.Contains(stdout, "[--resource-account ID]") {
		t.Errorf("eval --help's synopsis lacks --resource-account:\n%s", stdout)
	}
	code, stdout, _ = runCLI(t, "", "build", "--help")
	if code != exitOK || strings.Contains(stdout, `README, "Organization file"`) || !strings.Contains(stdout, "FORMATS.md") {
		t.Errorf("build --help points to a README section that does not exist:\n%s", stdout)
	}
}

// TestFormatJSONEverywhere: every command with output writes JSON with
// --format json (compile, test and build included), with its exit code.
func TestFormatJSONEverywhere(t *testing.T) {
	const policy = "testdata/lint/clean/app-s3-prefix.json"
	out := filepath.Join(t.TempDir(), "b.tar.gz")
	for _, tc := range []struct {
		args []string
		code int
		key  string // a key of the (first) JSON object written
	}{
		{[]string{"validate", "--format", "json", policy}, exitOK, "valid"},
		{[]string{"compile", "--format", "json", policy}, exitOK, "module"},
		{[]string{"test", "--format", "json", "testdata/demo/genai.jsonl"}, exitOK, "passed"},
		{[]string{"build", "--format", "json", "--account-details", exampleDetails, "-o", out}, exitOK, "revision"},
		{[]string{"build", "--format", "json", "--account-details", "testdata/invalid/gaad-two-accounts.json", "-o", out}, exitBadData, "diagnostics"},
		{[]string{"inspect", "--format", "json", out}, exitOK, "revision"},
		{[]string{"eval", "--format", "json", "--cases", "testdata/demo/genai.jsonl"}, exitOK, "decision"},
		{[]string{"lint", "--format", "json", policy}, exitOK, "findings"},
	} {
		code, stdout, stderr := runCLI(t, "", tc.args...)
		var v map[string]any
		dec := json.NewDecoder(strings.NewReader(stdout))
		if code != tc.code || dec.Decode(&v) != nil || v[tc.key] == nil {
			t.Errorf("%v: exit %d (want %d), stdout %.300q, stderr %.300q; want a JSON object with %q", tc.args, code, tc.code, stdout, stderr, tc.key)
		}
	}
	// A failing test run is exit 1 with its failures in the JSON.
	failing := writeFile(t, "fail.jsonl", `{"id":"f","expect":"Allow","principal":{"arn":"arn:aws:iam::111111111111:user/a"},"action":"s3:GetObject","resource":{"arn":"arn:aws:s3:::b/k","account":"111111111111"},"identityPolicies":[]}`+"\n")
	code, stdout, _ := runCLI(t, "", "test", "--format", "json", failing)
	var rep struct {
		Passed, Failed int
		Failures       []struct{ ID, Expect, Got string }
	}
	if err := json.Unmarshal([]byte(stdout), &rep); code != exitFailed || err != nil || rep.Failed != 1 || len(rep.Failures) != 1 || rep.Failures[0].Got != "ImplicitDeny" {
		t.Errorf("failing test --format json: exit %d, %v, %+v\n%s", code, err, rep, stdout)
	}
}
