package rego

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	opa "github.com/open-policy-agent/opa/v1/rego"
)

// normCheck holds the queries that read the Rego normalisation itself.
type normCheck struct {
	shared []func(*opa.Rego) // the engine's compiler and store
	once   sync.Once
	errs   opa.PreparedEvalQuery
	norm   opa.PreparedEvalQuery
	decide opa.PreparedEvalQuery // DecisionQuery: the Rego normalisation and chain
	err    error
}

// CheckNormalization compares, for one request, the Go normalisation that
// Decide uses with the Rego library's (lib/input.rego, lib/caller.rego, lib/bundle.rego):
// the same input errors, or else the same normalised input, value for
// value; and then the Go decision chain with the Rego one (lib/decide.rego,
// lib/decision.rego) on that normalised request. It returns nil when they
// agree. It is slow (tests and audits).
func (e *Engine) CheckNormalization(ctx context.Context, req Request) error {
	c := &e.check
	c.once.Do(func() {
		if c.errs, c.err = opa.New(append(c.shared, opa.Query("x := data.iam2rego.lib.input_errors"))...).PrepareForEval(ctx); c.err != nil {
			return
		}
		if c.norm, c.err = opa.New(append(c.shared, opa.Query("x := data.iam2rego.lib.normalized"))...).PrepareForEval(ctx); c.err != nil {
			return
		}
		c.decide, c.err = opa.New(append(c.shared, opa.Query(DecisionQuery))...).PrepareForEval(ctx)
	})
	if c.err != nil {
		return c.err
	}
	raw, err := requestValue(req)
	if err != nil {
		return err
	}
	goValue, goErrs, goFail := e.norm.normalize(req)
	rs, err := c.errs.Eval(ctx, opa.EvalParsedInput(raw))
	if err != nil {
		return fmt.Errorf("rego input_errors: %w", err)
	}
	var regoErrs []string
	if len(rs) == 1 {
		list, _ := rs[0].Bindings["x"].([]any)
		for _, m := range list {
			regoErrs = append(regoErrs, fmt.Sprint(m))
		}
	}
	sort.Strings(regoErrs)
	if strings.Join(goErrs, "\n") != strings.Join(regoErrs, "\n") {
		return fmt.Errorf("input errors differ:\n  go:   %q\n  rego: %q", goErrs, regoErrs)
	}
	if len(goErrs) > 0 {
		return nil
	}
	rs, err = c.norm.Eval(ctx, opa.EvalParsedInput(raw))
	if err != nil || len(rs) != 1 {
		if goFail != nil {
			return nil // both fail
		}
		return fmt.Errorf("rego normalisation failed (%v) where Go gave %v", err, goValue)
	}
	if goFail != nil {
		return fmt.Errorf("go normalisation failed (%v) where Rego gave %v", goFail, rs[0].Bindings["x"])
	}
	want, err := ast.InterfaceToValue(rs[0].Bindings["x"])
	if err != nil {
		return err
	}
	// Compare as JSON carries both (a set comes back as an array).
	asJSON, err := ast.JSON(goValue)
	if err != nil {
		return err
	}
	got, err := ast.InterfaceToValue(asJSON)
	if err != nil {
		return err
	}
	if ast.Compare(got, want) != 0 {
		return fmt.Errorf("normalised inputs differ:\n  go:   %v\n  rego: %v", got, want)
	}
	// The two decision chains on the same normalised request (the Rego one
	// reads it as data.iam2rego.lib.normalized of the raw input).
	goDec := e.decideChain(ctx, goValue, req.Context)
	regoDec := e.eval(ctx, c.decide, raw, errorDecision([]string{"the request could not be normalised"}))
	if !SameDecision(goDec, regoDec) {
		return fmt.Errorf("decision chains differ:\n  go:   %+v\n  rego: %+v", goDec, regoDec)
	}
	return nil
}
