package lint

import (
	"regexp"
	"strings"

	"github.com/iam2rego/iam2rego/translator"
)

// principalTagVar finds ${aws:PrincipalTag/K} in a resource or condition
// value; K is the tag key.
var principalTagVar = regexp.MustCompile(`(?i)\$\{aws:PrincipalTag/([^}]+)\}`)

// principalTagKey prefixes the condition keys of principal tags (as
// translator.Condition.Key spells them, lower-cased).
const principalTagKey = "aws:principaltag/"

// defaultTagValue is the value of a principal tag that no condition asks
// for a literal of.
const defaultTagValue = "iam2rego-tag"

// holderTags are the tags of the synthetic user that holds a policy
// linted on its own, chosen so that the holder is one the policy's grants
// are meant for and its guardrails spare:
//   - every principal tag an Allow statement reads, in a
//     ${aws:PrincipalTag/K} variable or a condition on aws:PrincipalTag/K,
//     valued as the first literal a StringEquals or StringLike condition
//     of an Allow asks for (a pattern's wildcards filled in);
//   - every principal tag a Deny tests with a negated operator
//     (StringNotEquals aws:PrincipalTag/role admin: everyone but admins
//     is denied), valued as the literal the Deny spares, when no Allow
//     asks for one;
//   - any other value is defaultTagValue.
//
// A Deny's positive conditions and variables add no tag (the untagged
// holder escapes them), nor does a Null condition alone (it asks whether
// the tag is there at all).
func holderTags(list []*stmt) map[string]string {
	tags := map[string]string{}
	want := func(key string) {
		for k := range tags {
			if strings.EqualFold(k, key) {
				return
			}
		}
		tags[key] = defaultTagValue
	}
	asked := map[string]string{}  // lower-cased key -> the literal an Allow asks for
	spared := map[string]string{} // lower-cased key -> the literal a Deny spares
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
			if !strings.HasPrefix(c.Key, principalTagKey) || len(c.RawKey) <= len(principalTagKey) || c.Base == "Null" {
				continue
			}
			key := c.RawKey[len(principalTagKey):]
			switch {
			case allow && !c.Negated:
				want(key)
				setLiteral(asked, key, c)
			case allow:
				want(key)
			case c.Negated:
				want(key)
				setLiteral(spared, key, c)
			}
		}
	}
	for k := range tags {
		if v, ok := asked[strings.ToLower(k)]; ok {
			tags[k] = v
		} else if v, ok := spared[strings.ToLower(k)]; ok {
			tags[k] = v
		}
	}
	if len(tags) == 0 {
		return nil
	}
	return tags
}

// setLiteral records, once per key, the first literal value of a string
// equality or pattern condition (its wildcards filled in).
func setLiteral(into map[string]string, key string, c *translator.Condition) {
	if _, seen := into[strings.ToLower(key)]; seen {
		return
	}
	switch c.Base {
	case "StringEquals", "StringEqualsIgnoreCase", "StringLike":
		for _, v := range c.Values {
			if v.Template == nil && !strings.Contains(v.Raw, "${") {
				into[strings.ToLower(key)] = fillWildcards(v.Raw)
				return
			}
		}
	}
}

// fillWildcards turns a StringLike pattern into a value it matches.
func fillWildcards(p string) string {
	return strings.NewReplacer("*", "x", "?", "x").Replace(p)
}
