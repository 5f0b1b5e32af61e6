package access

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/rego/cases"
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
	v, err := readView(b)
	if err != nil {
		return nil, err
	}
	callers := v.callers()
	reqs := make([]rego.Request, len(callers))
	for i, arn := range callers {
		reqs[i] = request(arn, q)
	}
	decisions := decideRequests(ctx, eng, reqs, nil)
	res := &WhoCanResult{Query: q, Checked: len(callers), Allowed: []Grant{}, External: []External{}}
	for i, arn := range callers {
		g := Grant{Principal: arn, Kind: kindOf(v, arn), Decision: decisions[i]}
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

// Principals lists the principals WhoCan decides for: every user and role
// of the bundle and the root of every account it holds, sorted.
func Principals(b *bundle.Bundle) ([]string, error) {
	v, err := readView(b)
	if err != nil {
		return nil, err
	}
	return v.callers(), nil
}

// decideRequests decides every request on every core through the
// engine's one decision path (cases.Decide: Engine.DecideValue over the
// raw input eval --bundle sends): the engine is safe for concurrent use,
// and each answer is the one `eval --bundle` gives the same request. Each
// decision passes through keep (one call at a time) before it is stored,
// when keep is set.
func decideRequests(ctx context.Context, eng *rego.Engine, reqs []rego.Request, keep func(rego.Decision) rego.Decision) []rego.Decision {
	out := make([]rego.Decision, len(reqs))
	workers := min(runtime.GOMAXPROCS(0), len(reqs))
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				d := cases.Decide(ctx, eng, reqs[i])
				if keep != nil {
					mu.Lock()
					d = keep(d)
					mu.Unlock()
				}
				out[i] = d
			}
		}()
	}
	for i := range reqs {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

func request(principal string, q Query) rego.Request {
	return rego.Request{
		Principal: rego.Principal{ARN: principal},
		Action:    q.Action,
		Resource:  rego.Resource{ARN: q.Resource, Account: q.ResourceAccount},
		Context:   q.Context,
	}
}

func kindOf(v *view, arn string) string {
	if k, ok := v.principals[arn]; ok {
		return k
	}
	if strings.HasSuffix(arn, ":root") {
		return "root"
	}
	return "unknown"
}
