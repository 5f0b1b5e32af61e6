//go:build linux

package account

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// within runs f and fails the test if it has not returned within 10 s
// (opening a named pipe for reading waits for a writer).
func within(t *testing.T, what string, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatalf("%s did not return within 10 s: a named pipe was opened", what)
		return nil
	}
}

// copyFolder copies the example policy folder into a temporary directory.
func copyFolder(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "folder")
	if err := os.CopyFS(dir, os.DirFS("testdata/folder")); err != nil {
		t.Fatal(err)
	}
	return dir
}

func mkfifo(t *testing.T, path string) {
	t.Helper()
	os.Remove(path)
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	// Whatever happens, let a blocked reader go.
	t.Cleanup(func() {
		if f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
}

// TestNamedPipesInFoldersAreErrors: a named pipe where a policy folder
// names a policy file, or among the *.json files of a resource-policy
// folder (given to build or named by a folder manifest), is an error that
// names it; `iam2rego build` used to wait on it for ever.
func TestNamedPipesInFoldersAreErrors(t *testing.T) {
	dir := copyFolder(t)
	mkfifo(t, filepath.Join(dir, "policies", "read-kb.json"))
	err := within(t, "ReadFolder", func() error { _, err := ReadFolder(dir); return err })
	if err == nil || !strings.Contains(err.Error(), "named pipe") || !strings.Contains(err.Error(), "read-kb.json") {
		t.Errorf("ReadFolder with a named pipe as a policy file: %v", err)
	}

	dir = copyFolder(t)
	fifo := filepath.Join(dir, "resources", "pipe.json")
	mkfifo(t, fifo)
	err = within(t, "ReadFolder", func() error { _, err := ReadFolder(dir); return err })
	if err == nil || !strings.Contains(err.Error(), "named pipe") || !strings.Contains(err.Error(), "pipe.json") {
		t.Errorf("ReadFolder with a named pipe among the resource policies: %v", err)
	}
	err = within(t, "ReadResources", func() error { _, err := ReadResources(filepath.Join(dir, "resources")); return err })
	if err == nil || !strings.Contains(err.Error(), "named pipe") || !strings.Contains(err.Error(), "pipe.json") {
		t.Errorf("ReadResources with a named pipe in the folder: %v", err)
	}
}

// TestResourceFolderSymlinksStayInside: a symbolic link in a
// resource-policy folder that leads out of it is an error (it used to be
// followed); one that stays inside is read.
func TestResourceFolderSymlinksStayInside(t *testing.T) {
	dir := filepath.Join(copyFolder(t), "resources")
	if err := os.Rename(filepath.Join(dir, "s3.json"), filepath.Join(dir, "s3.data")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("s3.data", filepath.Join(dir, "s3.json")); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadResources(dir); err != nil {
		t.Fatalf("a link inside the folder: %v", err)
	}
	outside := filepath.Join(t.TempDir(), "outside.json")
	if err := os.WriteFile(outside, []byte(`{"resources": [{"arn": "arn:aws:s3:::outside", "account": "111111111111"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{outside, "../../" + filepath.Base(filepath.Dir(outside)) + "/outside.json"} {
		link := filepath.Join(dir, "zz-out.json")
		os.Remove(link)
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
		res, err := ReadResources(dir)
		if err == nil || !strings.Contains(err.Error(), "zz-out.json") {
			t.Errorf("a link to %s out of the folder: got %d resources, error %v; want an error naming the link", target, len(res), err)
		}
	}
}
