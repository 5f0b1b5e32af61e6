package cmd

import (
	"fmt"
	"os"
	"testing"
)

// TestMain runs the tests from the repository root, as a user runs the
// binary: the paths the tests pass (testdata/..., the README's examples)
// and the file names the commands print are those of the root.
func TestMain(m *testing.M) {
	runLauncherIfAsked()
	if err := os.Chdir(".."); err != nil {
		fmt.Fprintln(os.Stderr, "cmd tests: chdir to the repository root:", err)
		os.Exit(2)
	}
	if _, err := os.Stat("go.mod"); err != nil {
		fmt.Fprintln(os.Stderr, "cmd tests: the parent of cmd/ is not the repository root:", err)
		os.Exit(2)
	}
	os.Exit(m.Run())
}
