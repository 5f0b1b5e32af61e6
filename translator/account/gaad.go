package account

import (
	"fmt"
	"strings"

	arnpkg "github.com/iam2rego/iam2rego/arn"

	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator/managed"
)

// ReadGAAD reads the output of `aws iam get-account-authorization-details`
// (CLI output, or API/SDK output serialised as JSON) for one account. It
// returns the account's users, groups and roles, and the managed policies
// the file carries (customer managed and AWS managed), by ARN, each with
// its default version.
//
// The file is validated against schema/gaad.schema.json. Then: every
// entity and customer managed policy must be in one account (the account
// id comes from the ARNs); names, unique ids, inline policy names,
// attachments and tag keys must be unique; every Arn must agree with its
// entry's name and path (consistency.go); each managed policy must have
// exactly one default version; every group a user is in must be in the
// file; and every
// attached or boundary policy must be in the file's Policies or, for AWS
// managed policies, in the embedded snapshot (translator/managed).
//
// Every problem is reported at once, as a sorted *multierror.Error of
// *schema.Error with file and JSON pointer; on error the results are nil.
func ReadGAAD(file string, data []byte) (*Account, map[string]*ManagedPolicy, error) {
	var d schema.Diagnostics
	v, err := schema.DecodeAndValidate(schema.KindGAAD, file, data)
	d.Merge(file, err)
	root, ok := v.(map[string]any)
	if !ok {
		if v != nil && err == nil {
			d.Add(schema.Errorf(schema.CodeSchemaType, file, "", "the account details must be an object"))
		}
		return nil, nil, d.Err()
	}
	r := &gaadReader{file: file, d: &d, managed: map[string]*ManagedPolicy{}, acct: &Account{}, defined: map[string]string{}}
	r.read(root)
	if err := d.Err(); err != nil {
		return nil, nil, err
	}
	return r.acct, r.managed, nil
}

type gaadReader struct {
	file    string
	d       *schema.Diagnostics
	acct    *Account
	managed map[string]*ManagedPolicy

	acctFrom string            // pointer of the ARN that fixed the account id
	defined  map[string]string // policy ARN → pointer of its Policies entry
	refs     []policyRef
}

// policyRef is an attached or boundary policy ARN, checked once the whole
// file is read.
type policyRef struct {
	arn, ptr, who string
}

func (r *gaadReader) errorf(code, ptr, format string, args ...any) {
	r.d.Add(schema.Errorf(code, r.file, ptr, format, args...))
}

func (r *gaadReader) read(root map[string]any) {
	users := list(root, "UserDetailList")
	groups := list(root, "GroupDetailList")
	roles := list(root, "RoleDetailList")
	policies := list(root, "Policies")

	// The account: the first entity ARN in file order fixes it; every other
	// entity and customer managed policy must agree. Every entry's Arn must
	// agree with its name and path, and no two entries share an id
	// (consistency.go).
	ids := map[string]string{}
	for _, sec := range []struct {
		name string
		list []any
	}{{"UserDetailList", users}, {"GroupDetailList", groups}, {"RoleDetailList", roles}, {"Policies", policies}} {
		for i, e := range sec.list {
			r.checkAccount(str(object(e), "Arn"), schema.Pointer("", sec.name, i, "Arn"))
			r.checkNamed(sec.name, object(e), schema.Pointer("", sec.name, i), ids)
		}
	}
	if r.acct.ID == "" && len(r.d.All()) == 0 {
		r.errorf(schema.CodeSchemaRequired, "", "the account details have no user, group, role or customer managed policy, so the account they belong to is unknown")
	}

	for i, p := range policies {
		r.policy(object(p), schema.Pointer("", "Policies", i))
	}
	groupNames := map[string]bool{}
	seen := map[string]string{}
	for i, g := range groups {
		if grp := r.group(object(g), schema.Pointer("", "GroupDetailList", i), seen); grp != nil {
			groupNames[grp.Name] = true
		}
	}
	seen = map[string]string{}
	for i, u := range users {
		r.user(object(u), schema.Pointer("", "UserDetailList", i), seen, groupNames)
	}
	seen = map[string]string{}
	for i, ro := range roles {
		r.role(object(ro), schema.Pointer("", "RoleDetailList", i), seen)
	}
	for _, ref := range r.refs {
		r.checkRef(ref)
	}
}

func (r *gaadReader) checkAccount(arn, ptr string) {
	acct := arnpkg.Account(arn)
	if acct == "" || acct == "aws" {
		return
	}
	if r.acct.ID == "" {
		r.acct.ID, r.acctFrom = acct, ptr
		return
	}
	if acct != r.acct.ID {
		r.errorf(schema.CodeAccountMismatch, ptr, "%s is in account %s, but this file is for account %s (from %s); export each account to its own file", arn, acct, r.acct.ID, r.acctFrom)
	}
}

// unique reports a name seen before (IAM names are unique regardless of
// case) and records it otherwise.
func (r *gaadReader) unique(kind, name, ptr string, seen map[string]string) bool {
	key := strings.ToLower(name)
	if first, dup := seen[key]; dup {
		r.errorf(schema.CodeDuplicateDefinition, ptr, "%s %q is defined more than once (first at %s)", kind, name, first)
		return false
	}
	seen[key] = ptr
	return true
}

// inline reads an inline policy list (UserPolicyList, GroupPolicyList,
// RolePolicyList).
func (r *gaadReader) inline(m map[string]any, key, ptr string) []NamedDocument {
	var out []NamedDocument
	seen := map[string]string{}
	for j, p := range list(m, key) {
		pm := object(p)
		name, ok := pm["PolicyName"].(string)
		if !ok {
			continue
		}
		pp := schema.Pointer(ptr, key, j)
		if !r.unique("inline policy", name, schema.Pointer(pp, "PolicyName"), seen) {
			continue
		}
		doc, ok := document(r.file, schema.Pointer(pp, "PolicyDocument"), pm["PolicyDocument"], r.d)
		if ok {
			out = append(out, NamedDocument{Name: name, Document: doc})
		}
	}
	return out
}

// attached reads AttachedManagedPolicies and queues the ARNs for checking.
func (r *gaadReader) attached(m map[string]any, ptr, who string) []string {
	var out []string
	seen := map[string]bool{}
	for j, a := range list(m, "AttachedManagedPolicies") {
		arn, ok := object(a)["PolicyArn"].(string)
		if !ok {
			continue
		}
		ap := schema.Pointer(ptr, "AttachedManagedPolicies", j, "PolicyArn")
		if seen[arn] {
			r.errorf(schema.CodeDuplicateDefinition, ap, "%s is attached more than once", arn)
			continue
		}
		seen[arn] = true
		r.refs = append(r.refs, policyRef{arn: arn, ptr: ap, who: who})
		out = append(out, arn)
	}
	return out
}

// boundary reads PermissionsBoundary (PermissionsBoundaryType "Policy" in
// CLI output, "PermissionsBoundaryPolicy" in API output).
func (r *gaadReader) boundary(m map[string]any, ptr, who string) string {
	arn, ok := object(m["PermissionsBoundary"])["PermissionsBoundaryArn"].(string)
	if !ok {
		return ""
	}
	r.refs = append(r.refs, policyRef{arn: arn, ptr: schema.Pointer(ptr, "PermissionsBoundary", "PermissionsBoundaryArn"), who: who + " (permissions boundary)"})
	return arn
}

// entityPath is the Path member, or the path read from the ARN when the
// export leaves it out.
func entityPath(m map[string]any) string {
	if p := str(m, "Path"); p != "" {
		return p
	}
	return iamPath(str(m, "Arn"))
}

func (r *gaadReader) group(m map[string]any, ptr string, seen map[string]string) *Group {
	name, arn := str(m, "GroupName"), str(m, "Arn")
	if name == "" || arn == "" || !r.unique("group", name, schema.Pointer(ptr, "GroupName"), seen) {
		return nil
	}
	g := &Group{ARN: arn, Name: name, Path: entityPath(m), ID: str(m, "GroupId")}
	g.Inline = r.inline(m, "GroupPolicyList", ptr)
	g.Managed = r.attached(m, ptr, "group "+name)
	r.acct.Groups = append(r.acct.Groups, g)
	return g
}

func (r *gaadReader) user(m map[string]any, ptr string, seen map[string]string, groups map[string]bool) {
	name, arn := str(m, "UserName"), str(m, "Arn")
	if name == "" || arn == "" || !r.unique("user", name, schema.Pointer(ptr, "UserName"), seen) {
		return
	}
	u := &User{ARN: arn, Name: name, Path: entityPath(m), ID: str(m, "UserId")}
	u.Inline = r.inline(m, "UserPolicyList", ptr)
	u.Managed = r.attached(m, ptr, "user "+name)
	inGroup := map[string]bool{}
	for j, g := range list(m, "GroupList") {
		gn, ok := g.(string)
		if !ok {
			continue
		}
		gp := schema.Pointer(ptr, "GroupList", j)
		switch {
		case inGroup[gn]:
			r.errorf(schema.CodeDuplicateDefinition, gp, "group %q is listed more than once", gn)
		case !groups[gn]:
			r.errorf(schema.CodeUnknownReference, gp, "user %s is in group %q, which is not in GroupDetailList", name, gn)
		default:
			inGroup[gn] = true
			u.Groups = append(u.Groups, gn)
		}
	}
	u.Boundary = r.boundary(m, ptr, "user "+name)
	u.Tags = tagList(r.file, schema.Pointer(ptr, "Tags"), list(m, "Tags"), r.d)
	r.acct.Users = append(r.acct.Users, u)
}

func (r *gaadReader) role(m map[string]any, ptr string, seen map[string]string) {
	name, arn := str(m, "RoleName"), str(m, "Arn")
	if name == "" || arn == "" || !r.unique("role", name, schema.Pointer(ptr, "RoleName"), seen) {
		return
	}
	ro := &Role{ARN: arn, Name: name, Path: entityPath(m), ID: str(m, "RoleId")}
	if present(m, "AssumeRolePolicyDocument") {
		if doc, ok := document(r.file, schema.Pointer(ptr, "AssumeRolePolicyDocument"), m["AssumeRolePolicyDocument"], r.d); ok {
			ro.Trust = &doc
		}
	}
	ro.Inline = r.inline(m, "RolePolicyList", ptr)
	ro.Managed = r.attached(m, ptr, "role "+name)
	ro.Boundary = r.boundary(m, ptr, "role "+name)
	ro.Tags = tagList(r.file, schema.Pointer(ptr, "Tags"), list(m, "Tags"), r.d)
	r.acct.Roles = append(r.acct.Roles, ro)
}

// policy reads one entry of Policies with its default version.
func (r *gaadReader) policy(m map[string]any, ptr string) {
	arn, name := str(m, "Arn"), str(m, "PolicyName")
	if arn == "" || name == "" {
		return
	}
	if first, dup := r.defined[arn]; dup {
		r.errorf(schema.CodeDuplicateDefinition, schema.Pointer(ptr, "Arn"), "policy %s is listed more than once (first at %s)", arn, first)
		return
	}
	r.defined[arn] = ptr
	vp, vm, ok := r.defaultVersion(m, ptr)
	if !ok {
		return
	}
	doc, ok := document(r.file, schema.Pointer(vp, "Document"), vm["Document"], r.d)
	if !ok {
		return
	}
	r.managed[arn] = &ManagedPolicy{ARN: arn, Name: name, Path: entityPath(m), Document: doc}
}

// defaultVersion picks the policy version with IsDefaultVersion true. When
// no version says so, DefaultVersionId names it (only among versions that
// leave IsDefaultVersion out). None, or more than one, is an error, as is
// a default version that contradicts DefaultVersionId.
func (r *gaadReader) defaultVersion(m map[string]any, ptr string) (string, map[string]any, bool) {
	versions, isList := m["PolicyVersionList"].([]any)
	if !isList {
		return "", nil, false // reported by the schema
	}
	lp := schema.Pointer(ptr, "PolicyVersionList")
	want := str(m, "DefaultVersionId")
	var defaults, byID []int
	for j, v := range versions {
		vm := object(v)
		if b, ok := vm["IsDefaultVersion"].(bool); ok && b {
			defaults = append(defaults, j)
		} else if !present(vm, "IsDefaultVersion") && want != "" && str(vm, "VersionId") == want {
			byID = append(byID, j)
		}
	}
	arn := str(m, "Arn")
	switch {
	case len(defaults) > 1:
		r.errorf(schema.CodeDefaultVersion, lp, "policy %s has %d versions marked IsDefaultVersion; exactly one must be", arn, len(defaults))
	case len(defaults) == 1:
		j := defaults[0]
		vm := object(versions[j])
		if id := str(vm, "VersionId"); want != "" && id != "" && id != want {
			r.errorf(schema.CodeDefaultVersion, schema.Pointer(lp, j, "VersionId"), "policy %s: the version marked IsDefaultVersion is %s, but DefaultVersionId is %s", arn, id, want)
			return "", nil, false
		}
		return schema.Pointer(lp, j), vm, true
	case len(byID) == 1:
		return schema.Pointer(lp, byID[0]), object(versions[byID[0]]), true
	case len(versions) == 0:
		r.errorf(schema.CodeDefaultVersion, lp, "policy %s has no versions", arn)
	default:
		hint := ""
		if want != "" {
			hint = fmt.Sprintf(" (DefaultVersionId is %s)", want)
		}
		r.errorf(schema.CodeDefaultVersion, lp, "policy %s has no version marked IsDefaultVersion%s", arn, hint)
	}
	return "", nil, false
}

// checkRef requires an attached or boundary policy to be in the file's
// Policies or, for an AWS managed policy, in the embedded snapshot.
func (r *gaadReader) checkRef(ref policyRef) {
	if _, ok := r.defined[ref.arn]; ok {
		return
	}
	if arnpkg.Account(ref.arn) == "aws" {
		if !managed.Has(ref.arn) {
			r.errorf(schema.CodeUnknownReference, ref.ptr, "%s uses %s, which is neither in Policies nor an AWS managed policy known to iam2rego (%s)", ref.who, ref.arn, managed.Source)
		}
		return
	}
	r.errorf(schema.CodeUnknownReference, ref.ptr, "%s uses the customer managed policy %s, which is not in Policies", ref.who, ref.arn)
}
