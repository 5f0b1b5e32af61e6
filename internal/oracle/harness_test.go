package oracle_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/internal/oracle"
)

// root is the repository root, seen from this package.
const root = "../.."

// needOracle finds the installed oracle. Without node (or without the
// install) the test is skipped, and says so on stdout, where `make oracle`
// shows it; IAM2REGO_ORACLE_REQUIRED=1 (set by `make oracle` when node is
// on PATH) turns that into a failure.
func needOracle(t *testing.T) *oracle.Oracle {
	t.Helper()
	o, err := oracle.Find(oracle.DefaultDir())
	if err != nil {
		if os.Getenv("IAM2REGO_ORACLE_REQUIRED") != "" {
			t.Fatalf("IAM2REGO_ORACLE_REQUIRED is set: %v", err)
		}
		fmt.Printf("oracle: SKIPPED %s: %v\n", t.Name(), err)
		t.Skip(err)
	}
	return o
}

// iam2regoBinary is the executable classify.mjs runs: $IAM2REGO_BIN (make
// passes bin/iam2rego), else one built for this test.
func iam2regoBinary(t *testing.T) string {
	t.Helper()
	if b := os.Getenv("IAM2REGO_BIN"); b != "" {
		abs, err := filepath.Abs(b)
		if err != nil {
			t.Fatal(err)
		}
		return abs
	}
	bin := filepath.Join(t.TempDir(), "iam2rego")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// outDir is where the harness leaves what it observed for people to read:
// bin/oracle under the repository root.
func outDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(root, "bin", "oracle")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func writeJSONLines(t *testing.T, path string, rows []any) {
	t.Helper()
	var b strings.Builder
	for _, r := range rows {
		line, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func percent(n, of int) string {
	if of == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f%%", 100*float64(n)/float64(of))
}

func ctx(t *testing.T) context.Context { return t.Context() }
