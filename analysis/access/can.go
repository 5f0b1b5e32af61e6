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

// MaxProbes bounds the requests Can decides for one principal.
const MaxProbes = 500_000

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
}

// probe is one candidate request.
type probe struct{ action, resource, pattern string }

// Can decides, for a user or role of the bundle, every catalogue action
// that an Allow statement of its identity policies, or of a resource
// policy in the bundle that names it or its account, can match, on the
// resources those statements can match: the resources the bundle knows,
// "*", and a witness ARN for each other pattern. It lists the allowed
// ones with their decisions.
func Can(ctx context.Context, eng *rego.Engine, b *bundle.Bundle, principal string, reqContext map[string]any) (*CanResult, error) {
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
	seen := map[probe]bool{}
	var probes []probe
	add := func(p probe) {
		if !seen[p] {
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
	res := &CanResult{Principal: principal, Allowed: []Access{}}
	if len(probes) > MaxProbes {
		probes, res.Truncated = probes[:MaxProbes], true
	}
	res.Checked = len(probes)
	reqs := make([]rego.Request, len(probes))
	for i, p := range probes {
		reqs[i] = rego.Request{Principal: rego.Principal{ARN: principal}, Action: p.action, Resource: rego.Resource{ARN: p.resource, Account: ownerOf(p.resource, account)}, Context: reqContext}
	}
	for i, d := range kernel.DecideAll(ctx, eng, reqs) {
		if d.Allow {
			res.Allowed = append(res.Allowed, Access{Action: probes[i].action, Resource: probes[i].resource, Pattern: probes[i].pattern, Decision: d})
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
