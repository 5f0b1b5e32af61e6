package rego

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

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

// matchQuery finds the statements that apply to a normalised input: one
// evaluation of the indexed partial set all policies share. Decide joins
// them with the request's policies and runs the decision chain in Go.
const matchQuery = "data.iam2rego.policies.match"

// rcpServicesQuery reads the services RCPs apply to, once at Prepare.
const rcpServicesQuery = "data.iam2rego.lib.rcp_services"

// loadedQuery lists the policy ids a request may name.
const loadedQuery = "{pid | _ = data.iam2rego.policies[pid].statements}"

// Engine is a prepared decision query. Prepare it once; Decide is safe for
// concurrent use.
type Engine struct {
	pq       opa.PreparedEvalQuery // DecisionQuery, over raw input
	pqMatch  opa.PreparedEvalQuery // matchQuery, over Go-normalised input
	rcp      map[string]bool       // services RCPs apply to
	protect  protectedTable        // protected resources (lib/protected.rego)
	norm     normalizer
	check    normCheck // CheckNormalization's queries, prepared on first use
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
	if err := e.norm.setData(cfg.data); err != nil {
		return nil, err
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
	pqMatch, err := opa.New(append(shared, opa.Query(matchQuery))...).PrepareForEval(ctx)
	if err != nil {
		return nil, err
	}
	loaded, err := stringSet(ctx, shared, loadedQuery)
	if err != nil {
		return nil, err
	}
	rcp, err := stringSet(ctx, shared, rcpServicesQuery)
	if err != nil {
		return nil, err
	}
	if len(rcp) == 0 {
		return nil, fmt.Errorf("the library defines no services for RCPs (%s)", rcpServicesQuery)
	}
	protect, err := loadProtected(ctx, shared)
	if err != nil {
		return nil, err
	}
	e := &Engine{pq: pq, pqMatch: pqMatch, rcp: rcp, protect: protect, ivc: ivc, indexing: cfg.indexing, norm: normalizer{loaded: loaded}}
	e.check.shared = shared
	return e, nil
}

// stringSet evaluates a query whose value is a set of strings, once.
func stringSet(ctx context.Context, shared []func(*opa.Rego), query string) (map[string]bool, error) {
	rs, err := opa.New(append(shared, opa.Query(query))...).Eval(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	if len(rs) == 1 && len(rs[0].Expressions) == 1 {
		list, _ := rs[0].Expressions[0].Value.([]any)
		for _, s := range list {
			if s, ok := s.(string); ok {
				out[s] = true
			}
		}
	}
	return out, nil
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
	e, err := prepare(ctx, ivc, inmem.New(), []func(*opa.Rego){opa.ParsedBundle("iam2rego", b)}, cfg)
	if err != nil {
		return nil, fmt.Errorf("preparing the decision query over the bundle: %w", err)
	}
	if err := e.norm.setData(b.Data); err != nil {
		return nil, err
	}
	return e, nil
}

// Decide answers one request. It never fails open: an evaluation error or
// an undefined result is an ImplicitDeny whose Error says why.
//
// The request is normalised in Go (normalize.go, the twin of the Rego
// normalisation that DecideValue runs); the statements that apply come
// from one evaluation of data.iam2rego.policies.match, and the decision
// chain runs in Go (chain.go, the twin of lib/decide.rego and
// lib/decision.rego). CheckNormalization compares both halves with the
// Rego library.
func (e *Engine) Decide(ctx context.Context, req Request) Decision {
	in, errs, err := e.norm.normalize(req)
	if err != nil {
		return failClosed(err)
	}
	if len(errs) > 0 {
		return errorDecision(errs)
	}
	return e.decideChain(ctx, in, req.Context)
}

// decideChain decides a normalised input: one evaluation of the match set,
// then the decision chain in Go (chain.go). rawContext is the request's
// context as the caller sent it, for the context checks' messages.
func (e *Engine) decideChain(ctx context.Context, in ast.Value, rawContext map[string]any) Decision {
	ci, err := readChainInput(in)
	if err != nil {
		return failClosed(err)
	}
	matches, err := e.matches(ctx, in)
	if err != nil {
		return failClosed(fmt.Errorf("evaluation error: %w", err))
	}
	if matches == nil && !noPolicies(ci) {
		// The request names policies, but no module defines match rules:
		// deciding without their statements could lose a deny.
		return failClosed(fmt.Errorf("%s is undefined although the request names policies", matchQuery))
	}
	matches, errs := splitChecks(matches, rawContext)
	if len(errs) > 0 {
		return errorDecision(errs)
	}
	c := chain{in: ci, rcpServices: e.rcp, protected: e.protect}
	c.hits = c.joinHits(matches, e.norm.policyNames)
	return c.decide()
}

// asTerm keeps a query's result as OPA's AST value (no JSON round trip).
func asTerm(t *ast.Term, _ *opa.EvalContext) (any, error) { return t, nil }

// matches evaluates data.iam2rego.policies.match over a normalised input:
// the statements that apply, as objects ({"effect", "index", "policy"}
// and, for resource policies, "kind"; "sid" when the statement has one).
func (e *Engine) matches(ctx context.Context, in ast.Value) ([]ast.Object, error) {
	rs, err := e.pqMatch.Eval(ctx, append(e.evalOptions(in), opa.EvalGenerateJSON(asTerm))...)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, nil // undefined: no policy module at all
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return nil, fmt.Errorf("%s gave %d results", matchQuery, len(rs))
	}
	t, ok := rs[0].Expressions[0].Value.(*ast.Term)
	if !ok {
		return nil, fmt.Errorf("%s gave %T", matchQuery, rs[0].Expressions[0].Value)
	}
	set, ok := t.Value.(ast.Set)
	if !ok {
		return nil, fmt.Errorf("%s is %v, not a set", matchQuery, ast.ValueName(t.Value))
	}
	out := make([]ast.Object, 0, set.Len()) // non-nil: defined, maybe empty
	var bad error
	set.Foreach(func(m *ast.Term) {
		if o, ok := m.Value.(ast.Object); ok {
			out = append(out, o)
		} else if bad == nil {
			bad = fmt.Errorf("%s holds %v, not an object", matchQuery, m)
		}
	})
	return out, bad
}

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

// DecideReference answers req the way an OPA sidecar does: the Rego
// library normalises the raw request (data.iam2rego.authz.decision).
// Decide must give the same answer; tests compare the two.
func (e *Engine) DecideReference(ctx context.Context, req Request) Decision {
	in, err := requestValue(req)
	if err != nil {
		return failClosed(err)
	}
	return e.DecideValue(ctx, in)
}

// SameDecision reports whether two answers agree: equal, or both failed
// closed at evaluation (where only the wording of the error may differ).
func SameDecision(a, b Decision) bool {
	if strings.HasPrefix(a.Error, "evaluation error") && strings.HasPrefix(b.Error, "evaluation error") {
		return true
	}
	return reflect.DeepEqual(a, b)
}

// errorDecision is the library's error_decision: the fail-closed answer
// to a request that cannot be decided (errors sorted, joined by "; ").
func errorDecision(errs []string) Decision {
	return failClosed(errors.New(strings.Join(errs, "; ")))
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
