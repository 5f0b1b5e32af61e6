package accountgen

import "github.com/iam2rego/iam2rego/translator"

// fitLimits trims generated policies so that the account stays within the
// AWS limits a real export always respects (IAM-SEMANTICS.md §9): the
// inline policy totals per user, group and role, and the size of a
// customer managed policy. Statements are dropped from the end, so the
// output stays deterministic.
func (a *acctGen) fitLimits() {
	for _, u := range a.file.UserDetailList {
		u.UserPolicyList = fitInline(u.UserPolicyList, translator.MaxInlineUserChars)
	}
	for _, g := range a.groups {
		g.GroupPolicyList = fitInline(g.GroupPolicyList, translator.MaxInlineGroupChars)
	}
	for _, r := range a.file.RoleDetailList {
		r.RolePolicyList = fitInline(r.RolePolicyList, translator.MaxInlineRoleChars)
	}
	for _, p := range a.file.Policies {
		for _, v := range p.PolicyVersionList {
			if d, ok := v.Document.(*Doc); ok {
				for len(d.Statement) > 1 && translator.DocumentSize(d) > translator.MaxManagedPolicyChars {
					d.Statement = d.Statement[:len(d.Statement)-1]
				}
			}
		}
	}
}

// fitInline drops statements (then empty policies) from the end of a
// principal's inline policies until their total size fits max.
func fitInline(list []*gaadInline, max int) []*gaadInline {
	total := func() int {
		n := 0
		for _, p := range list {
			n += translator.DocumentSize(p.PolicyDocument)
		}
		return n
	}
	for len(list) > 0 && total() > max {
		last := list[len(list)-1]
		d, ok := last.PolicyDocument.(*Doc)
		if !ok || len(d.Statement) <= 1 {
			list = list[:len(list)-1]
			continue
		}
		d.Statement = d.Statement[:len(d.Statement)-1]
	}
	return list
}
