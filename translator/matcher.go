package translator

// MatchKind is the shape a pattern is lowered to. Only MatchRegex and
// MatchTemplate are outside OPA's rule index (DESIGN.md, OPA-NOTES.md §3.1).
type MatchKind int

// RestKind is how a MatchSegments pattern tests the ARN's resource part.
type RestKind int

// The tests of the resource part.
const (
	RestAny    RestKind = iota // any resource part (the ARN has six parts)
	RestExact                  // equality
	RestPrefix                 // startswith
)

// The shapes, from cheapest to dearest.
const (
	MatchNever    MatchKind = iota // matches no request value
	MatchAny                       // matches every request value
	MatchExact                     // equality
	MatchPrefix                    // startswith
	MatchRegex                     // startswith(prefix) plus an anchored regex
	MatchTemplate                  // needs policy variables resolved per request
	// MatchSegments is an ARN whose region and/or account is a whole `*`
	// (arn:aws:ec2:*:*:instance/*, arn:aws:ec2:*::snapshot/*):
	// startswith(arn, Prefix) plus a test of the ARN's tail after its
	// fifth colon (input.resource.arn_resource) or, when the account is
	// literal, after its fourth (input.resource.arn_account_resource),
	// both indexed. Regex keeps the equivalent regex, for NotResource.
	MatchSegments
)

// Matcher is a lowered Action or Resource pattern.
type Matcher struct {
	Raw     string
	Pointer string // JSON pointer of the entry in its document (for diagnostics; not lowered)
	Kind    MatchKind
	Exact   string // MatchExact
	Prefix  string // MatchPrefix, MatchRegex, MatchTemplate: literal prefix ("" when none)
	Regex   string // MatchRegex, MatchSegments: RE2 fragment, anchored when emitted
	// Rest and RestKind test the tail of the ARN in the input field
	// RestField (MatchSegments).
	Rest      string
	RestKind  RestKind
	RestField string
	// Fragments is the MatchTemplate form: anchored regex pieces, each
	// either a regex string or a variable part to be resolved and quoted.
	Fragments []Fragment
}

// Fragment is one piece of a regex built per request.
type Fragment struct {
	Regex    string
	Variable *Part
}

// Indexed reports whether OPA can select the rule by index alone.
func (m Matcher) Indexed() bool { return m.Kind != MatchRegex && m.Kind != MatchTemplate }

// ActionPattern is a lowered Action / NotAction entry. Actions are compared
// in lower case (§2.2).
type ActionPattern struct{ Matcher }

// ResourcePattern is a lowered Resource / NotResource entry.
type ResourcePattern struct{ Matcher }
