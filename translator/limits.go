package translator

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/iam2rego/iam2rego/schema"
)

// AWS limits on policy documents and attachments (IAM-SEMANTICS.md §9).
// Sizes are in characters. IAM does not count whitespace; AWS
// Organizations counts every character of an SCP or RCP, whitespace
// included.
const (
	// MaxManagedPolicyChars bounds a customer managed policy (not
	// adjustable). AWS managed policies are not bound by it.
	MaxManagedPolicyChars = 6144
	// MaxInlineUserChars, MaxInlineGroupChars and MaxInlineRoleChars bound
	// the sum of all inline policies of one user, group or role (not
	// adjustable).
	MaxInlineUserChars  = 2048
	MaxInlineGroupChars = 5120
	MaxInlineRoleChars  = 10240
	// MaxTrustPolicyChars is the default quota of a role trust policy;
	// an account can raise it up to MaxTrustPolicyCharsRaised.
	MaxTrustPolicyChars       = 2048
	MaxTrustPolicyCharsRaised = 4096
	// MaxOrgPolicyChars bounds an SCP or an RCP, whitespace included
	// (not adjustable).
	MaxOrgPolicyChars = 5120
	// MaxSessionPolicyChars bounds an inline session policy.
	MaxSessionPolicyChars = 2048
	// MaxManagedPerPrincipal is the default number of managed policies
	// attached to a user or a role; an account can raise it up to
	// MaxManagedPerPrincipalRaised.
	MaxManagedPerPrincipal       = 10
	MaxManagedPerPrincipalRaised = 20
	// MaxManagedPerGroup and MaxGroupsPerUser are not adjustable.
	MaxManagedPerGroup = 10
	MaxGroupsPerUser   = 10
	// The AWS Organizations limits (SCPs and RCPs per node, OU depth) are
	// account.MaxPoliciesPerNode and account.MaxOUDepth.
)

// iam2rego's own resource limits: inputs beyond them are refused with
// input_too_large, whatever AWS allows.
const (
	// MaxStatements bounds the statements of one policy document. The
	// largest AWS managed policy has 162.
	MaxStatements = 1000
	// MaxInputBytes bounds one JSON input file; it is schema.MaxInputBytes,
	// which the readers enforce.
	MaxInputBytes = schema.MaxInputBytes
	// DefaultMaxPatternChars is the default of MaxPatternChars. The
	// longest wildcard text in the 1,594 AWS managed policies has 203
	// characters.
	DefaultMaxPatternChars = 1024
)

// The limit on a wildcard pattern: a policy string holding `*`
// or `?` (an Action, Resource or StringLike/ArnLike value), in
// characters; longer ones are refused with input_too_large. Long
// StringLike patterns are matched in time linear in the value
// (glob.go), but the regexes of set operators, ArnLike and resources
// cost the value's length times the pattern's. The CLI sets it from
// --max-pattern-length before compiling (SetMaxPatternChars).
var maxPatternChars atomic.Int64

func init() { maxPatternChars.Store(DefaultMaxPatternChars) }

// SetMaxPatternChars sets the limit (n <= 0: the default) and returns the
// previous value.
func SetMaxPatternChars(n int) int {
	if n <= 0 {
		n = DefaultMaxPatternChars
	}
	return int(maxPatternChars.Swap(int64(n)))
}

// MaxPatternChars is the current limit.
func MaxPatternChars() int { return int(maxPatternChars.Load()) }

// checkPatternLength refuses a wildcard pattern over MaxPatternChars.
func (c *compiler) checkPatternLength(s, ptr string) {
	if !strings.ContainsAny(s, "*?") {
		return
	}
	if n, max := utf8.RuneCountInString(s), MaxPatternChars(); n > max {
		c.diags.Add(schema.Errorf(schema.CodeInputTooLarge, c.file, ptr, "a wildcard pattern of %d characters; iam2rego reads at most %d (--max-pattern-length)", n, max))
	}
}

// DocumentSize is the length of a decoded policy document as AWS counts
// it against the IAM size quotas: the characters of its JSON text without
// whitespace between tokens. For an SCP or RCP, AWS also counts the
// whitespace of the text as submitted, so this is the size of the
// minified policy, the least AWS can count. It returns -1 for a value
// that is not JSON.
func DocumentSize(doc any) int {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return -1
	}
	return utf8.RuneCount(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// checkLimits reports the limits of §9 that one document can break on its
// own, and iam2rego's statement limit. Which limits are errors:
//
//   - more than MaxStatements statements: input_too_large, always;
//   - a session policy over MaxSessionPolicyChars, an SCP or RCP over
//     MaxOrgPolicyChars, a trust policy over MaxTrustPolicyCharsRaised:
//     limit_exceeded, an error, since AWS refuses such a document and no
//     account can raise these limits;
//   - a trust policy over MaxTrustPolicyChars (but within the raised
//     limit): warning quota_exceeded, since the account may have raised
//     its quota;
//   - an identity policy or permissions boundary over
//     MaxManagedPolicyChars: warning quota_exceeded, and only when the
//     document is not read from an export. A lone document does not say
//     whether it is a customer managed policy, an inline policy (whose
//     limits apply to the sum per user, group or role) or an AWS managed
//     policy (which AWS does not bound), so the error is left to the
//     account reader, which knows. Resource-based and VPC endpoint
//     policies have limits per service only (S3 20 KB, KMS 32 KB, …).
func (c *compiler) checkLimits(top map[string]any) {
	if stmts, ok := top["Statement"].([]any); ok && len(stmts) > MaxStatements {
		c.diags.Add(schema.Errorf(schema.CodeInputTooLarge, c.file, "/Statement", "the policy has %d statements; iam2rego reads at most %d per document", len(stmts), MaxStatements))
	}
	size := DocumentSize(top)
	switch typ := c.policy.Type; typ {
	case Session:
		if size > MaxSessionPolicyChars {
			c.diags.Add(schema.Errorf(schema.CodeLimitExceeded, c.file, "", "the session policy has %d characters without whitespace; AWS allows at most %d in an inline session policy", size, MaxSessionPolicyChars))
		}
	case SCP, RCP:
		if size > MaxOrgPolicyChars {
			c.diags.Add(schema.Errorf(schema.CodeLimitExceeded, c.file, "", "the %s has %d characters even without whitespace; AWS Organizations allows at most %d, whitespace included", strings.ToUpper(string(typ)), size, MaxOrgPolicyChars))
		}
	case Trust:
		switch {
		case size > MaxTrustPolicyCharsRaised:
			c.diags.Add(schema.Errorf(schema.CodeLimitExceeded, c.file, "", "the trust policy has %d characters without whitespace; IAM allows at most %d, even with a raised quota", size, MaxTrustPolicyCharsRaised))
		case size > MaxTrustPolicyChars:
			c.diags.Add(schema.Warnf(schema.WarnQuotaExceeded, c.file, "", "the trust policy has %d characters without whitespace; IAM's default quota is %d (an account can raise it to %d)", size, MaxTrustPolicyChars, MaxTrustPolicyCharsRaised))
		}
	case Identity, Boundary:
		if c.exported {
			return
		}
		switch {
		case size > MaxInlineRoleChars:
			c.diags.Add(schema.Warnf(schema.WarnQuotaExceeded, c.file, "", "the policy has %d characters without whitespace; IAM accepts at most %d in a customer managed policy and %d in all the inline policies of a role together (only AWS managed policies are larger)", size, MaxManagedPolicyChars, MaxInlineRoleChars))
		case size > MaxManagedPolicyChars:
			c.diags.Add(schema.Warnf(schema.WarnQuotaExceeded, c.file, "", "the policy has %d characters without whitespace; IAM accepts at most %d in a customer managed policy (or a boundary), so it fits only as an inline policy of a role (at most %d for all of them together)", size, MaxManagedPolicyChars, MaxInlineRoleChars))
		}
	}
}
