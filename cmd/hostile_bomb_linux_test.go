//go:build linux

package cmd

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iam2rego/iam2rego/internal/bombs"
)

// TestBundleBombsAreRefusedInBoundedMemory: `iam2rego inspect` and `eval
// --bundle` refuse JSON array bombs of about 100 KB and 510 KB (100 MB
// and 500 MB of arrays once decompressed), signed or not, with exit 2, in
// a few seconds and well under 1 GB of peak RSS. Before the JSON shape
// was checked, OPA's reader took 23 s and 4 GB on the 100 KB one and more
// than 8 GB on the 510 KB one.
func TestBundleBombsAreRefusedInBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 500 MB of JSON through gzip")
	}
	bin := hostileBinary(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		shape  string
		size   int64
		signed bool
	}{
		{"flat", 100 << 20, false}, {"flat", 100 << 20, true},
		{"nested", 100 << 20, false}, {"deep", 100 << 20, true},
		{"flat", 500 << 20, false}, {"flat", 500 << 20, true},
	} {
		path := filepath.Join(dir, "bomb.tar.gz")
		compressed, err := bombs.Write(path, bombs.Shapes[tc.shape], tc.size, tc.signed)
		if err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{
			{"inspect", path},
			{"inspect", "--verification-alg", "HS256", "--verification-secret", "s", path},
			{"inspect", "--max-bundle-bytes", "1073741824", path},
			{"eval", "--bundle", path, "--principal", "arn:aws:iam::111111111111:user/a", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k"},
		} {
			m := runMeasured(t, 0, bin, args...)
			err, elapsed, peak, stderr := m.err, m.elapsed, m.peak, &m.stderr
			t.Logf("%s %d MiB in %d KB (signed %v), %s: %v after %v, peak RSS %d MiB: %s", tc.shape, tc.size>>20, compressed>>10, tc.signed, strings.Join(args[:len(args)-1], " "), err, elapsed.Round(time.Millisecond), peak>>20, strings.TrimSpace(stderr.String()))
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitBadData || !strings.Contains(stderr.String(), path) || !strings.Contains(stderr.String(), "more than") {
				t.Errorf("%s bomb: iam2rego %s: exit %v, stderr %q; want 2 naming the file and the bound passed", tc.shape, args[0], err, stderr.String())
			}
			// The bar is memory, which holds on any machine; how long
			// refusing takes is BenchmarkReadFileRefusesJSONBombs's.
			if peak > 1<<30 {
				t.Errorf("%s bomb of %d KB: refusing it took a peak RSS of %d MiB; the bar is under 1 GB", tc.shape, compressed>>10, peak>>20)
			}
		}
	}
}
