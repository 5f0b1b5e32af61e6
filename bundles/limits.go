package bundles

import (
	"strings"

	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/iam2rego/iam2rego/translator/account"
)

// Per-principal AWS limits (IAM-SEMANTICS.md §9) that only the whole
// account shows: inline policy totals, attachments and group membership.
// Limits AWS never lets an account pass are errors; default quotas an
// account can raise are warnings.

// where names a principal in diagnostics: the file of its first inline
// policy when it has one, else its ARN.
func where(arn string, inline []account.NamedDocument) (string, string) {
	if len(inline) > 0 {
		d := inline[0].Document
		ptr := d.Pointer
		if i := strings.LastIndex(ptr, "/PolicyDocument"); i > 0 {
			ptr = ptr[:i]
		}
		return d.File, ptr
	}
	return arn, ""
}

// checkInlineTotal: the inline policies of one user, group or role share
// one size limit (whitespace not counted; not adjustable).
func (b *builder) checkInlineTotal(kind, arn, file, ptr string, docs []account.NamedDocument, max int) {
	size := 0
	for _, d := range docs {
		size += translator.DocumentSize(d.Document.Value)
	}
	if size > max {
		b.diags.Add(schema.Errorf(schema.CodeLimitExceeded, file, ptr, "%s %s has %d characters of inline policies (without whitespace); IAM allows %d per %s", kind, arn, size, max, kind))
	}
}

func (b *builder) checkUserLimits(u *account.User) {
	if b.opts.SkipPrincipalLimits {
		return
	}
	file, ptr := where(u.ARN, u.Inline)
	b.checkInlineTotal("user", u.ARN, file, ptr, u.Inline, translator.MaxInlineUserChars)
	if n := len(u.Groups); n > translator.MaxGroupsPerUser {
		b.diags.Add(schema.Errorf(schema.CodeLimitExceeded, file, ptr, "user %s is in %d groups; IAM allows %d", u.ARN, n, translator.MaxGroupsPerUser))
	}
	b.checkAttachments("user", u.ARN, file, ptr, len(u.Managed))
}

func (b *builder) checkRoleLimits(r *account.Role) {
	if b.opts.SkipPrincipalLimits {
		return
	}
	file, ptr := where(r.ARN, r.Inline)
	b.checkInlineTotal("role", r.ARN, file, ptr, r.Inline, translator.MaxInlineRoleChars)
	b.checkAttachments("role", r.ARN, file, ptr, len(r.Managed))
}

func (b *builder) checkGroupLimits(g *account.Group) {
	if b.opts.SkipPrincipalLimits {
		return
	}
	file, ptr := where(g.ARN, g.Inline)
	b.checkInlineTotal("group", g.ARN, file, ptr, g.Inline, translator.MaxInlineGroupChars)
	if n := len(g.Managed); n > translator.MaxManagedPerGroup {
		b.diags.Add(schema.Errorf(schema.CodeLimitExceeded, file, ptr, "group %s has %d managed policies attached; IAM allows %d per group", g.ARN, n, translator.MaxManagedPerGroup))
	}
}

// checkAttachments: 10 managed policies per user or role by default, 20
// with a raised quota.
func (b *builder) checkAttachments(kind, arn, file, ptr string, n int) {
	switch {
	case n > translator.MaxManagedPerPrincipalRaised:
		b.diags.Add(schema.Errorf(schema.CodeLimitExceeded, file, ptr, "%s %s has %d managed policies attached; IAM allows at most %d even with a raised quota", kind, arn, n, translator.MaxManagedPerPrincipalRaised))
	case n > translator.MaxManagedPerPrincipal:
		b.diags.Add(schema.Warnf(schema.WarnQuotaExceeded, file, ptr, "%s %s has %d managed policies attached; IAM's default quota is %d (an account can raise it to %d)", kind, arn, n, translator.MaxManagedPerPrincipal, translator.MaxManagedPerPrincipalRaised))
	}
}

// checkManagedSize: a customer managed policy holds at most 6,144
// characters; AWS managed policies are not bound by it.
func (b *builder) checkManagedSize(mp *account.ManagedPolicy) {
	if b.opts.SkipPrincipalLimits {
		return
	}
	if strings.Contains(mp.ARN, ":iam::aws:policy/") {
		return
	}
	if size := translator.DocumentSize(mp.Document.Value); size > translator.MaxManagedPolicyChars {
		b.diags.Add(schema.Errorf(schema.CodeLimitExceeded, mp.Document.File, mp.Document.Pointer, "managed policy %s has %d characters (without whitespace); IAM allows %d", mp.ARN, size, translator.MaxManagedPolicyChars))
	}
}
