package benchmarks_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/iam2rego/iam2rego/benchmarks/gen/accountgen"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/open-policy-agent/opa/v1/ast"
)

// Decision latency, in-process, from a bundle as `iam2rego build` writes
// it, for the median and the 99th-percentile principal (by statements that
// apply to it) of each account size. Every figure is reported as a ratio
// to the p50 of the `allow := true` floor measured in the same benchmark:
// right before its timed loop, between its calls and right after it.
//
// Metrics: p50/floor and p99/floor (per-call latencies, nearest rank),
// floor-ns and p50-ns (for the growth ratio between sizes, which compares
// the calls themselves: dividing each by its own floor would add the
// floor's noise twice), stmts (the principal's
// statements), allow-share (Allow decisions in its request mix),
// planned-share (its requests that take a decision plan), and
// ns/op and allocs/op per call.

// floorCalls is how many floor evaluations are timed before and after
// each timed loop.
const floorCalls = 5000

// interleaveFloor times floor evaluations between the timed calls, every
// eighth call, with the benchmark timer stopped (they count neither in
// ns/op nor in allocs/op): the floor is then measured under the same load
// as the calls it divides, which matters on a shared machine.
func interleaveFloor(b *testing.B, fl *floorQuery, inputs []ast.Value, i int, into []time.Duration) []time.Duration {
	if i%8 != 0 {
		return into
	}
	b.StopTimer()
	into = append(into, fl.sample(b, inputs, 16)...)
	b.StartTimer()
	return into
}

// BenchmarkFloor times the floor alone: `allow := true`, prepared once,
// evaluated with Engine.DecideValue's options over the example account's
// request inputs.
func BenchmarkFloor(b *testing.B) {
	f := getFixture(b, "example")
	var inputs []ast.Value
	for _, r := range requestMix(accountgen.Percentile(f.ranked, 50), f.exp) {
		inputs = append(inputs, inputValue(b, r))
	}
	fl := newFloor(b)
	ctx := context.Background()
	fl.sample(b, inputs, floorCalls) // warm up
	s := newSamples()
	runtime.GC()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		t0 := time.Now()
		ok := fl.eval(ctx, inputs[i%len(inputs)])
		s.add(time.Since(t0))
		if !ok {
			b.Fatal("allow := true did not evaluate to true")
		}
		i++
	}
	p50 := percentile(s.d, 50)
	b.ReportMetric(float64(p50.Nanoseconds()), "floor-ns")
	b.ReportMetric(float64(percentile(s.d, 99))/float64(p50), "p99/floor")
}

// BenchmarkDecide times Engine.Decide (a Go rego.Request in, a
// rego.Decision out: what an embedding Go service calls).
func BenchmarkDecide(b *testing.B) { decideSizes(b, false) }

// BenchmarkDecideValue times Engine.DecideValue on a prebuilt OPA input
// value (what a sidecar evaluates), for the median principal: the
// difference to BenchmarkDecide is the request/decision conversion.
func BenchmarkDecideValue(b *testing.B) { decideSizes(b, true) }

func decideSizes(b *testing.B, value bool) {
	for _, size := range sizes() {
		b.Run("account="+size, func(b *testing.B) {
			f := getFixture(b, size)
			who := []struct {
				name string
				pct  float64
			}{{"median", 50}, {"p99", 99}}
			if value {
				who = who[:1]
			}
			for _, w := range who {
				p := accountgen.Percentile(f.ranked, w.pct)
				b.Run("principal="+w.name, func(b *testing.B) { decideOne(b, f, p, value) })
			}
		})
	}
}

func decideOne(b *testing.B, f *fixture, p accountgen.Principal, value bool) {
	eng := engineFor(b, f)
	ctx := context.Background()
	reqs := requestMix(p, f.exp)
	inputs := make([]ast.Value, len(reqs))
	want := make([]string, len(reqs))
	allows, planned := 0, 0
	for i, r := range reqs {
		inputs[i] = inputValue(b, r)
		if ok, err := eng.Planned(ctx, inputs[i]); err != nil {
			b.Fatal(err)
		} else if ok {
			planned++
		}
		d := eng.Decide(ctx, r)
		if d.Error != "" {
			b.Fatalf("%s %s on %s: %s", r.Principal.ARN, r.Action, r.Resource.ARN, d.Error)
		}
		if v := eng.DecideValue(ctx, inputs[i]); v.Decision != d.Decision {
			b.Fatalf("%s %s on %s: Decide says %s, DecideValue %s", r.Principal.ARN, r.Action, r.Resource.ARN, d.Decision, v.Decision)
		}
		want[i] = d.Decision
		if d.Decision == rego.Allow {
			allows++
		}
	}
	b.Logf("%s: %s (%d policies, %d statements), %d of %d requests allowed", f.name, p.ARN, p.Policies, p.Statements, allows, len(reqs))
	for range 3 { // warm up caches
		for i := range reqs {
			eng.Decide(ctx, reqs[i])
		}
	}
	fl := newFloor(b)
	before := fl.sample(b, inputs, floorCalls)
	s := newSamples()
	var between []time.Duration
	runtime.GC()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := i % len(reqs)
		var d rego.Decision
		t0 := time.Now()
		if value {
			d = eng.DecideValue(ctx, inputs[k])
		} else {
			d = eng.Decide(ctx, reqs[k])
		}
		s.add(time.Since(t0))
		if d.Decision != want[k] || d.Error != "" {
			b.Fatalf("%s %s: got %s %s, want %s", reqs[k].Action, reqs[k].Resource.ARN, d.Decision, d.Error, want[k])
		}
		i++
		between = interleaveFloor(b, fl, inputs, i, between)
	}
	after := fl.sample(b, inputs, floorCalls)
	floor := percentile(append(append(before, after...), between...), 50)
	b.ReportMetric(float64(percentile(s.d, 50))/float64(floor), "p50/floor")
	b.ReportMetric(float64(percentile(s.d, 99))/float64(floor), "p99/floor")
	b.ReportMetric(float64(floor.Nanoseconds()), "floor-ns")
	b.ReportMetric(float64(percentile(s.d, 50).Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(p.Statements), "stmts")
	b.ReportMetric(float64(allows)/float64(len(reqs)), "allow-share")
	b.ReportMetric(float64(planned)/float64(len(reqs)), "planned-share")
}
