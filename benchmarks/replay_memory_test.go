package benchmarks_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/iam2rego/iam2rego/analysis/trail"
	"github.com/iam2rego/iam2rego/benchmarks/gen/trailgen"
)

// TestReplayMemoryFlat: replaying a log 16 times larger keeps the heap
// where the small one had it (issue 21: memory flat in the size of the
// logs). The streams have large records (about 100 KB of
// responseElements each), so that many bytes cost few decisions. The
// 1 GB figure (README.md, benchmarks/README.md) is measured the same way
// with /usr/bin/time -v.
func TestReplayMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 34 MB of logs")
	}
	f := getFixture(t, "example")
	eng := engineFor(t, f)
	peak := func(size int64) (uint64, int) {
		path := filepath.Join(t.TempDir(), "trail.jsonl")
		out, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := trailgen.Write(out, f.exp, trailgen.Config{Seed: 3, Bytes: size, ResponseBytes: 100_000}); err != nil {
			t.Fatal(err)
		}
		out.Close()
		runtime.GC()
		var max uint64
		var ms runtime.MemStats
		n := 0
		w, _ := trail.NewReplayWriter(io.Discard, "json", trail.CallsAll)
		sum, err := trail.Replay(context.Background(), eng, trail.Source{Paths: []string{path}}, func(ev *trail.Event) error {
			if n++; n%16 == 0 {
				runtime.ReadMemStats(&ms)
				max = maxOf(max, ms.HeapInuse)
			}
			return w.Event(ev)
		})
		if err != nil || sum.Calls == 0 {
			t.Fatalf("replay: %v, %+v", err, sum)
		}
		return max, sum.Records
	}
	small, n1 := peak(2 << 20)
	large, n2 := peak(32 << 20)
	t.Logf("peak heap in use: %d MiB for %d records (2 MB), %d MiB for %d records (32 MB)", small>>20, n1, large>>20, n2)
	if large > small+32<<20 {
		t.Errorf("the heap grows with the logs: %d MiB for 2 MB, %d MiB for 32 MB", small>>20, large>>20)
	}
}

func maxOf(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}
