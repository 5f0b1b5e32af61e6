package bundles_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/bundles"
)

// dirNames lists a directory's entries, sorted.
func dirNames(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// noTempFiles fails when dir holds anything but want.
func noTempFiles(t testing.TB, dir string, want ...string) {
	t.Helper()
	got := dirNames(t, dir)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s holds %v, want %v: a failed or finished write left files behind", dir, got, want)
	}
}

func TestWriteFileReplacesAnExistingBundle(t *testing.T) {
	res := build(t, load(t, exampleInputs(exampleDir)))
	want := encode(t, res.Bundle)
	dir := t.TempDir()
	path := filepath.Join(dir, "bundle.tar.gz")
	if err := os.WriteFile(path, []byte("an older bundle, longer than nothing"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := bundles.WriteFile(path, res.Bundle); err != nil {
		t.Fatalf("WriteFile over an existing file: %v", err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the file holds %d bytes, not the %d bytes of Encode", len(got), len(want))
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644 (bundle servers must be able to read it)", st.Mode().Perm())
	}
	noTempFiles(t, dir, "bundle.tar.gz")

	// And it reads back.
	b, err := bundles.ReadFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if b.Manifest.Revision != res.Bundle.Manifest.Revision {
		t.Errorf("read back revision %s, wrote %s", b.Manifest.Revision, res.Bundle.Manifest.Revision)
	}
}

// previous writes a "previous bundle" at path and returns its bytes.
func previous(t testing.TB, path string) []byte {
	t.Helper()
	old := buildBytes(t, exampleInputs(exampleDir))
	if err := os.WriteFile(path, old, 0o644); err != nil {
		t.Fatal(err)
	}
	return old
}

func unchanged(t testing.TB, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the previous bundle is gone: %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the previous bundle at %s changed (%d bytes, was %d)", path, len(got), len(want))
	}
}

func TestWriteFileFailureLeavesThePreviousFile(t *testing.T) {
	res := build(t, load(t, exampleInputs(exampleDir)))

	t.Run("path is a directory", func(t *testing.T) {
		dir := t.TempDir()
		target := filepath.Join(dir, "bundle.tar.gz")
		if err := os.Mkdir(target, 0o755); err != nil {
			t.Fatal(err)
		}
		inside := filepath.Join(target, "keep")
		if err := os.WriteFile(inside, []byte("keep"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := bundles.WriteFile(target, res.Bundle); err == nil {
			t.Fatal("WriteFile onto a directory succeeded")
		}
		if st, err := os.Stat(target); err != nil || !st.IsDir() {
			t.Errorf("the directory was replaced: %v", err)
		}
		unchanged(t, inside, []byte("keep"))
		noTempFiles(t, dir, "bundle.tar.gz")
	})

	t.Run("directory does not exist", func(t *testing.T) {
		dir := t.TempDir()
		if err := bundles.WriteFile(filepath.Join(dir, "missing", "bundle.tar.gz"), res.Bundle); err == nil {
			t.Fatal("WriteFile into a missing directory succeeded")
		}
		noTempFiles(t, dir)
	})

	t.Run("directory not writable", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("running as root: permissions do not stop writes (the file-size-limit test covers a failing write)")
		}
		dir := t.TempDir()
		path := filepath.Join(dir, "bundle.tar.gz")
		old := previous(t, path)
		if err := os.Chmod(dir, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o755) })
		if err := bundles.WriteFile(path, res.Bundle); err == nil {
			t.Fatal("WriteFile into a read-only directory succeeded")
		}
		unchanged(t, path, old)
		noTempFiles(t, dir, "bundle.tar.gz")
	})

	t.Run("bundle cannot be encoded", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "bundle.tar.gz")
		old := previous(t, path)
		bad := *res.Bundle
		bad.Data = map[string]any{"iam2rego": map[string]any{"x": make(chan int)}}
		if err := bundles.WriteFile(path, &bad); err == nil {
			t.Fatal("WriteFile of a bundle whose data is not JSON succeeded")
		}
		unchanged(t, path, old)
		noTempFiles(t, dir, "bundle.tar.gz")
	})
}

func TestWriteFileLeavesNoPartialFileOnDisk(t *testing.T) {
	// Whatever the outcome, the directory holds either the old bundle or a
	// complete new one, never a file of another name.
	dir := t.TempDir()
	path := filepath.Join(dir, "b.tar.gz")
	res := build(t, load(t, exampleInputs(exampleDir)))
	for range 3 {
		if err := bundles.WriteFile(path, res.Bundle); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range dirNames(t, dir) {
		if strings.Contains(n, "tmp") {
			t.Errorf("temporary file %s left behind", n)
		}
	}
	noTempFiles(t, dir, "b.tar.gz")
}
