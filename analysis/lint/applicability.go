package lint

import (
	"strings"

	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/iam2rego/iam2rego/translator/catalog"
)

// absentResult is what a condition evaluates to when its key is absent
// from the request context (IAM-SEMANTICS.md §3.3): true for IfExists,
// ForAllValues, negated operators and Null "true"; false otherwise.
func absentResult(c *translator.Condition) bool {
	switch {
	case c.IfExists, c.Qualifier == "ForAllValues":
		return true
	case c.Qualifier == "ForAnyValue":
		return false
	case c.Base == "Null":
		for _, v := range c.Values {
			if b, ok := v.Norm.(bool); ok && b {
				return true
			}
		}
		return false
	}
	return c.Negated
}

// checkKeyApplicability reports, per condition on a service key, the
// statement's actions of that service whose request context never holds
// the key, when others do (none: unknown_condition_key). Actions written
// out are checked one by one; a wildcard pattern is reported when none of
// its actions of the key's service has the key. Keys of another service
// than the action's (set by a calling service), global keys (the
// catalogue's per-action tag keys are not complete enough) and IfExists
// and ForAllValues conditions on an Allow (true when the key is absent)
// are not reported.
func checkKeyApplicability(s *stmt, d *schema.Diagnostics) {
	if s.NotAction || s.all {
		return
	}
	for _, c := range s.Conditions {
		ns, _, _ := strings.Cut(c.Key, ":")
		if ns == "aws" || c.IfExists {
			continue
		}
		if _, known := catalog.ConditionKeyType(c.Key); !known {
			continue
		}
		absent := absentResult(c)
		if s.allow() && absent {
			continue
		}
		var affected []string
		some := false
		for _, p := range s.Actions {
			var own []string
			for _, a := range catalog.Expand(p.Raw) {
				if strings.HasPrefix(a.Name, ns+":") {
					own = append(own, a.Name)
				}
			}
			if len(own) == 0 {
				continue
			}
			var lacking int
			for _, a := range own {
				if ok, _ := catalog.SupportsKey(a, c.Key); ok {
					some = true
				} else {
					lacking++
				}
			}
			if !strings.ContainsAny(p.Raw, "*?") && lacking > 0 {
				affected = append(affected, own[0])
			} else if lacking == len(own) {
				affected = append(affected, p.Raw)
			}
		}
		if !some || len(affected) == 0 {
			continue
		}
		var effect string
		switch {
		case s.allow():
			effect = "never granted by this statement"
		case absent:
			effect = "always denied by this statement, whatever the key's value"
		default:
			effect = "never denied by this statement"
		}
		d.Add(about(finding(CodeKeyNotApplicable, s.file, s.base+c.Pointer, "condition key %s is never in the request context of %s: %s %s under %s",
			c.RawKey, names(affected), plural(len(affected), "it is", "they are"), effect, c.Operator), s, affected...))
	}
}

// plural picks the singular or plural form for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
