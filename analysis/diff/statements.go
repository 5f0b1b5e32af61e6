package diff

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/iam2rego/iam2rego/translator"
	"github.com/iam2rego/iam2rego/translator/catalog"
)

// stmtRef is one statement of a policy that applies to a principal, with
// the place (slot) its policy holds in the decision: "identity",
// "boundary", "scp/LEVEL", "rcp/ACCOUNT/LEVEL" or "resource ARN".
type stmtRef struct {
	slot   string
	policy string
	st     *translator.Statement
	acts   *actionSet
	key    string // stmtKey(st)
}

// actionSet is the set of actions a statement's Action or NotAction
// matches: all (Action "*"), or the catalogue actions (and uncatalogued
// literal actions) its patterns name, complemented for NotAction.
type actionSet struct {
	all  bool
	not  bool
	set  map[string]bool
	seen map[string]string // lower-cased literal action → as written
}

func newActionSet(st *translator.Statement) *actionSet {
	s := &actionSet{not: st.NotAction, set: map[string]bool{}, seen: map[string]string{}}
	for _, a := range st.Actions {
		raw := a.Raw
		if raw == "*" {
			s.all = true
			continue
		}
		if !strings.ContainsAny(raw, "*?") {
			low := strings.ToLower(raw)
			s.set[low] = true
			s.seen[low] = raw
			continue
		}
		for _, x := range catalog.ExpandAction(raw) {
			s.set[x] = true
		}
	}
	if s.all && s.not {
		// NotAction "*" matches nothing.
		s.all, s.set = false, map[string]bool{}
	}
	return s
}

func (s *actionSet) matches(action string) bool {
	if s.all {
		return true
	}
	return s.set[action] != s.not
}

// each calls f for every action of the set, from the catalogue or
// written literally.
func (s *actionSet) each(f func(string)) {
	if !s.all && !s.not {
		for a := range s.set {
			f(a)
		}
		return
	}
	for _, a := range catalog.AllActions() {
		if s.matches(a) {
			f(a)
		}
	}
}

// stmtKey is what a statement contributes to the decision of one action:
// everything but its actions, Sid and position.
func stmtKey(st *translator.Statement) string {
	res := make([]string, len(st.Resources))
	for i, r := range st.Resources {
		res[i] = r.Raw
	}
	sort.Strings(res)
	conds := make([][]string, len(st.Conditions))
	for i, c := range st.Conditions {
		vals := make([]string, len(c.Values))
		for j, v := range c.Values {
			vals[j] = v.Raw
		}
		sort.Strings(vals)
		conds[i] = append([]string{c.Operator, c.Key}, vals...)
	}
	sort.Slice(conds, func(i, j int) bool { return strings.Join(conds[i], "\x00") < strings.Join(conds[j], "\x00") })
	b, _ := json.Marshal([]any{st.Effect, st.Principal, st.NotPrincipal, st.HasResource, st.NotResource, res, conds})
	return string(b)
}
