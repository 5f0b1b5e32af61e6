package catalog

import (
	"sort"
	"strings"
)

// ExpandAction returns the catalogued actions an IAM action pattern
// matches, as "service:name" in lower case, sorted. The pattern is
// "service:Name" with * and ? wildcards in the name, or "*" for every
// action; matching is case-insensitive, as in MatchesAnyAction. A pattern
// that matches nothing gives nil.
func ExpandAction(pattern string) []string {
	if !strings.Contains(pattern, ":") && pattern != "*" {
		return nil
	}
	return names(Expand(pattern))
}

// AllActions returns every catalogued action, "service:name" in lower
// case, sorted.
func AllActions() []string { return names(Expand("*")) }

// names lists the actions' names, sorted.
func names(actions []Action) []string {
	if len(actions) == 0 {
		return nil
	}
	out := make([]string, len(actions))
	for i, a := range actions {
		out[i] = a.Name
	}
	sort.Strings(out)
	return out
}

// WildcardMatch reports whether s matches an IAM pattern where * matches
// any run of characters (across / and :) and ? one character. It is
// case-sensitive: lower-case both sides for action names.
func WildcardMatch(pattern, s string) bool { return wildMatch(pattern, s) }

// WildcardsIntersect reports whether some string matches both IAM
// patterns (* any run of characters, ? one character). Case-sensitive:
// lower-case both sides to compare without case.
func WildcardsIntersect(a, b string) bool { return wildIntersect(a, b) }
