package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFolderSymlinksStayInside: a symbolic link in a folder given to lint
// that leads out of it (to a file of secrets, to /dev/zero) is an error
// naming the link, and no byte of its target appears in any message; a
// link that stays inside is linted like the file it names.
func TestFolderSymlinksStayInside(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.txt")
	if err := os.WriteFile(secret, []byte("Zsecret-bytes"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`
	if err := os.WriteFile(filepath.Join(dir, "inside.data"), []byte(policy), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{"secret.json": secret, "zero.json": "/dev/zero", "inside.json": "inside.data", "up.json": "../" + filepath.Base(outside) + "/secret.txt"} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	rep := Run(Inputs{Paths: []string{dir}})
	if rep.Policies != 1 {
		t.Errorf("linted %d policies, want the one the inside link names", rep.Policies)
	}
	all := ""
	for _, e := range append(rep.Errors, rep.Findings...) {
		all += e.Error() + "\n"
	}
	for _, link := range []string{"secret.json", "zero.json", "up.json"} {
		if !strings.Contains(all, filepath.Join(dir, link)) {
			t.Errorf("no error names %s:\n%s", link, all)
		}
	}
	if strings.Contains(all, "'Z'") || strings.Contains(all, "secret-bytes") || strings.Contains(all, `'\x00'`) {
		t.Errorf("a byte of a file outside the folder reached a message:\n%s", all)
	}
}

// TestEmptyInputIsAnError: a folder without policy documents (empty, or
// holding no *.json) lints nothing, which is an error, not a clean report.
func TestEmptyInputIsAnError(t *testing.T) {
	empty := t.TempDir()
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{empty, other} {
		rep := Run(Inputs{Paths: []string{dir}})
		if len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0].Error(), "nothing was linted") || !strings.Contains(rep.Errors[0].Error(), dir) {
			t.Errorf("lint %s: errors %v, want one saying nothing was linted", dir, rep.Errors)
		}
	}
}
