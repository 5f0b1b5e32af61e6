package benchmarks_test

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/iam2rego/iam2rego/benchmarks/gen/accountgen"
	"github.com/open-policy-agent/opa/v1/ast"
)

// guards are the hot path's bars that hold on a noisy machine: the
// allocations of one decision as a sidecar evaluates it (DecideValue, the
// median principal's request mix) and the share of each mix that takes a
// decision plan. Allocation counts do not depend on the machine's load, so
// CI (.ci/run, make bench-guard) holds them where timing ratios would be
// noise. The allocation bars are the figures of 2026-12-06 with 10% of
// room (example 2,319, 5,000 principals 2,463 allocs; the general path
// of the day before, 3,803 and 4,413), so a change that makes the hot
// path heavier fails.
var guards = []struct {
	size      string
	maxAllocs float64
}{
	{"example", 2550},
	{"5000", 2710},
}

// TestHotPathGuard checks the guards (IAM2REGO_BENCH_GUARD=1; make
// bench-guard). IAM2REGO_GUARD_ALLOCS_<size> overrides a bar.
func TestHotPathGuard(t *testing.T) {
	if os.Getenv("IAM2REGO_BENCH_GUARD") == "" {
		t.Skip("IAM2REGO_BENCH_GUARD is not set: make bench-guard runs this")
	}
	if raceEnabled {
		t.Skip("the race detector changes allocation counts: make bench-guard runs this without it")
	}
	ctx := context.Background()
	for _, g := range guards {
		f := getFixture(t, g.size)
		eng := engineFor(t, f)
		bar := g.maxAllocs
		if v := os.Getenv("IAM2REGO_GUARD_ALLOCS_" + g.size); v != "" {
			var err error
			if bar, err = strconv.ParseFloat(v, 64); err != nil {
				t.Fatal(err)
			}
		}
		planned, n := 0, 0
		for _, p := range mixPrincipals(f) {
			for _, r := range requestMix(p, f.exp) {
				ok, err := eng.Planned(ctx, inputValue(t, r))
				if err != nil {
					t.Fatal(err)
				}
				if ok {
					planned++
				}
				n++
			}
		}
		if planned*10 < n*9 {
			t.Errorf("%s: %d of %d requests of the mix take a plan, want at least 90%%", g.size, planned, n)
		}
		reqs := requestMix(accountgen.Percentile(f.ranked, 50), f.exp)
		inputs := make([]ast.Value, len(reqs))
		for i, r := range reqs {
			inputs[i] = inputValue(t, r)
		}
		k := 0
		allocs := testing.AllocsPerRun(200, func() {
			eng.DecideValue(ctx, inputs[k%len(inputs)])
			k++
		})
		t.Logf("%s: %.0f allocs per decision (bar %.0f), %d of %d planned", g.size, allocs, bar, planned, n)
		if allocs > bar {
			t.Errorf("%s: %.0f allocations per decision, bar %.0f", g.size, allocs, bar)
		}
	}
}
