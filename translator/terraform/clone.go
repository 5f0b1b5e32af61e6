package terraform

import (
	"maps"
	"slices"

	"github.com/iam2rego/iam2rego/translator/account"
)

// cloneExport copies what Apply may change: the accounts and their
// entities, the managed-policy map, the organization tree and the
// resource list. Documents are shared (they are never modified).
func cloneExport(e *account.Export) *account.Export {
	out := &account.Export{Managed: map[string]*account.ManagedPolicy{}}
	if e == nil {
		return out
	}
	out.InputBytes = e.InputBytes
	maps.Copy(out.Managed, e.Managed)
	for _, a := range e.Accounts {
		c := &account.Account{ID: a.ID}
		for _, u := range a.Users {
			x := *u
			x.Inline, x.Managed, x.Groups, x.Tags = slices.Clone(u.Inline), slices.Clone(u.Managed), slices.Clone(u.Groups), maps.Clone(u.Tags)
			c.Users = append(c.Users, &x)
		}
		for _, g := range a.Groups {
			x := *g
			x.Inline, x.Managed = slices.Clone(g.Inline), slices.Clone(g.Managed)
			c.Groups = append(c.Groups, &x)
		}
		for _, r := range a.Roles {
			x := *r
			x.Inline, x.Managed, x.Tags = slices.Clone(r.Inline), slices.Clone(r.Managed), maps.Clone(r.Tags)
			c.Roles = append(c.Roles, &x)
		}
		out.Accounts = append(out.Accounts, c)
	}
	if e.Organization != nil {
		o := *e.Organization
		o.Root = cloneUnit(e.Organization.Root)
		out.Organization = &o
	}
	for _, r := range e.Resources {
		x := *r
		x.Tags = maps.Clone(r.Tags)
		out.Resources = append(out.Resources, &x)
	}
	return out
}

func cloneUnit(u *account.OrgUnit) *account.OrgUnit {
	if u == nil {
		return nil
	}
	x := *u
	x.SCPs, x.RCPs = slices.Clone(u.SCPs), slices.Clone(u.RCPs)
	x.Units, x.Accounts = nil, nil
	for _, c := range u.Units {
		x.Units = append(x.Units, cloneUnit(c))
	}
	for _, a := range u.Accounts {
		y := *a
		y.SCPs, y.RCPs = slices.Clone(a.SCPs), slices.Clone(a.RCPs)
		x.Accounts = append(x.Accounts, &y)
	}
	return &x
}
