package cases

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/open-policy-agent/opa/v1/ast"
)

// Result is the outcome of one case.
type Result struct {
	Case     *Case
	Decision rego.Decision
	// Err is set when the case is invalid (bad JSON, a policy that does not
	// compile); the case then has no decision.
	Err error
	// Names maps "type|package" to where the policy sits in the case, for
	// explanations ("identityPolicies/0").
	Names map[string]string
	// Warnings from compiling the case's policies.
	Warnings []*schema.Error
}

// Options tune Run.
type Options struct {
	// RuleIndexing turns OPA's rule index off when false (for differential
	// tests); nil means on.
	RuleIndexing *bool
}

type compiled struct {
	c   *translator.Compiled
	err []*schema.Error // relative to the document
}

// Runner compiles the distinct policies of a set of cases once and decides
// every case with one prepared engine.
type Runner struct {
	cache   map[string]*compiled
	modules map[string]*ast.Module
}

// Run decides every case. Policies shared by several cases are compiled
// once; all policies go into one prepared query.
func Run(ctx context.Context, list []*Case, opts Options) ([]Result, error) {
	b, err := Compile(list)
	if err != nil {
		return nil, err
	}
	engineOpts := []rego.Option{}
	if opts.RuleIndexing != nil {
		engineOpts = append(engineOpts, rego.WithRuleIndexing(*opts.RuleIndexing))
	}
	eng, err := rego.Prepare(ctx, map[string]*ast.Module{PoliciesFile: b.Module}, engineOpts...)
	if err != nil {
		return nil, err
	}
	for i, req := range b.Requests {
		if req != nil {
			b.Results[i].Decision = eng.Decide(ctx, *req)
		}
	}
	return b.Results, nil
}

var roleARN = regexp.MustCompile(`^arn:[^:]+:iam::[0-9]{12}:role/`)

// request compiles the policies of one case and builds its request.
func (r *Runner) request(c *Case) (rego.Request, map[string]string, []*schema.Error, error) {
	var diags schema.Diagnostics
	names := map[string]string{}
	// slot and level locate a document as the library reports it.
	slot, level := 0, 0
	add := func(d *Doc, typ translator.PolicyType) string {
		name, errs, warns := r.compile(d.Value, typ)
		for _, e := range append(errs, warns...) {
			cp := *e
			cp.File = c.File
			cp.Pointer = d.Pointer + e.Pointer
			diags.Add(&cp)
		}
		if name != "" {
			names[nameKey(regoType(typ), level, slot)] = d.Pointer[1:]
		}
		return name
	}
	req := rego.Request{
		Principal:         rego.Principal{ARN: c.PrincipalARN, Tags: c.PrincipalTag, FederatedBy: c.FederatedBy, RoleARN: c.RoleARN, CanonicalUser: c.Canonical},
		Action:            c.Action,
		Resource:          rego.Resource{ARN: c.ResourceARN, Account: c.ResourceAcct, Tags: c.ResourceTags},
		Context:           c.Context,
		ManagementAccount: c.ManagementAccount,
	}
	for i := range c.Identity {
		slot = i
		req.Policies.Identity = append(req.Policies.Identity, add(&c.Identity[i], translator.Identity))
	}
	slot = 0
	if c.Boundary != nil {
		req.Policies.Boundary = add(c.Boundary, translator.Boundary)
	}
	if c.Session != nil {
		req.Policies.Session = add(c.Session, translator.Session)
	}
	if c.ResourcePolicy != nil {
		typ := translator.Resource
		if roleARN.MatchString(c.ResourceARN) {
			typ = translator.Trust
		}
		req.Policies.Resource = add(c.ResourcePolicy, typ)
	}
	for i, docs := range c.SCPs {
		ids := []string{}
		for j := range docs {
			level, slot = i+1, j
			ids = append(ids, add(&docs[j], translator.SCP))
		}
		req.Policies.SCPs = append(req.Policies.SCPs, ids)
	}
	for i, docs := range c.RCPs {
		ids := []string{}
		for j := range docs {
			level, slot = i+1, j
			ids = append(ids, add(&docs[j], translator.RCP))
		}
		req.Policies.RCPs = append(req.Policies.RCPs, ids)
	}
	warns := diags.Warnings()
	if err := diags.Err(); err != nil {
		return req, nil, warns, err
	}
	return req, names, warns, nil
}

// compile returns the policy name of a document for a policy type,
// compiling it the first time.
func (r *Runner) compile(doc any, typ translator.PolicyType) (string, []*schema.Error, []*schema.Error) {
	b, _ := json.Marshal(doc)
	key := string(typ) + "\x00" + string(b)
	cc, ok := r.cache[key]
	if !ok {
		cc = &compiled{}
		res, err := translator.CompileDocument("", typ, doc)
		if err != nil {
			cc.err = schema.List(err)
			if len(cc.err) == 0 {
				cc.err = []*schema.Error{schema.Errorf(schema.CodeInternal, "", "", "%v", err)}
			}
		} else {
			cc.c = res
			r.modules[res.Name] = res.Module
		}
		r.cache[key] = cc
	}
	if cc.c == nil {
		return "", cc.err, nil
	}
	return cc.c.Name, nil, cc.c.Warnings
}

// Check compiles the policies of every case without deciding, and returns
// each case's diagnostics (errors and warnings).
func Check(list []*Case) [][]*schema.Error {
	r := &Runner{cache: map[string]*compiled{}, modules: map[string]*ast.Module{}}
	out := make([][]*schema.Error, len(list))
	for i, c := range list {
		if c.Err != nil {
			out[i] = schema.List(c.Err)
			if len(out[i]) == 0 {
				out[i] = []*schema.Error{schema.Errorf(schema.CodeInternal, c.File, "", "%v", c.Err)}
			}
			continue
		}
		_, _, warns, err := r.request(c)
		out[i] = append(schema.List(err), warns...)
	}
	return out
}

// regoType is the policy type as the decision library names it: a trust
// policy is the role's resource-based policy.
func regoType(t translator.PolicyType) string {
	if t == translator.Trust {
		return string(translator.Resource)
	}
	return string(t)
}

// nameKey identifies a policy's place the way the library's statements do:
// type, organisation level (0 outside SCPs/RCPs) and position in the list.
func nameKey(typ string, level, slot int) string {
	return fmt.Sprintf("%s|%d|%d", typ, level, slot)
}
