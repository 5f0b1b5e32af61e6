package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMissingSigningKeyIsAnError: `build --signing-alg HS256 --signing-key
// PATH` with no file at PATH exits 2 saying "no such file" and writes no
// bundle (it used to sign with the path's text as the HMAC secret, and
// inspect with the same path said "signed and verified"). The same for
// inspect and eval --verification-key, and for every algorithm.
func TestMissingSigningKeyIsAnError(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no-such-key")
	for _, alg := range []string{"HS256", "RS256", "ES256"} {
		out := filepath.Join(dir, alg+".tar.gz")
		code, _, stderr := runCLI(t, "", append(exBuildArgs(exDir, out), "--signing-alg", alg, "--signing-key", missing)...)
		if code != exitBadData || !strings.Contains(stderr, "no such file") || !strings.Contains(stderr, missing) {
			t.Errorf("build --signing-alg %s with a missing key: exit %d, stderr %q; want 2, naming the file, no such file", alg, code, stderr)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("build --signing-alg %s with a missing key wrote a bundle", alg)
		}
	}
	// A bundle signed with the missing path's text as an explicit secret
	// must not verify through the path.
	signed := exBundle(t, "--signing-alg", "HS256", "--signing-secret", missing)
	for _, args := range [][]string{
		{"inspect", "--verification-alg", "HS256", "--verification-key", missing, signed},
		{"eval", "--bundle", signed, "--verification-alg", "HS256", "--verification-key", missing, "--requests", exRequests},
	} {
		code, stdout, stderr := runCLI(t, "", args...)
		if code != exitBadData || !strings.Contains(stderr, "no such file") || strings.Contains(stdout, "verified") {
			t.Errorf("iam2rego %s with a missing key: exit %d, stdout %q, stderr %q; want 2 and no such file", args[0], code, stdout, stderr)
		}
	}
}

// TestHMACSecretFlagsAndFiles: an HS256 bundle signed with --signing-secret
// verifies with --verification-secret and with a file holding the secret,
// and not with another secret.
func TestHMACSecretFlagsAndFiles(t *testing.T) {
	const secret = "a shared secret"
	file := writeFile(t, "secret", secret)
	for name, sign := range map[string][]string{
		"secret flag": {"--signing-alg", "HS256", "--signing-secret", secret},
		"secret file": {"--signing-alg", "HS256", "--signing-key", file},
	} {
		b := exBundle(t, sign...)
		for _, verify := range [][]string{{"--verification-secret", secret}, {"--verification-key", file}} {
			args := append([]string{"inspect", "--verification-alg", "HS256"}, append(verify, b)...)
			if code, stdout, stderr := runCLI(t, "", args...); code != exitOK || !strings.Contains(stdout, "signed and verified") {
				t.Errorf("%s, inspect %v: exit %d\n%s%s", name, verify, code, stdout, stderr)
			}
		}
		if code, _, _ := runCLI(t, "", "inspect", "--verification-alg", "HS256", "--verification-secret", "another", b); code != exitBadData {
			t.Errorf("%s: verified with another secret (exit %d)", name, code)
		}
	}
	code, _, stderr := runCLI(t, "", append(exBuildArgs(exDir, filepath.Join(t.TempDir(), "b.tar.gz")), "--signing-secret", secret)...)
	if code != exitBadData || !strings.Contains(stderr, "HS256") {
		t.Errorf("--signing-secret with RS256: exit %d, stderr %q; want 2", code, stderr)
	}
}
