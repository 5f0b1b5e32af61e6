package terraform

import (
	"slices"
	"strings"

	"github.com/iam2rego/iam2rego/arn"
	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator/account"
)

// relations are the types whose in-place update is applied as removing
// the before value and writing the after one (their members change in
// place); entities are updated over what the export holds.
var relations = map[string]bool{
	"aws_iam_role_policy": true, "aws_iam_user_policy": true, "aws_iam_group_policy": true,
	"aws_iam_role_policy_attachment": true, "aws_iam_user_policy_attachment": true, "aws_iam_group_policy_attachment": true,
	"aws_iam_policy_attachment": true, "aws_iam_user_group_membership": true, "aws_iam_group_membership": true,
	"aws_organizations_policy_attachment": true,
}

// write writes one side of a change into the export.
func (a *applier) write(c *change, m map[string]any, before bool) {
	v := a.vals(c, m, before)
	switch t := c.rc.Type; t {
	case "aws_iam_policy":
		a.writePolicy(v)
	case "aws_iam_role", "aws_iam_user", "aws_iam_group":
		a.writeEntity(v, strings.TrimPrefix(t, "aws_iam_"))
	case "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy":
		a.inline(v, strings.TrimSuffix(strings.TrimPrefix(t, "aws_iam_"), "_policy"), true)
	case "aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment":
		a.attachment(v, strings.TrimSuffix(strings.TrimPrefix(t, "aws_iam_"), "_policy_attachment"), true)
	case "aws_iam_policy_attachment":
		a.exclusiveAttachment(v, true)
	case "aws_iam_user_group_membership":
		a.userGroups(v, true)
	case "aws_iam_group_membership":
		a.groupMembers(v, true)
	default:
		a.writeOther(v)
	}
}

// remove takes the before value of a change out of the export.
func (a *applier) remove(c *change, m map[string]any) {
	v := a.vals(c, m, true)
	switch t := c.rc.Type; t {
	case "aws_iam_policy":
		entityARN, _ := v.m["arn"].(string)
		delete(a.exp.Managed, entityARN)
		a.deletedPolicies = append(a.deletedPolicies, deletedPolicy{entityARN, c})
	case "aws_iam_role":
		name, _ := v.m["name"].(string)
		a.acct.Roles = slices.DeleteFunc(a.acct.Roles, func(r *account.Role) bool { return strings.EqualFold(r.Name, name) })
	case "aws_iam_user":
		name, _ := v.m["name"].(string)
		a.acct.Users = slices.DeleteFunc(a.acct.Users, func(u *account.User) bool { return strings.EqualFold(u.Name, name) })
	case "aws_iam_group":
		name, _ := v.m["name"].(string)
		a.acct.Groups = slices.DeleteFunc(a.acct.Groups, func(g *account.Group) bool { return strings.EqualFold(g.Name, name) })
		for _, u := range a.acct.Users {
			u.Groups = slices.DeleteFunc(u.Groups, func(x string) bool { return strings.EqualFold(x, name) })
		}
	case "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy":
		a.inline(v, strings.TrimSuffix(strings.TrimPrefix(t, "aws_iam_"), "_policy"), false)
	case "aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment":
		a.attachment(v, strings.TrimSuffix(strings.TrimPrefix(t, "aws_iam_"), "_policy_attachment"), false)
	case "aws_iam_policy_attachment":
		a.exclusiveAttachment(v, false)
	case "aws_iam_user_group_membership":
		a.userGroups(v, false)
	case "aws_iam_group_membership":
		a.groupMembers(v, false)
	default:
		a.removeOther(v)
	}
}

// derive records attribute values other resources may reference.
func (a *applier) derive(addr string, kv ...string) {
	m := a.derived[addr]
	if m == nil {
		m = map[string]string{}
		a.derived[addr] = m
	}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
}

// iamARN is the ARN IAM gives an entity or policy of the account.
func (a *applier) iamARN(kind, path, name string) string {
	return arn.IAM(a.partition, a.acct.ID, kind+"/"+strings.TrimPrefix(path, "/")+name).String()
}

// nameAndPath reads name and path ("/" by default); ok false when the
// name is unknown (name_prefix) and was reported.
func (v *vals) nameAndPath(what string) (name, path string, ok bool) {
	name, ok = v.str("name", what)
	if !ok || name == "" {
		return "", "", false
	}
	path, ok = v.str("path", "the path of "+name)
	if !ok {
		return "", "", false
	}
	if path == "" {
		path = "/"
	}
	return name, path, true
}

func (a *applier) writePolicy(v *vals) {
	name, path, ok := v.nameAndPath("the policy name")
	if !ok {
		return
	}
	entityARN := a.iamARN("policy", path, name)
	if known, _ := v.m["arn"].(string); known != "" && (v.before || !v.c.unknownAt("arn")) {
		entityARN = known
	}
	a.derive(v.c.rc.Address, "arn", entityARN, "id", entityARN, "name", name)
	doc, ok := v.policy([]any{"policy"}, "the policy document of "+entityARN)
	if !ok {
		a.pending(entityARN)
		return
	}
	a.exp.Managed[entityARN] = &account.ManagedPolicy{ARN: entityARN, Name: name, Path: path, Document: *doc}
}

// pending marks a managed policy whose document is unknown: attaching it
// is left out without a second report.
func (a *applier) pending(entityARN string) {
	a.derive("\x00pending", entityARN, "1")
}

func (a *applier) isPending(entityARN string) bool {
	_, ok := a.derived["\x00pending"][entityARN]
	return ok
}

// writeEntity creates or updates a role, user or group.
func (a *applier) writeEntity(v *vals, kind string) {
	name, path, ok := v.nameAndPath("the " + kind + " name")
	if !ok {
		return
	}
	entityARN := a.iamARN(kind, path, name)
	a.derive(v.c.rc.Address, "arn", entityARN, "name", name, "id", name)
	var inline *[]account.NamedDocument
	var managed *[]string
	switch kind {
	case "role":
		r := a.role(name)
		if r == nil {
			r = &account.Role{Name: name}
			a.acct.Roles = append(a.acct.Roles, r)
		}
		r.ARN, r.Path = entityARN, path
		if doc, ok := v.policy([]any{"assume_role_policy"}, "the trust policy (assume_role_policy) of "+entityARN); ok {
			r.Trust = doc
		}
		r.Boundary = a.boundary(v, entityARN, r.Boundary)
		r.Tags = v.tags()
		inline, managed = &r.Inline, &r.Managed
	case "user":
		u := a.user(name)
		if u == nil {
			u = &account.User{Name: name}
			a.acct.Users = append(a.acct.Users, u)
		}
		u.ARN, u.Path = entityARN, path
		u.Boundary = a.boundary(v, entityARN, u.Boundary)
		u.Tags = v.tags()
		inline, managed = &u.Inline, &u.Managed
	case "group":
		g := a.group(name)
		if g == nil {
			g = &account.Group{Name: name}
			a.acct.Groups = append(a.acct.Groups, g)
		}
		g.ARN, g.Path = entityARN, path
		return
	}
	a.exclusiveLists(v, entityARN, inline, managed)
}

// boundary is the permissions boundary a role or user resource plans:
// its permissions_boundary when the plan sets it to a policy it knows,
// else the boundary it had (current).
func (a *applier) boundary(v *vals, entityARN, current string) string {
	b, ok := v.str("permissions_boundary", "the permissions boundary of "+entityARN)
	if !ok {
		return current
	}
	if b != "" && !a.policyKnown(v, "permissions_boundary", b) {
		return current
	}
	return b
}

// exclusiveLists applies aws_iam_role's inline_policy blocks and
// managed_policy_arns, which own the role's lists when the configuration
// sets them. Unset, Terraform reports what exists (or, on create, an
// unknown): the export's lists and the separate resources stay.
func (a *applier) exclusiveLists(v *vals, entityARN string, inline *[]account.NamedDocument, managed *[]string) {
	if _, has := v.m["inline_policy"]; has || v.c.unknownAt("inline_policy") {
		switch val, known := v.c.known("inline_policy"); {
		case v.before:
			*inline = a.inlineBlocks(v, v.m["inline_policy"], entityARN)
		case !known && v.c.configured("inline_policy"):
			a.unknown(v.c, []any{"inline_policy"}, "the inline policies of "+entityARN)
		case known:
			if list := a.inlineBlocks(v, val, entityARN); len(list) > 0 || v.c.configured("inline_policy") {
				*inline = list
			}
		}
	}
	if _, has := v.m["managed_policy_arns"]; has || v.c.unknownAt("managed_policy_arns") {
		switch {
		case v.before:
			*managed, _ = v.strings("managed_policy_arns", "")
		case v.c.unknownAt("managed_policy_arns"):
			if v.c.configured("managed_policy_arns") {
				a.unknown(v.c, []any{"managed_policy_arns"}, "the managed policies attached to "+entityARN)
			}
		default:
			list, ok := v.strings("managed_policy_arns", "the managed policies attached to "+entityARN)
			if ok && (len(list) > 0 || v.c.configured("managed_policy_arns")) {
				var keep []string
				for _, p := range list {
					if a.policyKnown(v, "managed_policy_arns", p) {
						keep = append(keep, p)
					}
				}
				*managed = keep
			}
		}
	}
}

// inlineBlocks reads inline_policy blocks ({name, policy}); a block with
// an empty name is the provider's placeholder for none.
func (a *applier) inlineBlocks(v *vals, val any, entityARN string) []account.NamedDocument {
	list, _ := val.([]any)
	out := []account.NamedDocument{}
	for i, x := range list {
		m, _ := x.(map[string]any)
		name, _ := m["name"].(string)
		if !v.before && v.c.unknownAt("inline_policy", i, "name") {
			a.unknown(v.c, []any{"inline_policy", i, "name"}, "an inline policy name of "+entityARN)
			continue
		}
		if name == "" {
			continue
		}
		if doc, ok := v.policy([]any{"inline_policy", i, "policy"}, "inline policy "+name+" of "+entityARN); ok {
			out = append(out, account.NamedDocument{Name: name, Document: *doc})
		}
	}
	return out
}

// policyKnown checks that a managed policy ARN attached by the plan is
// defined: in the export or the plan, or an AWS managed policy of the
// embedded snapshot. A policy whose document is unknown is left out
// quietly (it was reported); anything else is an unknown_reference.
func (a *applier) policyKnown(v *vals, attr, entityARN string) bool {
	if a.isPending(entityARN) {
		return false
	}
	if _, err := a.exp.ResolveManaged(entityARN); err == nil {
		return true
	}
	a.errorf(schema.CodeUnknownReference, v.c, v.side(), []any{attr}, "managed policy %s is neither in the export, nor in the plan, nor an AWS managed policy", entityARN)
	return false
}

func (a *applier) role(name string) *account.Role {
	for _, r := range a.acct.Roles {
		if strings.EqualFold(r.Name, name) {
			return r
		}
	}
	return nil
}

func (a *applier) user(name string) *account.User {
	for _, u := range a.acct.Users {
		if strings.EqualFold(u.Name, name) {
			return u
		}
	}
	return nil
}

func (a *applier) group(name string) *account.Group {
	for _, g := range a.acct.Groups {
		if strings.EqualFold(g.Name, name) {
			return g
		}
	}
	return nil
}

// holder finds the role, user or group an inline policy or attachment
// names (the attribute role, user or group); ok false when the name is
// unknown (reported) or names nothing (an unknown_reference, unless the
// holder is being removed).
func (a *applier) holder(v *vals, kind string, write bool) (inline *[]account.NamedDocument, managed *[]string, name string, ok bool) {
	name, ok = v.str(kind, "the "+kind+" it belongs to")
	if !ok {
		return nil, nil, "", false
	}
	if i := strings.LastIndexByte(name, '/'); strings.HasPrefix(name, "arn:") && i > 0 {
		name = name[i+1:]
	}
	switch kind {
	case "role":
		if r := a.role(name); r != nil {
			return &r.Inline, &r.Managed, name, true
		}
	case "user":
		if u := a.user(name); u != nil {
			return &u.Inline, &u.Managed, name, true
		}
	case "group":
		if g := a.group(name); g != nil {
			return &g.Inline, &g.Managed, name, true
		}
	}
	if write {
		a.errorf(schema.CodeUnknownReference, v.c, v.side(), []any{kind}, "%s %s is neither in the export nor in the plan", kind, name)
	}
	return nil, nil, name, false
}

// inline writes or removes an aws_iam_{role,user,group}_policy.
func (a *applier) inline(v *vals, kind string, write bool) {
	inline, _, holder, ok := a.holder(v, kind, write)
	if !ok {
		return
	}
	name, ok := v.str("name", "the inline policy name")
	if !ok {
		return
	}
	if !write {
		*inline = slices.DeleteFunc(*inline, func(d account.NamedDocument) bool { return d.Name == name })
		return
	}
	// An unknown (or invalid) document leaves the policy as it is.
	doc, ok := v.policy([]any{"policy"}, "inline policy "+name+" of "+kind+" "+holder)
	if ok {
		*inline = slices.DeleteFunc(*inline, func(d account.NamedDocument) bool { return d.Name == name })
		*inline = append(*inline, account.NamedDocument{Name: name, Document: *doc})
	}
}

// attachment writes or removes an aws_iam_{role,user,group}_policy_attachment.
func (a *applier) attachment(v *vals, kind string, write bool) {
	_, managed, holder, ok := a.holder(v, kind, write)
	if !ok {
		return
	}
	entityARN, ok := v.str("policy_arn", "the policy attached to "+kind+" "+holder)
	if !ok || entityARN == "" {
		return
	}
	*managed = slices.DeleteFunc(*managed, func(x string) bool { return x == entityARN })
	if write && a.policyKnown(v, "policy_arn", entityARN) {
		*managed = append(*managed, entityARN)
	}
}

// exclusiveAttachment is aws_iam_policy_attachment: the policy is
// attached to exactly the users, roles and groups listed, in the whole
// account.
func (a *applier) exclusiveAttachment(v *vals, write bool) {
	entityARN, ok := v.str("policy_arn", "the policy it attaches")
	if !ok || entityARN == "" {
		return
	}
	lists := map[string][]string{}
	for _, kind := range []string{"users", "roles", "groups"} {
		if lists[kind], ok = v.strings(kind, "the "+kind+" it attaches "+entityARN+" to"); !ok {
			return
		}
	}
	if write && !a.policyKnown(v, "policy_arn", entityARN) {
		return
	}
	set := func(managed *[]string, name string, listed []string) {
		*managed = slices.DeleteFunc(*managed, func(x string) bool { return x == entityARN })
		if write && slices.ContainsFunc(listed, func(x string) bool { return strings.EqualFold(x, name) }) {
			*managed = append(*managed, entityARN)
		}
	}
	for _, u := range a.acct.Users {
		set(&u.Managed, u.Name, lists["users"])
	}
	for _, r := range a.acct.Roles {
		set(&r.Managed, r.Name, lists["roles"])
	}
	for _, g := range a.acct.Groups {
		set(&g.Managed, g.Name, lists["groups"])
	}
	if write {
		for _, kind := range []string{"users", "roles", "groups"} {
			for _, name := range lists[kind] {
				if _, _, _, ok := a.holderByName(strings.TrimSuffix(kind, "s"), name); !ok {
					a.errorf(schema.CodeUnknownReference, v.c, v.side(), []any{kind}, "%s %s is neither in the export nor in the plan", strings.TrimSuffix(kind, "s"), name)
				}
			}
		}
	}
}

func (a *applier) holderByName(kind, name string) (*[]account.NamedDocument, *[]string, string, bool) {
	switch kind {
	case "role":
		if r := a.role(name); r != nil {
			return &r.Inline, &r.Managed, name, true
		}
	case "user":
		if u := a.user(name); u != nil {
			return &u.Inline, &u.Managed, name, true
		}
	case "group":
		if g := a.group(name); g != nil {
			return &g.Inline, &g.Managed, name, true
		}
	}
	return nil, nil, name, false
}

// userGroups is aws_iam_user_group_membership: the user is in these
// groups (besides others).
func (a *applier) userGroups(v *vals, write bool) {
	name, ok := v.str("user", "the user")
	if !ok {
		return
	}
	groups, ok := v.strings("groups", "the groups of user "+name)
	if !ok {
		return
	}
	u := a.user(name)
	if u == nil {
		if write {
			a.errorf(schema.CodeUnknownReference, v.c, v.side(), []any{"user"}, "user %s is neither in the export nor in the plan", name)
		}
		return
	}
	for _, g := range groups {
		u.Groups = slices.DeleteFunc(u.Groups, func(x string) bool { return strings.EqualFold(x, g) })
		if !write {
			continue
		}
		if a.group(g) == nil {
			a.errorf(schema.CodeUnknownReference, v.c, v.side(), []any{"groups"}, "group %s is neither in the export nor in the plan", g)
			continue
		}
		u.Groups = append(u.Groups, a.group(g).Name)
	}
}

// groupMembers is aws_iam_group_membership: the group's members are
// exactly these users.
func (a *applier) groupMembers(v *vals, write bool) {
	group, ok := v.str("group", "the group")
	if !ok {
		return
	}
	users, ok := v.strings("users", "the members of group "+group)
	if !ok {
		return
	}
	g := a.group(group)
	if g == nil {
		if write {
			a.errorf(schema.CodeUnknownReference, v.c, v.side(), []any{"group"}, "group %s is neither in the export nor in the plan", group)
		}
		return
	}
	for _, u := range a.acct.Users {
		listed := slices.ContainsFunc(users, func(x string) bool { return strings.EqualFold(x, u.Name) })
		if !write && !listed {
			continue
		}
		u.Groups = slices.DeleteFunc(u.Groups, func(x string) bool { return strings.EqualFold(x, g.Name) })
		if write && listed {
			u.Groups = append(u.Groups, g.Name)
		}
	}
	if write {
		for _, name := range users {
			if a.user(name) == nil {
				a.errorf(schema.CodeUnknownReference, v.c, v.side(), []any{"users"}, "user %s is neither in the export nor in the plan", name)
			}
		}
	}
}

// deletedPolicy is a managed policy the plan deletes, and the change.
type deletedPolicy struct {
	policyARN string
	c         *change
}

// checkDeleted reports a managed policy the plan deletes that an entity
// still has attached (or as its boundary) after the plan: IAM refuses to
// delete it, so the plan cannot apply as planned.
func (a *applier) checkDeleted() {
	for _, d := range a.deletedPolicies {
		if _, ok := a.exp.Managed[d.policyARN]; ok {
			continue // deleted and created again (a replacement)
		}
		var users []string
		for _, u := range a.acct.Users {
			if slices.Contains(u.Managed, d.policyARN) || u.Boundary == d.policyARN {
				users = append(users, "user "+u.Name)
			}
		}
		for _, g := range a.acct.Groups {
			if slices.Contains(g.Managed, d.policyARN) {
				users = append(users, "group "+g.Name)
			}
		}
		for _, r := range a.acct.Roles {
			if slices.Contains(r.Managed, d.policyARN) || r.Boundary == d.policyARN {
				users = append(users, "role "+r.Name)
			}
		}
		if len(users) > 0 {
			a.errorf(schema.CodeUnknownReference, d.c, "before", []any{"arn"}, "deletes %s, which %s still uses after the plan (IAM refuses to delete an attached policy: detach it in the same plan)", d.policyARN, strings.Join(users, ", "))
		}
	}
}
