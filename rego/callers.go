package rego

import (
	"context"
	"fmt"
	"sort"

	"github.com/open-policy-agent/opa/v1/ast"
	opa "github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
)

// callerQuery is the library's derivation of a request's caller from its
// principal alone (lib/caller.rego).
// with its decision plan (lib/plan.rego).
const callerQuery = "data.iam2rego.lib.build_caller"

// planQuery is what every request's plan shares (lib/plan.rego).
const planQuery = "data.iam2rego.lib.build_plan"

// PlanData is the library's data.iam2rego.plan: what the decision plans
// of every request share, computed from the library alone.
func PlanData(ctx context.Context) (any, error) {
	lib, err := libraryModules()
	if err != nil {
		return nil, err
	}
	args := []func(*opa.Rego){opa.Query(planQuery), opa.SetRegoVersion(ast.RegoV1)}
	for _, m := range lib {
		args = append(args, opa.ParsedModule(m))
	}
	rs, err := opa.New(args...).Eval(ctx)
	if err != nil {
		return nil, fmt.Errorf("evaluating %s: %w", planQuery, err)
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return nil, fmt.Errorf("%s is undefined", planQuery)
	}
	return rs[0].Expressions[0].Value, nil
}

// Callers evaluates the library's build_caller (derived_caller and its plan) for every principal of
// bundle data (data.iam2rego.principals, keyed by ARN), with the
// principal's ARN as the whole input. A bundle stores the result as
// data.iam2rego.callers, so that a decision finds its caller with one
// lookup instead of deriving it per request: the values are the Rego
// library's own, computed ahead. iam2rego is the bundle's data under its
// root (the object data.json holds under "iam2rego").
func Callers(ctx context.Context, iam2rego map[string]any) (map[string]any, error) {
	principals, _ := iam2rego["principals"].(map[string]any)
	out := make(map[string]any, len(principals))
	if len(principals) == 0 {
		return out, nil
	}
	lib, err := libraryModules()
	if err != nil {
		return nil, err
	}
	args := []func(*opa.Rego){
		opa.Query(callerQuery),
		opa.SetRegoVersion(ast.RegoV1),
		opa.Store(inmem.NewFromObjectWithOpts(map[string]any{"iam2rego": iam2rego}, inmem.OptRoundTripOnWrite(false))),
	}
	for _, m := range lib {
		args = append(args, opa.ParsedModule(m))
	}
	pq, err := opa.New(args...).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("preparing %s: %w", callerQuery, err)
	}
	arns := make([]string, 0, len(principals))
	for arn := range principals {
		arns = append(arns, arn)
	}
	sort.Strings(arns)
	for _, arn := range arns {
		in := ast.NewObject(ast.Item(ast.StringTerm("principal"), ast.StringTerm(arn)))
		rs, err := pq.Eval(ctx, opa.EvalParsedInput(in))
		if err != nil {
			return nil, fmt.Errorf("deriving the caller %s: %w", arn, err)
		}
		if len(rs) != 1 || len(rs[0].Expressions) != 1 {
			// Not a principal ARN the library can read: the bundle holds no
			// caller for it, and requests derive it (and fail) per request.
			continue
		}
		out[arn] = rs[0].Expressions[0].Value
	}
	return out, nil
}
