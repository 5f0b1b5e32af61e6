package translator

import (
	"regexp"
	"strings"
)

// MayMatch reports whether the pattern can match the value v, in Go, for
// offline analysis (who-can's external access, diff's probe set); the
// decision itself never calls it, it evaluates the generated Rego. A
// policy variable matches any text here, because its value depends on
// the request: MayMatch over-approximates templates and is exact for
// every other shape. Actions are compared in lower case (§2.2), as the
// rules compare them; call it with the value as the request carries it.
func (m ActionPattern) MayMatch(action string) bool {
	return m.Matcher.mayMatch(strings.ToLower(action))
}

// MayMatch is ActionPattern.MayMatch for a Resource / NotResource entry;
// ARNs are compared as written.
func (m ResourcePattern) MayMatch(arn string) bool { return m.Matcher.mayMatch(arn) }

func (m Matcher) mayMatch(v string) bool {
	switch m.Kind {
	case MatchNever:
		return false
	case MatchAny:
		return true
	case MatchExact:
		return v == m.Exact
	case MatchPrefix:
		return strings.HasPrefix(v, m.Prefix)
	case MatchRegex, MatchSegments:
		return strings.HasPrefix(v, m.Prefix) && matchAnchored(m.Regex, v)
	case MatchTemplate:
		var b strings.Builder
		for _, f := range m.Fragments {
			if f.Variable != nil {
				b.WriteString(`.*`)
			} else {
				b.WriteString(f.Regex)
			}
		}
		return strings.HasPrefix(v, m.Prefix) && matchAnchored(b.String(), v)
	}
	return false
}

// matchAnchored matches a whole value against a regex fragment; a
// fragment that does not compile matches nothing.
func matchAnchored(fragment, v string) bool {
	re, err := regexp.Compile(anchor(fragment))
	return err == nil && re.MatchString(v)
}
