package rego

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// chain is the Go twin of lib/decide.rego and lib/decision.rego: the
// decision algorithm of IAM-SEMANTICS.md §5.4 and §6 over a normalised
// input and the statements that matched it. Decide runs it; the Rego
// library stays the reference (DecideReference, DecideValue, sidecars),
// and tests require both to give the same decisions, reasons and
// statements.
type chain struct {
	in          chainInput
	rcpServices map[string]bool
	hits        []hit
	protected   protectedTable   // the library's protected resources (chain_protected.go)
	byKind      map[string][]hit // resource-policy allows by principal kind, once
}

var (
	roleARN   = regexp.MustCompile(`^arn:[^:]+:iam::[0-9]{12}:role/`)
	kmsKeyARN = regexp.MustCompile(`^arn:[^:]+:kms:[^:]*:[0-9]{12}:key/`)
)

var stsRoleActions = map[string]bool{
	"sts:assumerole": true, "sts:assumerolewithsaml": true, "sts:assumerolewithwebidentity": true,
	"sts:tagsession": true, "sts:setsourceidentity": true, "sts:setcontext": true,
}

// denyOrder orders explicit denies by the step of §5.4 that sweeps them.
var denyOrder = []string{"scp", "rcp", "resource", "identity", "boundary", "session", "vpce"}

var typeLabel = map[string]string{
	"identity": "an identity-based policy", "boundary": "the permissions boundary",
	"session": "the session policy", "resource": "the resource-based policy",
	"scp": "an SCP", "rcp": "an RCP", "vpce": "the VPC endpoint policy",
}

func (c *chain) authenticated() bool {
	switch c.in.kind {
	case "root", "user", "role_session", "federated_user":
		return true
	}
	return false
}

func (c *chain) iamPrincipal() bool {
	switch c.in.kind {
	case "user", "role_session", "federated_user":
		return true
	}
	return false
}

func (c *chain) scpsApply() bool {
	return c.authenticated() && c.in.principalAccount != c.in.management && len(c.in.scps) > 0
}

func (c *chain) rcpsApply() bool {
	return c.in.resourceAccount != c.in.management && c.rcpServices[service(c.in.action)]
}

func (c *chain) sameAccount() bool {
	return c.in.principalAccount != "" && c.in.principalAccount == c.in.resourceAccount
}

func (c *chain) resourceAllows() []hit { return of(c.hits, "resource", "Allow") }

// kinds groups the resource policy's allows by the kind that names the
// caller (rp_kinds), once per decision, each group in order.
func (c *chain) kinds() map[string][]hit {
	if c.byKind == nil {
		c.byKind = map[string][]hit{}
		for _, h := range c.resourceAllows() {
			if h.kind != "" {
				c.byKind[h.kind] = append(c.byKind[h.kind], h)
			}
		}
	}
	return c.byKind
}

// allowsOf is allows_of(k): the resource policy's allows that name the
// caller as kind k, in order.
func (c *chain) allowsOf(kind string) []hit { return slices.Clone(c.kinds()[kind]) }

func (c *chain) rpKind(kind string) bool { return len(c.kinds()[kind]) > 0 }

// rpKinds is count(rp_kinds): how many kinds the resource policy allows.
func (c *chain) rpKinds() int { return len(c.kinds()) }

func (c *chain) idAllow() bool {
	if len(of(c.hits, "identity", "Allow")) > 0 {
		return true
	}
	// A federated session created by the root user has root's implicit
	// allow.
	return c.in.kind == "federated_user" && strings.HasSuffix(c.in.federation, ":root")
}

func (c *chain) pbOK() bool {
	return len(c.in.lists["boundary"]) == 0 || len(of(c.hits, "boundary", "Allow")) > 0
}

func (c *chain) spOK() bool {
	switch {
	case c.in.kind == "root" || c.in.kind == "user":
		return true
	case c.in.kind == "role_session" && len(c.in.lists["session"]) == 0:
		return true
	case (c.in.kind == "role_session" || c.in.kind == "federated_user") && len(of(c.hits, "session", "Allow")) > 0:
		return true
	}
	return false
}

// needsDelegation: trust policies and KMS key policies must delegate to
// the account before IAM policies count (§5.7).
func (c *chain) needsDelegation() bool {
	if roleARN.MatchString(c.in.resourceARN) && stsRoleActions[c.in.action] && len(c.in.lists["resource"]) > 0 {
		return true
	}
	return kmsKeyARN.MatchString(c.in.resourceARN)
}

func (c *chain) identityPathAllowed() bool {
	return !c.needsDelegation() || c.rpKind("Account")
}

func (c *chain) caps() []hit {
	return append(of(c.hits, "boundary", "Allow"), of(c.hits, "session", "Allow")...)
}

// decide is lib/decision.rego's decide: each case is one step of §5.4.
func (c *chain) decide() Decision {
	in := &c.in
	var denies []hit
	for _, t := range denyOrder {
		denies = append(denies, of(c.hits, t, "Deny")...)
	}
	switch {
	case in.action == "sts:getcalleridentity" && in.kind != "anonymous":
		return result(Allow, "get-caller-identity", "sts:GetCallerIdentity needs no permission and cannot be denied", nil)
	case len(denies) > 0:
		return result(ExplicitDeny, "deny-sweep", fmt.Sprintf("explicit deny in %s", typeLabel[denies[0].typ]), denies)
	}
	if d, ok := c.protectedDecision(); ok {
		return d
	}
	if c.scpsApply() {
		allowed := map[int]bool{}
		for _, h := range of(c.hits, "scp", "Allow") {
			allowed[h.level] = true
		}
		for i := range in.scps {
			if n := i + 1; !allowed[n] {
				return result(ImplicitDeny, "scp", fmt.Sprintf("no SCP at level %d%s allows %s", n, c.levelName(n), in.actionName), nil)
			}
		}
	}
	if len(in.lists["vpce"]) > 0 && len(of(c.hits, "vpce", "Allow")) == 0 {
		return result(ImplicitDeny, "vpce", fmt.Sprintf("the VPC endpoint policy does not allow %s", in.actionName), nil)
	}
	return c.grant()
}

// levelName names SCP level n: from scp_names when given, else by
// position (organisation root first, the account last, OUs between).
func (c *chain) levelName(n int) string {
	if n-1 < len(c.in.scpNames) {
		if s, ok := c.in.scpNames[n-1].Value.(ast.String); ok {
			return fmt.Sprintf(" (%s)", string(s))
		}
	}
	switch {
	case n == 1:
		return " (organization root)"
	case n == len(c.in.scps):
		return " (account)"
	}
	return " (OU)"
}

// grant is lib/decision.rego's grant: who may be allowed, and by what.
func (c *chain) grant() Decision {
	in := &c.in
	same := c.sameAccount()
	switch in.kind {
	case "anonymous", "service":
		if c.rpKind("Direct") {
			return result(Allow, "resource-policy", "a resource-based policy allows this principal directly", c.allowsOf("Direct"))
		}
		return result(ImplicitDeny, "resource-policy", fmt.Sprintf("no resource-based policy allows %s for this %s caller", in.actionName, in.kind), nil)
	case "root":
		switch {
		case stsRoleActions[in.action]:
			return result(ImplicitDeny, "root", "root user credentials cannot assume a role", nil)
		case same && c.identityPathAllowed():
			return result(Allow, "root", "the root user has full access in its own account", c.resourceAllows())
		case c.rpKind("Direct"):
			return result(Allow, "resource-policy", "a resource-based policy allows the root user directly", c.allowsOf("Direct"))
		case same:
			return result(ImplicitDeny, "resource-policy", c.delegationReason(), nil)
		case c.rpKind("Account"):
			return result(Allow, "cross-account", fmt.Sprintf("the resource-based policy of account %s trusts account %s", in.resourceAccount, in.principalAccount), c.allowsOf("Account"))
		}
		return result(ImplicitDeny, "cross-account", c.crossAccountReason(), nil)
	}
	pb, sp := c.pbOK(), c.spOK()
	switch {
	case same && c.rpKind("Direct"):
		return result(Allow, "resource-policy", "a same-account resource-based policy names this principal (identity policies, boundary and session policy are not needed)", c.allowsOf("Direct"))
	case same && c.rpKind("SessionOfRole") && pb && sp:
		return result(Allow, "resource-policy", "a same-account resource-based policy names the session's role", append(c.allowsOf("SessionOfRole"), c.caps()...))
	case same && c.rpKind("FederatingUser") && pb && sp:
		return result(Allow, "resource-policy", "a same-account resource-based policy names the user who federated this session", append(c.allowsOf("FederatingUser"), c.caps()...))
	case same && c.identityPathAllowed() && c.idAllow() && pb && sp:
		return result(Allow, "identity", "an identity-based policy allows the request", append(of(c.hits, "identity", "Allow"), c.caps()...))
	case same:
		return c.missing()
	case c.rpKinds() == 0:
		return result(ImplicitDeny, "cross-account", c.crossAccountReason(), nil)
	case c.idAllow() && pb && sp:
		stmts := append(c.resourceAllows(), of(c.hits, "identity", "Allow")...)
		return result(Allow, "cross-account", fmt.Sprintf("both accounts allow: the resource-based policy of account %s and the caller's own policies", in.resourceAccount), append(stmts, c.caps()...))
	}
	return c.missing()
}

func (c *chain) crossAccountReason() string {
	return fmt.Sprintf("cross-account request: no resource-based policy of account %s allows %s for this caller", c.in.resourceAccount, c.in.actionName)
}

func (c *chain) delegationReason() string {
	if roleARN.MatchString(c.in.resourceARN) {
		return "the trust policy does not allow this principal or its account"
	}
	return "the KMS key policy does not allow this principal or delegate to its account"
}

// missing names what blocked the request. A same-account grant that names
// the caller's role (or the user who federated) stops only at the
// boundary or the session policy (§5.5), so those are named first.
func (c *chain) missing() Decision {
	in := &c.in
	capped := c.sameAccount() && (c.rpKind("SessionOfRole") || c.rpKind("FederatingUser"))
	pb, sp := c.pbOK(), c.spOK()
	var step string
	switch {
	case capped && !pb:
		step = "boundary"
	case capped && !sp:
		step = "session"
	case !c.identityPathAllowed():
		step = "resource-policy"
	case !c.idAllow():
		step = "identity"
	case !pb:
		step = "boundary"
	case !sp:
		step = "session"
	default:
		// missing_step undefined: the Rego result is undefined too, and
		// the engine fails closed.
		return failClosed(fmt.Errorf("no step of the decision applies"))
	}
	var reason string
	switch step {
	case "resource-policy":
		reason = c.delegationReason()
	case "identity":
		reason = fmt.Sprintf("no identity-based policy allows %s on %s", in.actionName, in.resourceARN)
	case "boundary":
		reason = fmt.Sprintf("the permissions boundary does not allow %s on %s", in.actionName, in.resourceARN)
	case "session":
		if len(in.lists["session"]) > 0 {
			reason = fmt.Sprintf("the session policy does not allow %s on %s", in.actionName, in.resourceARN)
		} else {
			reason = "a federated user session without a session policy has no permissions"
		}
	}
	return result(ImplicitDeny, step, reason, nil)
}

// result is lib/decision.rego's result, with the statements decoded.
func result(decision, step, reason string, hits []hit) Decision {
	d := Decision{Decision: decision, Allow: decision == Allow, Step: step, Reason: reason, Statements: make([]Statement, 0, len(hits))}
	for _, h := range hits {
		d.Statements = append(d.Statements, statementOf(h.obj))
	}
	return d
}

// statementOf decodes a hit object into a Statement.
func statementOf(o ast.Object) Statement {
	s := Statement{
		Policy: textOf(o, "policy"), Type: textOf(o, "type"), Effect: textOf(o, "effect"),
		Index: intOf(o, "index"), Sid: textOf(o, "sid"), Kind: textOf(o, "kind"), Level: intOf(o, "level"), Slot: intOf(o, "slot"),
	}
	if t := o.Get(ast.StringTerm("names")); t != nil {
		if a, ok := t.Value.(*ast.Array); ok {
			for i := range a.Len() {
				if n, ok := a.Elem(i).Value.(ast.String); ok {
					s.Names = append(s.Names, string(n))
				}
			}
		}
	}
	return s
}
