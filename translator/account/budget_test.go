package account

import (
	"strings"
	"testing"
)

// TestBuilderBoundsAllInputs: the files a policy folder names count
// against the build's bound on the bytes of all inputs, as the files
// given on the command line do.
func TestBuilderBoundsAllInputs(t *testing.T) {
	b := NewBuilder()
	b.AddFolder("testdata/folder")
	if _, err := b.Export(); err != nil {
		t.Fatalf("the folder within the default bound: %v", err)
	}
	b = NewBuilder()
	b.SetMaxBytes(2000)
	b.AddFolder("testdata/folder")
	_, err := b.Export()
	if err == nil || !strings.Contains(err.Error(), "input_too_large") || !strings.Contains(err.Error(), "2000") {
		t.Errorf("the folder over a 2,000-byte bound: %v", err)
	}
}
