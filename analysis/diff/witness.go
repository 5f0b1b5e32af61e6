package diff

import (
	"strings"
)

// globalServices have ARNs without a region.
var globalServices = map[string]bool{"iam": true, "s3": true, "cloudfront": true, "route53": true, "organizations": true, "waf": true}

// service returns the service prefix of an action ("s3:GetObject" → "s3").
func service(action string) string {
	svc, _, _ := strings.Cut(action, ":")
	return svc
}

// arnService returns the service part of an ARN, "" when it is not one.
func arnService(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return ""
	}
	return parts[2]
}

// arnAccount returns the account part of an ARN ("" for S3 and non-ARNs).
func arnAccount(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[4]
}

// compatible reports whether a request for the action can name a
// resource of this ARN's service (sts:AssumeRole names IAM roles).
func compatible(action, arn string) bool {
	svc, asvc := service(action), arnService(arn)
	if strings.ContainsAny(asvc, "*?") {
		return true
	}
	return svc == asvc || (svc == "sts" && asvc == "iam")
}

// witness returns a concrete ARN that a resource pattern matches: each
// * and ? becomes "x"; a policy variable becomes the principal's value of
// its key (vars, lower-cased keys: the caller's derived context), its
// default, or else "x" too (which its real value may not match; README.md
// says so). "*" alone gives a generic ARN of the action's service in the
// principal's account; a pattern of another service gives "".
func witness(pattern, action, acct string, vars map[string]string) string {
	if pattern == "*" {
		svc := service(action)
		if globalServices[svc] {
			if svc == "s3" {
				return "arn:aws:s3:::iam2rego-witness"
			}
			return "arn:aws:" + svc + "::" + acct + ":iam2rego-witness"
		}
		return "arn:aws:" + svc + ":us-east-1:" + acct + ":iam2rego-witness"
	}
	if !strings.HasPrefix(pattern, "arn:") {
		return ""
	}
	parts := strings.SplitN(substitute(pattern, vars), ":", 6)
	if len(parts) < 6 {
		return ""
	}
	parts[0] = "arn"
	if parts[1] == "*" || parts[1] == "" {
		parts[1] = "aws"
	}
	svc := service(action)
	if strings.ContainsAny(parts[2], "*?") {
		parts[2] = svc
	}
	if strings.ContainsAny(parts[3], "*?") {
		parts[3] = "us-east-1"
	}
	if strings.ContainsAny(parts[4], "*?") {
		parts[4] = acct
	}
	w := strings.Join(parts, ":")
	w = strings.NewReplacer("*", "x", "?", "x").Replace(w)
	if !compatible(action, w) {
		return ""
	}
	return w
}

// substitute replaces the policy variables of a pattern: ${key} by the
// value vars holds for it, ${key, 'default'} by the default when vars has
// none, and any other by *.
func substitute(raw string, vars map[string]string) string {
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
