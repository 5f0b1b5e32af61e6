package cmd

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(append([]string{"iam2rego"}, args...), strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestValidateRejectsWithFileAndPointer(t *testing.T) {
	for _, tc := range []struct {
		note, policy, pointer, code string
	}{
		{"effect casing", `{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}]}`, "/Statement/0/Effect", "invalid_effect"},
		{"operator casing", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"stringEquals":{"aws:username":"alice"}}}]}`, "/Statement/0/Condition/stringEquals", "unknown_operator"},
		{"duplicate key", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]}`, "/Statement/0/Effect", "duplicate_key"},
		{"not JSON", `{"Version":`, "/", "json_syntax"},
	} {
		t.Run(tc.note, func(t *testing.T) {
			f := writeFile(t, "policy.json", tc.policy)
			code, _, stderr := runCLI(t, "", "validate", f)
			if code != exitBadData {
				t.Fatalf("exit %d, want 2; stderr %q", code, stderr)
			}
			for _, want := range []string{f, tc.pointer, tc.code} {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr %q does not name %q", stderr, want)
				}
			}
			for _, bad := range []string{"panic", "goroutine", ".go:"} {
				if strings.Contains(stderr, bad) {
					t.Errorf("stderr looks like a stack trace: %q", stderr)
				}
			}
		})
	}
}

func TestValidateAcceptsWithWarnings(t *testing.T) {
	f := writeFile(t, "ok.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"deepracer:Retired","Resource":"*"}]}`)
	code, _, stderr := runCLI(t, "", "validate", f)
	if code != exitOK || !strings.Contains(stderr, "unknown_action") {
		t.Fatalf("exit %d, stderr %q; want 0 with an unknown_action warning", code, stderr)
	}
	code, stdout, _ := runCLI(t, "", "validate", "--format", "json", f)
	var got struct {
		Valid       bool `json:"valid"`
		Diagnostics []struct {
			Code, Severity string
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != 0 || !got.Valid || len(got.Diagnostics) != 1 || got.Diagnostics[0].Severity != "warning" {
		t.Fatalf("json output %q (exit %d, err %v)", stdout, code, err)
	}
}

const aliceCase = `{"id":"c1","principal":{"arn":"arn:aws:iam::111111111111:user/alice"},"action":"s3:GetObject","resource":{"arn":"arn:aws:s3:::b/home/alice/x","account":"111111111111"},"identityPolicies":[{"Version":"2012-10-17","Statement":[{"Sid":"Home","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/home/${aws:username}/*"}]}],"expect":"Allow"}`

func TestEvalPrintsOneLinePerCase(t *testing.T) {
	other := strings.Replace(aliceCase, `"c1"`, `"c2"`, 1)
	other = strings.Replace(other, "home/alice/x", "home/bob/x", 1)
	code, stdout, stderr := runCLI(t, aliceCase+"\n\n"+other+"\n", "eval", "--cases", "-", "--explain", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines: %q", len(lines), stdout)
	}
	var first, second struct {
		ID       string
		Decision string
		Explain  struct {
			Step       string
			Statements []struct{ Policy, Sid, Effect string }
		}
	}
	json.Unmarshal([]byte(lines[0]), &first)
	json.Unmarshal([]byte(lines[1]), &second)
	if first.ID != "c1" || first.Decision != "Allow" || first.Explain.Step != "identity" ||
		len(first.Explain.Statements) != 1 || first.Explain.Statements[0].Sid != "Home" || first.Explain.Statements[0].Policy != "identityPolicies/0" {
		t.Errorf("first line %s", lines[0])
	}
	if second.ID != "c2" || second.Decision != "ImplicitDeny" {
		t.Errorf("second line %s", lines[1])
	}
}

func TestEvalReportsBadCasesAndExits2(t *testing.T) {
	bad := strings.Replace(aliceCase, `"Allow","Action"`, `"allow","Action"`, 1)
	code, stdout, _ := runCLI(t, bad+"\n"+aliceCase+"\n", "eval", "--cases", "-", "--format", "json")
	if code != exitBadData {
		t.Fatalf("exit %d, want 2", code)
	}
	if !strings.Contains(stdout, `"error":"<stdin>:1: /identityPolicies/0/Statement/0/Effect`) || !strings.Contains(stdout, `"decision":"Allow"`) {
		t.Errorf("stdout %q", stdout)
	}
	if code, _, _ := runCLI(t, bad+"\n", "eval", "--cases", "-", "--allow-case-errors"); code != 0 {
		t.Errorf("--allow-case-errors: exit %d", code)
	}
}

func TestTestCommandReportsFailures(t *testing.T) {
	wrong := strings.Replace(aliceCase, `"expect":"Allow"`, `"expect":"ExplicitDeny"`, 1)
	f := writeFile(t, "cases.jsonl", aliceCase+"\n"+wrong+"\n")
	code, stdout, _ := runCLI(t, "", "test", f)
	if code != exitFailed {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(stdout, "FAIL c1") || !strings.Contains(stdout, "expected ExplicitDeny, got Allow") ||
		!strings.Contains(stdout, `Allow Sid "Home" of identityPolicies/0`) || !strings.HasSuffix(stdout, "1 passed, 1 failed\n") {
		t.Errorf("stdout %q", stdout)
	}
}

// TestCorpus runs every case file in testdata through `iam2rego test`,
// with OPA's rule index on and off.
func TestCorpus(t *testing.T) {
	files, _ := filepath.Glob("testdata/cases/*.jsonl")
	demo, _ := filepath.Glob("testdata/demo/*.jsonl")
	files = append(files, demo...)
	if len(files) < 6 {
		t.Fatalf("found only %d case files", len(files))
	}
	for _, extra := range [][]string{nil, {"--no-rule-indexing"}} {
		args := append(append([]string{"test"}, extra...), files...)
		code, stdout, stderr := runCLI(t, "", args...)
		if code != 0 || !strings.Contains(stdout, " passed, 0 failed") {
			t.Errorf("iam2rego %v: exit %d\n%s%s", extra, code, stdout, stderr)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	if code, _, _ := runCLI(t, "", "validate"); code != exitBadData {
		t.Errorf("validate without files: exit %d", code)
	}
	if code, _, stderr := runCLI(t, "", "validate", "--type", "bogus", "x.json"); code != exitBadData || !strings.Contains(stderr, "--type") {
		t.Errorf("bad --type: exit %d %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, "", "test", "/nonexistent/cases.jsonl"); code != exitBadData || !strings.Contains(stderr, "/nonexistent/cases.jsonl") {
		t.Errorf("missing file: exit %d %q", code, stderr)
	}
}

// TestExpectedDifferencesNameRealCases keeps testdata/oracle in step with
// the corpus: every listed difference names an existing case whose expect
// is the AWS answer recorded there.
func TestExpectedDifferencesNameRealCases(t *testing.T) {
	raw, err := os.ReadFile("testdata/oracle/expected-differences.json")
	if err != nil {
		t.Fatal(err)
	}
	var diffs []struct{ Case, Oracle, Expect, Reason, Ref string }
	if err := json.Unmarshal(raw, &diffs); err != nil {
		t.Fatal(err)
	}
	expects := map[string]string{}
	files, _ := filepath.Glob("testdata/cases/*.jsonl")
	for _, f := range files {
		data, _ := os.ReadFile(f)
		for _, line := range strings.Split(string(data), "\n") {
			var c struct {
				ID     any
				Expect string
			}
			if json.Unmarshal([]byte(line), &c) == nil && c.ID != nil {
				expects[filepath.Base(f)+"#"+strings.Trim(mustJSON(c.ID), `"`)] = c.Expect
			}
		}
	}
	if len(diffs) < 10 {
		t.Fatalf("only %d expected differences listed", len(diffs))
	}
	for _, d := range diffs {
		got, ok := expects[d.Case]
		switch {
		case !ok:
			t.Errorf("%s: no such case", d.Case)
		case got != d.Expect:
			t.Errorf("%s: the case expects %s, the list says %s", d.Case, got, d.Expect)
		case d.Expect == d.Oracle:
			t.Errorf("%s: listed as a difference but oracle and expect agree", d.Case)
		case d.Reason == "" || d.Ref == "":
			t.Errorf("%s: needs a reason and a reference", d.Case)
		}
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestCompilePrintsParseableRego(t *testing.T) {
	f := writeFile(t, "p.json", `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":["s3:Get*","iam:*AccessKey*"],"Resource":"arn:aws:s3:::b/*"}]}`)
	code, stdout, stderr := runCLI(t, "", "compile", f)
	if code != 0 || !strings.HasPrefix(stdout, "package iam2rego.policies\n") || !strings.Contains(stdout, `in input.pids`) || !strings.Contains(stdout, `startswith(input.action, "s3:get")`) {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "1 statements, 2 rules, 1 not indexed") {
		t.Errorf("stats line missing: %q", stderr)
	}
	bad := writeFile(t, "bad.json", `{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"s3:Get*","Resource":"*"}]}`)
	if code, _, stderr := runCLI(t, "", "compile", bad); code != exitBadData || !strings.Contains(stderr, "invalid_effect") {
		t.Errorf("invalid policy: exit %d %q", code, stderr)
	}
}

func TestValidateReportsWarningsWithErrors(t *testing.T) {
	f := writeFile(t, "p.json", `{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"s3:GetObjcet","Resource":"*"}]}`)
	code, _, stderr := runCLI(t, "", "validate", f)
	if code != exitBadData || !strings.Contains(stderr, "invalid_effect") || !strings.Contains(stderr, "unknown_action") {
		t.Errorf("exit %d, stderr %q: want the error and the warning", code, stderr)
	}
}
