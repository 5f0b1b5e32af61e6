package translator

import (
	"regexp"
	"strings"

	"github.com/iam2rego/iam2rego/schema"
)

var (
	accountID    = regexp.MustCompile(`^[0-9]{12}$`)
	principalARN = regexp.MustCompile(`^arn:([a-z][a-z0-9-]*):(iam|sts)::([0-9]{12}):(.+)$`)
	uniqueID     = regexp.MustCompile(`^A[A-Z0-9]{3}[A-Z0-9]{12,}$`)
)

// compilePrincipal checks and normalises a Principal / NotPrincipal element
// (§1.4).
func compilePrincipal(c *compiler, v any, ptr string) *Principal {
	p := &Principal{}
	if s, ok := v.(string); ok {
		if s != "*" {
			c.diags.Add(schema.Errorf(schema.CodeInvalidPrincipal, c.file, ptr, "Principal must be \"*\" or an object such as {\"AWS\": ...}, got %q", s))
		}
		p.Wildcard = true
		return p
	}
	m, ok := v.(map[string]any)
	if !ok {
		return p
	}
	if len(m) == 0 {
		c.diags.Add(schema.Errorf(schema.CodeInvalidPrincipal, c.file, ptr, "the principal element names no principal"))
		return p
	}
	for _, key := range sortedKeys(m) {
		kptr := schema.Pointer(ptr, key)
		vals, ptrs := stringList(m[key], kptr)
		for i, val := range vals {
			if c.policy.VariablesEnabled() && strings.Contains(val, "${") {
				c.diags.Add(schema.Errorf(schema.CodeVariableNotAllowed, c.file, ptrs[i], "policy variables are not allowed in Principal: %q", val))
				continue
			}
			switch key {
			case "AWS":
				c.awsPrincipal(p, val, ptrs[i])
			case "Service", "Federated", "CanonicalUser":
				if strings.ContainsAny(val, "*?") {
					c.diags.Add(schema.Errorf(schema.CodeInvalidPrincipal, c.file, ptrs[i], "%s principals cannot hold wildcards: %q", key, val))
					continue
				}
				switch key {
				case "Service":
					p.Services = append(p.Services, val)
				case "Federated":
					p.Federated = append(p.Federated, val)
				default:
					p.Canonical = append(p.Canonical, val)
				}
			default:
				c.diags.Add(schema.Errorf(schema.CodeInvalidPrincipal, c.file, kptr, "unknown principal type %q (use AWS, Service, Federated or CanonicalUser)", key))
			}
		}
	}
	return p
}

// awsPrincipal reads one value of the "AWS" key.
func (c *compiler) awsPrincipal(p *Principal, val, ptr string) {
	switch {
	case val == "*":
		p.Wildcard = true
		return
	case accountID.MatchString(val):
		// A bare id names the account in whatever partition the policy
		// lives in; ":root" ARNs carry their partition.
		p.Accounts = append(p.Accounts, AccountRef{Partition: "*", Account: val})
		return
	case strings.ContainsAny(val, "*?"):
		c.diags.Add(schema.Errorf(schema.CodeInvalidPrincipal, c.file, ptr, "principal %q: only a bare \"*\" may be a wildcard in Principal", val))
		return
	case uniqueID.MatchString(val):
		// A unique id left behind by a deleted role or user: it matches
		// nothing (§1.4).
		p.ARNs = append(p.ARNs, val)
		return
	}
	m := principalARN.FindStringSubmatch(val)
	if m == nil {
		c.diags.Add(schema.Errorf(schema.CodeInvalidPrincipal, c.file, ptr, "principal %q must be an account id, an IAM or STS ARN, or \"*\"", val))
		return
	}
	partition, svc, acct, res := m[1], m[2], m[3], m[4]
	switch {
	case svc == "iam" && res == "root":
		p.Accounts = append(p.Accounts, AccountRef{Partition: partition, Account: acct})
	case svc == "iam" && (strings.HasPrefix(res, "user/") || strings.HasPrefix(res, "role/")) && !strings.HasSuffix(res, "/"):
		p.ARNs = append(p.ARNs, val)
	case svc == "sts" && strings.HasPrefix(res, "assumed-role/") && strings.Count(res, "/") == 2 && !strings.HasSuffix(res, "/"):
		p.ARNs = append(p.ARNs, val)
	case svc == "sts" && strings.HasPrefix(res, "federated-user/") && len(res) > len("federated-user/"):
		p.ARNs = append(p.ARNs, val)
	default:
		c.diags.Add(schema.Errorf(schema.CodeInvalidPrincipal, c.file, ptr, "principal %q is not a user, role, role session, federated user or account ARN", val))
	}
}
