package benchmarks_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/rego"
)

// BenchmarkConsistency times bundles.CheckConsistency (the documents
// compiled again into the policies module, every caller derived again
// from the records) on each account size, against what every reader of
// a bundle pays anyway in the same run: reading the archive
// (bundles.Read) and preparing the engine over it (rego.PrepareBundle).
//
// Metrics: check_ms, read+prepare_ms, check/read+prepare.
func BenchmarkConsistency(b *testing.B) {
	for _, size := range sizes() {
		b.Run("account="+size, func(b *testing.B) {
			f := getFixture(b, size)
			ctx := context.Background()
			var check, base time.Duration
			n := 0
			for b.Loop() {
				t0 := time.Now()
				bd, err := bundles.Read(bytes.NewReader(f.bundle), nil)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := rego.PrepareBundle(ctx, bd); err != nil {
					b.Fatal(err)
				}
				base += time.Since(t0)
				t0 = time.Now()
				if err := bundles.CheckConsistency(ctx, bd); err != nil {
					b.Fatalf("%s: the bundle as built is refused: %v", size, err)
				}
				check += time.Since(t0)
				n++
			}
			b.ReportMetric(float64(check.Milliseconds())/float64(n), "check_ms")
			b.ReportMetric(float64(base.Milliseconds())/float64(n), "read+prepare_ms")
			b.ReportMetric(float64(check)/float64(base), "check/read+prepare")
		})
	}
}
