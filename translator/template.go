package translator

import (
	"regexp"
	"strings"
)

// variableKey matches the key of a policy variable: a context key name,
// including tag keys, which may hold spaces and `+ - = . _ : / @`.
var variableKey = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9:/._+=@ -]*$`)

// parseTemplate splits s into parts. When variables are disabled (Version
// 2008-10-17 or absent, §4.1) the whole string is policy text. An
// unterminated or malformed ${...} is policy text too (§4.1).
func parseTemplate(s string, variables bool) Template {
	if !variables || !strings.Contains(s, "${") {
		return Template{{Kind: PartPattern, Text: s}}
	}
	var out Template
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			out = append(out, Part{Kind: PartPattern, Text: text.String()})
			text.Reset()
		}
	}
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], "${") {
			if part, n, ok := parseVariable(s[i:]); ok {
				flush()
				out = append(out, part)
				i += n
				continue
			}
		}
		text.WriteByte(s[i])
		i++
	}
	flush()
	if len(out) == 0 {
		out = Template{{Kind: PartPattern, Text: ""}}
	}
	return out
}

// parseVariable reads one ${...} at the start of s and returns the part and
// the number of bytes it spans.
func parseVariable(s string) (Part, int, bool) {
	body := s[2:]
	switch {
	case strings.HasPrefix(body, "*}"), strings.HasPrefix(body, "?}"), strings.HasPrefix(body, "$}"):
		return Part{Kind: PartLiteral, Text: body[:1]}, 4, true
	}
	end := strings.IndexAny(body, ",}")
	if end <= 0 {
		return Part{}, 0, false
	}
	key := body[:end]
	if !variableKey.MatchString(key) || strings.HasSuffix(key, " ") {
		return Part{}, 0, false
	}
	part := Part{Kind: PartVariable, Key: strings.ToLower(key)}
	if body[end] == '}' {
		return part, 2 + end + 1, true
	}
	// ${key, 'default'}
	rest := strings.TrimLeft(body[end+1:], " ")
	if !strings.HasPrefix(rest, "'") {
		return Part{}, 0, false
	}
	closeAt := strings.Index(rest[1:], "'}")
	if closeAt < 0 {
		return Part{}, 0, false
	}
	part.Default = rest[1 : 1+closeAt]
	part.HasDefault = true
	consumed := len(s) - len(rest) + 1 + closeAt + 2
	return part, consumed, true
}

// String rebuilds policy text from a template (for messages and hashing).
func (t Template) String() string {
	var b strings.Builder
	for _, p := range t {
		switch p.Kind {
		case PartPattern:
			b.WriteString(p.Text)
		case PartLiteral:
			b.WriteString("${" + p.Text + "}")
		case PartVariable:
			b.WriteString("${" + p.Key)
			if p.HasDefault {
				b.WriteString(", '" + p.Default + "'")
			}
			b.WriteString("}")
		}
	}
	return b.String()
}

// literalText returns the text of a template without variables, with
// wildcard characters kept as written.
func (t Template) literalText() string {
	var b strings.Builder
	for _, p := range t {
		b.WriteString(p.Text)
	}
	return b.String()
}
