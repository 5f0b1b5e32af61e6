package access

import (
	"context"
	"fmt"

	"github.com/iam2rego/iam2rego/analysis/kernel"

	"github.com/iam2rego/iam2rego/rego"
	"github.com/open-policy-agent/opa/v1/bundle"
)

// Query is the request whose principal is asked for: an action on a
// resource, with the request context to assume.
type Query struct {
	Action   string
	Resource string
	// ResourceAccount owns the resource when neither its ARN nor the
	// bundle says.
	ResourceAccount string
	Context         map[string]any
}

// Grant is one principal of the bundle that is allowed, with the decision
// that says why.
type Grant struct {
	Principal string        `json:"principal"`
	Kind      string        `json:"kind"` // user, role or root
	Decision  rego.Decision `json:"decision"`
}

// WhoCanResult answers Query for a whole bundle.
type WhoCanResult struct {
	Query Query `json:"-"`
	// Allowed lists the bundle's principals that are allowed, sorted by ARN.
	Allowed []Grant `json:"allowed"`
	// Checked is how many principals were decided.
	Checked int `json:"checked"`
	// Errors lists principals whose request could not be decided (each
	// is a deny, said here rather than dropped).
	Errors []Grant `json:"errors,omitempty"`
	// External lists who outside the bundle the resource's policy lets in.
	External []External `json:"external"`
}

// WhoCan decides q for every principal of the bundle (users, roles as
// their sessions, each account's root) with eng, which must be prepared
// over b, and lists the resource policy's grants to principals outside it.
func WhoCan(ctx context.Context, eng *rego.Engine, b *bundle.Bundle, q Query) (*WhoCanResult, error) {
	v, err := kernel.NewView("the bundle", b)
	if err != nil {
		return nil, err
	}
	callers := v.CallerARNs()
	reqs := make([]rego.Request, len(callers))
	for i, arn := range callers {
		reqs[i] = request(arn, q)
	}
	decisions := kernel.DecideAll(ctx, eng, reqs)
	res := &WhoCanResult{Query: q, Checked: len(callers), Allowed: []Grant{}, External: []External{}}
	for i, arn := range callers {
		g := Grant{Principal: arn, Kind: v.Kind(arn), Decision: decisions[i]}
		switch {
		case g.Decision.Error != "":
			res.Errors = append(res.Errors, g)
		case g.Decision.Allow:
			res.Allowed = append(res.Allowed, g)
		}
	}
	if len(res.Errors) == len(callers) && len(callers) > 0 {
		return nil, fmt.Errorf("no principal could be decided: %s", res.Errors[0].Decision.Error)
	}
	ext, err := external(v, q)
	if err != nil {
		return nil, err
	}
	res.External = ext
	return res, nil
}

// Undecided is an error when some principals' requests could not be
// decided.
func (r *WhoCanResult) Undecided() error {
	if len(r.Errors) == 0 {
		return nil
	}
	return fmt.Errorf("%d of %d principals could not be decided, first %s: %s", len(r.Errors), r.Checked, r.Errors[0].Principal, r.Errors[0].Decision.Error)
}

// Principals lists the principals WhoCan decides for: every user and role
// of the bundle and the root of every account it holds, sorted.
func Principals(b *bundle.Bundle) ([]string, error) {
	v, err := kernel.NewView("the bundle", b)
	if err != nil {
		return nil, err
	}
	return v.CallerARNs(), nil
}

func request(principal string, q Query) rego.Request {
	return rego.Request{
		Principal: rego.Principal{ARN: principal},
		Action:    q.Action,
		Resource:  rego.Resource{ARN: q.Resource, Account: q.ResourceAccount},
		Context:   q.Context,
	}
}
