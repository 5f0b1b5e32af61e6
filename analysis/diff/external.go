package diff

import (
	"context"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/iam2rego/iam2rego/analysis/kernel"
	"github.com/iam2rego/iam2rego/arn"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/iam2rego/iam2rego/translator/catalog"
)

// outsider is a principal a resource policy names that the NEW bundle
// does not hold, and the caller a probe sends for it.
type outsider struct {
	kind string // public, account, principal, service or federated
	who  string // as the policy names it
}

// caller is the request principal that stands for the outsider (an
// account by its root, in the resource's partition), and the context keys
// its kind of request carries.
func (o outsider) caller(res string) (rego.Principal, map[string]any) {
	switch o.kind {
	case "account":
		partition := arn.DefaultPartition
		if a, ok := arn.Parse(res); ok {
			partition = a.Partition
		}
		return rego.Principal{ARN: arn.Root(partition, o.who).String()}, nil
	case "principal", "service":
		return rego.Principal{ARN: o.who}, nil
	case "federated":
		return rego.Principal{ARN: "anonymous"}, map[string]any{"aws:FederatedProvider": o.who}
	}
	return rego.Principal{ARN: "anonymous"}, nil
}

// outsiders lists the entries of a Principal element that NEW does not
// hold: another account, a principal of one, the public, a service or a
// federated provider (canonical users, an S3 ACL notion, are left out).
// A principal of an account the bundle holds but not in it (a deleted
// role, a session) is not outside access.
func (s *Side) outsiders(p *translator.Principal) []outsider {
	accounts := map[string]bool{}
	for principalARN, rec := range s.data.Principals {
		accounts[rec.Account] = true
		accounts[arn.Account(principalARN)] = true
	}
	for id := range s.data.Accounts {
		accounts[id] = true
	}
	var out []outsider
	if p.Wildcard {
		out = append(out, outsider{"public", "*"})
	}
	for _, a := range p.Accounts {
		if !accounts[a.Account] {
			out = append(out, outsider{"account", a.Account})
		}
	}
	for _, principalARN := range p.ARNs {
		if s.data.Principals[principalARN] == nil && !accounts[arn.Account(principalARN)] {
			out = append(out, outsider{"principal", principalARN})
		}
	}
	for _, svc := range p.Services {
		out = append(out, outsider{"service", svc})
	}
	for _, f := range p.Federated {
		out = append(out, outsider{"federated", f})
	}
	return out
}

// external probes what NEW's resource policies (role trust policies,
// bucket and key policies, …) grant to principals outside the bundle,
// as IAM Access Analyzer's "check no new access" does: per Allow
// statement that names an outsider, each action it grants on the
// resource (and a witness object under a bucket), in the contexts its
// conditions put on either side, decided on both sides through the
// library's decision (Engine.DecideInput). NEW allowing what OLD does not
// is new access, with the statement that grants it.
func (r *Report) external(ctx context.Context, sides [2]*Side, opts Options) error {
	type key struct{ who, action, resource string }
	done := map[key]bool{}
	for _, res := range slices.Sorted(maps.Keys(sides[1].data.Resources)) {
		rec := sides[1].data.Resources[res]
		if !opts.Exhaustive && externalUnchanged(sides, res) {
			continue
		}
		typ := translator.Resource
		if arn.IsRole(res) {
			typ = translator.Trust
		}
		for _, name := range rec.Policy {
			pol, err := sides[1].policy(name, typ)
			if err != nil {
				return err
			}
			for _, st := range pol.Statements {
				if st.Effect != translator.Allow || st.Principal == nil || st.NotPrincipal {
					continue
				}
				outs := sides[1].outsiders(st.Principal)
				if len(outs) == 0 {
					continue
				}
				actions := statementActions(st, res)
				targets := externalResources(st, res)
				ctxs := kernel.Contexts(kernel.KeyValues(st.Conditions, nil))
				for _, o := range outs {
					for _, action := range actions {
						for _, target := range targets {
							k := key{o.kind + " " + o.who, action, target}
							if done[k] {
								continue
							}
							if o.kind == "principal" {
								// A user or role of an account outside both
								// bundles: the library cannot decide its
								// requests (its identity policies are not
								// there), so the grant is compared by
								// statement, failing closed.
								if kernel.MatchesResource(st, target) && !sides[0].covers(res, typ, o, action, target, st) {
									r.Added = append(r.Added, sides[1].grantedBy(name, typ, st, o, action, target, res))
								}
								done[k] = true
								continue
							}
							found, ok := r.probeExternal(ctx, sides, o, action, target, rec.Account, ctxs, opts)
							if !ok {
								return nil
							}
							if found {
								done[k] = true
							}
						}
					}
				}
			}
		}
	}
	return nil
}

// externalUnchanged says whether what decides an outsider's requests on a
// resource is the same on both sides: the same decision library, the same
// resource record (policies by content, owner, tags), the same RCP levels
// of its account and the same organization. Its requests then cannot
// decide differently, and are not probed.
func externalUnchanged(sides [2]*Side, res string) bool {
	o, n := sides[0].data.Resources[res], sides[1].data.Resources[res]
	if o == nil || n == nil || sides[0].library != sides[1].library || o.Account != n.Account ||
		!slices.Equal(o.Policy, n.Policy) || !maps.Equal(o.Tags, n.Tags) ||
		!reflect.DeepEqual(sides[0].data.Organization, sides[1].data.Organization) {
		return false
	}
	oa, na := sides[0].data.Accounts[n.Account], sides[1].data.Accounts[n.Account]
	if (oa == nil) != (na == nil) {
		return false
	}
	if oa != nil && !slices.EqualFunc(oa.RCPs, na.RCPs, slices.Equal[[]string]) {
		return false
	}
	return true
}

// statementActions are the catalogue actions (and literal uncatalogued
// ones) a statement grants on a resource of this ARN's service.
func statementActions(st *translator.Statement, res string) []string {
	set := map[string]bool{}
	acts := newActionSet(st)
	add := func(a string) {
		if kernel.Compatible(a, res) && (!arn.IsRole(res) || strings.HasPrefix(a, "sts:")) {
			if raw, ok := acts.seen[a]; ok {
				a = raw
			}
			set[a] = true
		}
	}
	if !acts.all && !acts.not {
		for a := range acts.set {
			add(a)
		}
	} else {
		for _, a := range catalog.AllActions() {
			if acts.matches(a) {
				add(a)
			}
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// externalResources are the resource itself and, for a bucket, a witness
// object for each pattern of the statement under it.
func externalResources(st *translator.Statement, res string) []string {
	out := []string{res}
	if a, ok := arn.Parse(res); !ok || a.Service != "s3" || strings.Contains(res, "/") {
		return out
	}
	for _, p := range st.Resources {
		if strings.HasPrefix(p.Raw, res+"/") {
			if w := kernel.Witness(p.Raw, "s3:GetObject", "", nil); w != "" && !slices.Contains(out, w) {
				out = append(out, w)
			}
		}
	}
	if !st.HasResource || st.NotResource {
		out = append(out, res+"/iam2rego-witness")
	}
	return out
}

// probeExternal decides one outsider's request in each context until NEW
// allows what OLD does not; it returns whether it found new access, and
// false as its second result when the probe bound is hit.
func (r *Report) probeExternal(ctx context.Context, sides [2]*Side, o outsider, action, res, acct string, ctxs []map[string]any, opts Options) (bool, bool) {
	principal, extra := o.caller(res)
	for _, in := range kernel.ProbeInputs(ctxs, true) {
		if r.Stats.Probes >= opts.MaxProbes {
			r.Stats.Truncated = true
			return false, false
		}
		r.Stats.Probes++
		c := maps.Clone(in.Context)
		maps.Copy(c, extra)
		req := rego.Request{Principal: principal, Action: action, Resource: rego.Resource{ARN: res, Account: resourceAccount(sides, res, acct)}, Context: c}
		var d [2]rego.Decision
		for i, s := range sides {
			bucket, _ := arn.Bucket(res)
			if s.data.Resources[res] == nil && s.data.Resources[bucket] == nil {
				d[i] = rego.Decision{Decision: rego.ImplicitDeny}
				continue
			}
			d[i] = kernel.Decide(ctx, s.engine, req)
			if d[i].Error != "" {
				r.Stats.Undecided++
				if len(r.Errors) < maxErrors {
					r.Errors = append(r.Errors, s.Label+": "+principal.ARN+" "+action+" "+res+": "+d[i].Error)
				}
			}
		}
		if d[1].Allow && !d[0].Allow {
			a := r.access(sides[1], req, d[1])
			a.External = o.kind
			a.Principal = o.who
			if o.kind == "public" {
				a.Principal = "* (public)"
			}
			r.Added = append(r.Added, a)
			return true, true
		}
	}
	return false, true
}

// covers says whether OLD's policies of the resource already hold an
// Allow statement that grants the same principal (by its ARN, its
// account or "*") the action on the target under the same conditions as
// NEW's statement st: then st is no new access.
func (s *Side) covers(res string, typ translator.PolicyType, o outsider, action, target string, st *translator.Statement) bool {
	rec := s.data.Resources[res]
	if rec == nil {
		return false
	}
	want := conditionsKey(st)
	for _, name := range rec.Policy {
		pol, err := s.policy(name, typ)
		if err != nil {
			return false
		}
		for _, x := range pol.Statements {
			if x.Effect != translator.Allow || x.Principal == nil || x.NotPrincipal || !names(x.Principal, o.who) {
				continue
			}
			if newActionSet(x).matches(strings.ToLower(action)) && kernel.MatchesResource(x, target) && conditionsKey(x) == want {
				return true
			}
		}
	}
	return false
}

// names says whether a Principal element names the ARN: itself, its
// account or everyone.
func names(p *translator.Principal, principalARN string) bool {
	if p.Wildcard || slices.Contains(p.ARNs, principalARN) {
		return true
	}
	for _, a := range p.Accounts {
		if a.Account == arn.Account(principalARN) {
			return true
		}
	}
	return false
}

// conditionsKey is a statement's conditions in a canonical form.
func conditionsKey(st *translator.Statement) string {
	parts := make([]string, len(st.Conditions))
	for i, c := range st.Conditions {
		vals := make([]string, len(c.Values))
		for j, v := range c.Values {
			vals[j] = v.Raw
		}
		slices.Sort(vals)
		parts[i] = c.Operator + "\x00" + strings.ToLower(c.Key) + "\x00" + strings.Join(vals, "\x00")
	}
	slices.Sort(parts)
	return strings.Join(parts, "\x01")
}

// grantedBy is the new access of a statement compared by statement: the
// outsider, the action and target, and the granting statement.
func (s *Side) grantedBy(name string, typ translator.PolicyType, st *translator.Statement, o outsider, action, target, res string) Access {
	g := Grant{Policy: name, Names: s.data.PolicyNames[name], Type: string(typ), Effect: "Allow", Sid: st.Sid, Index: st.Index, Pointer: st.Pointer}
	if typ == translator.Trust {
		g.Type = "resource"
	}
	for _, src := range s.sources[name] {
		g.Sources = append(g.Sources, Source{File: src.File, Pointer: src.Pointer + st.Pointer})
	}
	return Access{Principal: o.who, Action: action, Resource: target, Context: map[string]any{}, External: o.kind,
		Step:       "by statement: " + o.who + " is in an account outside the bundle, whose own policies are unknown",
		Statements: []Grant{g}}
}
