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
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/topdown/cache"
)

// DecisionQuery is the entry point the engine evaluates for raw inputs
// (DecideValue, DecideInput), as an OPA sidecar does.
const DecisionQuery = "data.iam2rego.authz.decision"

// GeneralQuery is the general path alone (lib/authz.rego): what every
// request would be answered without its decision plan. Tests hold the two
// paths to the same answers (DecideGeneral).
const GeneralQuery = "data.iam2rego.authz.general_decision"

// PlanQuery says whether a request takes its decision plan.
const PlanQuery = "data.iam2rego.lib.plan_ok"

// Engine is a prepared decision query. Prepare it once; Decide is safe for
// concurrent use.
type Engine struct {
	pq       opa.PreparedEvalQuery // DecisionQuery
	general  opa.PreparedEvalQuery // GeneralQuery
	planned  opa.PreparedEvalQuery // PlanQuery
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
	var args []func(*opa.Rego)
	for _, m := range lib {
		args = append(args, opa.ParsedModule(m))
	}
	for _, m := range policies {
		args = append(args, opa.ParsedModule(m))
	}
	store := inmem.New()
	if cfg.data != nil {
		store = inmem.NewFromObjectWithOpts(cfg.data, inmem.OptRoundTripOnWrite(false))
	}
	e, err := prepare(ctx, ivc, store, args, cfg)
	if err != nil {
		return nil, fmt.Errorf("preparing the decision query: %w", err)
	}
	return e, nil
}

// prepare compiles once (the first query activates the modules or the
// bundle into a shared compiler and store) and prepares the three queries
// over it.
func prepare(ctx context.Context, ivc cache.InterQueryValueCache, store storage.Store, args []func(*opa.Rego), cfg config) (*Engine, error) {
	compiler := ast.NewCompiler().WithUseTypeCheckAnnotations(true).WithDefaultRegoVersion(ast.RegoV1)
	shared := []func(*opa.Rego){opa.Compiler(compiler), opa.Store(store), opa.SetRegoVersion(ast.RegoV1), opa.InterQueryBuiltinValueCache(ivc)}
	txn, err := store.NewTransaction(ctx, storage.WriteParams)
	if err != nil {
		return nil, err
	}
	pq, err := opa.New(append(append(shared, args...), opa.Query(DecisionQuery), opa.Transaction(txn))...).PrepareForEval(ctx)
	if err != nil {
		store.Abort(ctx, txn)
		return nil, err
	}
	if err := store.Commit(ctx, txn); err != nil {
		return nil, err
	}
	if err := checkLayout(compiler); err != nil {
		return nil, err
	}
	e := &Engine{pq: pq, ivc: ivc, indexing: cfg.indexing}
	if e.general, err = opa.New(append(shared, opa.Query(GeneralQuery))...).PrepareForEval(ctx); err != nil {
		return nil, err
	}
	if e.planned, err = opa.New(append(shared, opa.Query(PlanQuery))...).PrepareForEval(ctx); err != nil {
		return nil, err
	}
	return e, nil
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
	// The store returns AST values on read (opa run's
	// --optimize-store-for-read-speed): a decision plan reads the
	// caller's records on every request, and converting them each time
	// was 10-15% of a decision's allocations (5,000 principals: 2,882 ->
	// 2,463 per decision, activation heap +3%).
	store := inmem.NewWithOpts(inmem.OptReturnASTValuesOnRead(true))
	e, err := prepare(ctx, ivc, store, []func(*opa.Rego){opa.ParsedBundle("iam2rego", b)}, cfg)
	if err != nil {
		return nil, fmt.Errorf("preparing the decision query over the bundle: %w", err)
	}
	return e, nil
}

// Decide answers one request. It never fails open: an evaluation error or
// an undefined result is an ImplicitDeny whose Error says why. It
// evaluates the same query as DecideValue and an OPA sidecar
// (DecisionQuery): the library's decision plan where the request has one,
// the general path otherwise.
func (e *Engine) Decide(ctx context.Context, req Request) Decision {
	in, err := requestValue(req)
	if err != nil {
		return failClosed(err)
	}
	return e.DecideValue(ctx, in)
}

// DecideGeneral answers a raw input by the general path alone
// (GeneralQuery), as if no plan existed. It is for tests and checks that
// hold the decision plans to the general path; serving uses DecideValue.
func (e *Engine) DecideGeneral(ctx context.Context, input ast.Value) Decision {
	return e.eval(ctx, e.general, input, failClosed(fmt.Errorf("the decision is undefined")))
}

// Planned says whether a raw input takes its decision plan (PlanQuery).
func (e *Engine) Planned(ctx context.Context, input ast.Value) (bool, error) {
	rs, err := e.planned.Eval(ctx, e.evalOptions(input)...)
	if err != nil {
		return false, err
	}
	return len(rs) == 1 && len(rs[0].Expressions) == 1 && rs[0].Expressions[0].Value == true, nil
}

// RequestValue is the raw input object of a request, as DecideValue reads it.
func RequestValue(req Request) (ast.Value, error) { return requestValue(req) }

// eval runs a prepared decision query; undefined gives the fallback.
func (e *Engine) eval(ctx context.Context, pq opa.PreparedEvalQuery, input ast.Value, undefined Decision) Decision {
	rs, err := pq.Eval(ctx, e.evalOptions(input)...)
	if err != nil {
		return failClosed(fmt.Errorf("evaluation error: %w", err))
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return undefined
	}
	return decode(rs[0].Expressions[0].Value)
}

// evalOptions are the options of every evaluation: the input, the shared
// builtin cache, the rule-index switch, no metrics.
func (e *Engine) evalOptions(input ast.Value) []opa.EvalOption {
	return []opa.EvalOption{
		opa.EvalParsedInput(input),
		opa.EvalInterQueryBuiltinValueCache(e.ivc),
		opa.EvalRuleIndexing(e.indexing),
		opa.EvalMetrics(metrics.NoOp()),
	}
}

// DecideValue answers a request given as a raw OPA input value (the
// sidecar's input shape).
func (e *Engine) DecideValue(ctx context.Context, input ast.Value) Decision {
	return e.eval(ctx, e.pq, input, failClosed(fmt.Errorf("the decision is undefined")))
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
