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
// statement's actions whose request context never holds the key
// (keyReaches), when others do (none: unknown_condition_key). This holds
// for the actions of other services too: ec2:InstanceType is never in an
// s3:GetObject request. Actions written out are checked one by one; a
// wildcard pattern is reported when none of its actions has the key.
// Global keys (aws:..., and the service keys of the catalogue's global
// list, which AWS sets on requests to any service signed with
// credentials a service issued) and IfExists and ForAllValues conditions
// on an Allow (true when the key is absent) are not reported.
func checkKeyApplicability(s *stmt, d *schema.Diagnostics) {
	if s.NotAction || s.all {
		return
	}
	for _, c := range s.Conditions {
		ns, _, _ := strings.Cut(c.Key, ":")
		if ns == "aws" || c.IfExists {
			continue
		}
		if _, global := catalog.GlobalKeyType(c.Key); global {
			continue // set on requests to every service (keyReaches)
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
			acts := catalog.Expand(p.Raw)
			lacking := 0
			for _, a := range acts {
				if keyReaches(a.Name, c.Key) {
					some = true
				} else {
					lacking++
				}
			}
			if len(acts) == 0 || lacking == 0 {
				continue
			}
			if !strings.ContainsAny(p.Raw, "*?") {
				affected = append(affected, acts[0].Name)
			} else if lacking == len(acts) {
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
