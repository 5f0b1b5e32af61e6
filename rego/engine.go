package rego

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/open-policy-agent/opa/v1/metrics"
	opa "github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/topdown/cache"
)

// DecisionQuery is the entry point the engine evaluates.
const DecisionQuery = "data.iam2rego.authz.decision"

// Engine is a prepared decision query. Prepare it once; Decide is safe for
// concurrent use.
type Engine struct {
	pq       opa.PreparedEvalQuery
	ivc      cache.InterQueryValueCache
	indexing bool
}

// Option configures Prepare.
type Option func(*config)

type config struct {
	data     map[string]any
	indexing bool
}

// WithData adds base documents (bundle data) under data.
func WithData(d map[string]any) Option { return func(c *config) { c.data = d } }

// WithRuleIndexing switches OPA's rule index on (the default) or off; the
// decisions must not change (tests compare both).
func WithRuleIndexing(on bool) Option { return func(c *config) { c.indexing = on } }

// Prepare compiles the library with the given policy modules (keyed by file
// name) and prepares the decision query.
func Prepare(ctx context.Context, policies map[string]*ast.Module, opts ...Option) (*Engine, error) {
	cfg := config{indexing: true}
	for _, o := range opts {
		o(&cfg)
	}
	lib, err := libraryModules()
	if err != nil {
		return nil, err
	}
	ivc := cache.NewInterQueryValueCache(ctx, nil)
	args := []func(*opa.Rego){
		opa.Query(DecisionQuery),
		opa.InterQueryBuiltinValueCache(ivc),
		opa.SetRegoVersion(ast.RegoV1),
	}
	for _, m := range lib {
		args = append(args, opa.ParsedModule(m))
	}
	for _, m := range policies {
		args = append(args, opa.ParsedModule(m))
	}
	if cfg.data != nil {
		args = append(args, opa.Store(inmem.NewFromObjectWithOpts(cfg.data, inmem.OptRoundTripOnWrite(false))))
	}
	pq, err := opa.New(args...).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("preparing the decision query: %w", err)
	}
	return &Engine{pq: pq, ivc: ivc, indexing: cfg.indexing}, nil
}

// PrepareBundle prepares the decision query over a bundle written by
// `iam2rego build`. The bundle carries its own copy of the library, so the
// embedded one is not added: a bundle decides as it was built.
func PrepareBundle(ctx context.Context, b *bundle.Bundle, opts ...Option) (*Engine, error) {
	cfg := config{indexing: true}
	for _, o := range opts {
		o(&cfg)
	}
	ivc := cache.NewInterQueryValueCache(ctx, nil)
	pq, err := opa.New(
		opa.Query(DecisionQuery),
		opa.InterQueryBuiltinValueCache(ivc),
		opa.SetRegoVersion(ast.RegoV1),
		opa.ParsedBundle("iam2rego", b),
	).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("preparing the decision query over the bundle: %w", err)
	}
	return &Engine{pq: pq, ivc: ivc, indexing: cfg.indexing}, nil
}

// Decide answers one request. It never fails open: an evaluation error or
// an undefined result is an ImplicitDeny whose Error says why.
func (e *Engine) Decide(ctx context.Context, req Request) Decision {
	in, err := requestValue(req)
	if err != nil {
		return failClosed(err)
	}
	return e.DecideValue(ctx, in)
}

// DecideValue answers a request given as a raw OPA input value (the
// sidecar's input shape).
func (e *Engine) DecideValue(ctx context.Context, input ast.Value) Decision {
	rs, err := e.pq.Eval(ctx,
		opa.EvalParsedInput(input),
		opa.EvalInterQueryBuiltinValueCache(e.ivc),
		opa.EvalRuleIndexing(e.indexing),
		opa.EvalMetrics(metrics.NoOp()),
	)
	if err != nil {
		return failClosed(fmt.Errorf("evaluation error: %w", err))
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return failClosed(fmt.Errorf("the decision is undefined"))
	}
	return decode(rs[0].Expressions[0].Value)
}

func failClosed(err error) Decision {
	return Decision{Decision: ImplicitDeny, Step: "error", Reason: err.Error(), Error: err.Error(), Statements: []Statement{}}
}

// decode converts the decision object; anything unexpected is a deny.
func decode(v any) Decision {
	b, err := json.Marshal(v)
	if err != nil {
		return failClosed(err)
	}
	var d Decision
	if err := json.Unmarshal(b, &d); err != nil {
		return failClosed(fmt.Errorf("malformed decision: %w", err))
	}
	switch d.Decision {
	case Allow, ImplicitDeny, ExplicitDeny:
	default:
		return failClosed(fmt.Errorf("malformed decision %q", d.Decision))
	}
	if d.Decision != Allow || d.Error != "" {
		d.Allow = false
	}
	if d.Statements == nil {
		d.Statements = []Statement{}
	}
	return d
}

// DecideInput answers a request given as generic JSON values (numbers as
// json.Number), the shape a sidecar's clients send.
func (e *Engine) DecideInput(ctx context.Context, input map[string]any) Decision {
	v, err := ast.InterfaceToValue(input)
	if err != nil {
		return failClosed(err)
	}
	return e.DecideValue(ctx, v)
}

// requestValue builds the raw input object for a request.
func requestValue(req Request) (ast.Value, error) {
	in := map[string]any{
		"principal": req.Principal,
		"action":    req.Action,
		"resource":  req.Resource,
	}
	// Without policies the library reads them from bundle data.
	if !req.Policies.empty() {
		in["policies"] = req.Policies
	}
	if req.Context != nil {
		in["context"] = req.Context
	}
	if req.ManagementAccount != "" {
		in["organization"] = map[string]any{"managementAccount": req.ManagementAccount}
	}
	b, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber() // keep 1700000001 as written, not as a float
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return nil, err
	}
	return ast.InterfaceToValue(generic)
}
