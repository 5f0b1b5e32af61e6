package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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
