package cmd

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestWhoCanAndCanFromTheCommandLine runs the README's who-can and can
// examples through the CLI, as a user types them: both read the bundle with
// its default bounds, and answer what the README shows.
func TestWhoCanAndCanFromTheCommandLine(t *testing.T) {
	b := exBundle(t)
	code, stdout, stderr := runCLI(t, "", "who-can", "--bundle", b, "--action", "bedrock:InvokeModel",
		"--resource", exHaiku, "--resource-account", exAccountID, "--context", "aws:RequestedRegion=us-east-1")
	if code != exitOK {
		t.Fatalf("who-can: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{
		"3 of 7 principals of the bundle are allowed",
		"arn:aws:iam::111111111111:role/service-role/genai-agent-role (role)",
		exInvoke + " (role)",
		"arn:aws:iam::111111111111:root (root)",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("who-can output lacks %q:\n%s", want, stdout)
		}
	}
	code, stdout, stderr = runCLI(t, "", "who-can", "--bundle", b, "--action", "bedrock:InvokeModel",
		"--resource", exHaiku, "--resource-account", exAccountID, "--context", "aws:RequestedRegion=eu-west-1", "--format", "json")
	var res struct {
		Allowed []any `json:"allowed"`
		Checked int   `json:"checked"`
	}
	if code != exitOK || json.Unmarshal([]byte(stdout), &res) != nil {
		t.Fatalf("who-can json: exit %d\n%s%s", code, stdout, stderr)
	}
	if len(res.Allowed) != 0 || res.Checked != 7 {
		t.Errorf("outside us-east-1 the SCP denies everyone: allowed %d of %d checked", len(res.Allowed), res.Checked)
	}

	code, stdout, stderr = runCLI(t, "", "can", "--bundle", b, "--context", "aws:RequestedRegion=us-east-1",
		"--principal", "arn:aws:iam::111111111111:role/service-role/genai-agent-role")
	if code != exitOK {
		t.Fatalf("can: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"3 allowed of 3 requests decided", "bedrock:invokemodel", "bedrock:retrieve", "lambda:invokefunction"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("can output lacks %q:\n%s", want, stdout)
		}
	}

	// The bounds are the reader's: a bundle over them is refused.
	code, _, stderr = runCLI(t, "", "can", "--bundle", b, "--max-bundle-bytes", "100",
		"--principal", "arn:aws:iam::111111111111:role/service-role/genai-agent-role")
	if code != exitBadData || !strings.Contains(stderr, b) {
		t.Errorf("can over --max-bundle-bytes: exit %d, stderr %q; want 2 naming the bundle", code, stderr)
	}
}
