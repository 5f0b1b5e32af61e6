package lint

import (
	"slices"
	"strings"

	"github.com/iam2rego/iam2rego/analysis/kernel"
	"github.com/iam2rego/iam2rego/arn"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/iam2rego/iam2rego/translator/catalog"
)

// fitsType reports whether a witness can be a resource of the action: one of
// its resource types (catalog.FitsResourceType), or "*" for an action
// that names none. An action the catalogue does not know fits anything.
func fitsType(action, resource string) bool {
	ok, known := catalog.FitsResourceType(action, resource)
	return ok || !known
}

// fitsTarget reports whether a witness is of one of the step's target
// resource types, when it has some: ssm:SendCommand on a document alone
// runs nothing on an instance, so a statement that names only documents
// is no method.
func fitsTarget(action string, targets []string, w string) bool {
	if len(targets) == 0 {
		return true
	}
	types, _ := catalog.ResourceTypes(action)
	for _, t := range types {
		if slices.Contains(targets, t.Name) && catalog.WildcardMatch(kernel.Substitute(t.ARN, nil), w) {
			return true
		}
	}
	return false
}

// first is a list's first element, or "".
func first(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[0]
}

// genericWitness is a resource of one of the action's resource types in
// the account (the target type when it has it, else its first required
// one, else its first), its ARN format filled in (partition aws, region
// us-east-1, every name "iam2rego-witness"), or "*" for an action that
// names no resource type.
func genericWitness(action, target, account string) string {
	types, _ := catalog.ResourceTypes(action)
	if len(types) == 0 {
		return "*"
	}
	pick := types[0]
	for _, t := range types {
		if t.Required {
			pick = t
			break
		}
	}
	for _, t := range types {
		if t.Name == target {
			pick = t
		}
	}
	// The format's placeholders are policy variables to Substitute: those
	// it is given are filled, every other becomes *, then a name.
	filled := kernel.Substitute(pick.ARN, map[string]string{"partition": "aws", "region": kernel.WitnessRegion, "account": account, "accountid": account})
	return strings.ReplaceAll(filled, "*", "iam2rego-witness")
}

// witnesses are the resources a step is decided on (at most
// maxWitnesses, generic first): for an identity Allow on "*", NotResource
// or without Resource, a generic resource of the action's type and the
// build's resources with a policy (known); a witness of each pattern of
// the identity and boundary Allow statements and of the NotResource of
// the Deny statements (identity, boundary, SCP) that may match the
// action, kept when it fits one of the action's resource types
// (catalog). A step on another's resource skips patterns without a
// wildcard and the holder itself; a step on every resource, patterns
// that are not all wildcards.
func (d *decider) witnesses(st *holderState, s step) []string {
	seen := map[string]bool{}
	var out []string
	add := func(w string) {
		if w == "" || seen[w] || len(out) >= maxWitnesses || (s.Other && !s.Self && strings.EqualFold(w, st.arn)) {
			return
		}
		if !fitsType(s.Action, w) || !fitsTarget(s.Action, s.Targets, w) {
			return
		}
		seen[w] = true
		out = append(out, w)
	}
	// The patterns that may name the resource: the Allow statements of
	// the holder's identity policies and boundary, and the NotResource
	// of a Deny (a guardrail that spares some resources names them).
	// "*" first, so that the bound never drops it.
	everything := false
	var patterns []string
	for _, t := range []translator.PolicyType{translator.Identity, translator.Boundary, translator.SCP} {
		for _, x := range st.stmts[t] {
			if !kernel.MatchesAction(x, s.Action) {
				continue
			}
			switch {
			case x.Effect == translator.Allow && t != translator.SCP && (!x.HasResource || x.NotResource):
				everything = everything || t == translator.Identity
			case x.Effect == translator.Allow && t != translator.SCP:
				for _, r := range x.Resources {
					if r.Raw == "*" {
						everything = everything || t == translator.Identity
					} else {
						patterns = append(patterns, r.Raw)
					}
				}
			case x.Effect == translator.Deny && x.NotResource:
				for _, r := range x.Resources {
					patterns = append(patterns, r.Raw)
				}
			}
		}
	}
	if s.Self {
		add(st.arn)
	}
	if everything {
		add(genericWitness(s.Action, first(s.Targets), st.account))
	}
	for _, p := range patterns {
		if (s.Other && !wildName(p)) || (s.Every && !everyName(p)) {
			continue
		}
		add(d.patternWitness(p, s, st))
	}
	if everything {
		for _, k := range d.known(s.Action) {
			add(k)
		}
	}
	slices.Sort(out)
	return out
}

// knownWitnesses bounds the bundle's resources a step on "*" is decided
// on, besides the generic one: a denied step is decided on every witness
// in every context, and exports know thousands of resources.
const knownWitnesses = 2

// known returns the resources the bundle knows that are of one of the
// action's resource types and hold a policy (at most knownWitnesses, in
// ARN order): for "*",
// a resource whose policy takes part in decisions (a KMS key policy that
// lets IAM policies grant; a bucket policy) is a witness too, as can
// decides on them.
func (d *decider) known(action string) []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if list, ok := d.knownByAction[action]; ok {
		return list
	}
	var list []string
	for _, k := range d.view.KnownResources() {
		if len(list) == knownWitnesses {
			break
		}
		if ok, _ := catalog.FitsResourceType(action, k); ok && len(d.view.Resources[k].Policy) > 0 {
			list = append(list, k)
		}
	}
	d.knownByAction[action] = list
	return list
}

// patternWitness is a witness of a resource pattern for a step: the
// kernel's (kernel.Witness), or, when that is no resource of the action's
// types but the pattern can name one (arn:aws:*:*:111111111111:*), the
// generic resource of the pattern's account (of each target type in
// turn) that the pattern matches.
func (d *decider) patternWitness(pattern string, s step, st *holderState) string {
	w := kernel.Witness(pattern, s.Action, st.account, st.vars)
	if w != "" && fitsType(s.Action, w) && fitsTarget(s.Action, s.Targets, w) {
		return w
	}
	if w := deepWitness(pattern, s, st); w != "" {
		return w
	}
	if ok, _ := catalog.FitsResourceType(s.Action, pattern); !ok {
		return ""
	}
	acct := arn.Account(pattern)
	if acct == "" || strings.ContainsAny(acct, "*?$") {
		acct = st.account
	}
	targets := s.Targets
	if len(targets) == 0 {
		targets = []string{""}
	}
	for _, t := range targets {
		g := genericWitness(s.Action, t, acct)
		if catalog.WildcardMatch(kernel.Substitute(pattern, st.vars), g) {
			return g
		}
	}
	return ""
}

// deepWitness fills a pattern's wildcards with names that run across /
// and : (as * does), for a resource type whose ARN has more parts than
// the pattern writes out: stack/dev-* names
// arn:aws:cloudformation:REGION:ACCOUNT:stack/dev-x/ID, and
// task-definition/app-* names task-definition/app-x:3. The region and
// account take the witness's.
func deepWitness(pattern string, s step, st *holderState) string {
	parts := strings.SplitN(kernel.Substitute(pattern, st.vars), ":", 6)
	if len(parts) != 6 || !strings.ContainsAny(parts[5], "*?") {
		return ""
	}
	fill := func(x, with string) string { return strings.NewReplacer("*", with, "?", "x").Replace(x) }
	parts[1] = fill(parts[1], "aws")
	parts[3] = fill(parts[3], kernel.WitnessRegion)
	parts[4] = fill(parts[4], st.account)
	for _, with := range []string{"iam2rego-witness/iam2rego-witness", "iam2rego-witness:iam2rego-witness", "iam2rego-witness/iam2rego-witness/iam2rego-witness"} {
		w := strings.Join(parts[:5], ":") + ":" + fill(parts[5], with)
		if fitsType(s.Action, w) && fitsTarget(s.Action, s.Targets, w) {
			return w
		}
	}
	return ""
}

// everyName reports an ARN pattern whose resource part is only
// wildcards and separators (arn:aws:s3:::*/*): it names every resource of
// its service in its accounts and regions.
func everyName(pattern string) bool {
	a, ok := arn.Parse(pattern)
	return ok && a.Resource != "" && strings.Trim(a.Resource, "*?/:") == "" && strings.Contains(a.Resource, "*")
}

// wildName reports a wildcard in an ARN pattern's resource part, outside
// policy variables: the pattern names more than one resource.
func wildName(pattern string) bool {
	a, ok := arn.Parse(pattern)
	if !ok {
		return strings.ContainsAny(pattern, "*?")
	}
	res := a.Resource
	for {
		i := strings.Index(res, "${")
		j := strings.Index(res[max(i, 0):], "}")
		if i < 0 || j < 0 {
			break
		}
		res = res[:i] + res[i+j+1:]
	}
	return strings.ContainsAny(res, "*?")
}
