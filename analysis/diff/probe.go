package diff

import (
	"context"
	"strconv"
	"strings"
	"sync"

	"github.com/iam2rego/iam2rego/analysis/kernel"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/translator"
)

// class is a set of actions of one service that the same statements
// match on both sides (the same statements of the same policies in the
// same slots). Their requests decide alike: the decision reads the action
// only through the statements it matches and its service (RCPs, the
// witness resources), and sts: actions, which it also reads by name,
// each form a class of their own. The first member is probed; each
// difference it shows is decided again for every other member.
type class struct {
	members []string
	refs    []stmtRef
	vars    map[string]string // the principal's policy variable values
}

// classKey identifies an action's class: its service and the identity of
// the statements that match it on each side. With exhaustive set, or for
// sts: actions, every action is its own class.
func classKey(action string, matching [2][]stmtRef, exhaustive bool) string {
	if exhaustive || kernel.Service(action) == "sts" {
		return action
	}
	var b strings.Builder
	b.WriteString(kernel.Service(action))
	for i, refs := range matching {
		b.WriteString("\x01" + strconv.Itoa(i))
		for _, ref := range refs {
			b.WriteString("\x00" + ref.slot + "\x00" + ref.policy + "\x00" + strconv.Itoa(ref.st.Index))
		}
	}
	return b.String()
}

// finding is a probe whose decisions differ.
type finding struct {
	req rego.Request
	d   [2]rego.Decision
}

// probeClass probes a class's first action and confirms each difference
// on the other members. A member whose decision does not differ there
// (the classes were wrong) is probed in full. It returns false when the
// probe bound is hit.
func (r *Report) probeClass(ctx context.Context, sides [2]*Side, arn, acct string, c *class, opts Options) bool {
	found, ok := r.probe(ctx, sides, arn, acct, c.members[0], c, opts)
	r.record(sides, found)
	if !ok {
		return false
	}
	for _, action := range c.members[1:] {
		var confirmed []finding
		for _, f := range found {
			req := f.req
			req.Action = action
			d, ok := r.decide(ctx, sides, req, opts)
			if !ok {
				return false
			}
			if d[0].Allow == d[1].Allow {
				confirmed = nil
				break
			}
			confirmed = append(confirmed, finding{req, d})
		}
		if confirmed == nil && len(found) > 0 {
			r.Stats.Unconfirmed++
			if confirmed, ok = r.probe(ctx, sides, arn, acct, action, c, opts); !ok {
				r.record(sides, confirmed)
				return false
			}
		} else {
			r.Stats.Represented++
		}
		r.record(sides, confirmed)
	}
	return true
}

// record adds findings to the report: new access with NEW's statements,
// removed access with OLD's.
func (r *Report) record(sides [2]*Side, found []finding) {
	for _, f := range found {
		if f.d[1].Allow {
			r.Added = append(r.Added, r.access(sides[1], f.req, f.d[1]))
		} else {
			r.Removed = append(r.Removed, r.access(sides[0], f.req, f.d[0]))
		}
	}
}

// probe decides one action on its resources and contexts on both sides
// and returns the probes whose decisions differ: per resource, the first
// context that adds access and the first that removes it. It returns
// false when the probe bound is hit.
func (r *Report) probe(ctx context.Context, sides [2]*Side, arn, acct, action string, c *class, opts Options) ([]finding, bool) {
	resources := r.resources(sides, action, acct, c.refs, c.vars)
	var conds []*translator.Condition
	for _, ref := range c.refs {
		conds = append(conds, ref.st.Conditions...)
	}
	ctxs := kernel.Contexts(kernel.KeyValues(conds, c.vars))
	var out []finding
	for _, res := range resources {
		// One context per direction: a changed condition value can both
		// add and remove access on the same resource.
		var added, removed bool
		known := sides[0].data.Resources[res] != nil || sides[1].data.Resources[res] != nil
		for _, in := range kernel.ProbeInputs(ctxs, known) {
			req := rego.Request{Principal: rego.Principal{ARN: arn}, Action: action,
				Resource: rego.Resource{ARN: res, Account: resourceAccount(sides, res, acct), Tags: in.Tags}, Context: in.Context}
			d, ok := r.decide(ctx, sides, req, opts)
			if !ok {
				return out, false
			}
			switch {
			case d[1].Allow && !d[0].Allow && !added:
				added = true
				out = append(out, finding{req, d})
			case d[0].Allow && !d[1].Allow && !removed:
				removed = true
				out = append(out, finding{req, d})
			}
		}
	}
	return out, true
}

// decide answers one probe on both sides, through the engine's one
// decision path (kernel.Decide, as eval --bundle decides); a principal a
// side does not hold is denied there. It returns false when the probe bound is hit.
func (r *Report) decide(ctx context.Context, sides [2]*Side, req rego.Request, opts Options) ([2]rego.Decision, bool) {
	var d [2]rego.Decision
	if r.Stats.Probes >= opts.MaxProbes {
		r.Stats.Truncated = true
		return d, false
	}
	if err := ctx.Err(); err != nil {
		r.ctxErr = err
		return d, false
	}
	r.Stats.Probes++
	// The two sides decide at once (each engine is safe for concurrent
	// use): a diff takes the time of one side's decisions.
	var wg sync.WaitGroup
	for i, s := range sides {
		if s.data.Principals[req.Principal.ARN] == nil {
			d[i] = rego.Decision{Decision: rego.ImplicitDeny}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			d[i] = kernel.Decide(ctx, s.engine, req)
		}()
	}
	wg.Wait()
	for i, s := range sides {
		if d[i].Error != "" {
			r.Stats.Undecided++
			if len(r.Errors) < maxErrors {
				r.Errors = append(r.Errors, s.Label+": "+req.Principal.ARN+" "+req.Action+" "+req.Resource.ARN+": "+d[i].Error)
			}
		}
	}
	return d, true
}
