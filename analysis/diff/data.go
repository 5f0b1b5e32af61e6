package diff

import (
	"encoding/json"

	"github.com/iam2rego/iam2rego/layout"
)

// envKey is what decides a principal's requests besides the policy
// statements: its kind, account and tags, its derived caller context, and
// (shared by all principals) the accounts' organization paths, the
// resources' owners and tags, the organization and the roles by name.
// When it is the same in both states, only statements can change a
// decision.
func (s *Side) envKey(arn string) string {
	s.envOnce.Do(func() { s.env = sharedEnv(s.data) })
	type env struct {
		Kind, Account string
		Tags          map[string]string
		Context       map[string]any
		Principal     *layout.CallerPrincipal
	}
	e := env{Kind: "absent"}
	if p := s.data.Principals[arn]; p != nil {
		e.Kind, e.Account, e.Tags = p.Kind, p.Account, p.Tags
	}
	if c := s.data.Callers[arn]; c != nil {
		e.Context, e.Principal = c.Context, &c.Principal
	}
	b, _ := json.Marshal(e)
	return string(b) + s.env
}

// sharedEnv is the part of envKey every principal shares.
func sharedEnv(d *layout.Data) string {
	accounts, resources := map[string][]any{}, map[string][]any{}
	for id, a := range d.Accounts {
		accounts[id] = []any{a.OrgID, a.OrgPaths, len(a.SCPs), len(a.RCPs)}
	}
	for r, rec := range d.Resources {
		resources[r] = []any{rec.Account, rec.Tags, len(rec.Policy) > 0}
	}
	b, _ := json.Marshal([]any{accounts, resources, d.Organization, d.RolesByName})
	return string(b)
}

// variables returns the principal's values of the keys a policy variable
// may name (kernel.View.Variables), NEW's when both sides hold the
// principal.
func variables(sides [2]*Side, arn string) map[string]string {
	out := map[string]string{}
	for _, s := range sides {
		for k, v := range s.view.Variables(arn) {
			out[k] = v
		}
	}
	return out
}
