package lint

import (
	"slices"
	"strings"

	"github.com/iam2rego/iam2rego/arn"

	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/iam2rego/iam2rego/translator/catalog"
)

// finding builds a diagnostic of a rule, with the rule's severity.
func finding(code, file, pointer, format string, args ...any) *schema.Error {
	e := schema.Errorf(code, file, pointer, format, args...)
	e.Severity = ruleOf(code).Severity
	return e
}

// about sets what a finding is about (schema.Subject) and returns it.
func about(e *schema.Error, s *stmt, actions ...string) *schema.Error {
	sub := &schema.Subject{Policy: s.label, Actions: actions}
	for _, r := range s.Resources {
		sub.Resources = append(sub.Resources, r.Raw)
	}
	if s.NotResource {
		// Every resource but those listed: a suppression must cover "*".
		sub.Resources = []string{"*"}
	}
	e.Subject = sub
	return e
}

// grantsAccess reports whether a policy type's Allow statements grant
// permissions to the principal that holds it (the over-breadth rules).
func grantsAccess(t translator.PolicyType) bool { return t == translator.Identity }

// checkStatement runs the per-statement rules.
func checkStatement(t translator.PolicyType, s *stmt, d *schema.Diagnostics) {
	checkConditionKeys(s, d)
	checkKeyApplicability(s, d)
	checkResourceTypes(s, d)
	checkUnsatisfiable(s, d)
	if grantsAccess(t) && s.allow() {
		checkReads(s, d)
	}
	switch {
	case t == translator.Resource || t == translator.Trust:
		checkPublic(s, d)
		if t == translator.Trust {
			checkTrust(s, d)
		}
	case grantsAccess(t) && s.allow():
		checkBreadth(s, d)
	}
}

// checkBreadth runs the over-breadth rules on an identity Allow statement.
func checkBreadth(s *stmt, d *schema.Diagnostics) {
	if s.NotAction {
		d.Add(about(finding(CodeAllowNotAction, s.file, s.pointer("NotAction"), "Allow with NotAction grants every action not listed (%d catalogued actions)", s.count()), s))
	} else {
		for _, a := range s.Actions {
			switch svc, name, _ := strings.Cut(a.Raw, ":"); {
			case a.Raw == "*":
				d.Add(about(finding(CodeActionWildcard, s.file, s.base+a.Pointer, "\"Action\": \"*\" allows every action of every service"), s, "*"))
			case name == "*":
				d.Add(about(finding(CodeServiceWildcard, s.file, s.base+a.Pointer, "%q allows every action of %s (%d catalogued)", a.Raw, svc, len(catalog.Expand(a.Raw))), s, strings.ToLower(a.Raw)))
			}
		}
	}
	if s.NotResource {
		d.Add(about(finding(CodeAllowNotResource, s.file, s.pointer("NotResource"), "Allow with NotResource grants the actions on every resource not listed"), s))
	}
	res := s.pointer(s.resourceElement())
	scoped := s.scopedServices()
	open := func(a catalog.Action) bool {
		svc, _, _ := strings.Cut(a.Name, ":")
		return a.ResourceLevel && !scoped[svc] && !scoped["*"]
	}
	if s.anyResource {
		if s.grants("iam:passrole") {
			d.Add(about(finding(CodePassRoleOnAny, s.file, res, "iam:PassRole on every role: the principal can give any role to a service"), s, "iam:passrole"))
		}
		if w := s.matching(func(a catalog.Action) bool {
			return open(a) && (a.Level == catalog.Write || a.Level == catalog.Tagging) && a.Name != "iam:passrole"
		}); len(w) > 0 {
			d.Add(about(finding(CodeWriteOnAnyResource, s.file, res, "%d write or tagging actions on every resource: %s", len(w), names(w)), s, w...))
		}
	}
	if b := s.among(bedrockInvoke); len(b) > 0 && (s.anyResource || anyBedrockResource(s.Resources)) {
		d.Add(about(finding(CodeBedrockAnyModel, s.file, res, "%s on every model instead of model ARNs", names(b)), s, b...))
	}
}

// exposed returns the permissions-management actions an Allow statement
// grants on every resource ("*" or NotResource) that accept resource ARNs
// and that no condition of the statement narrows (narrows): the
// candidates of resource_exposure, which the engine decides per holder.
func (s *stmt) exposed() []string {
	if !s.allow() || !s.anyResource {
		return nil
	}
	return s.matching(func(a catalog.Action) bool {
		return a.ResourceLevel && a.Level == catalog.Permissions && !s.narrows(a.Name)
	})
}

// narrows reports whether a condition of the statement may narrow an
// action to some of its resources: a tag condition (attribute-based
// access control), or a positive condition on a key of the action's
// service that its requests carry (keyReaches; under IfExists too, since
// such a request has the key). A key the action's requests never carry
// narrows nothing: StringEqualsIfExists s3:x-amz-server-side-encryption
// leaves s3:PutBucketPolicy on every bucket.
func (s *stmt) narrows(action string) bool {
	svc, _, _ := strings.Cut(action, ":")
	for _, c := range s.Conditions {
		ns, _, _ := strings.Cut(c.Key, ":")
		switch {
		case strings.HasPrefix(c.Key, "aws:resourcetag/"), strings.HasPrefix(c.Key, "aws:requesttag/"):
			return true
		case ns == svc && !c.Negated && keyReaches(action, c.Key):
			return true
		}
	}
	return false
}

// scopedServices returns the services whose requests the statement's
// conditions narrow: those of its service-specific keys (cloudwatch:namespace,
// kms:ViaService, ec2:CreateAction, ...), and "*" for aws:ResourceTag/...
// and aws:RequestTag/... (attribute-based access control). Write and permissions-management
// actions of those services on "*" are then not reported.
func (s *stmt) scopedServices() map[string]bool {
	out := map[string]bool{}
	for _, c := range s.Conditions {
		ns, _, _ := strings.Cut(c.Key, ":")
		switch {
		case strings.HasPrefix(c.Key, "aws:resourcetag/"), strings.HasPrefix(c.Key, "aws:requesttag/"):
			out["*"] = true
		case ns != "aws" && !c.Negated:
			out[ns] = true
		}
	}
	return out
}

// anyBedrockResource reports a Bedrock ARN pattern whose resource part is
// "*" (arn:aws:bedrock:*:*:*), which names no model either.
func anyBedrockResource(rs []translator.ResourcePattern) bool {
	for _, r := range rs {
		if a, ok := arn.Parse(r.Raw); ok && a.Service == "bedrock" && a.Resource == "*" {
			return true
		}
	}
	return false
}

// checkPublic reports a resource or trust policy statement open to "*".
func checkPublic(s *stmt, d *schema.Diagnostics) {
	if !s.allow() || s.Principal == nil || !s.Principal.Wildcard || len(s.Conditions) > 0 {
		return
	}
	d.Add(about(finding(CodePublicResourcePolicy, s.file, s.pointer("Principal"), "Principal \"*\" without a condition: anyone, in any account or anonymous, is allowed"), s))
}

// checkTrust reports a trust statement that lets a whole account assume
// the role without sts:ExternalId or aws:PrincipalArn.
func checkTrust(s *stmt, d *schema.Diagnostics) {
	if !s.allow() || s.Principal == nil || len(s.Principal.Accounts) == 0 || !assumes(s) {
		return
	}
	for _, c := range s.Conditions {
		if slices.Contains(trustKeys, c.Key) {
			return
		}
	}
	accts := make([]string, len(s.Principal.Accounts))
	for i, a := range s.Principal.Accounts {
		accts[i] = a.Account
	}
	d.Add(about(finding(CodeAccountWideTrust, s.file, s.pointer("Principal"), "any principal of account %s may assume the role: no sts:ExternalId or aws:PrincipalArn condition", strings.Join(accts, ", ")), s))
}

// assumes reports whether a trust statement allows assuming the role.
func assumes(s *stmt) bool {
	return len(s.matching(func(a catalog.Action) bool { return strings.HasPrefix(a.Name, "sts:assumerole") })) > 0
}

// checkConditionKeys reports keys the catalogue does not know, and service
// keys that none of the statement's actions' requests carry.
func checkConditionKeys(s *stmt, d *schema.Diagnostics) {
	for _, c := range s.Conditions {
		if _, known := catalog.ConditionKeyType(c.Key); !known {
			if providerKey(c.Key) {
				continue
			}
			d.Add(about(finding(CodeUnknownConditionKey, s.file, s.base+c.Pointer, "condition key %s is not in the catalogue", c.RawKey), s))
			continue
		}
		if strings.HasPrefix(c.Key, "aws:") || !specific(s) {
			continue
		}
		// A key of the catalogue's global list (glue:RoleAssumedBy,
		// ec2:SourceInstanceArn) is set on requests to any service
		// signed with credentials a service issued; any other service key
		// reaches only the actions the catalogue lists it for
		// (keyReaches), whichever service they belong to.
		if _, global := catalog.GlobalKeyType(c.Key); global {
			continue
		}
		ns, _, _ := strings.Cut(c.Key, ":")
		acts := s.matching(func(catalog.Action) bool { return true })
		applies := len(acts) == 0
		for _, n := range acts {
			if keyReaches(n, c.Key) {
				applies = true
				break
			}
		}
		if !applies {
			same := s.matching(func(a catalog.Action) bool { return strings.HasPrefix(a.Name, ns+":") })
			if len(same) > 0 {
				d.Add(about(finding(CodeUnknownConditionKey, s.file, s.base+c.Pointer, "condition key %s applies to none of the statement's %s actions (%s)", c.RawKey, ns, names(same)), s, same...))
			} else {
				d.Add(about(finding(CodeUnknownConditionKey, s.file, s.base+c.Pointer, "condition key %s of %s is never in the request context of the statement's actions (%s)", c.RawKey, ns, names(acts)), s, acts...))
			}
		}
	}
}

// providerKey reports a claim key of a web identity provider: its prefix
// is the provider's host name, and path for an EKS cluster
// (token.actions.githubusercontent.com:sub,
// oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE:aud). Every provider has
// its own, so the catalogue cannot list them all.
func providerKey(key string) bool {
	prefix, _, _ := strings.Cut(key, ":")
	return strings.Contains(prefix, ".")
}

// specific reports whether every action pattern of the statement matches a
// catalogued action, without NotAction or "*": only then can a key be
// said to apply to none of them.
func specific(s *stmt) bool {
	if s.NotAction || s.all || len(s.listed) == 0 {
		return false
	}
	for _, a := range s.Actions {
		if a.Raw == "*" || len(catalog.Expand(a.Raw)) == 0 {
			return false
		}
	}
	return true
}
