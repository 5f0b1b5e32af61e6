package cmd

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestLintCLI(t *testing.T) {
	const clean = "testdata/lint/clean"
	const warnOnly = "testdata/lint/findings/service_wildcard.json"
	const errorFinding = "testdata/lint/findings/passrole_on_any_resource.json"
	for _, tc := range []struct {
		name string
		args []string
		code int
		out  string // in stdout
		err  string // in stderr
	}{
		{"clean", []string{"lint", "--config", "testdata/lint/config/clean.json", clean}, 0, "0 findings (0 errors, 0 warnings) in 10 policies; 1 suppressed", ""},
		{"clean but for one true warning", []string{"lint", "--fail-on", "warning", clean}, 1, "(credentials_exposure)", ""},
		{"warning below the default threshold", []string{"lint", warnOnly}, 0, "(service_wildcard)", ""},
		{"warning at --fail-on warning", []string{"lint", "--fail-on", "warning", warnOnly}, 1, "(service_wildcard)", ""},
		{"error at the default threshold", []string{"lint", errorFinding}, 1, "/Statement/0/Resource: iam:PassRole", ""},
		{"--fail-on none", []string{"lint", "--fail-on", "none", errorFinding}, 0, "(passrole_on_any_resource)", ""},
		{"managed policy by name", []string{"lint", "AmazonBedrockFullAccess"}, 0, "(bedrock_any_model)", ""},
		{"build inputs", []string{"lint", "--account-details", "testdata/example/account-details.json"}, 0, "AWSLambdaBasicExecutionRole", ""},
		{"invalid input", []string{"lint", "testdata/lint/bad/effect.json", warnOnly}, 2, "(service_wildcard)", "/Statement/0/Effect: Effect must be"},
		{"missing file", []string{"lint", "nonexistent.json"}, 2, "", "nonexistent.json: /: cannot read the file"},
		{"no input", []string{"lint"}, 2, "", "lint needs"},
		{"bad format", []string{"lint", "--format", "xml", clean}, 2, "", `--format must be pretty, json, sarif or markdown, got "xml"`},
		{"bad threshold", []string{"lint", "--fail-on", "info", clean}, 2, "", "--fail-on must be one of error, warning, none"},
		{"bad type", []string{"lint", "--type", "user", clean}, 2, "", "--type must be one of"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", tc.args...)
			if code != tc.code || !strings.Contains(out, tc.out) || !strings.Contains(errOut, tc.err) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tc.code, out, errOut)
			}
		})
	}
}

func TestLintCLIFormats(t *testing.T) {
	code, out, _ := runCLI(t, "", "lint", "--format", "json", "--fail-on", "none", "testdata/lint/findings/resource_exposure.json")
	var rep struct {
		Findings []struct{ Code, File, Pointer, Severity string }
		Errors   []any
		Policies int
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 || rep.Policies != 1 || len(rep.Errors) != 0 ||
		len(rep.Findings) != 1 || rep.Findings[0].Code != "resource_exposure" || rep.Findings[0].Pointer != "/Statement/0/Action" {
		t.Errorf("json: exit %d, %v, %+v\n%s", code, err, rep, out)
	}
	code, out, _ = runCLI(t, "", "lint", "--format", "sarif", "testdata/lint/findings/public_resource_policy.json")
	var log struct {
		Version string
		Runs    []struct {
			Results []struct{ RuleID, Level string }
		}
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil || code != 1 || log.Version != "2.1.0" || len(log.Runs) != 1 ||
		len(log.Runs[0].Results) != 1 || log.Runs[0].Results[0].RuleID != "public_resource_policy" || log.Runs[0].Results[0].Level != "error" {
		t.Errorf("sarif: exit %d, %v, %+v", code, err, log)
	}
}
