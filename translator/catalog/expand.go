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
	c := load()
	p := lowerASCII(pattern)
	if p == "*" {
		return AllActions()
	}
	svc, name, ok := strings.Cut(p, ":")
	if !ok || svc == "" || name == "" {
		return nil
	}
	var out []string
	for _, pre := range c.prefixes {
		if pre != svc && !(hasWildcard(svc) && wildMatch(svc, pre)) {
			continue
		}
		s := c.services[pre]
		i := strings.IndexAny(name, "*?")
		if i < 0 {
			if _, ok := s.set[name]; ok {
				out = append(out, pre+":"+name)
			}
			continue
		}
		lit := name[:i]
		for j := sort.SearchStrings(s.actions, lit); j < len(s.actions) && strings.HasPrefix(s.actions[j], lit); j++ {
			if wildMatch(name, s.actions[j]) {
				out = append(out, pre+":"+s.actions[j])
			}
		}
	}
	sort.Strings(out)
	return out
}

// AllActions returns every catalogued action, "service:name" in lower
// case, sorted.
func AllActions() []string {
	c := load()
	out := make([]string, 0, c.nActions)
	for _, pre := range c.prefixes {
		for _, a := range c.services[pre].actions {
			out = append(out, pre+":"+a)
		}
	}
	sort.Strings(out)
	return out
}

// WildcardMatch reports whether s matches an IAM pattern where * matches
// any run of characters (across / and :) and ? one character. It is
// case-sensitive: lower-case both sides for action names.
func WildcardMatch(pattern, s string) bool { return wildMatch(pattern, s) }
