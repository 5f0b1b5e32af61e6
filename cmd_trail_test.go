package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readmeExamples returns the README's sh examples of the given commands:
// the command line (without "$ bin/iam2rego") and the output it shows.
func readmeExamples(t *testing.T, commands ...string) [][2]string {
	t.Helper()
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var out [][2]string
	blocks := strings.Split(string(data), "```sh\n")
	for _, b := range blocks[1:] {
		body, _, _ := strings.Cut(b, "```")
		first, rest, _ := strings.Cut(body, "\n")
		for _, c := range commands {
			if strings.HasPrefix(first, "$ bin/iam2rego "+c+" ") {
				out = append(out, [2]string{strings.TrimPrefix(first, "$ bin/iam2rego "), rest})
			}
		}
	}
	return out
}

// TestReadmeTrailExamples runs the README's replay, unused and generate
// examples as written (bin/example.tar.gz is a bundle of the example built
// for the test) and compares their whole output with the README's.
func TestReadmeTrailExamples(t *testing.T) {
	examples := readmeExamples(t, "replay", "unused", "generate")
	if len(examples) != 3 {
		t.Fatalf("%d README examples of replay, unused and generate, want 3", len(examples))
	}
	b := exBundle(t)
	for _, ex := range examples {
		args := strings.Fields(ex[0])
		for i, a := range args {
			if a == "bin/example.tar.gz" {
				args[i] = b
			}
		}
		code, stdout, stderr := runCLI(t, "", args...)
		if code != exitOK {
			t.Errorf("%s: exit %d\n%s", ex[0], code, stderr)
		}
		if stdout != ex[1] {
			t.Errorf("%s: the output differs from README.md\n got:\n%s\nwant:\n%s", ex[0], stdout, ex[1])
		}
	}
}

func TestReplayCommandExits(t *testing.T) {
	b := exBundle(t)
	logs := filepath.Join("testdata", "cloudtrail", "example", "logs")
	// --fail-on-break: the example has one explained would-break.
	if code, _, stderr := runCLI(t, "", "replay", "--bundle", b, "--calls", "none", "--fail-on-break", logs); code != exitFailed || !strings.Contains(stderr, "1 calls would break") {
		t.Errorf("--fail-on-break: exit %d, %q", code, stderr)
	}
	// Logs of which nothing can be read: exit 2, naming why.
	bad := writeFile(t, "bad.json", `{"Records":[{"eventName":`)
	code, stdout, stderr := runCLI(t, "", "replay", "--bundle", b, "--format", "json", bad)
	if code != exitBadData || !strings.Contains(stderr, "truncated: 1") || !strings.Contains(stdout, `"unreadable":"truncated"`) {
		t.Errorf("unreadable log: exit %d\n%s%s", code, stdout, stderr)
	}
	// A readable log with one bad file beside it: exit 0, the bad one counted.
	code, stdout, _ = runCLI(t, "", "replay", "--bundle", b, "--calls", "none", logs, bad)
	if code != exitOK || !strings.Contains(stdout, "unreadable truncated: 1") {
		t.Errorf("mixed logs: exit %d\n%s", code, stdout)
	}
	// stdin, and usage errors.
	rec, _ := os.ReadFile(filepath.Join(logs, "developers.jsonl"))
	if code, stdout, _ := runCLI(t, string(rec), "replay", "--bundle", b, "--calls", "none", "-"); code != exitOK || !strings.Contains(stdout, "6 records in 1 files") {
		t.Errorf("stdin: exit %d\n%s", code, stdout)
	}
	for _, args := range [][]string{
		{"replay", "--bundle", b},
		{"replay", "--bundle", b, "--format", "xml", logs},
		{"replay", "--bundle", b, "--calls", "some", logs},
		{"replay", "--bundle", filepath.Join(t.TempDir(), "none.tar.gz"), logs},
		{"unused", "--bundle", b, "--since", "3x", logs},
		{"unused", "--bundle", b, "--now", "yesterday", logs},
		{"generate", "--role", "arn:aws:iam::111111111111:role/nope", "--account-details", "testdata/example/account-details.json", logs},
		{"generate", "--role", "arn:aws:iam::111111111111:role/service-role/genai-kb-role", "--account-details", "testdata/example/account-details.json", "-"},
	} {
		if code, _, stderr := runCLI(t, "", args...); code != exitBadData || stderr == "" || strings.Contains(stderr, "panic") {
			t.Errorf("%v: exit %d, %q; want 2 with a message", args, code, stderr)
		}
	}
}
