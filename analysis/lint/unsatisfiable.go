package lint

import (
	"strings"

	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/iam2rego/iam2rego/translator/catalog"
)

// principalTypes are the values of aws:PrincipalType (IAM User Guide,
// global condition context keys), lower-cased.
var principalTypes = []string{"account", "user", "federateduser", "assumedrole", "anonymous"}

// servicePrincipal is a pattern every AWS service principal matches.
const servicePrincipal = "?*.amazonaws.com"

// boolValues are the values a Bool-typed key holds in a request.
var boolValues = []string{"true", "false"}

// checkUnsatisfiable reports conditions no request can meet, so that an
// Allow grants nothing and a Deny denies nothing:
//   - aws:CalledVia, aws:CalledViaFirst, aws:CalledViaLast compared by a
//     positive string operator only with values that cannot be a service
//     principal (*.amazonaws.com);
//   - aws:PrincipalType compared only with values outside Account, User,
//     FederatedUser, AssumedRole and Anonymous;
//   - a key of type Bool compared by a string operator only with values
//     other than true and false;
//   - two positive String or Arn conditions on the same single-valued key
//     with no value in common.
//
// Only conditions false when the key is absent count (no IfExists, no
// ForAllValues, no negated operator), and values with policy variables
// may be anything. Comparisons ignore case, so that a finding never rests
// on it.
func checkUnsatisfiable(s *stmt, d *schema.Diagnostics) {
	for _, c := range s.Conditions {
		if !positiveText(c) {
			continue
		}
		var domain []string
		var what string
		switch c.Key {
		case "aws:calledvia", "aws:calledviafirst", "aws:calledvialast":
			domain, what = []string{servicePrincipal}, "a service principal (*.amazonaws.com)"
		case "aws:principaltype":
			domain, what = principalTypes, "Account, User, FederatedUser, AssumedRole or Anonymous"
		default:
			if t, _ := catalog.ConditionKeyType(c.Key); t != catalog.TypeBool {
				continue
			}
			domain, what = boolValues, "true or false"
		}
		if !valuesMeet(c, domain) {
			d.Add(about(finding(CodeUnsatisfiable, s.file, s.base+c.Pointer, "%s %s is never true: the key's value is %s, and no value here can be one; the statement %s",
				c.Operator, c.RawKey, what, nothingWords(s)), s))
		}
	}
	checkDisjoint(s, d)
}

// checkDisjoint reports two positive String or Arn conditions on the same
// single-valued key whose values cannot be equal.
func checkDisjoint(s *stmt, d *schema.Diagnostics) {
	for i, a := range s.Conditions {
		if !positiveText(a) || a.Qualifier != "" || catalog.IsMultiValued(a.Key) {
			continue
		}
		for _, b := range s.Conditions[i+1:] {
			if b.Key != a.Key || !positiveText(b) || b.Qualifier != "" {
				continue
			}
			if !valuesMeet(b, patterns(a)) {
				d.Add(about(finding(CodeUnsatisfiable, s.file, s.base+b.Pointer, "%s %s and %s %s have no value in common, and the key has one value: the statement %s",
					a.Operator, a.RawKey, b.Operator, b.RawKey, nothingWords(s)), s))
			}
		}
	}
}

// positiveText reports a String or Arn condition that is false when its
// key is absent and true only for listed values: no negation, no IfExists,
// no ForAllValues.
func positiveText(c *translator.Condition) bool {
	if c.Negated || c.IfExists || c.Qualifier == "ForAllValues" {
		return false
	}
	return strings.HasPrefix(c.Base, "String") || strings.HasPrefix(c.Base, "Arn")
}

// patterns returns a condition's values as lower-cased wildcard patterns
// (a value with a policy variable becomes "*": it may be anything).
// StringEquals values are patterns too, which can only add overlaps.
func patterns(c *translator.Condition) []string {
	out := make([]string, len(c.Values))
	for i, v := range c.Values {
		if v.Template != nil && v.Template.HasVariables() {
			out[i] = "*"
			continue
		}
		out[i] = strings.ToLower(v.Raw)
	}
	return out
}

// valuesMeet reports whether some value of the condition can equal a
// string matching one of the domain patterns.
func valuesMeet(c *translator.Condition, domain []string) bool {
	for _, v := range patterns(c) {
		for _, p := range domain {
			if catalog.WildcardsIntersect(v, p) {
				return true
			}
		}
	}
	return false
}

func nothingWords(s *stmt) string {
	if s.allow() {
		return "grants nothing"
	}
	return "denies nothing"
}
