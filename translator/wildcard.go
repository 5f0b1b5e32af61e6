package translator

import (
	"regexp"
	"strings"
)

// Wildcard text (IAM-SEMANTICS.md §2.1) is compiled to anchored RE2 here, in
// Go, never to OPA's glob.match: glob gives `[`, `{`, `\` and `**` special
// meanings and treats "." as a delimiter by default.

// wildcardStyle says what `*` and `?` may match.
type wildcardStyle int

const (
	anyChar     wildcardStyle = iota // `*` and `?` cross every character, `/` and `:` included
	withinColon                      // `*` and `?` stay inside one colon-separated segment
)

// regexFragment converts policy text to a regex fragment. Literal parts are
// quoted; in pattern parts `*` and `?` become wildcards.
func regexFragment(p Part, style wildcardStyle) string {
	if p.Kind == PartLiteral {
		return regexp.QuoteMeta(p.Text)
	}
	star, one := `.*`, `.`
	if style == withinColon {
		star, one = `[^:]*`, `[^:]`
	}
	var b strings.Builder
	for _, r := range p.Text {
		switch r {
		case '*':
			b.WriteString(star)
		case '?':
			b.WriteString(one)
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	return b.String()
}

// anchor wraps a regex fragment so that it must match the whole subject and
// `.` also matches a newline.
func anchor(fragment string) string { return `(?s)^` + fragment + `$` }

// hasWildcard reports whether pattern text contains `*` or `?`.
func hasWildcard(p Part) bool {
	return p.Kind == PartPattern && strings.ContainsAny(p.Text, "*?")
}

// literalPrefix returns the text before the first wildcard or variable of
// a template. A request value must start with it to match.
func literalPrefix(t Template) string {
	var b strings.Builder
	for _, p := range t {
		switch p.Kind {
		case PartVariable:
			return b.String()
		case PartLiteral:
			b.WriteString(p.Text)
		case PartPattern:
			if i := strings.IndexAny(p.Text, "*?"); i >= 0 {
				b.WriteString(p.Text[:i])
				return b.String()
			}
			b.WriteString(p.Text)
		}
	}
	return b.String()
}
