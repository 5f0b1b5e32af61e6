package lint

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"sync"

	"github.com/iam2rego/iam2rego/analysis/kernel"
	"github.com/iam2rego/iam2rego/arn"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator"
)

// maxWitnesses bounds the resources one step is decided on (its
// contexts are bounded by kernel.MaxContexts).
const maxWitnesses = 16

// decider asks the engine of one bundle whether its holders can take the
// methods' steps.
type decider struct {
	ctx  context.Context
	eng  *rego.Engine
	view *kernel.View
	run  *runner // read only while deciding (sources)

	mu            sync.Mutex
	shared        map[string]*Probe   // a step's outcome for its share key (share.go)
	knownByAction map[string][]string // the bundle's resources of an action's types
}

// holderState is what is decided for one holder, once per step.
type holderState struct {
	arn, account, kind string
	tags               map[string]string
	vars               map[string]string
	stmts              map[translator.PolicyType][]*translator.Statement
	policies           []namedPolicy       // identity and boundary policies
	steps              map[string]*Probe   // by stepKey; nil: not allowed
	groups             map[string][]*Probe // steps decided together (together)
	lastOK             string              // contextKey of the last allowed probe
	own                map[string]source   // where the holder's own documents were read, by content name
	errs               []*schema.Error
}

// namedPolicy is one of a holder's policies, by type and name.
type namedPolicy struct {
	typ   translator.PolicyType
	name  string
	stmts []*translator.Statement
}

// outcome is what the engine allows one holder, and what it could not
// decide (each a deny, reported as an input error).
type outcome struct {
	found []Escalation
	errs  []*schema.Error
}

// decide decides every method whose steps the holding statically grants
// (mayTake: conditions and resource types are left to the engine) and
// returns the ones the engine allows.
func (d *decider) decide(h *holding) outcome {
	var out outcome
	var st *holderState
	for _, m := range h.candidates() {
		if !h.mayTake(m) {
			continue
		}
		if st == nil {
			var err error
			if st, err = d.state(h.arn); err != nil {
				out.errs = append(out.errs, schema.Errorf(schema.CodeInternal, d.view.Label, "", "escalation of %s not decided (a deny, fail closed): %v", h.arn, err))
				return out
			}
			st.own = h.sources()
		}
		e := Escalation{Principal: h.arn, Policy: h.policy, Method: m.ID, Code: m.Code, Name: m.Name, Source: m.Source}
		if steps := d.steps(st, m); steps != nil {
			e.Steps = steps
			out.found = append(out.found, e)
		}
	}
	if st != nil {
		out.errs = st.errs
	}
	return out
}

// steps decides a method's steps: each on its own (step), or, for steps
// that must act on the resource of an earlier one (step.Same), together
// with it (together). It returns nil when one is not allowed.
func (d *decider) steps(st *holderState, m *method) []Probe {
	deps := map[int][]int{}
	for i, s := range m.Steps {
		if s.Same > 0 {
			deps[s.Same-1] = append(deps[s.Same-1], i)
		}
	}
	out := make([]Probe, len(m.Steps))
	for i, s := range m.Steps {
		switch {
		case s.Same > 0:
			continue // decided with its anchor
		case len(deps[i]) == 0:
			p := d.step(st, s)
			if p == nil {
				return nil
			}
			out[i] = *p
		default:
			ps := d.together(st, m.Steps, i, deps[i])
			if ps == nil {
				return nil
			}
			for j, k := range append([]int{i}, deps[i]...) {
				out[k] = *ps[j]
			}
		}
	}
	return out
}

// together decides an anchor step and the steps that must act on its
// resource on one resource: a witness of the anchor's or of theirs that
// fits every step's resource types, the first (in order) on which each
// is allowed in some context. It returns the anchor's probe and theirs,
// nil when no resource serves them all.
func (d *decider) together(st *holderState, steps []step, anchor int, deps []int) []*Probe {
	group := []step{steps[anchor]}
	for _, k := range deps {
		group = append(group, steps[k])
	}
	key := "together"
	for _, s := range group {
		key += " | " + stepKey(s)
	}
	if ps, ok := st.groups[key]; ok {
		return ps
	}
	var candidates []string
	seen := map[string]bool{}
	for _, s := range group {
		for _, w := range d.witnesses(st, s) {
			fitsAll := true
			for _, o := range group {
				fitsAll = fitsAll && fitsType(o.Action, w)
			}
			if fitsAll && !seen[w] {
				seen[w] = true
				candidates = append(candidates, w)
			}
		}
	}
	var out []*Probe
	for _, w := range candidates {
		out = out[:0]
		for _, s := range group {
			p := d.probeOn(st, s, []string{w})
			if p == nil {
				break
			}
			out = append(out, p)
		}
		if len(out) == len(group) {
			st.groups[key] = out
			return out
		}
	}
	st.groups[key] = nil
	return nil
}

// state reads a holder's policies from the bundle.
func (d *decider) state(principal string) (*holderState, error) {
	p := d.view.Principals[principal]
	if p == nil {
		return nil, fmt.Errorf("%s is not a principal of the bundle", principal)
	}
	st := &holderState{arn: principal, account: p.Account, kind: p.Kind, tags: p.Tags, vars: d.view.Variables(principal),
		stmts: map[translator.PolicyType][]*translator.Statement{}, steps: map[string]*Probe{}, groups: map[string][]*Probe{}}
	add := func(names []string, t translator.PolicyType) error {
		for _, n := range names {
			pol, err := d.view.Policy(n, t)
			if err != nil {
				return err
			}
			st.stmts[t] = append(st.stmts[t], pol.Statements...)
			if t == translator.Identity || t == translator.Boundary {
				st.policies = append(st.policies, namedPolicy{typ: t, name: n, stmts: pol.Statements})
			}
		}
		return nil
	}
	if err := add(p.Identity, translator.Identity); err != nil {
		return nil, err
	}
	if err := add(p.Boundary, translator.Boundary); err != nil {
		return nil, err
	}
	if a := d.view.Accounts[p.Account]; a != nil {
		for _, level := range a.SCPs {
			if err := add(level, translator.SCP); err != nil {
				return nil, err
			}
		}
		// The RCPs of the holder's account apply to its witnesses
		// (resources of the account): their conditions take part in
		// the contexts too.
		for _, level := range a.RCPs {
			if err := add(level, translator.RCP); err != nil {
				return nil, err
			}
		}
	}
	return st, nil
}

// stepKey identifies a step's requests: its action, whether the resource
// must be another's (or may be the holder's own), its pinned context and
// its target resource types.
func stepKey(s step) string {
	return fmt.Sprintf("%s %t %t %t %v %v", s.Action, s.Other, s.Self, s.Every, s.Pinned, s.Targets)
}

// step decides a step once per holder: with the request that showed it
// for a holder with the same share key (share.go), when the engine allows
// that request for this holder too, else on its own witnesses and
// contexts (probe). Only allows are shared: a denial is decided for each
// holder, since what denies one (an SCP on aws:PrincipalArn, a key
// policy that names a principal) may not deny another.
func (d *decider) step(st *holderState, s step) *Probe {
	key := stepKey(s)
	if p, ok := st.steps[key]; ok {
		return p
	}
	share := ""
	var like *Probe
	if d.shared != nil {
		share = d.shareKey(st, s)
		d.mu.Lock()
		like = d.shared[share]
		d.mu.Unlock()
	}
	if like != nil {
		if p := d.reprobe(st, like); p != nil {
			st.steps[key] = p
			return p
		}
	}
	p := d.probe(st, s)
	st.steps[key] = p
	if d.shared != nil && like == nil && p != nil {
		d.mu.Lock()
		d.shared[share] = p
		d.mu.Unlock()
	}
	return p
}

// probe decides a step on its witness resources and contexts and
// returns the first allowed request, in their order, nil when none is.
func (d *decider) probe(st *holderState, s step) *Probe {
	return d.probeOn(st, s, d.witnesses(st, s))
}

// probeOn decides a step on the given resources, in every context. The
// requests are decided a few at a time on every core; what is reported
// does not depend on which finishes first.
func (d *decider) probeOn(st *holderState, s step, witnesses []string) *Probe {
	var reqs []rego.Request
	ctxs := d.contexts(st, s)
	inputs := kernel.ProbeInputs(ctxs, true)
	// A context that allowed an earlier step of the holder goes first:
	// the holder's guardrails (MFA, network, region) usually ask the
	// same of every request. The order only changes which allowed
	// request is reported, and it is the same run to run.
	if st.lastOK != "" {
		slices.SortStableFunc(inputs, func(a, b kernel.ProbeInput) int {
			return boolRank(contextKey(b.Context) == st.lastOK) - boolRank(contextKey(a.Context) == st.lastOK)
		})
	}
	for _, w := range witnesses {
		for _, in := range inputs {
			reqs = append(reqs, rego.Request{Principal: rego.Principal{ARN: st.arn}, Action: s.Action,
				Resource: rego.Resource{ARN: w, Account: resourceAccount(w, st.account)}, Context: in.Context})
		}
	}
	chunk := runtime.GOMAXPROCS(0)
	for lo := 0; lo < len(reqs); lo += chunk {
		part := reqs[lo:min(lo+chunk, len(reqs))]
		decs := kernel.DecideAll(d.ctx, d.eng, part)
		for i, dec := range decs {
			req := part[i]
			if dec.Error != "" {
				st.errs = append(st.errs, schema.Errorf(schema.CodeInternal, d.view.Label, "", "%s %s on %s not decided (a deny, fail closed): %s", st.arn, s.Action, req.Resource.ARN, dec.Error))
				continue
			}
			if dec.Allow {
				st.lastOK = contextKey(req.Context)
				p := &Probe{Action: s.Action, Resource: req.Resource.ARN, Context: req.Context, Statements: d.cite(st, dec)}
				if arn.Account(req.Resource.ARN) == "" {
					p.ResourceAccount = st.account
				}
				return p
			}
		}
	}
	return nil
}

// contextKey identifies a request context.
func contextKey(c map[string]any) string {
	b, _ := json.Marshal(c)
	return string(b)
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// resourceAccount is the account of a witness: its ARN's, or the
// holder's (S3 ARNs name none).
func resourceAccount(resource, holder string) string {
	if a := arn.Account(resource); a != "" {
		return a
	}
	return holder
}

// contexts are the request contexts of a step: every side of the
// conditions of the statements that may match the action (the holder's
// identity and boundary policies, its account's SCPs and RCPs)
// (kernel.KeyValues), with the step's pinned keys set (each of its
// alternatives in turn), narrowed to what the step's requests can carry
// (requestValues). Witnesses get no tags (kernel.ProbeInputs drops
// aws:ResourceTag values; a service's resource tag keys are left absent):
// a grant conditioned on the resource's tags is not a method, since which
// resources carry them is not known.
func (d *decider) contexts(st *holderState, s step) []map[string]any {
	var conds []*translator.Condition
	for _, t := range []translator.PolicyType{translator.Identity, translator.Boundary, translator.SCP, translator.RCP} {
		for _, x := range st.stmts[t] {
			if kernel.MatchesAction(x, s.Action) {
				conds = append(conds, x.Conditions...)
			}
		}
	}
	values := kernel.KeyValues(conds, st.vars)
	fixed := requestValues(values, s, d.run.now, st.account)
	base := withFixed(kernel.Contexts(values), fixed)
	if len(s.Pinned) == 0 {
		return base
	}
	var out []map[string]any
	for _, pin := range s.Pinned {
		for _, c := range base {
			c = maps.Clone(c)
			maps.Copy(c, pin)
			out = append(out, c)
		}
	}
	return out
}

// cite maps the Allow statements of a decision to where lint read them:
// where the holder's own copy was read (two files, or two users' inline
// policies, of the same text are one policy of the bundle), else where
// the document was first read.
func (d *decider) cite(st *holderState, dec rego.Decision) []Cited {
	var out []Cited
	for _, s := range dec.Statements {
		if s.Effect != string(translator.Allow) {
			continue
		}
		c := Cited{Policy: s.Policy, Sid: s.Sid}
		src, ok := st.own[s.Policy]
		if !ok {
			src, ok = d.run.sources[s.Policy]
		}
		if ok {
			c.Policy, c.File = src.label, src.file
			if pol, err := d.view.Policy(s.Policy, translator.PolicyType(s.Type)); err == nil {
				for _, x := range pol.Statements {
					if x.Index == s.Index {
						c.Pointer = src.base + x.Pointer
					}
				}
			}
		}
		out = append(out, c)
	}
	return out
}
