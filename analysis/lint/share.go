package lint

import (
	"encoding/json"
	"runtime"
	"strings"
	"sync"

	"github.com/iam2rego/iam2rego/analysis/kernel"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/translator"
)

// decideHolders decides every holder; the outcomes are in the holders'
// order. With sharing (a build), holders are decided in order, so that
// the first holder of a share key decides a step for the others and the
// report does not depend on scheduling (probe decides on every core).
// Without it (policies linted on their own, each its own holder), the
// holders are decided on every core at once.
func (d *decider) decideHolders(holders []*holding) []outcome {
	out := make([]outcome, len(holders))
	if d.shared != nil {
		for i, h := range holders {
			out[i] = d.decide(h)
		}
		return out
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(holders)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = d.decide(holders[i])
			}
		}()
	}
	for i := range holders {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// shareKey is what a step's outcome depends on besides the holder's name:
// the step, the holder's kind and account (its SCPs), and its identity
// and boundary policies that have a statement that may match the action
// (the others take no part in the decision). The holder's tags count
// when one of those statements reads them, and its name when one has a
// condition on it (aws:PrincipalArn, aws:username, aws:userid). Policy
// variables do not count: they read each holder's own values the same
// way, and an allowed request of another holder is decided again for
// this one (reprobe) before it is taken.
func (d *decider) shareKey(st *holderState, s step) string {
	parts := []any{stepKey(s), st.kind, st.account}
	tags, name := false, false
	for _, p := range st.policies {
		hit := false
		for _, x := range p.stmts {
			if !kernel.MatchesAction(x, s.Action) {
				continue
			}
			hit = true
			t, n := readsPrincipal(x)
			tags, name = tags || t, name || n
		}
		if hit {
			parts = append(parts, string(p.typ)+" "+p.name)
		}
	}
	if tags {
		parts = append(parts, st.tags)
	}
	if name {
		parts = append(parts, st.arn)
	}
	k, _ := json.Marshal(parts)
	return string(k)
}

// readsPrincipal reports whether a statement reads the principal's tags
// (aws:PrincipalTag conditions or variables) or has a condition on its
// name.
func readsPrincipal(x *translator.Statement) (tags, name bool) {
	for _, r := range x.Resources {
		tags = tags || strings.Contains(strings.ToLower(r.Raw), "${aws:principaltag/")
	}
	for _, c := range x.Conditions {
		switch {
		case strings.HasPrefix(c.Key, "aws:principaltag/"):
			tags = true
		case c.Key == "aws:principalarn", c.Key == "aws:username", c.Key == "aws:userid", c.Key == "aws:sourceidentity":
			name = true
		}
		for _, v := range c.Values {
			tags = tags || strings.Contains(strings.ToLower(v.Raw), "${aws:principaltag/")
		}
	}
	return tags, name
}

// reprobe decides, for this holder, the request that showed a step for
// another holder of the same share key; nil when it is not allowed here
// (or names the holder itself): the step is then decided in full.
func (d *decider) reprobe(st *holderState, like *Probe) *Probe {
	if strings.EqualFold(like.Resource, st.arn) {
		return nil
	}
	acct := like.ResourceAccount
	if acct == "" {
		acct = resourceAccount(like.Resource, st.account)
	}
	dec := kernel.Decide(d.ctx, d.eng, rego.Request{Principal: rego.Principal{ARN: st.arn}, Action: like.Action,
		Resource: rego.Resource{ARN: like.Resource, Account: acct}, Context: like.Context})
	if !dec.Allow || dec.Error != "" {
		return nil
	}
	p := *like
	p.Statements = d.cite(st, dec)
	return &p
}
