package benchmarks_test

import (
	"context"
	"testing"
	"time"

	"github.com/iam2rego/iam2rego/benchmarks/gen/accountgen"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/open-policy-agent/opa/v1/ast"
)

// The benchmark workload itself, on the example account (fast; the
// benchmarks run it at every size): every request of every principal's
// mix decides without error, some are allowed and some denied, and the
// floor evaluates to true.
func TestWorkloadOnExample(t *testing.T) {
	f := getFixture(t, "example")
	eng := engineFor(t, f)
	if len(f.ranked) != 5 {
		t.Fatalf("the example account has %d principals, want 5", len(f.ranked))
	}
	ctx := context.Background()
	got := map[string]int{}
	var inputs []ast.Value
	for _, p := range f.ranked {
		for _, r := range requestMix(p, f.exp) {
			d := eng.Decide(ctx, r)
			if d.Error != "" {
				t.Errorf("%s %s on %s: %s", r.Principal.ARN, r.Action, r.Resource.ARN, d.Error)
			}
			in := inputValue(t, r)
			if v := eng.DecideValue(ctx, in); v.Decision != d.Decision {
				t.Errorf("%s %s: Decide %s, DecideValue %s", r.Principal.ARN, r.Action, d.Decision, v.Decision)
			}
			inputs = append(inputs, in)
			got[d.Decision]++
		}
	}
	if got[rego.Allow] == 0 || got[rego.ImplicitDeny]+got[rego.ExplicitDeny] == 0 {
		t.Errorf("decisions %v: want allows and denies", got)
	}
	if med := accountgen.Percentile(f.ranked, 50); med.Statements == 0 {
		t.Errorf("median principal %s has no statements", med.ARN)
	}
	newFloor(t).sample(t, inputs, 10)
}

func TestPercentile(t *testing.T) {
	ds := []int64{5, 1, 4, 2, 3}
	var in []time.Duration
	for _, d := range ds {
		in = append(in, time.Duration(d))
	}
	if p := percentile(in, 50); p != 3 {
		t.Errorf("p50 = %d", p)
	}
	if p := percentile(in, 99); p != 5 {
		t.Errorf("p99 = %d", p)
	}
}
