package translator

import (
	"strings"

	"github.com/iam2rego/iam2rego/schema"
)

// rule says whether a policy type requires, allows or forbids an element.
type rule int

const (
	optional rule = iota
	required
	forbidden
)

// elementRules is the table of §1.6: which statement elements each policy
// type allows. Index 0 is Principal/NotPrincipal, 1 Resource/NotResource.
var elementRules = map[PolicyType][2]rule{
	Identity: {forbidden, required},
	Boundary: {forbidden, required},
	Session:  {forbidden, required},
	SCP:      {forbidden, required},
	Resource: {required, optional},
	VPCE:     {required, optional},
	Trust:    {required, forbidden},
	RCP:      {required, required},
}

// checkElements applies §1.2 and §1.6 to one statement.
func (c *compiler) checkElements(st *Statement, m map[string]any) {
	typ := c.policy.Type
	rules := elementRules[typ]
	c.pair(st, m, "Action", "NotAction", required)
	c.pair(st, m, "Principal", "NotPrincipal", rules[0])
	c.pair(st, m, "Resource", "NotResource", rules[1])
	_, hasNotPrincipal := m["NotPrincipal"]
	if hasNotPrincipal && st.Effect == Allow {
		c.diags.Add(schema.Errorf(schema.CodeUnsupportedEffect, c.file, st.Pointer+"/NotPrincipal", "NotPrincipal may only be used with \"Effect\": \"Deny\""))
	}
	if hasNotPrincipal && (typ == Trust || typ == RCP) {
		c.diags.Add(schema.Errorf(schema.CodeElementNotAllowed, c.file, st.Pointer+"/NotPrincipal", "NotPrincipal is not allowed in %s policies", typ))
	}
	if typ == RCP {
		c.checkRCP(st, m)
	}
	if typ == Trust {
		c.checkTrustActions(st, m)
	}
}

// pair checks two mutually exclusive elements such as Action/NotAction.
func (c *compiler) pair(st *Statement, m map[string]any, a, notA string, r rule) {
	_, hasA := m[a]
	_, hasNot := m[notA]
	switch {
	case hasA && hasNot:
		c.diags.Add(schema.Errorf(schema.CodeConflictingElements, c.file, st.Pointer+"/"+notA, "a statement may have %s or %s, not both", a, notA))
	case r == required && !hasA && !hasNot:
		c.diags.Add(schema.Errorf(schema.CodeElementRequired, c.file, st.Pointer, "%s policies need %s or %s in every statement", c.policy.Type, a, notA))
	case r == forbidden && hasA:
		c.diags.Add(schema.Errorf(schema.CodeElementNotAllowed, c.file, st.Pointer+"/"+a, "%s is not allowed in %s policies", a, c.policy.Type))
	case r == forbidden && hasNot:
		c.diags.Add(schema.Errorf(schema.CodeElementNotAllowed, c.file, st.Pointer+"/"+notA, "%s is not allowed in %s policies", notA, c.policy.Type))
	}
}

// checkRCP applies the RCP rules of §1.6: Principal must be "*", NotAction
// is forbidden, and only Deny statements are allowed apart from the
// AWS-managed RCPFullAWSAccess statement.
func (c *compiler) checkRCP(st *Statement, m map[string]any) {
	if p, ok := m["Principal"]; ok && p != "*" {
		c.diags.Add(schema.Errorf(schema.CodeInvalidPrincipal, c.file, st.Pointer+"/Principal", "the Principal of an RCP statement must be \"*\""))
	}
	if _, ok := m["NotAction"]; ok {
		c.diags.Add(schema.Errorf(schema.CodeElementNotAllowed, c.file, st.Pointer+"/NotAction", "NotAction is not allowed in RCPs"))
	}
	fullAccess := m["Action"] == "*" && m["Resource"] == "*" && m["Principal"] == "*" && m["Condition"] == nil
	if st.Effect == Allow && !fullAccess {
		c.diags.Add(schema.Errorf(schema.CodeUnsupportedEffect, c.file, st.Pointer+"/Effect", "RCPs may only Deny; the only Allow is AWS's RCPFullAWSAccess (Principal, Action and Resource \"*\")"))
	}
	if st.Effect == Deny && m["Action"] == "*" {
		c.diags.Add(schema.Warnf(schema.WarnRCPActionStar, c.file, st.Pointer+"/Action", "an RCP Deny with \"Action\": \"*\" may be refused by AWS's validator; list the actions of the RCP-supported services instead"))
	}
}

// checkTrustActions warns about trust-policy actions other than STS ones:
// a trust policy only governs role assumption and session tagging (§5.7).
func (c *compiler) checkTrustActions(st *Statement, m map[string]any) {
	vals, ptrs := stringList(m["Action"], st.Pointer+"/Action")
	for i, a := range vals {
		if a != "*" && !strings.HasPrefix(strings.ToLower(a), "sts:") {
			c.diags.Add(schema.Warnf(schema.WarnTrustAction, c.file, ptrs[i], "trust policies govern only sts: actions; %q has no effect here", a))
		}
	}
}
