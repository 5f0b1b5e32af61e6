package bundles_test

import (
	"path/filepath"
	"syscall"
	"testing"

	"github.com/iam2rego/iam2rego/bundles"
)

// TestWriteFileFailsMidWrite makes the write of the temporary file itself
// fail (RLIMIT_FSIZE: writes past the limit fail with EFBIG, even for
// root; Go ignores the SIGXFSZ that comes with it). The previous bundle
// must stay byte-identical and the temporary file must be removed.
func TestWriteFileFailsMidWrite(t *testing.T) {
	res := build(t, load(t, exampleInputs(exampleDir)))
	dir := t.TempDir()
	path := filepath.Join(dir, "bundle.tar.gz")
	old := previous(t, path)
	size := len(encode(t, res.Bundle))

	var saved syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &saved); err != nil {
		t.Skipf("getrlimit: %v", err)
	}
	limit := syscall.Rlimit{Cur: uint64(size / 2), Max: saved.Max}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &limit); err != nil {
		t.Skipf("setrlimit: %v", err)
	}
	err := bundles.WriteFile(path, res.Bundle)
	if rerr := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &saved); rerr != nil {
		t.Fatalf("restoring RLIMIT_FSIZE: %v", rerr)
	}
	if err == nil {
		t.Fatalf("WriteFile of %d bytes under a %d-byte file-size limit succeeded", size, size/2)
	}
	t.Logf("WriteFile under the limit: %v", err)
	unchanged(t, path, old)
	noTempFiles(t, dir, "bundle.tar.gz")
}
