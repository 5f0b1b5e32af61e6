package sidecar_test

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"sync"
	"testing"

	"github.com/iam2rego/iam2rego/benchmarks/gen/accountgen"
	"github.com/iam2rego/iam2rego/internal/sidecar"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/bundle"
	opa "github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"
	"github.com/open-policy-agent/opa/v1/topdown/cache"
)

// The entry point normalises raw client input (lower-cases the action,
// parses ARNs, resolves the principal's policies from bundle data) and
// then evaluates the generated policy rules `with input as` the
// normalised input. These tests and benchmarks check that OPA's rule index
// still selects those rules under that `with`: the work per decision must
// not grow with the number of statements.

// generatedBundle builds (once per options) the bundle of a generated
// account.
var generatedBundles sync.Map // GenOptions → func() (*bundle.Bundle, error)

func generatedBundle(tb testing.TB, o accountgen.GenOptions) *bundle.Bundle {
	tb.Helper()
	f, _ := generatedBundles.LoadOrStore(o, sync.OnceValues(func() (*bundle.Bundle, error) {
		g, err := accountgen.GenerateAccount(o)
		if err != nil {
			return nil, err
		}
		exp, err := g.Export(tb.TempDir())
		if err != nil {
			return nil, err
		}
		b, _, err := sidecar.Build(exp, nil)
		return b, err
	}))
	b, err := f.(func() (*bundle.Bundle, error))()
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

var matchedRe = regexp.MustCompile(`^\(matched (\d+) rules?`)

// indexWork evaluates the decision for input with a tracer and returns
// how many rules of generated policy packages the rule index handed to
// the evaluator, and how many rule bodies were entered in all.
func indexWork(t *testing.T, pq opa.PreparedEvalQuery, ivc cache.InterQueryValueCache, input map[string]any, indexing bool) (policyRules, entered int, decision string) {
	t.Helper()
	tr := topdown.NewBufferTracer()
	rs, err := pq.Eval(context.Background(), opa.EvalInput(input), opa.EvalQueryTracer(tr),
		opa.EvalRuleIndexing(indexing), opa.EvalInterQueryBuiltinValueCache(ivc))
	if err != nil || len(rs) != 1 {
		t.Fatalf("eval: %v %v", rs, err)
	}
	decision, _ = rs[0].Expressions[0].Value.(map[string]any)["decision"].(string)
	prefix := ast.MustParseRef("data.iam2rego.policies")
	for _, ev := range *tr {
		switch ev.Op {
		case topdown.IndexOp:
			if ev.Ref != nil && ev.Ref.HasPrefix(prefix) {
				m := matchedRe.FindStringSubmatch(ev.Message)
				if m == nil {
					t.Fatalf("unexpected index trace message %q", ev.Message)
				}
				n, _ := strconv.Atoi(m[1])
				policyRules += n
			}
		case topdown.EnterOp:
			entered++
		}
	}
	return policyRules, entered, decision
}

// With raw input — the action in upper case, the principal a plain STS
// session ARN — the rule index hands the evaluator the same number of
// policy rules whether the principal's policy has 10 or 1,000 statements
// (iam2rego's limit per document), and the evaluator enters the same
// number of rule bodies. Without the index the same evaluation visits
// every statement.
func TestRuleIndexSurvivesNormalisation(t *testing.T) {
	t.Parallel()
	sizes := []int{10, 100, accountgen.WidePerDocument}
	type work struct{ rules, entered int }
	results := map[string][]work{}
	ctx := context.Background()
	for _, n := range sizes {
		b := generatedBundle(t, accountgen.GenOptions{Principals: 10, WideStatements: n, Seed: 1})
		ivc := cache.NewInterQueryValueCache(ctx, nil)
		pq, err := opa.New(opa.Query(rego.DecisionQuery), opa.ParsedBundle("iam2rego", b),
			opa.InterQueryBuiltinValueCache(ivc)).PrepareForEval(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			i    int
			want string
		}{{"hit", n / 2, rego.Allow}, {"miss", n + 1, rego.ImplicitDeny}} {
			rules, entered, d := indexWork(t, pq, ivc, accountgen.WideRequest(c.i), true)
			if d != c.want {
				t.Fatalf("%d statements, %s: %s, want %s", n, c.name, d, c.want)
			}
			t.Logf("%5d statements, %-4s: the index returned %d policy rules; %d rule bodies entered", n, c.name, rules, entered)
			results[c.name] = append(results[c.name], work{rules, entered})
			if n == sizes[len(sizes)-1] && c.name == "miss" {
				off, offEntered, d := indexWork(t, pq, ivc, accountgen.WideRequest(c.i), false)
				t.Logf("%5d statements, %-4s, no rule index: %d policy rules; %d rule bodies entered", n, c.name, off, offEntered)
				if d != c.want {
					t.Fatalf("without the index: %s, want %s", d, c.want)
				}
				if off < n {
					t.Errorf("without the index only %d policy rules were visited: the counter does not measure the index", off)
				}
			}
		}
	}
	for name, ws := range results {
		for _, w := range ws[1:] {
			if w != ws[0] {
				t.Errorf("%s: the work grows with the statements: %+v (sizes %v)", name, ws, sizes)
			}
		}
	}
}

// The generated account decides its requests as they were written (a
// check on the load test's input, on a small account).
func TestGeneratedAccount(t *testing.T) {
	t.Parallel()
	g, err := accountgen.GenerateAccount(accountgen.GenOptions{Principals: 100, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	b := generatedBundle(t, accountgen.GenOptions{Principals: 100, Seed: 7})
	eng, err := rego.PrepareBundle(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for i, in := range g.Requests[:150] {
		d := eng.DecideInput(context.Background(), in)
		counts[d.Decision]++
		if d.Decision != g.Expected[i] || d.Error != "" {
			t.Errorf("request %d %v: %s (%s: %s), want %s", i, in, d.Decision, d.Step, d.Reason, g.Expected[i])
		}
	}
	t.Logf("decisions: %v", counts)
}

// floorNs is the floor's ns/op in this benchmark run (BenchmarkEntryPoint
// measures it first).
var floorNs float64

func reportFloor(b *testing.B) {
	if floorNs > 0 {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/floorNs, "x-floor")
	}
}

var engines sync.Map // string → *rego.Engine

func engineFor(b *testing.B, key string, bundle func() *bundle.Bundle, opts ...rego.Option) *rego.Engine {
	b.Helper()
	if e, ok := engines.Load(key); ok {
		return e.(*rego.Engine)
	}
	e, err := rego.PrepareBundle(context.Background(), bundle(), opts...)
	if err != nil {
		b.Fatal(err)
	}
	engines.Store(key, e)
	return e
}

// BenchmarkEntryPoint evaluates data.iam2rego.authz.decision in-process
// with raw client input, against an `allow := true` floor measured first
// in the same run (x-floor = ns/op ÷ the floor's ns/op):
//
//	go test -run '^$' -bench EntryPoint -benchtime 2000x ./internal/sidecar
//
// statements=N: one principal whose policies have N statements (one
// policy up to 1,000 statements, then several); hit asks for statement
// N/2, miss for none. noindex turns OPA's rule index off.
// principals=N: a generated account of N users and roles, requests
// rotating over the load test's mix.
func BenchmarkEntryPoint(b *testing.B) {
	ctx := context.Background()
	b.Run("floor", func(b *testing.B) {
		fb, err := sidecar.FloorBundle()
		if err != nil {
			b.Fatal(err)
		}
		pq, err := opa.New(opa.Query("data.iam2rego.authz.allow"), opa.ParsedBundle("floor", fb)).PrepareForEval(ctx)
		if err != nil {
			b.Fatal(err)
		}
		in, err := ast.InterfaceToValue(accountgen.WideRequest(1))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			rs, err := pq.Eval(ctx, opa.EvalParsedInput(in))
			if err != nil || len(rs) != 1 || rs[0].Expressions[0].Value != true {
				b.Fatal(rs, err)
			}
		}
		floorNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	for _, n := range []int{10, 1000, 5000} {
		o := accountgen.GenOptions{Principals: 10, WideStatements: n, Seed: 1}
		bundle := func() *bundle.Bundle { return generatedBundle(b, o) }
		for _, c := range []struct {
			name    string
			i       int
			want    string
			indexed bool
		}{{"hit", n / 2, rego.Allow, true}, {"miss", n + 1, rego.ImplicitDeny, true}, {"miss/noindex", n + 1, rego.ImplicitDeny, false}} {
			if !c.indexed && n == 10 {
				continue
			}
			b.Run(fmt.Sprintf("statements=%d/%s", n, c.name), func(b *testing.B) {
				eng := engineFor(b, fmt.Sprint("wide", n, c.indexed), bundle, rego.WithRuleIndexing(c.indexed))
				in := accountgen.WideRequest(c.i)
				b.ReportAllocs()
				for b.Loop() {
					if d := eng.DecideInput(ctx, in); d.Decision != c.want {
						b.Fatalf("%s: %s", d.Decision, d.Reason)
					}
				}
				reportFloor(b)
			})
		}
	}
	for _, n := range []int{10, 1000, 5000} {
		o := accountgen.GenOptions{Principals: n, Seed: 1}
		b.Run(fmt.Sprintf("principals=%d", n), func(b *testing.B) {
			eng := engineFor(b, fmt.Sprint("principals", n), func() *bundle.Bundle { return generatedBundle(b, o) })
			g, err := accountgen.GenerateAccount(o)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if d := eng.DecideInput(ctx, g.Requests[i%len(g.Requests)]); d.Decision != g.Expected[i%len(g.Expected)] {
					b.Fatalf("request %d: %s: %s", i, d.Decision, d.Reason)
				}
				i++
			}
			reportFloor(b)
		})
	}
}
