package rego_test

import (
	"context"
	"testing"

	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/metrics"
	opa "github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown/cache"
)

// Benchmarks of the in-process evaluator. DESIGN.md: report ratios to an
// in-run floor, never bare times — compare BenchmarkDecide* with
// BenchmarkFloor from the same `go test -bench` run. The floor is a
// prepared query over `allow := true` evaluated with the same options as
// Engine.DecideValue.

// benchSetup prepares an engine over a small, realistic policy set (an
// allow-all-but-deny identity policy, a conditional policy, a boundary and
// a bucket policy) and returns a request that is allowed through all of it.
func benchSetup(b *testing.B) (*rego.Engine, rego.Request) {
	b.Helper()
	mods := modSet{}
	idAllow := mods.compile(b, translator.Identity, policy(
		map[string]any{"Sid": "Read", "Effect": "Allow", "Action": []any{"s3:GetObject", "s3:List*"}, "Resource": "arn:aws:s3:::b/*"},
		map[string]any{"Sid": "NoLogs", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::*log*"},
	))
	idCond := mods.compile(b, translator.Identity, policy(allowGet(map[string]any{
		"IpAddress":                     map[string]any{"aws:SourceIp": []any{"203.0.113.0/24", "2001:db8::/32"}},
		"StringEqualsIfExists":          map[string]any{"aws:RequestedRegion": "us-east-1"},
		"Bool":                          map[string]any{"aws:SecureTransport": "true"},
		"ForAllValues:StringEquals":     map[string]any{"aws:TagKeys": []any{"env", "team"}},
		"StringLike":                    map[string]any{"s3:prefix": "home/${aws:username}/*"},
		"DateLessThan":                  map[string]any{"aws:CurrentTime": "2030-01-01T00:00:00Z"},
		"NumericLessThanEqualsIfExists": map[string]any{"s3:max-keys": "1000"},
	})))
	boundary := mods.compile(b, translator.Boundary, policy(map[string]any{"Effect": "Allow", "Action": []any{"s3:*", "ec2:*"}, "Resource": "*"}))
	bucket := mods.compile(b, translator.Resource, policy(
		map[string]any{"Sid": "DenyInsecure", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*",
			"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}},
		map[string]any{"Sid": "Other", "Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::222222222222:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
	))
	eng := mods.prepare(b)
	req := rego.Request{
		Principal: rego.Principal{ARN: aliceARN, Tags: map[string]string{"team": "red"}},
		Action:    "s3:GetObject",
		Resource:  rego.Resource{ARN: "arn:aws:s3:::b/home/alice/x", Account: acctA},
		Context: map[string]any{
			"aws:SourceIp":        "203.0.113.7",
			"aws:SecureTransport": "true",
			"aws:TagKeys":         []string{"env"},
			"s3:prefix":           "home/alice/docs",
			"aws:CurrentTime":     "2025-01-02T03:04:05Z",
		},
		Policies: rego.PolicyRefs{Identity: []string{idAllow, idCond}, Boundary: boundary, Resource: bucket},
	}
	if d := eng.Decide(context.Background(), req); d.Decision != rego.Allow {
		b.Fatalf("benchmark request: got %s, want Allow", brief(d))
	}
	return eng, req
}

// requestInput is the raw input value of a request, in the shape Decide
// builds (and an OPA sidecar receives).
func requestInput(b *testing.B, req rego.Request) ast.Value {
	b.Helper()
	ctx := map[string]any{}
	for k, v := range req.Context {
		if l, ok := v.([]string); ok {
			vs := make([]any, len(l))
			for i, s := range l {
				vs[i] = s
			}
			v = vs
		}
		ctx[k] = v
	}
	tags := map[string]any{}
	for k, v := range req.Principal.Tags {
		tags[k] = v
	}
	ids := make([]any, len(req.Policies.Identity))
	for i, s := range req.Policies.Identity {
		ids[i] = s
	}
	v, err := ast.InterfaceToValue(map[string]any{
		"principal": map[string]any{"arn": req.Principal.ARN, "tags": tags},
		"action":    req.Action,
		"resource":  map[string]any{"arn": req.Resource.ARN, "account": req.Resource.Account},
		"context":   ctx,
		"policies":  map[string]any{"identity": ids, "boundary": req.Policies.Boundary, "resource": req.Policies.Resource},
	})
	if err != nil {
		b.Fatal(err)
	}
	return v
}

// BenchmarkDecide measures Engine.Decide from a Go Request (including the
// conversion of the request to an OPA value).
func BenchmarkDecide(b *testing.B) {
	eng, req := benchSetup(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if d := eng.Decide(ctx, req); !d.Allow {
			b.Fatalf("got %s", brief(d))
		}
	}
}

// BenchmarkDecideValue measures Engine.DecideValue from a prebuilt input
// value (the evaluation alone).
func BenchmarkDecideValue(b *testing.B) {
	eng, req := benchSetup(b)
	in := requestInput(b, req)
	ctx := context.Background()
	if d := eng.DecideValue(ctx, in); !d.Allow {
		b.Fatalf("input value: got %s", brief(d))
	}
	b.ReportAllocs()
	for b.Loop() {
		if d := eng.DecideValue(ctx, in); !d.Allow {
			b.Fatalf("got %s", brief(d))
		}
	}
}

// BenchmarkFloor is the in-run floor: `allow := true` prepared once and
// evaluated with the same options and the same input as DecideValue.
func BenchmarkFloor(b *testing.B) {
	_, req := benchSetup(b)
	in := requestInput(b, req)
	ctx := context.Background()
	mod, err := ast.ParseModuleWithOpts("floor.rego", "package floor\nallow := true\n", ast.ParserOptions{RegoVersion: ast.RegoV1})
	if err != nil {
		b.Fatal(err)
	}
	ivc := cache.NewInterQueryValueCache(ctx, nil)
	pq, err := opa.New(
		opa.Query("data.floor.allow"),
		opa.ParsedModule(mod),
		opa.InterQueryBuiltinValueCache(ivc),
		opa.SetRegoVersion(ast.RegoV1),
	).PrepareForEval(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		rs, err := pq.Eval(ctx,
			opa.EvalParsedInput(in),
			opa.EvalInterQueryBuiltinValueCache(ivc),
			opa.EvalRuleIndexing(true),
			opa.EvalMetrics(metrics.NoOp()),
		)
		if err != nil || len(rs) != 1 || rs[0].Expressions[0].Value != true {
			b.Fatalf("floor: %v %v", rs, err)
		}
	}
}
