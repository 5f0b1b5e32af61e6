package access

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/iam2rego/iam2rego/analysis/kernel"
	"github.com/iam2rego/iam2rego/arn"

	"github.com/iam2rego/iam2rego/translator"
)

// External is one grant of the resource's own policy to a principal
// outside the bundle, with the statement that grants it.
type External struct {
	// Kind is public, account, principal, service, federated or
	// canonical-user.
	Kind string `json:"kind"`
	// Who names it: "*", an account id, an ARN, a service or provider.
	Who    string   `json:"who"`
	Policy string   `json:"policy"`
	Names  []string `json:"names,omitempty"`
	Index  int      `json:"index"`
	Sid    string   `json:"sid,omitempty"`
	// Condition is the statement's Condition block, when it has one: the
	// grant holds only when it does.
	Condition json.RawMessage `json:"condition,omitempty"`
}

// external lists the Allow statements of the resource's policies that
// can apply to q.Action on q.Resource and name a principal the bundle
// does not hold: a principal of an account outside the bundle, the
// public, a service, a federated provider or a canonical user. Patterns
// with policy variables count as matching, since their value depends on
// the request.
func external(v *kernel.View, q Query) ([]External, error) {
	typ := kernel.ResourceType(q.Resource)
	out := []External{}
	for _, name := range v.ResourcePolicies(q.Resource) {
		pol, err := v.Policy(name, typ)
		if err != nil {
			return nil, err
		}
		doc, err := v.Document(name)
		if err != nil {
			return nil, err
		}
		for _, st := range pol.Statements {
			if st.Effect != translator.Allow || st.Principal == nil || st.NotPrincipal ||
				!kernel.MatchesAction(st, q.Action) || !kernel.MatchesResource(st, q.Resource) {
				continue
			}
			base := External{Policy: name, Names: v.PolicyNames[name], Index: st.Index, Sid: st.Sid, Condition: condition(doc, st.Pointer)}
			for _, e := range outsiders(v, st.Principal) {
				e.Policy, e.Names, e.Index, e.Sid, e.Condition = base.Policy, base.Names, base.Index, base.Sid, base.Condition
				out = append(out, e)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].Who < out[j].Who
	})
	return out, nil
}

// outsiders are the entries of a Principal element the bundle does not
// hold.
func outsiders(v *kernel.View, p *translator.Principal) []External {
	var out []External
	if p.Wildcard {
		out = append(out, External{Kind: "public", Who: "*"})
	}
	for _, a := range p.Accounts {
		if !v.HoldsAccount(a.Account) {
			out = append(out, External{Kind: "account", Who: a.Account})
		}
	}
	for _, who := range p.ARNs {
		if _, in := v.Principals[who]; in {
			continue
		}
		if v.HoldsAccount(arn.Account(who)) {
			// A principal of an account the bundle holds, but not in it
			// (a deleted role, a session): not outside access.
			continue
		}
		out = append(out, External{Kind: "principal", Who: who})
	}
	for _, s := range p.Services {
		out = append(out, External{Kind: "service", Who: s})
	}
	for _, f := range p.Federated {
		out = append(out, External{Kind: "federated", Who: f})
	}
	for _, c := range p.Canonical {
		out = append(out, External{Kind: "canonical-user", Who: c})
	}
	return out
}

// condition returns the Condition block of the statement at pointer
// ("/Statement/2", or "/Statement" for a single statement object).
func condition(doc any, pointer string) json.RawMessage {
	st := doc
	for _, tok := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		switch x := st.(type) {
		case map[string]any:
			st = x[tok]
		case []any:
			var i int
			if _, err := fmt.Sscan(tok, &i); err != nil || i < 0 || i >= len(x) {
				return nil
			}
			st = x[i]
		default:
			return nil
		}
	}
	m, ok := st.(map[string]any)
	if !ok || m["Condition"] == nil {
		return nil
	}
	b, _ := json.Marshal(m["Condition"])
	return b
}
