package cmd

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/bundles"
)

// tamperedBundle writes a copy of the example bundle in which the invoke
// role's caller (data.iam2rego.callers, what the decision reads) holds
// one more identity policy, another principal's, while its record
// (data.iam2rego.principals, what the analyses read) does not; signed
// with priv when it is set, as a pipeline that signs what it is given
// would.
func tamperedBundle(t *testing.T, priv string) string {
	t.Helper()
	b, err := bundles.ReadFile(exBundle(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	root := b.Data["iam2rego"].(map[string]any)
	mine := root["principals"].(map[string]any)[exInvoke].(map[string]any)["identity"].([]any)
	extra := ""
	for n := range root["documents"].(map[string]any) {
		if !slices.Contains(mine, any(n)) {
			extra = n
			break
		}
	}
	pol := root["callers"].(map[string]any)[exInvoke].(map[string]any)["policies"].(map[string]any)
	pol["identity"] = append(pol["identity"].([]any), extra)
	if priv != "" {
		if err := bundles.Sign(b, bundles.Signing{Key: priv}); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "tampered.tar.gz")
	if err := bundles.WriteFile(path, b); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestEveryReaderRefusesATamperedBundle is issue 23's first bar: a NEW
// bundle whose callers differ from what its records compile to is refused
// by diff, who-can, can, eval and inspect (exit 2, naming what differs),
// signed or not; the untouched bundle is accepted by the same commands.
func TestEveryReaderRefusesATamperedBundle(t *testing.T) {
	priv, pub := rsaKeyFiles(t)
	old := exBundle(t)
	want := `data.iam2rego.callers["` + exInvoke + `"].policies differs from what its records compile to`
	for _, signed := range []bool{false, true} {
		var verify []string
		key := ""
		if signed {
			key, verify = priv, []string{"--verification-key", pub}
		}
		bad := tamperedBundle(t, key)
		good := exBundle(t)
		if signed {
			good = exBundle(t, "--signing-key", priv)
		}
		for name, args := range map[string][]string{
			"diff":    append(append([]string{"diff", "--fail-on-new-access"}, verify...), old, "BUNDLE"),
			"who-can": append(append([]string{"who-can", "--bundle", "BUNDLE"}, verify...), "--action", "iam:CreateUser", "--resource", "*"),
			"can":     append(append([]string{"can", "--bundle", "BUNDLE"}, verify...), "--principal", exInvoke),
			"eval":    append(append([]string{"eval", "--bundle", "BUNDLE"}, verify...), "--principal", exInvoke, "--action", "iam:CreateUser", "--resource", "*"),
			"inspect": append(append([]string{"inspect"}, verify...), "BUNDLE"),
		} {
			if name == "diff" && signed {
				// diff verifies both sides with one key.
				args = append([]string{"diff", "--fail-on-new-access"}, append(verify, good, "BUNDLE")...)
			}
			t.Run(name+map[bool]string{false: " unsigned", true: " signed"}[signed], func(t *testing.T) {
				code, stdout, stderr := runCLI(t, "", replace(args, "BUNDLE", bad)...)
				if code != exitBadData || !strings.Contains(stderr, want) || !strings.Contains(stderr, "tampered.tar.gz") {
					t.Errorf("tampered: exit %d\nstdout %s\nstderr %s\nwant 2 and %q", code, stdout, stderr, want)
				}
				if code, stdout, stderr := runCLI(t, "", replace(args, "BUNDLE", good)...); code == exitBadData {
					t.Errorf("untouched: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
				}
			})
		}
	}
}

func replace(args []string, from, to string) []string {
	out := slices.Clone(args)
	for i, a := range out {
		if a == from {
			out[i] = to
		}
	}
	return out
}
