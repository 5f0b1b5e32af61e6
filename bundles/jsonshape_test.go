package bundles_test

import (
	"bytes"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/internal/bombs"
)

// TestJSONShapeLimits: the depth, width and element bounds hold exactly,
// brackets and commas inside strings (escaped quotes included) do not
// count, every JSON member (.manifest too) is checked and shares the
// element total, and YAML members are refused.
func TestJSONShapeLimits(t *testing.T) {
	l := bundles.ArchiveLimits{Files: 10, MemberBytes: 1 << 20, TotalBytes: 1 << 20, JSONDepth: 3, JSONWidth: 4, JSONElements: 10}
	for _, tc := range []struct {
		name    string
		entries []guardEntry
		want    string // "" accepts
	}{
		{"depth at the limit", []guardEntry{guardFile("/data.json", `{"a":[[1]]}`)}, ""},
		{"depth over the limit", []guardEntry{guardFile("/data.json", `{"a":[[[1]]]}`)}, "more than 3 levels"},
		{"width at the limit", []guardEntry{guardFile("/data.json", `[1, 2, 3, [] ]`)}, ""},
		{"width over the limit", []guardEntry{guardFile("/data.json", `[1,2,3,4,5]`)}, "more than 4 elements"},
		{"object width over the limit", []guardEntry{guardFile("/data.json", `{"a":1,"b":2,"c":3,"d":4,"e":5}`)}, "more than 4 elements"},
		{"empty containers", []guardEntry{guardFile("/data.json", `[[],{},[ ],{ }]`)}, ""},
		{"strings do not count", []guardEntry{guardFile("/data.json", `["[[[[,,,,", "\"[[[[,,,\\", "{{{{"]`)}, ""},
		{"elements at the limit", []guardEntry{guardFile("/data.json", `[1,2,3,4]`), guardFile("/a/data.json", `[1,2,3,4]`), guardFile("/.manifest", `{"a":1}`)}, ""},
		{"elements over the limit", []guardEntry{guardFile("/data.json", `[1,2,3,4]`), guardFile("/a/data.json", `[1,2,3,4]`), guardFile("/.manifest", `{"a":1,"b":2,"c":3}`)}, "more than 10 elements in all"},
		{"manifest is checked", []guardEntry{guardFile("/.manifest", `{"a":[[[]]]}`)}, "more than 3 levels"},
		{"signatures are checked", []guardEntry{guardFile("/.signatures.json", `[1,2,3,4,5]`)}, "more than 4 elements"},
		{"rego is not JSON", []guardEntry{guardFile("/x.rego", "package x\n\nx := [[[[[1,2,3,4,5,6]]]]]\n")}, ""},
		{"YAML", []guardEntry{guardFile("/data.yaml", "a: 1\n")}, "YAML"},
	} {
		err := l.Check(bytes.NewReader(guardArchive(t, tc.entries...)))
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestReadFileRefusesJSONBombs: bundles of about 100 KB and 510 KB whose
// data.json is 100 MB or 500 MB of arrays are refused before OPA parses
// them, signed or not, quickly and without holding them in memory (OPA's
// reader took 23 s and 4 GB for the 100 KB one, and more than 8 GB for
// the 510 KB one). The 500 MB bombs are also refused with the size bound
// raised, on their shape alone.
func TestReadFileRefusesJSONBombs(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 600 MB of JSON through gzip")
	}
	dir := t.TempDir()
	raised := bundles.DefaultArchiveLimits
	raised.MemberBytes, raised.TotalBytes = 1<<30, 1<<30
	for name, shape := range bombs.Shapes {
		for _, size := range []int64{100 << 20, 500 << 20} {
			if size > 100<<20 && name != "flat" {
				continue // the 510 KB bomb of the issue; the others take long to write
			}
			for _, signed := range []bool{false, true} {
				path := filepath.Join(dir, name+".tar.gz")
				compressed, err := bombs.Write(path, shape, size, signed)
				if err != nil {
					t.Fatal(err)
				}
				var v *bundles.Verification
				if signed {
					v = &bundles.Verification{Secret: "s", Algorithm: "HS256"}
				}
				limits := []bundles.ArchiveLimits{bundles.DefaultArchiveLimits}
				if size > bundles.DefaultUncompressedBytes {
					limits = append(limits, raised)
				}
				for _, l := range limits {
					var before, after runtime.MemStats
					runtime.GC()
					runtime.ReadMemStats(&before)
					start := time.Now()
					_, err := bundles.ReadFileWithin(path, v, l)
					elapsed := time.Since(start)
					runtime.ReadMemStats(&after)
					allocated := after.TotalAlloc - before.TotalAlloc
					t.Logf("%s, %d MiB JSON in %d KB, signed %v, size bound %d MiB: %v, %v, %d KiB allocated", name, size>>20, compressed>>10, signed, l.TotalBytes>>20, err, elapsed.Round(time.Millisecond), allocated>>10)
					// Refused by a bound (each says "more than"), not by a
					// reading error that would hide whether the bound holds.
					if err == nil || !strings.Contains(err.Error(), "more than") {
						t.Errorf("%s bomb of %d MiB (signed %v): got %v, want it refused", name, size>>20, signed, err)
					}
					// Allocations are the bar here (they hold under -race and
					// on any machine); the time bar is
					// BenchmarkReadFileRefusesJSONBombs's.
					if allocated > 16<<20 {
						t.Errorf("%s bomb of %d MiB: refusing it took %d MiB of allocations (and %v)", name, size>>20, allocated>>20, elapsed)
					}
				}
			}
		}
	}
}

// BenchmarkReadFileRefusesJSONBombs is TestReadFileRefusesJSONBombs's
// time bar, out of `make test`: the 510 KB bomb holding 500 MB of flat
// JSON array is refused within 20 s (OPA's reader took minutes and more
// than 8 GB).
//
//	go test -run '^$' -bench RefusesJSONBombs -benchtime 2x ./bundles
func BenchmarkReadFileRefusesJSONBombs(b *testing.B) {
	path := filepath.Join(b.TempDir(), "flat.tar.gz")
	if _, err := bombs.Write(path, bombs.Shapes["flat"], 500<<20, false); err != nil {
		b.Fatal(err)
	}
	var worst time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := bundles.ReadFile(path, nil); err == nil {
			b.Fatal("the bomb was read")
		}
		worst = max(worst, time.Since(start))
	}
	b.ReportMetric(worst.Seconds(), "s-to-refuse")
	if worst > 20*time.Second {
		b.Errorf("refusing the 500 MB bomb took %v; the bar is 20 s", worst)
	}
}
