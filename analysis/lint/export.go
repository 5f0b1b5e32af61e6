package lint

import (
	"sort"
	"strings"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/iam2rego/iam2rego/translator/account"
)

// exportRun lints the documents of one build, each managed policy once,
// and checks every user and role for escalation paths over the policies
// it really holds.
type exportRun struct {
	*runner
	exp     *account.Export
	managed map[string][]*stmt // by type and ARN
	groups  map[string][]*stmt // by group ARN
	holders []*holding
}

func (r *runner) export(exp *account.Export) {
	x := &exportRun{runner: r, exp: exp, managed: map[string][]*stmt{}, groups: map[string][]*stmt{}}
	for _, a := range exp.Accounts {
		byName := map[string]*account.Group{}
		for _, g := range a.Groups {
			byName[g.Name] = g
			x.groups[g.ARN] = x.entity("group "+g.Name, g.Inline, g.Managed)
		}
		for _, u := range a.Users {
			h := &holding{who: "user " + u.ARN, arn: u.ARN, statements: x.entity("", u.Inline, u.Managed)}
			for _, name := range u.Groups {
				if g := byName[name]; g != nil {
					h.statements = append(h.statements, x.groups[g.ARN]...)
				}
			}
			x.boundary(h, u.Boundary)
			x.check(h)
		}
		for _, role := range a.Roles {
			h := &holding{who: "role " + role.ARN, arn: role.ARN, statements: x.entity("", role.Inline, role.Managed)}
			if role.Trust != nil {
				x.document(x.source(*role.Trust, "trust policy of "+role.Name), translator.Trust, role.Trust.Value)
			}
			x.boundary(h, role.Boundary)
			x.check(h)
		}
	}
	// Customer managed policies attached to nobody (not even as a
	// boundary) are linted too: they are one attachment away from being
	// held.
	arns := make([]string, 0, len(exp.Managed))
	for arn := range exp.Managed {
		if !strings.HasPrefix(arn, "arn:aws:iam::aws:") && !x.seen(arn) {
			arns = append(arns, arn)
		}
	}
	sort.Strings(arns)
	for _, arn := range arns {
		x.policy(arn, translator.Identity)
	}
	if org := exp.Organization; org != nil {
		x.unit(org.Root)
	}
	for _, res := range exp.Resources {
		if res.Policy != nil {
			x.document(x.source(*res.Policy, res.ARN), translator.Resource, res.Policy.Value)
		}
	}
	x.decideAll(exp, "the build's inputs", x.holders, bundles.Options{}, true)
}

// seen reports whether a managed policy was linted as any type.
func (x *exportRun) seen(arn string) bool {
	for _, t := range translator.PolicyTypes {
		if _, ok := x.managed[string(t)+" "+arn]; ok {
			return true
		}
	}
	return false
}

func (x *exportRun) check(h *holding) {
	x.report.Principals++
	x.holders = append(x.holders, h)
}

func (x *exportRun) source(d account.Document, label string) source {
	return source{file: d.File, base: d.Pointer, label: label, exported: true}
}

// entity lints an entity's inline policies and returns their statements
// with those of its managed policies.
func (x *exportRun) entity(owner string, inline []account.NamedDocument, managed []string) []*stmt {
	var out []*stmt
	for _, nd := range inline {
		label := nd.Name
		if owner != "" {
			label += " of " + owner
		}
		out = append(out, x.document(x.source(nd.Document, label), translator.Identity, nd.Document.Value)...)
	}
	for _, arn := range managed {
		out = append(out, x.policy(arn, translator.Identity)...)
	}
	return out
}

// boundary adds a permissions boundary to a holding.
func (x *exportRun) boundary(h *holding, arn string) {
	if arn != "" {
		h.hasBoundary = true
		h.boundary = x.policy(arn, translator.Boundary)
	}
}

// policy lints a managed policy as type t the first time and returns its
// statements. An unknown ARN is an input error (build reports it too).
func (x *exportRun) policy(arn string, t translator.PolicyType) []*stmt {
	key := string(t) + " " + arn
	if list, seen := x.managed[key]; seen {
		return list
	}
	x.managed[key] = nil
	mp, err := x.exp.ResolveManaged(arn)
	if err != nil {
		x.errs.Merge(arn, err)
		return nil
	}
	list := x.document(x.source(mp.Document, mp.Name), t, mp.Document.Value)
	x.managed[key] = list
	return list
}

// unit lints the SCPs and RCPs of an organization unit and below.
func (x *exportRun) unit(u *account.OrgUnit) {
	if u == nil {
		return
	}
	x.org(u.SCPs, u.RCPs)
	for _, a := range u.Accounts {
		x.org(a.SCPs, a.RCPs)
	}
	for _, c := range u.Units {
		x.unit(c)
	}
}

func (x *exportRun) org(scps, rcps []account.NamedDocument) {
	for _, nd := range scps {
		x.document(x.source(nd.Document, nd.Name), translator.SCP, nd.Document.Value)
	}
	for _, nd := range rcps {
		x.document(x.source(nd.Document, nd.Name), translator.RCP, nd.Document.Value)
	}
}
