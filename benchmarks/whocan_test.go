package benchmarks_test

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/iam2rego/iam2rego/analysis/access"
	"github.com/iam2rego/iam2rego/benchmarks/gen/accountgen"
	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/rego"
)

// BenchmarkWhoCan times `who-can` over every principal of each account
// size against deciding the same requests one by one as eval --bundle
// does (Engine.DecideInput over the raw input in a loop, one goroutine),
// in the same run, for up to 50 (action, resource) pairs
// (IAM2REGO_BENCH_WHOCAN_PAIRS) from the request mixes of several
// principals; the bar (issue 13) is who-can ≤ 1.5× the single decisions.
// Each pair's allowed set is checked against the single decisions.
//
// Metrics: whocan/singles (the time ratio), pairs, principals, allowed
// (per pair, on average).
func BenchmarkWhoCan(b *testing.B) {
	for _, size := range sizes() {
		b.Run("account="+size, func(b *testing.B) {
			f := getFixture(b, size)
			bd, err := bundles.Read(bytes.NewReader(f.bundle), nil)
			if err != nil {
				b.Fatal(err)
			}
			eng := engineFor(b, f)
			principals, err := access.Principals(bd)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			// Up to 50 (action, resource) pairs: the request mixes of
			// principals at several percentiles, as issue 13's bar asks.
			var reqs []rego.Request
			seen := map[string]bool{}
			for _, pct := range []float64{50, 99, 25, 75, 10, 90} {
				for _, r := range requestMix(accountgen.Percentile(f.ranked, pct), f.exp) {
					if key := r.Action + " " + r.Resource.ARN; !seen[key] && len(reqs) < whoCanPairs() {
						seen[key] = true
						reqs = append(reqs, r)
					}
				}
			}
			var whoCan, singles time.Duration
			allowed := 0
			for b.Loop() {
				for _, r := range reqs {
					q := access.Query{Action: r.Action, Resource: r.Resource.ARN, ResourceAccount: r.Resource.Account, Context: r.Context}
					t0 := time.Now()
					res, err := access.WhoCan(ctx, eng, bd, q)
					whoCan += time.Since(t0)
					if err != nil {
						b.Fatal(err)
					}
					// The single decisions: eval --bundle's, one request at
					// a time (the Rego decision over the raw input).
					var want []string
					t0 = time.Now()
					for _, p := range principals {
						in := map[string]any{"principal": p, "action": q.Action, "resource": map[string]any{"arn": q.Resource, "account": q.ResourceAccount}}
						if q.Context != nil {
							in["context"] = q.Context
						}
						if eng.DecideInput(ctx, in).Allow {
							want = append(want, p)
						}
					}
					singles += time.Since(t0)
					var got []string
					for _, g := range res.Allowed {
						got = append(got, g.Principal)
					}
					if !slices.Equal(got, want) {
						b.Fatalf("%s on %s: who-can %d principals, eval --bundle's single decisions %d", q.Action, q.Resource, len(got), len(want))
					}
					allowed += len(want)
				}
			}
			b.ReportMetric(float64(whoCan)/float64(singles), "whocan/singles")
			b.ReportMetric(float64(len(principals)), "principals")
			b.ReportMetric(float64(len(reqs)), "pairs")
			b.ReportMetric(float64(allowed)/float64(b.N*len(reqs)), "allowed")
		})
	}
}

// whoCanPairs is how many (action, resource) pairs BenchmarkWhoCan asks
// (IAM2REGO_BENCH_WHOCAN_PAIRS, default 50).
func whoCanPairs() int {
	if n, err := strconv.Atoi(os.Getenv("IAM2REGO_BENCH_WHOCAN_PAIRS")); err == nil && n > 0 {
		return n
	}
	return 50
}
