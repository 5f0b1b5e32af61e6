package access

import (
	"context"
	"fmt"
	"sort"

	"github.com/iam2rego/iam2rego/analysis/kernel"
	"github.com/iam2rego/iam2rego/arn"

	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/iam2rego/iam2rego/translator/catalog"
	"github.com/open-policy-agent/opa/v1/bundle"
)

// DefaultMaxProbes bounds the requests Can decides for one principal
// when its caller gives no bound (`can --max-probes`): the time, memory
// and output of one call grow with it, never past it.
const DefaultMaxProbes = 20_000

// Access is one allowed request: an action on a resource.
type Access struct {
	Action string `json:"action"`
	// Resource is the ARN decided: a resource the bundle knows, "*", or a
	// witness of Pattern.
	Resource string `json:"resource"`
	// Pattern is the policy's resource pattern Resource stands for, when
	// Resource is a witness (a concrete ARN the pattern matches).
	Pattern  string        `json:"pattern,omitempty"`
	Decision rego.Decision `json:"decision"`
}

// CanResult says what a principal of the bundle may do.
type CanResult struct {
	Principal string   `json:"principal"`
	Allowed   []Access `json:"allowed"`
	// Checked is how many requests were decided; Truncated says that the
	// candidates exceeded MaxProbes and only the first were decided.
	Checked   int  `json:"checked"`
	Truncated bool `json:"truncated,omitempty"`
	MaxProbes int  `json:"max_probes"`
	// Errors lists the requests that could not be decided (each a deny,
	// said here rather than dropped; the CLI then exits 2).
	Errors []Access `json:"errors,omitempty"`
	// Policies names, once per policy, where each policy of the
	// decisions' statements is used; the statements themselves carry no
	// names, so that a policy shared by a thousand principals is not
	// repeated on every allowed request.
	Policies map[string][]string `json:"policies"`
}

// Undecided is an error when some requests could not be decided.
func (r *CanResult) Undecided() error {
	if len(r.Errors) == 0 {
		return nil
	}
	e := r.Errors[0]
	return fmt.Errorf("%d of %d requests could not be decided, first %s on %s: %s", len(r.Errors), r.Checked, e.Action, e.Resource, e.Decision.Error)
}

// keep stores a decision's statement names once in r.Policies and returns
// the decision without them.
func (r *CanResult) keep(d rego.Decision) rego.Decision {
	if len(d.Statements) == 0 {
		return d
	}
	d.Statements = append([]rego.Statement(nil), d.Statements...)
	for i := range d.Statements {
		st := &d.Statements[i]
		if _, ok := r.Policies[st.Policy]; !ok && len(st.Names) > 0 {
			r.Policies[st.Policy] = st.Names
		}
		st.Names = nil
	}
	return d
}

// probe is one candidate request.
type probe struct{ action, resource, pattern string }

// Can decides, for a user or role of the bundle, every catalogue action
// that an Allow statement of its identity policies, or of a resource
// policy in the bundle that names it or its account, can match, on the
// resources those statements can match: the resources the bundle knows,
// "*", and a witness ARN for each other pattern. It lists the allowed
// ones with their decisions. At most maxProbes requests are gathered and
// decided (0: DefaultMaxProbes; negative is an error); the result says
// when the bound cut them short.
func Can(ctx context.Context, eng *rego.Engine, b *bundle.Bundle, principal string, reqContext map[string]any, maxProbes int) (*CanResult, error) {
	switch {
	case maxProbes < 0:
		return nil, fmt.Errorf("the probe bound must be positive, got %d", maxProbes)
	case maxProbes == 0:
		maxProbes = DefaultMaxProbes
	}
	v, err := kernel.NewView("the bundle", b)
	if err != nil {
		return nil, err
	}
	p := v.Principals[principal]
	if p == nil {
		return nil, fmt.Errorf("%s is not a user or role of the bundle", principal)
	}
	account := arn.Account(principal)
	vars := v.Variables(principal)
	res := &CanResult{Principal: principal, Allowed: []Access{}, MaxProbes: maxProbes, Policies: map[string][]string{}}
	seen := map[probe]bool{}
	var probes []probe
	add := func(p probe) {
		switch {
		case seen[p]:
		case len(probes) >= maxProbes:
			res.Truncated = true
		default:
			seen[p] = true
			probes = append(probes, p)
		}
	}
	known := v.KnownResources()
	all := catalog.AllActions()
	for _, name := range p.Identity {
		pol, err := v.Policy(name, translator.Identity)
		if err != nil {
			return nil, err
		}
		for _, st := range pol.Statements {
			if st.Effect == translator.Allow {
				identityProbes(st, all, known, account, vars, add)
			}
		}
	}
	for _, res := range known {
		for _, name := range v.Resources[res].Policy {
			pol, err := v.Policy(name, kernel.ResourceType(res))
			if err != nil {
				return nil, err
			}
			for _, st := range pol.Statements {
				if st.Effect == translator.Allow && kernel.MayApplyTo(st, principal, account) {
					for _, a := range kernel.ActionsOf(st, all) {
						add(probe{action: a, resource: res})
					}
				}
			}
		}
	}
	res.Checked = len(probes)
	reqs := make([]rego.Request, len(probes))
	for i, p := range probes {
		reqs[i] = rego.Request{Principal: rego.Principal{ARN: principal}, Action: p.action, Resource: rego.Resource{ARN: p.resource, Account: ownerOf(p.resource, account)}, Context: reqContext}
	}
	for i, d := range kernel.DecideAllKeeping(ctx, eng, reqs, res.keep) {
		a := Access{Action: probes[i].action, Resource: probes[i].resource, Pattern: probes[i].pattern, Decision: d}
		switch {
		case d.Error != "":
			res.Errors = append(res.Errors, a)
		case d.Allow:
			res.Allowed = append(res.Allowed, a)
		}
	}
	sort.Slice(res.Allowed, func(i, j int) bool {
		a, b := res.Allowed[i], res.Allowed[j]
		if a.Resource != b.Resource {
			return a.Resource < b.Resource
		}
		return a.Action < b.Action
	})
	return res, nil
}

// identityProbes adds the requests an identity-policy Allow statement can
// grant: its actions on the known resources of the action's service it
// matches, on "*" when it names "*" (or has NotResource), and on a
// witness of every other pattern (kernel.Witness, with the principal's
// values of policy variables).
func identityProbes(st *translator.Statement, all, known []string, account string, vars map[string]string, add func(probe)) {
	actions := kernel.ActionsOf(st, all)
	for _, a := range actions {
		for _, res := range known {
			if arn.Service(res) == kernel.Service(a) && kernel.MatchesResource(st, res) {
				add(probe{action: a, resource: res})
			}
		}
	}
	if st.NotResource {
		for _, a := range actions {
			add(probe{action: a, resource: "*"})
		}
		return
	}
	for _, r := range st.Resources {
		for _, a := range actions {
			if r.Raw == "*" {
				add(probe{action: a, resource: "*"})
				continue
			}
			w := kernel.Witness(r.Raw, a, account, vars) // a literal ARN stays as written
			if w == "" {
				continue
			}
			p := probe{action: a, resource: w}
			if w != r.Raw {
				p.pattern = r.Raw
			}
			add(p)
		}
	}
}

// ownerOf is the account to decide an ARN in when the ARN names none
// (an AWS-owned resource such as a Bedrock foundation model): the
// caller's own, as a request from the caller's account names it. ARNs
// that name their account, and "*", need nothing.
func ownerOf(resource, account string) string {
	if a, ok := arn.Parse(resource); ok && a.Account == "" {
		return account
	}
	return ""
}
