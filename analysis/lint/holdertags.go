package lint

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/iam2rego/iam2rego/translator"
	"github.com/iam2rego/iam2rego/translator/catalog"
)

// principalTagVar finds ${aws:PrincipalTag/K} (or ${aws:PrincipalTag/K,
// 'default'}) in a resource or condition value; the first group is the
// tag key, up to a default.
var principalTagVar = regexp.MustCompile(`(?i)\$\{\s*aws:PrincipalTag/([^},]+?)\s*(?:,[^}]*)?\}`)

// principalTagKey prefixes the condition keys of principal tags (as
// translator.Condition.Key spells them, lower-cased).
const principalTagKey = "aws:principaltag/"

// defaultTagValue is the value of a principal tag that no condition asks
// for a literal of.
const defaultTagValue = "iam2rego-tag"

// tagTest is one condition on a principal tag, and the side the holder
// should be on: true when the holder should meet the condition's
// positive operator (an Allow's positive condition, which grants; a
// Deny's negated one, which then spares it), false when it should not.
type tagTest struct {
	c    *translator.Condition
	meet bool
}

// holderTags are the tags of the synthetic user that holds a policy
// linted on its own, chosen so that the holder is one the policy's grants
// are meant for and its guardrails spare:
//   - the holder carries every principal tag an Allow statement reads (a
//     ${aws:PrincipalTag/K} variable, or a condition on aws:PrincipalTag/K
//     other than Null "true"), and every tag a Deny requires to be spared
//     (a negated operator, such as StringNotEquals aws:PrincipalTag/role
//     admin; or Null "true": untagged holders are denied);
//   - a tag's value is, of the literals the conditions on it name (a
//     pattern's wildcards filled in) and defaultTagValue, the one that
//     meets the most of the Allow conditions and escapes the most of the
//     Deny conditions on it, the first such in policy order.
//
// A Deny's positive conditions and variables add no tag: the untagged
// holder escapes them. One holder has one value per tag, so two grants
// that ask for different values of one tag are decided for the first.
func holderTags(list []*stmt) map[string]string {
	var keys []string           // as first written, in policy order
	spelled := map[string]int{} // lower-cased key -> index in keys
	tests := map[string][]tagTest{}
	want := func(key string) {
		low := strings.ToLower(key)
		if _, ok := spelled[low]; !ok {
			spelled[low] = len(keys)
			keys = append(keys, key)
		}
	}
	for _, s := range list {
		allow := s.Effect == translator.Allow
		if allow {
			for _, r := range s.Resources {
				for _, m := range principalTagVar.FindAllStringSubmatch(r.Raw, -1) {
					want(m[1])
				}
			}
		}
		for _, c := range s.Conditions {
			if allow {
				for _, v := range c.Values {
					for _, m := range principalTagVar.FindAllStringSubmatch(v.Raw, -1) {
						want(m[1])
					}
				}
			}
			if !strings.HasPrefix(c.Key, principalTagKey) || len(c.RawKey) <= len(principalTagKey) {
				continue
			}
			key := c.RawKey[len(principalTagKey):]
			if c.Base == "Null" {
				// Null "false" (the tag is there) grants on an Allow;
				// Null "true" (it is not) denies on a Deny.
				if nullAsks(c) != allow {
					want(key)
				}
				continue
			}
			low := strings.ToLower(key)
			switch {
			case allow:
				want(key)
				tests[low] = append(tests[low], tagTest{c, !c.Negated})
			case c.Negated:
				want(key)
				tests[low] = append(tests[low], tagTest{c, true})
			default:
				tests[low] = append(tests[low], tagTest{c, false})
			}
		}
	}
	if len(keys) == 0 {
		return nil
	}
	tags := make(map[string]string, len(keys))
	for _, key := range keys {
		tags[key] = bestTagValue(tests[strings.ToLower(key)])
	}
	return tags
}

// nullAsks is the value a Null condition asks for: true when it holds
// for an absent key.
func nullAsks(c *translator.Condition) bool {
	for _, v := range c.Values {
		if b, ok := v.Norm.(bool); ok {
			return b
		}
	}
	return strings.EqualFold(first(rawValues(c)), "true")
}

// bestTagValue picks a tag's value for its tests (holderTags).
func bestTagValue(tests []tagTest) string {
	var candidates []string
	for _, t := range tests {
		candidates = append(candidates, tagLiterals(t.c)...)
	}
	candidates = append(candidates, defaultTagValue)
	best, score := defaultTagValue, -1
	for _, v := range candidates {
		n := 0
		for _, t := range tests {
			if meets(t.c, v) == t.meet {
				n++
			}
		}
		if n > score {
			best, score = v, n
		}
	}
	return best
}

// tagLiterals are the values that meet a condition's positive operator:
// its literals (a pattern's wildcards filled in; a bound of a numeric
// comparison moved to its side).
func tagLiterals(c *translator.Condition) []string {
	var out []string
	for _, raw := range rawValues(c) {
		switch c.Base {
		case "StringEquals", "StringEqualsIgnoreCase", "Bool", "NumericEquals", "NumericLessThanEquals", "NumericGreaterThanEquals":
			out = append(out, raw)
		case "StringLike":
			out = append(out, strings.NewReplacer("*", "x", "?", "x").Replace(raw))
		case "NumericLessThan", "NumericGreaterThan":
			if f, err := strconv.ParseFloat(raw, 64); err == nil {
				step := 1.0
				if c.Base == "NumericLessThan" {
					step = -1
				}
				out = append(out, strconv.FormatFloat(f+step, 'f', -1, 64))
			}
		}
	}
	return out
}

// rawValues are a condition's values without policy variables.
func rawValues(c *translator.Condition) []string {
	var out []string
	for _, v := range c.Values {
		if v.Template == nil && !strings.Contains(v.Raw, "${") {
			out = append(out, v.Raw)
		}
	}
	return out
}

// meets reports whether a tag value meets a condition's positive
// operator, for the operators tagLiterals knows (false for others).
func meets(c *translator.Condition, v string) bool {
	for _, raw := range rawValues(c) {
		switch c.Base {
		case "StringEquals":
			if v == raw {
				return true
			}
		case "StringEqualsIgnoreCase", "Bool":
			if strings.EqualFold(v, raw) {
				return true
			}
		case "StringLike":
			if catalog.WildcardMatch(raw, v) {
				return true
			}
		case "NumericEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals":
			x, err1 := strconv.ParseFloat(v, 64)
			y, err2 := strconv.ParseFloat(raw, 64)
			if err1 != nil || err2 != nil {
				continue
			}
			switch {
			case c.Base == "NumericEquals" && x == y,
				c.Base == "NumericLessThan" && x < y,
				c.Base == "NumericLessThanEquals" && x <= y,
				c.Base == "NumericGreaterThan" && x > y,
				c.Base == "NumericGreaterThanEquals" && x >= y:
				return true
			}
		}
	}
	return false
}
