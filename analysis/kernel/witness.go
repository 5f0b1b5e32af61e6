package kernel

import (
	"strings"

	"github.com/iam2rego/iam2rego/arn"
)

// globalServices have ARNs without a region.
var globalServices = map[string]bool{"iam": true, "s3": true, "cloudfront": true, "route53": true, "organizations": true, "waf": true}

// WitnessRegion is the region a witness ARN puts for a wildcard region.
const WitnessRegion = "us-east-1"

// Service is the service prefix of an action ("s3:GetObject" → "s3").
func Service(action string) string {
	svc, _, _ := strings.Cut(action, ":")
	return svc
}

// Compatible reports whether a request for the action can name a resource
// of this ARN's service (sts:AssumeRole names IAM roles).
func Compatible(action, resource string) bool {
	svc, asvc := Service(action), arn.Service(resource)
	if strings.ContainsAny(asvc, "*?") {
		return true
	}
	return svc == asvc || (svc == "sts" && asvc == "iam")
}

// Witness is one concrete ARN that a resource pattern matches, for a
// request of the action by a principal of the account: a wildcard
// partition is aws, a wildcard service the action's, a wildcard region
// us-east-1 and a wildcard account the principal's; a policy variable is
// the principal's value of its key (vars, lower-cased keys), its default,
// or else "x", and every other * and ? is "x" (README.md says what a
// witness cannot show). "*" alone is a generic ARN of the action's
// service in the account. A pattern of another service, or one that is
// no ARN, gives "".
func Witness(pattern, action, account string, vars map[string]string) string {
	svc := Service(action)
	if pattern == "*" {
		w := arn.ARN{Partition: arn.DefaultPartition, Service: svc, Region: WitnessRegion, Account: account, Resource: "iam2rego-witness"}
		if globalServices[svc] {
			w.Region = ""
		}
		if svc == "s3" {
			w.Account = ""
		}
		return w.String()
	}
	a, ok := arn.Parse(Substitute(pattern, vars))
	if !ok {
		return ""
	}
	wild := func(s string) bool { return s == "" || strings.ContainsAny(s, "*?") }
	if wild(a.Partition) {
		a.Partition = arn.DefaultPartition
	}
	if strings.ContainsAny(a.Service, "*?") {
		a.Service = svc
	}
	if strings.ContainsAny(a.Region, "*?") {
		a.Region = WitnessRegion
	}
	if strings.ContainsAny(a.Account, "*?") {
		a.Account = account
	}
	w := strings.NewReplacer("*", "x", "?", "x").Replace(a.String())
	if !Compatible(action, w) {
		return ""
	}
	return w
}

// Substitute replaces the policy variables of a pattern: ${key} by the
// value vars holds for it, ${key, 'default'} by the default when vars has
// none, and any other by *.
func Substitute(raw string, vars map[string]string) string {
	var b strings.Builder
	for {
		i := strings.Index(raw, "${")
		j := strings.Index(raw[max(i, 0):], "}")
		if i < 0 || j < 0 {
			b.WriteString(raw)
			return b.String()
		}
		b.WriteString(raw[:i])
		key, def, hasDef := strings.Cut(raw[i+2:i+j], ",")
		key = strings.ToLower(strings.TrimSpace(key))
		def = strings.Trim(strings.TrimSpace(def), "'")
		switch v, ok := vars[key]; {
		case ok:
			b.WriteString(v)
		case hasDef:
			b.WriteString(def)
		default:
			b.WriteByte('*')
		}
		raw = raw[i+j+1:]
	}
}
