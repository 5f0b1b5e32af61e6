package lint

import (
	"fmt"
	"strings"

	"github.com/iam2rego/iam2rego/analysis/kernel"
	"github.com/iam2rego/iam2rego/arn"
	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator/account"
)

// singleAccount is the account of the synthetic users that each hold one
// policy linted on its own.
const singleAccount = "123456789012"

// single is an identity policy linted on its own whose statements may
// allow a method: the engine decides it as the only policy of a user.
type single struct {
	h   *holding
	doc any
	src source
}

// addSingle keeps a policy linted on its own when it may allow a method.
func (r *runner) addSingle(src source, doc any, list []*stmt) {
	h := &holding{statements: list, policy: src.label, file: src.file, pointer: src.base}
	for _, m := range h.candidates() {
		if h.mayTake(m) {
			r.singles = append(r.singles, &single{h: h, doc: doc, src: src})
			return
		}
	}
}

// decideSingles builds one bundle in which user iam2rego-lint-N holds
// only the N-th policy, tagged with the principal tags it reads
// (holderTags), and decides their methods.
func (r *runner) decideSingles() {
	if len(r.singles) == 0 {
		return
	}
	exp := &account.Export{Managed: map[string]*account.ManagedPolicy{}}
	accounts := map[string]*account.Account{}
	holders := make([]*holding, len(r.singles))
	for i, s := range r.singles {
		id := holderAccount(s.h.statements)
		acct := accounts[id]
		if acct == nil {
			acct = &account.Account{ID: id}
			accounts[id] = acct
			exp.Accounts = append(exp.Accounts, acct)
		}
		name := fmt.Sprintf("iam2rego-lint-%d", i+1)
		u := &account.User{ARN: "arn:aws:iam::" + id + ":user/" + name, Name: name, Path: "/", ID: fmt.Sprintf("AIDAIAM2REGOLINT%06d", i+1),
			Inline: []account.NamedDocument{{Name: "policy", Document: account.Document{File: s.src.file, Pointer: s.src.base, Value: s.doc}}},
			Tags:   holderTags(s.h.statements)}
		acct.Users = append(acct.Users, u)
		s.h.arn = u.ARN
		holders[i] = s.h
	}
	r.decideAll(exp, "the policies linted on their own", holders, bundles.Options{SkipPrincipalLimits: true}, false)
}

// holderAccount is the account a policy linted on its own is held in:
// of the 12-digit accounts its resource ARNs name and its conditions on
// aws:ResourceAccount and aws:PrincipalAccount test (a data perimeter
// names its own account), the one named most, IAM ARNs first, the first
// on a tie; else singleAccount.
func holderAccount(list []*stmt) string {
	// Per account: how many IAM ARNs name it (IAM resources are acted on
	// from their own account only, so these decide first), then how many
	// ARNs and conditions in all.
	type named struct{ iam, all int }
	count := map[string]*named{}
	var order []string
	see := func(a string, iam bool) {
		if len(a) != 12 || strings.Trim(a, "0123456789") != "" {
			return
		}
		n := count[a]
		if n == nil {
			n = &named{}
			count[a] = n
			order = append(order, a)
		}
		n.all++
		if iam {
			n.iam++
		}
	}
	for _, s := range list {
		for _, r := range s.Resources {
			see(arn.Account(r.Raw), arn.Service(r.Raw) == "iam")
		}
		for _, c := range s.Conditions {
			if c.Key == "aws:resourceaccount" || c.Key == "aws:principalaccount" {
				for _, v := range c.Values {
					see(v.Raw, false)
				}
			}
		}
	}
	best := singleAccount
	for _, a := range order {
		if b := count[best]; b == nil || count[a].iam > b.iam || count[a].iam == b.iam && count[a].all > b.all {
			best = a
		}
	}
	return best
}

// decideAll builds an export's bundle in memory, prepares its engine (as
// eval --bundle, can and who-can do) and decides every holder, sharing
// steps between holders of the same policies when share is set. A bundle
// that cannot be built or prepared leaves the methods undecided: an input
// error, never a clean report.
func (r *runner) decideAll(exp *account.Export, label string, holders []*holding, opts bundles.Options, share bool) {
	todo := holders[:0:0]
	for _, h := range holders {
		for _, m := range h.candidates() {
			if h.mayTake(m) {
				todo = append(todo, h)
				break
			}
		}
	}
	if len(todo) == 0 {
		return
	}
	fail := func(err error) {
		r.errs.Add(schema.Errorf(schema.CodeInternal, label, "", "escalation methods not decided: %v", err))
	}
	res, err := bundles.Build(exp, opts)
	if err != nil {
		fail(err)
		return
	}
	v, err := kernel.NewView(label, res.Bundle)
	if err != nil {
		fail(err)
		return
	}
	eng, err := rego.PrepareBundle(r.ctx, res.Bundle)
	if err != nil {
		fail(err)
		return
	}
	d := &decider{ctx: r.ctx, eng: eng, view: v, run: r, knownByAction: map[string][]string{}}
	if share {
		d.shared = map[string]*Probe{}
	}
	for i, o := range d.decideHolders(todo) {
		r.errs.Add(o.errs...)
		r.report.Escalations = append(r.report.Escalations, o.found...)
		r.escalationFindings(todo[i], o.found)
	}
}
