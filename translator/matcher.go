package translator

// MatchKind is the shape a pattern is lowered to. Only MatchRegex and
// MatchTemplate are outside OPA's rule index (DESIGN.md, OPA-NOTES.md §3.1).
type MatchKind int

// The shapes, from cheapest to dearest.
const (
	MatchNever    MatchKind = iota // matches no request value
	MatchAny                       // matches every request value
	MatchExact                     // equality
	MatchPrefix                    // startswith
	MatchRegex                     // startswith(prefix) plus an anchored regex
	MatchTemplate                  // needs policy variables resolved per request
)

// Matcher is a lowered Action or Resource pattern.
type Matcher struct {
	Raw    string
	Kind   MatchKind
	Exact  string // MatchExact
	Prefix string // MatchPrefix, MatchRegex, MatchTemplate: literal prefix ("" when none)
	Regex  string // MatchRegex: RE2 fragment, anchored when emitted
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
