package benchmarks_test

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/open-policy-agent/opa/v1/ast"
)

// What makes a policy slow: one identity policy of n statements of one
// shape, none of which grants the request (the worst case: every candidate
// statement is evaluated), decided in-process and reported as p50/floor.
// A shape whose cost does not grow from n=1 to n=100 is indexed; one that
// grows is evaluated statement by statement. Each shape is built so that
// OPA's index cannot rule its statements out by a literal part alone: the
// policy variable sits below the request's bucket, the NotResource lists
// exclude the request's bucket, and the conditions start with one that
// holds (principal tag team=red) before the source-IP range that fails.

type shape struct {
	name string
	stmt func(i int) map[string]any
}

var shapes = []shape{
	{"exact", func(i int) map[string]any {
		return map[string]any{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket-" + strconv.Itoa(i) + "/data.csv"}
	}},
	{"prefix-wildcard", func(i int) map[string]any {
		return map[string]any{"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::bucket-" + strconv.Itoa(i) + "/*"}
	}},
	{"inner-wildcard", func(i int) map[string]any {
		return map[string]any{"Effect": "Allow", "Action": "s3:*Object*", "Resource": "arn:aws:s3:::bucket-*-" + strconv.Itoa(i) + "/*"}
	}},
	{"policy-variable", func(i int) map[string]any {
		return map[string]any{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket-x/home/${aws:username}/project-" + strconv.Itoa(i) + "/*"}
	}},
	{"not-action", func(i int) map[string]any {
		return map[string]any{"Effect": "Allow", "NotAction": []any{"s3:*", "svc" + strconv.Itoa(i) + ":*"}, "Resource": "*"}
	}},
	{"not-resource", func(i int) map[string]any {
		return map[string]any{"Effect": "Allow", "Action": "s3:GetObject", "NotResource": []any{"arn:aws:s3:::bucket-x/*", "arn:aws:s3:::other-" + strconv.Itoa(i) + "/*"}}
	}},
	{"five-conditions", func(i int) map[string]any {
		return map[string]any{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": map[string]any{
			"StringEquals":          map[string]any{"aws:PrincipalTag/team": "red"},
			"IpAddress":             map[string]any{"aws:SourceIp": "10." + strconv.Itoa(i%250) + ".0.0/16"},
			"Bool":                  map[string]any{"aws:SecureTransport": "true"},
			"DateLessThan":          map[string]any{"aws:CurrentTime": "2030-01-01T00:00:00Z"},
			"NumericLessThanEquals": map[string]any{"s3:max-keys": "1000"},
		}}
	}},
}

func BenchmarkShape(b *testing.B) {
	for _, sh := range shapes {
		for _, n := range []int{1, 100} {
			b.Run(fmt.Sprintf("shape=%s/statements=%d", sh.name, n), func(b *testing.B) { shapeOne(b, sh, n) })
		}
	}
}

func shapeOne(b *testing.B, sh shape, n int) {
	ctx := context.Background()
	stmts := make([]any, n)
	for i := range stmts {
		stmts[i] = sh.stmt(i)
	}
	c, err := translator.CompileDocument("shape.json", translator.Identity, map[string]any{"Version": "2012-10-17", "Statement": stmts})
	if err != nil {
		b.Fatal(err)
	}
	eng, err := rego.Prepare(ctx, map[string]*ast.Module{c.Name: c.Module})
	if err != nil {
		b.Fatal(err)
	}
	req := rego.Request{
		Principal: rego.Principal{ARN: "arn:aws:iam::111111111111:user/alice", Tags: map[string]string{"team": "red"}},
		Action:    "s3:GetObject",
		Resource:  rego.Resource{ARN: "arn:aws:s3:::bucket-x/home/bob/notes.txt", Account: "111111111111"},
		Context:   map[string]any{"aws:SourceIp": "192.0.2.10", "aws:SecureTransport": "true", "aws:CurrentTime": "2025-06-02T10:00:00Z"},
		Policies:  rego.PolicyRefs{Identity: []string{c.Name}},
	}
	if d := eng.Decide(ctx, req); d.Decision != rego.ImplicitDeny || d.Error != "" {
		b.Fatalf("%s: %s %s, want ImplicitDeny", sh.name, d.Decision, d.Error)
	}
	in := inputValue(b, req)
	// inputValue has no policies member; the floor does not read it.
	fl := newFloor(b)
	before := fl.sample(b, []ast.Value{in}, floorCalls)
	s := newSamples()
	var between []time.Duration
	runtime.GC()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		t0 := time.Now()
		d := eng.Decide(ctx, req)
		s.add(time.Since(t0))
		if d.Decision != rego.ImplicitDeny {
			b.Fatalf("got %s", d.Decision)
		}
		i++
		between = interleaveFloor(b, fl, []ast.Value{in}, i, between)
	}
	after := fl.sample(b, []ast.Value{in}, floorCalls)
	floor := percentile(append(append(before, after...), between...), 50)
	b.ReportMetric(float64(percentile(s.d, 50))/float64(floor), "p50/floor")
	b.ReportMetric(float64(c.Stats.Unindexed), "unindexed")
}
