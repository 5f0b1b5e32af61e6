package access

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/iam2rego/iam2rego/translator/catalog"
	"github.com/open-policy-agent/opa/v1/bundle"
)

// DefaultMaxProbes bounds the requests Can decides for one principal
// when its caller gives no bound (`can --max-probes`): the time, memory
// and output of one call grow with it, never past it.
const DefaultMaxProbes = 20_000

// Access is one allowed request: an action on a resource.
type Access struct {
	Action string `json:"action"`
	// Resource is the ARN decided: a resource the bundle knows, "*", or a
	// witness of Pattern.
	Resource string `json:"resource"`
	// Pattern is the policy's resource pattern Resource stands for, when
	// Resource is a witness (a concrete ARN the pattern matches).
	Pattern  string        `json:"pattern,omitempty"`
	Decision rego.Decision `json:"decision"`
}

// CanResult says what a principal of the bundle may do.
type CanResult struct {
	Principal string   `json:"principal"`
	Allowed   []Access `json:"allowed"`
	// Checked is how many requests were decided; Truncated says that the
	// candidates exceeded MaxProbes and only the first were decided.
	Checked   int  `json:"checked"`
	Truncated bool `json:"truncated,omitempty"`
	MaxProbes int  `json:"max_probes"`
	// Errors lists the requests that could not be decided (each a deny,
	// said here rather than dropped; the CLI then exits 2).
	Errors []Access `json:"errors,omitempty"`
	// Policies names, once per policy, where each policy of the
	// decisions' statements is used; the statements themselves carry no
	// names, so that a policy shared by a thousand principals is not
	// repeated on every allowed request.
	Policies map[string][]string `json:"policies"`
}

// keep stores a decision's statement names once in r.Policies and returns
// the decision without them.
func (r *CanResult) keep(d rego.Decision) rego.Decision {
	if len(d.Statements) == 0 {
		return d
	}
	d.Statements = append([]rego.Statement(nil), d.Statements...)
	for i := range d.Statements {
		st := &d.Statements[i]
		if _, ok := r.Policies[st.Policy]; !ok && len(st.Names) > 0 {
			r.Policies[st.Policy] = st.Names
		}
		st.Names = nil
	}
	return d
}

// probe is one candidate request.
type probe struct{ action, resource, pattern string }

// Can decides, for a user or role of the bundle, every catalogue action
// that an Allow statement of its identity policies, or of a resource
// policy in the bundle that names it or its account, can match, on the
// resources those statements can match: the resources the bundle knows,
// "*", and a witness ARN for each other pattern. It lists the allowed
// ones with their decisions. At most maxProbes requests are gathered and
// decided (0: DefaultMaxProbes; negative is an error); the result says
// when the bound cut them short.
func Can(ctx context.Context, eng *rego.Engine, b *bundle.Bundle, principal string, reqContext map[string]any, maxProbes int) (*CanResult, error) {
	switch {
	case maxProbes < 0:
		return nil, fmt.Errorf("the probe bound must be positive, got %d", maxProbes)
	case maxProbes == 0:
		maxProbes = DefaultMaxProbes
	}
	v, err := readView(b)
	if err != nil {
		return nil, err
	}
	ids, ok := identityPolicies(b, principal)
	if !ok {
		return nil, fmt.Errorf("%s is not a user or role of the bundle", principal)
	}
	account := ""
	if parts := strings.SplitN(principal, ":", 6); len(parts) == 6 {
		account = parts[4]
	}
	res := &CanResult{Principal: principal, Allowed: []Access{}, MaxProbes: maxProbes, Policies: map[string][]string{}}
	seen := map[probe]bool{}
	var probes []probe
	add := func(p probe) {
		switch {
		case seen[p]:
		case len(probes) >= maxProbes:
			res.Truncated = true
		default:
			seen[p] = true
			probes = append(probes, p)
		}
	}
	known := v.knownResources()
	all := catalog.AllActions()
	for _, name := range ids {
		pol, _, err := v.policy(name, translator.Identity)
		if err != nil {
			return nil, err
		}
		for _, st := range pol.Statements {
			if st.Effect == translator.Allow {
				identityProbes(st, all, known, account, add)
			}
		}
	}
	for _, arn := range known {
		for _, name := range v.resources[arn] {
			typ := translator.Resource
			if isRoleARN(arn) {
				typ = translator.Trust
			}
			pol, _, err := v.policy(name, typ)
			if err != nil {
				return nil, err
			}
			for _, st := range pol.Statements {
				if st.Effect == translator.Allow && st.Principal != nil && !st.NotPrincipal && names(st.Principal, principal, account) {
					for _, a := range actionsOf(st, all) {
						add(probe{action: a, resource: arn})
					}
				}
			}
		}
	}
	res.Checked = len(probes)
	reqs := make([]rego.Request, len(probes))
	for i, p := range probes {
		reqs[i] = rego.Request{Principal: rego.Principal{ARN: principal}, Action: p.action, Resource: rego.Resource{ARN: p.resource, Account: ownerOf(p.resource, account)}, Context: reqContext}
	}
	for i, d := range decideRequests(ctx, eng, reqs, res.keep) {
		a := Access{Action: probes[i].action, Resource: probes[i].resource, Pattern: probes[i].pattern, Decision: d}
		switch {
		case d.Error != "":
			res.Errors = append(res.Errors, a)
		case d.Allow:
			res.Allowed = append(res.Allowed, a)
		}
	}
	sort.Slice(res.Allowed, func(i, j int) bool {
		a, b := res.Allowed[i], res.Allowed[j]
		if a.Resource != b.Resource {
			return a.Resource < b.Resource
		}
		return a.Action < b.Action
	})
	return res, nil
}

// identityProbes adds the requests an identity-policy Allow statement can
// grant: its actions on the known resources of the action's service it
// matches, on "*" when it names "*", and on a witness of every other
// pattern.
func identityProbes(st *translator.Statement, all, known []string, account string, add func(probe)) {
	actions := actionsOf(st, all)
	for _, a := range actions {
		service, _, _ := strings.Cut(a, ":")
		for _, arn := range known {
			if serviceOf(arn) == service && resourceMatches(st, arn) {
				add(probe{action: a, resource: arn})
			}
		}
	}
	if st.NotResource {
		for _, a := range actions {
			add(probe{action: a, resource: "*"})
		}
		return
	}
	for _, r := range st.Resources {
		if r.Raw == "*" {
			for _, a := range actions {
				add(probe{action: a, resource: "*"})
			}
			continue
		}
		w := witness(r.Raw, account) // a literal ARN stays as written
		service := serviceOf(w)
		for _, a := range actions {
			if s, _, _ := strings.Cut(a, ":"); s == service {
				p := probe{action: a, resource: w}
				if w != r.Raw {
					p.pattern = r.Raw
				}
				add(p)
			}
		}
	}
}

// actionsOf lists the actions of all (the catalogue's) that a statement's
// Action or NotAction element matches.
func actionsOf(st *translator.Statement, all []string) []string {
	var out []string
	for _, a := range all {
		hit := false
		for _, p := range st.Actions {
			if p.MayMatch(a) {
				hit = true
				break
			}
		}
		if hit != st.NotAction {
			out = append(out, a)
		}
	}
	return out
}

func resourceMatches(st *translator.Statement, arn string) bool {
	if !st.HasResource {
		return true
	}
	hit := false
	for _, r := range st.Resources {
		hit = hit || r.MayMatch(arn)
	}
	return hit != st.NotResource
}

// names says whether a Principal element names the principal, its
// account, or everyone.
func names(p *translator.Principal, principal, account string) bool {
	if p.Wildcard {
		return true
	}
	for _, a := range p.Accounts {
		if a.Account == account {
			return true
		}
	}
	for _, arn := range p.ARNs {
		if arn == principal {
			return true
		}
	}
	return false
}

// witness turns a resource pattern into one concrete ARN it matches: a
// whole-segment `*` region becomes us-east-1 and a `*` account the
// principal's own; every other wildcard and policy variable becomes "x".
func witness(pattern, account string) string {
	parts := strings.SplitN(pattern, ":", 6)
	if len(parts) == 6 {
		if parts[3] == "*" {
			parts[3] = "us-east-1"
		}
		if parts[4] == "*" {
			parts[4] = account
		}
		pattern = strings.Join(parts, ":")
	}
	var b strings.Builder
	for i := 0; i < len(pattern); i++ {
		switch c := pattern[i]; {
		case c == '$' && i+1 < len(pattern) && pattern[i+1] == '{':
			if end := strings.IndexByte(pattern[i:], '}'); end > 0 {
				b.WriteByte('x')
				i += end
				continue
			}
			b.WriteByte(c)
		case c == '*' || c == '?':
			b.WriteByte('x')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// ownerOf is the account to decide an ARN in when the ARN names none
// (an AWS-owned resource such as a Bedrock foundation model): the
// caller's own, as a request from the caller's account names it. ARNs
// that name their account, and "*", need nothing.
func ownerOf(arn, account string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) == 6 && parts[4] == "" {
		return account
	}
	return ""
}

func serviceOf(arn string) string {
	parts := strings.SplitN(arn, ":", 4)
	if len(parts) < 3 || parts[0] != "arn" {
		return ""
	}
	return parts[2]
}

// identityPolicies are the identity policies data.iam2rego.principals
// gives a user or role.
func identityPolicies(b *bundle.Bundle, principal string) ([]string, bool) {
	p, ok := object(object(object(b.Data["iam2rego"])["principals"])[principal])["identity"].([]any)
	if !ok {
		return nil, false
	}
	return stringList(p), true
}

// document is a policy's document, parsed.
func (v *view) document(name string) (any, error) {
	text, ok := v.documents[name]
	if !ok {
		return nil, fmt.Errorf("policy %s has no document in the bundle: rebuild it with this iam2rego", name)
	}
	var doc any
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		return nil, fmt.Errorf("policy %s: %v", name, err)
	}
	return doc, nil
}

// policy parses a policy document of the bundle as the given type, and
// returns the decoded document beside it.
func (v *view) policy(name string, typ translator.PolicyType) (*translator.Policy, any, error) {
	doc, err := v.document(name)
	if err != nil {
		return nil, nil, err
	}
	c, err := translator.CompileExported("bundle policy "+name, typ, doc)
	if err != nil {
		return nil, nil, fmt.Errorf("policy %s: %v", name, err)
	}
	return c.Policy, doc, nil
}

// knownResources lists the bundle's resources, sorted.
func (v *view) knownResources() []string {
	out := make([]string, 0, len(v.resources))
	for arn := range v.resources {
		out = append(out, arn)
	}
	sort.Strings(out)
	return out
}
