package kernel

import (
	"strings"

	"github.com/iam2rego/iam2rego/arn"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/iam2rego/iam2rego/translator/catalog"
)

// MatchesAction reports whether a statement's Action (or NotAction)
// element can match the action.
func MatchesAction(st *translator.Statement, action string) bool {
	hit := false
	for _, p := range st.Actions {
		if p.MayMatch(action) {
			hit = true
			break
		}
	}
	return hit != st.NotAction
}

// ActionsOf lists the actions of all (the catalogue's) that a statement's
// Action or NotAction element matches.
func ActionsOf(st *translator.Statement, all []string) []string {
	var out []string
	for _, a := range all {
		if MatchesAction(st, a) {
			out = append(out, a)
		}
	}
	return out
}

// MatchesResource reports whether a statement's Resource (or NotResource)
// element can let the resource through, as the compiled policy matches it
// (a policy variable counts as matching: its value depends on the
// request). A statement without either matches everything.
func MatchesResource(st *translator.Statement, resource string) bool {
	if !st.HasResource {
		return true
	}
	hit := false
	for _, r := range st.Resources {
		if r.MayMatch(resource) {
			hit = true
			break
		}
	}
	return hit != st.NotResource
}

// MayApplyTo reports whether a resource policy's statement may apply to
// the principal: its Principal element may name it, or its NotPrincipal
// element (which applies to everyone it does not list) exists. It is a
// superset, for choosing what to decide.
func MayApplyTo(st *translator.Statement, principal, account string) bool {
	if st.Principal == nil {
		return false
	}
	return st.NotPrincipal || MayName(st.Principal, principal, account)
}

// MayName reports whether a resource policy's Principal element can name
// the principal (an ARN of the account): everyone, the account, the ARN
// itself or a pattern of it, or a role session (which the decision
// resolves to its role). It is a superset, for choosing what to decide:
// the decision says whether it really does.
func MayName(p *translator.Principal, principal, account string) bool {
	if p == nil {
		return false
	}
	if p.Wildcard {
		return true
	}
	for _, a := range p.Accounts {
		if a.Account == account {
			return true
		}
	}
	for _, x := range p.ARNs {
		if x == principal || catalog.WildcardMatch(x, principal) || (strings.Contains(x, ":assumed-role/") && arn.Account(x) == account) {
			return true
		}
	}
	return false
}
