package bundles

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/iam2rego/iam2rego/translator/account"
)

// compile returns the policy name of a document used as a policy type,
// compiling it the first time. Errors point into the input file. Build
// inputs are policies AWS stored, so Sid rules AWS did not enforce on them
// are warnings here (translator.CompileExported); `iam2rego validate` stays
// strict.
func (b *builder) compile(doc account.Document, typ translator.PolicyType, usedAs string) string {
	b.progress()
	canon, _ := json.Marshal(doc.Value)
	key := compiledKey(typ, canon)
	c, seen := b.compiled[key]
	if !seen {
		var err error
		c, err = translator.CompileExported(doc.File, typ, doc.Value)
		if err == nil {
			if c, err = b.keep(c); err != nil {
				err = schema.Errorf(schema.CodeInternal, doc.File, "", "%v", err)
			}
		}
		if err != nil {
			for _, e := range schema.List(err) {
				cp := *e
				cp.File = doc.File
				cp.Pointer = doc.Pointer + e.Pointer
				b.diags.Add(&cp)
			}
		}
		b.compiled[key] = c
		if c != nil {
			for _, w := range c.Warnings {
				cp := *w
				cp.Pointer = doc.Pointer + w.Pointer
				b.diags.Add(&cp)
			}
		}
	}
	if c == nil {
		return ""
	}
	b.modules[c.Name] = c
	if _, ok := b.data.Documents[c.Name]; !ok {
		b.data.Documents[c.Name] = string(canon)
	}
	if b.names[c.Name] == nil {
		b.names[c.Name] = map[string]bool{}
	}
	b.names[c.Name][usedAs] = true
	return c.Name
}

// managed compiles a managed policy by ARN, from the export or the
// embedded AWS snapshot.
func (b *builder) managed(arn string, typ translator.PolicyType, who, ptr string) string {
	mp, err := b.exp.ResolveManaged(arn)
	if err != nil {
		b.diags.Merge(who, err)
		return ""
	}
	if !b.sized[mp.ARN] {
		b.sized[mp.ARN] = true
		b.checkManagedSize(mp)
	}
	_ = ptr
	return b.compile(mp.Document, typ, mp.Name+" ("+mp.ARN+")")
}

func nonEmpty(ids ...string) []string {
	out := []string{}
	for _, id := range ids {
		if id != "" {
			out = append(out, id)
		}
	}
	return out
}

// sortedUnique sorts ids and drops duplicates and empty ones.
func sortedUnique(ids []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

func (b *builder) account(acct *account.Account) {
	groups := map[string]*account.Group{}
	for _, g := range acct.Groups {
		groups[g.Name] = g
	}
	for _, g := range acct.Groups {
		b.checkGroupLimits(g)
	}
	for _, u := range acct.Users {
		b.checkUserLimits(u)
		var ids []string
		for i, d := range u.Inline {
			ids = append(ids, b.compile(d.Document, translator.Identity, u.ARN+" inline "+d.Name))
			b.release(&u.Inline[i].Document)
		}
		for _, arn := range u.Managed {
			ids = append(ids, b.managed(arn, translator.Identity, u.ARN, ""))
		}
		names := append([]string(nil), u.Groups...)
		sort.Strings(names)
		for _, gn := range names {
			g, ok := groups[gn]
			if !ok {
				b.diags.Add(schema.Errorf(schema.CodeUnknownReference, u.ARN, "", "user %s is in group %q, which the export does not define", u.ARN, gn))
				continue
			}
			for _, d := range g.Inline {
				ids = append(ids, b.compile(d.Document, translator.Identity, g.ARN+" inline "+d.Name))
			}
			for _, arn := range g.Managed {
				ids = append(ids, b.managed(arn, translator.Identity, g.ARN, ""))
			}
		}
		p := &principal{Kind: "user", Account: acct.ID, Identity: sortedUnique(ids), Boundary: []string{}, Tags: tags(u.Tags), Groups: names}
		if u.Boundary != "" {
			p.Boundary = nonEmpty(b.managed(u.Boundary, translator.Boundary, u.ARN, ""))
		}
		b.data.Principals[u.ARN] = p
	}
	for _, r := range acct.Roles {
		b.checkRoleLimits(r)
		var ids []string
		for i, d := range r.Inline {
			ids = append(ids, b.compile(d.Document, translator.Identity, r.ARN+" inline "+d.Name))
			b.release(&r.Inline[i].Document)
		}
		for _, arn := range r.Managed {
			ids = append(ids, b.managed(arn, translator.Identity, r.ARN, ""))
		}
		p := &principal{Kind: "role", Account: acct.ID, Identity: sortedUnique(ids), Boundary: []string{}, Tags: tags(r.Tags)}
		if r.Boundary != "" {
			p.Boundary = nonEmpty(b.managed(r.Boundary, translator.Boundary, r.ARN, ""))
		}
		b.data.Principals[r.ARN] = p
		if b.data.RolesByName[acct.ID] == nil {
			b.data.RolesByName[acct.ID] = map[string]string{}
		}
		b.data.RolesByName[acct.ID][strings.ToLower(r.Name)] = r.ARN
		if r.Trust != nil {
			b.data.Resources[r.ARN] = &resource{Account: acct.ID, Tags: tags(r.Tags),
				Policy: nonEmpty(b.compile(*r.Trust, translator.Trust, r.ARN+" trust policy"))}
			b.release(r.Trust)
		}
	}
}

func (b *builder) resource(r *account.ResourcePolicy) {
	res := &resource{Account: r.Account, Tags: tags(r.Tags), Policy: []string{}}
	if r.Policy != nil {
		res.Policy = nonEmpty(b.compile(*r.Policy, translator.Resource, r.ARN+" resource policy"))
	}
	prev, ok := b.data.Resources[r.ARN]
	if !ok {
		b.data.Resources[r.ARN] = res
		return
	}
	// The resource is known already (a role, whose trust policy comes from
	// the export): merge, never drop a policy silently.
	if len(prev.Policy) > 0 && len(res.Policy) > 0 {
		b.diags.Add(schema.Errorf(schema.CodeDuplicateResource, r.Policy.File, r.Policy.Pointer, "resource %s has more than one resource-based policy (a role's trust policy comes from the account export)", r.ARN))
		return
	}
	if len(prev.Policy) == 0 {
		prev.Policy = res.Policy
	}
	for k, v := range res.Tags {
		prev.Tags[k] = v
	}
	if prev.Account != res.Account {
		b.diags.Add(schema.Errorf(schema.CodeAccountMismatch, r.ARN, "", "resource %s belongs to account %s in the export but to %s in the resource policies", r.ARN, prev.Account, res.Account))
	}
}

// organization records, for every member account, its SCP and RCP levels
// (root first, the account last), their names and its organization path.
func (b *builder) organization(org *account.Organization) {
	b.data.Organization = &organization{ID: org.ID, ManagementAccount: org.ManagementAccount}
	type level struct {
		name       string
		scps, rcps []string
	}
	var walk func(u *account.OrgUnit, path []level, orgPath string)
	walk = func(u *account.OrgUnit, path []level, orgPath string) {
		name := "OU " + u.Name
		if u == org.Root {
			name = "organization root"
		}
		here := level{name: name, scps: b.policies(u.SCPs, translator.SCP, name), rcps: b.policies(u.RCPs, translator.RCP, name)}
		path = append(path[:len(path):len(path)], here)
		orgPath += u.ID + "/"
		for _, a := range u.Accounts {
			mine := level{name: "account " + a.ID, scps: b.policies(a.SCPs, translator.SCP, "account "+a.ID), rcps: b.policies(a.RCPs, translator.RCP, "account "+a.ID)}
			levels := append(path[:len(path):len(path)], mine)
			oa := &orgAccount{Name: a.Name, OrgID: org.ID, OrgPaths: []string{orgPath}, SCPs: [][]string{}, RCPs: [][]string{}, SCPNames: []string{}}
			for _, l := range levels {
				oa.SCPs = append(oa.SCPs, l.scps)
				oa.RCPs = append(oa.RCPs, l.rcps)
				oa.SCPNames = append(oa.SCPNames, l.name)
			}
			b.data.Accounts[a.ID] = oa
		}
		for _, child := range u.Units {
			walk(child, path, orgPath)
		}
	}
	if org.Root != nil {
		walk(org.Root, nil, org.ID+"/")
	}
}

func (b *builder) policies(docs []account.NamedDocument, typ translator.PolicyType, where string) []string {
	ids := []string{}
	for _, d := range docs {
		ids = append(ids, b.compile(d.Document, typ, strings.ToUpper(string(typ))+" "+d.Name+" on "+where))
	}
	return sortedUnique(ids)
}

func tags(t map[string]string) map[string]string {
	if t == nil {
		return map[string]string{}
	}
	return t
}

// countDocuments is the number of times Build compiles a document (a
// policy attached twice is compiled, or found compiled, twice): the total
// of its progress.
func countDocuments(exp *account.Export) int {
	n := 0
	one := func(set bool) {
		if set {
			n++
		}
	}
	for _, a := range exp.Accounts {
		groups := map[string]*account.Group{}
		for _, g := range a.Groups {
			groups[g.Name] = g
		}
		for _, u := range a.Users {
			n += len(u.Inline) + len(u.Managed)
			for _, gn := range u.Groups {
				if g, ok := groups[gn]; ok {
					n += len(g.Inline) + len(g.Managed)
				}
			}
			one(u.Boundary != "")
		}
		for _, r := range a.Roles {
			n += len(r.Inline) + len(r.Managed)
			one(r.Boundary != "")
			one(r.Trust != nil)
		}
	}
	if exp.Organization != nil && exp.Organization.Root != nil {
		var walk func(u *account.OrgUnit)
		walk = func(u *account.OrgUnit) {
			n += len(u.SCPs) + len(u.RCPs)
			for _, a := range u.Accounts {
				n += len(a.SCPs) + len(a.RCPs)
			}
			for _, c := range u.Units {
				walk(c)
			}
		}
		walk(exp.Organization.Root)
	}
	for _, r := range exp.Resources {
		one(r.Policy != nil)
	}
	return n
}
