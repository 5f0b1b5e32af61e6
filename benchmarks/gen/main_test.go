package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWrites(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	if code := run([]string{"-seed", "3", "-principals", "40", "-out", dir}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, f := range []string{"organization.json", "resource-policies.json", "principals.json", "build-args"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "account-details-*.json")); len(m) != 1 {
		t.Errorf("account-details files: %v", m)
	}
	if !strings.Contains(out.String(), "40 principals in 1 accounts") {
		t.Errorf("stdout: %s", out.String())
	}
}

func TestUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"-principals", "5"}, &out, &errOut); code != 2 {
		t.Errorf("without -out: exit %d", code)
	}
	if code := run([]string{"-principals", "0", "-out", t.TempDir()}, &out, &errOut); code != 2 {
		t.Errorf("0 principals: exit %d", code)
	}
}
