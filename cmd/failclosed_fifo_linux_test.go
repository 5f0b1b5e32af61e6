//go:build linux

package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestNoCommandWaitsOnANamedPipe: every command, and every flag that names
// an input file, refuses a named pipe (nobody ever writes to it) with exit
// 2 within a second, naming the file; none opens it first (which would
// wait for a writer forever).
func TestNoCommandWaitsOnANamedPipe(t *testing.T) {
	b := exBundle(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(dir, "folder")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(folder, "p.json"), 0o600); err != nil {
		t.Fatal(err)
	}
	acct := filepath.Join(exDir, "account-details.json")
	for name, args := range map[string][]string{
		"validate":                     {"validate", fifo},
		"compile":                      {"compile", fifo},
		"eval --cases":                 {"eval", "--cases", fifo},
		"eval --bundle":                {"eval", "--bundle", fifo, "--principal", exInvoke, "--action", "s3:GetObject", "--resource", "*"},
		"eval --requests":              {"eval", "--bundle", b, "--requests", fifo},
		"eval --verification-key":      {"eval", "--bundle", b, "--verification-key", fifo, "--principal", exInvoke, "--action", "s3:GetObject", "--resource", "*"},
		"test":                         {"test", fifo},
		"build --account-details":      {"build", "--account-details", fifo, "-o", filepath.Join(dir, "b.tar.gz")},
		"build --org":                  {"build", "--account-details", acct, "--org", fifo, "-o", filepath.Join(dir, "b.tar.gz")},
		"build --resource-policies":    {"build", "--account-details", acct, "--resource-policies", fifo, "-o", filepath.Join(dir, "b.tar.gz")},
		"build --signing-key":          {"build", "--account-details", acct, "--signing-key", fifo, "-o", filepath.Join(dir, "b.tar.gz")},
		"build DIR":                    {"build", "-o", filepath.Join(dir, "b.tar.gz"), fifo},
		"inspect":                      {"inspect", fifo},
		"inspect --verification-key":   {"inspect", "--verification-key", fifo, b},
		"who-can":                      {"who-can", "--bundle", fifo, "--action", "s3:GetObject", "--resource", "*"},
		"can":                          {"can", "--bundle", fifo, "--principal", exInvoke},
		"lint":                         {"lint", fifo},
		"lint a folder with a pipe":    {"lint", folder},
		"lint --account-details":       {"lint", "--account-details", fifo},
		"diff OLD":                     {"diff", fifo, b},
		"diff NEW":                     {"diff", b, fifo},
		"diff --new-account-details":   {"diff", "--new-account-details", fifo, b},
		"diff --verification-key":      {"diff", "--verification-key", fifo, b, b},
		"diff --new-resource-policies": {"diff", "--new-account-details", acct, "--new-resource-policies", fifo, b},
	} {
		t.Run(name, func(t *testing.T) {
			type result struct {
				code           int
				stdout, stderr string
			}
			done := make(chan result, 1)
			start := time.Now()
			go func() {
				code, stdout, stderr := runCLI(t, "", args...)
				done <- result{code, stdout, stderr}
			}()
			select {
			case r := <-done:
				if took := time.Since(start); took > time.Second {
					t.Errorf("took %v, want under a second", took)
				}
				if r.code != exitBadData {
					t.Fatalf("exit %d, want 2\n%s%s", r.code, r.stdout, r.stderr)
				}
				out := r.stdout + r.stderr
				if !strings.Contains(out, "pipe.json") && !strings.Contains(out, "p.json") {
					t.Errorf("the message does not name the pipe:\n%s", out)
				}
				if !strings.Contains(out, "named pipe") && !strings.Contains(out, "not a directory") {
					t.Errorf("the message does not say the input is a named pipe:\n%s", out)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("still waiting on the named pipe after 5 s")
			}
		})
	}
}
