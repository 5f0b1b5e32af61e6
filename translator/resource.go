package translator

import (
	"strings"

	"github.com/iam2rego/iam2rego/schema"
)

// arnSegments is the number of colon-separated parts of an ARN; the last
// one (the resource part) may itself hold colons (§2.3).
const arnSegments = 6

// splitSegments splits a template at the first five colons of its policy
// text. Colons inside variables and escapes never split.
func splitSegments(t Template) []Template {
	segs := []Template{{}}
	for _, p := range t {
		if p.Kind != PartPattern {
			segs[len(segs)-1] = append(segs[len(segs)-1], p)
			continue
		}
		text := p.Text
		for len(segs) < arnSegments {
			i := strings.IndexByte(text, ':')
			if i < 0 {
				break
			}
			if i > 0 {
				segs[len(segs)-1] = append(segs[len(segs)-1], Part{Kind: PartPattern, Text: text[:i]})
			}
			segs = append(segs, Template{})
			text = text[i+1:]
		}
		if text != "" {
			segs[len(segs)-1] = append(segs[len(segs)-1], Part{Kind: PartPattern, Text: text})
		}
	}
	return segs
}

// endsWithStar reports whether a segment's last character is a pattern `*`.
func endsWithStar(seg Template) bool {
	if len(seg) == 0 {
		return false
	}
	last := seg[len(seg)-1]
	return last.Kind == PartPattern && strings.HasSuffix(last.Text, "*")
}

// compileResource checks one Resource / NotResource entry and lowers it
// following the matching algorithm of §2.3.
func compileResource(c *compiler, raw, ptr string) (ResourcePattern, bool) {
	if raw == "*" {
		return ResourcePattern{Matcher{Raw: raw, Kind: MatchAny}}, true
	}
	if !strings.HasPrefix(strings.ToLower(raw), "arn:") && !strings.HasPrefix(raw, "*") {
		c.diags.Add(schema.Errorf(schema.CodeInvalidResource, c.file, ptr, "resource %q must be an ARN (arn:partition:service:region:account:resource) or \"*\"", raw))
		return ResourcePattern{}, false
	}
	t := parseTemplate(raw, c.policy.VariablesEnabled())
	segs := splitSegments(t)
	for i := 0; i < len(segs) && i < arnSegments-1; i++ {
		if segs[i].HasVariables() {
			// AWS substitutes variables only after the fifth colon (§2.3
			// rule 8, §4.2): before it, ${...} is literal text.
			c.diags.Add(schema.Warnf(schema.WarnVariablePlacement, c.file, ptr, "resource %q: policy variables work only in the resource part, after the fifth colon; here ${...} is literal text", raw))
			return compileResource(c.literal(), raw, ptr)
		}
	}
	if len(segs) >= 3 {
		if svc := segs[2]; len(svc) > 0 && hasWildcard(svc[0]) {
			c.diags.Add(schema.Warnf(schema.WarnWildcardPlacement, c.file, ptr, "resource %q: AWS does not allow a wildcard in the service segment; matching of such patterns is undocumented", raw))
		}
	}
	if len(segs) == arnSegments && len(segs[5]) > 0 && segs[5][0].Kind == PartPattern && segs[2].literalText() != "s3" {
		// (S3 ARNs have no resource-type word: bucket names come first.)
		// The resource-type word (`user` in `user/alice`) must not hold
		// wildcards (§2.3 rule 7).
		head := segs[5][0].Text
		if i := strings.IndexAny(head, "/:"); i > 0 && strings.ContainsAny(head[:i], "*?") ||
			i < 0 && strings.ContainsAny(head, "*?") && head != "*" && segs[2].literalText() == "iam" {
			c.diags.Add(schema.Warnf(schema.WarnWildcardPlacement, c.file, ptr, "resource %q: AWS does not allow a wildcard in the resource-type part of an ARN; matching of such patterns is undocumented", raw))
		}
	}
	if len(segs) < arnSegments {
		if !endsWithStar(segs[len(segs)-1]) {
			c.diags.Add(schema.Warnf(schema.WarnWildcardPlacement, c.file, ptr, "resource %q has fewer than six ARN parts and no trailing `*`: it matches nothing", raw))
			return ResourcePattern{Matcher{Raw: raw, Kind: MatchNever}}, true
		}
		for len(segs) < arnSegments {
			segs = append(segs, Template{{Kind: PartPattern, Text: "*"}})
		}
	}
	return ResourcePattern{lowerSegments(raw, segs)}, true
}

// lowerSegments builds the matcher for a six-segment ARN pattern.
func lowerSegments(raw string, segs []Template) Matcher {
	var full Template
	for i, s := range segs {
		if i > 0 {
			full = append(full, Part{Kind: PartLiteral, Text: ":"})
		}
		full = append(full, s...)
	}
	wildcards := 0
	lastStar := false
	for i, s := range segs {
		for j, p := range s {
			if hasWildcard(p) {
				wildcards += strings.Count(p.Text, "*") + strings.Count(p.Text, "?")
				lastStar = i == arnSegments-1 && j == len(s)-1 && strings.HasSuffix(p.Text, "*") &&
					strings.IndexAny(p.Text, "*?") == len(p.Text)-1
			}
		}
	}
	prefix := literalPrefix(full)
	switch {
	case full.HasVariables():
		return Matcher{Raw: raw, Kind: MatchTemplate, Prefix: prefix, Fragments: segmentFragments(segs)}
	case wildcards == 0:
		return Matcher{Raw: raw, Kind: MatchExact, Exact: full.literalText()}
	case wildcards == 1 && lastStar:
		return Matcher{Raw: raw, Kind: MatchPrefix, Prefix: prefix}
	}
	var re strings.Builder
	for _, f := range segmentFragments(segs) {
		re.WriteString(f.Regex)
	}
	if rest, kind, field, ok := segmentShape(segs); ok {
		return Matcher{Raw: raw, Kind: MatchSegments, Prefix: prefix, Regex: re.String(), Rest: rest, RestKind: kind, RestField: field}
	}
	return Matcher{Raw: raw, Kind: MatchRegex, Prefix: prefix, Regex: re.String()}
}

// The input fields that hold an ARN's tail (rego/lib/input.rego, plan.rego).
const (
	afterFifthColon  = "arn_resource"         // the resource part
	afterFourthColon = "arn_account_resource" // account, ":", resource part
)

// segmentShape recognises the ARN patterns whose wildcards are whole
// region or account segments, with a literal or literal-prefix resource
// part: arn:aws:ec2:*:*:instance/*, arn:aws:iam::*:role/x,
// arn:aws:logs:us-east-1:*:*, arn:aws:ec2:*::snapshot/*. The literal prefix
// then fixes every segment up to the first `*` (segments hold no colon), a
// `*` segment matches any segment, and what is left is a test of the text
// after the fifth colon, or after the fourth when a `*` region comes before
// a literal account: the same set of ARNs as the regex, with indexable
// tests.
func segmentShape(segs []Template) (string, RestKind, string, bool) {
	star := func(s Template) bool { return len(s) == 1 && s[0].Kind == PartPattern && s[0].Text == "*" }
	wild := func(s Template) bool {
		for _, p := range s {
			if hasWildcard(p) || p.Kind == PartVariable {
				return true
			}
		}
		return false
	}
	if len(segs) != arnSegments || wild(segs[0]) || wild(segs[1]) || wild(segs[2]) {
		return "", 0, "", false
	}
	region, account, rest := segs[3], segs[4], segs[5]
	field, lead := afterFifthColon, ""
	switch {
	case star(region) && star(account), !wild(region) && star(account):
	case star(region) && !wild(account):
		field, lead = afterFourthColon, account.literalText()+":"
	default:
		return "", 0, "", false
	}
	switch {
	case star(rest) && lead == "":
		return "", RestAny, field, true
	case star(rest):
		return lead, RestPrefix, field, true
	case !wild(rest):
		return lead + rest.literalText(), RestExact, field, true
	}
	last := rest[len(rest)-1]
	if !wild(rest[:len(rest)-1]) && last.Kind == PartPattern && strings.IndexAny(last.Text, "*?") == len(last.Text)-1 && last.Text[len(last.Text)-1] == '*' {
		text := rest.literalText()
		return lead + text[:len(text)-1], RestPrefix, field, true
	}
	return "", 0, "", false
}

// segmentFragments turns segments into regex fragments: wildcards in the
// first five segments stay within their segment; in the resource part they
// cross `/` and `:` freely. Adjacent static fragments are merged.
func segmentFragments(segs []Template) []Fragment {
	var out []Fragment
	add := func(f Fragment) {
		if f.Variable == nil && len(out) > 0 && out[len(out)-1].Variable == nil {
			out[len(out)-1].Regex += f.Regex
			return
		}
		out = append(out, f)
	}
	for i, s := range segs {
		if i > 0 {
			add(Fragment{Regex: ":"})
		}
		style := withinColon
		if i == arnSegments-1 {
			style = anyChar
		}
		for _, p := range s {
			if p.Kind == PartVariable {
				v := p
				add(Fragment{Variable: &v})
				continue
			}
			add(Fragment{Regex: regexFragment(p, style)})
		}
	}
	return out
}
