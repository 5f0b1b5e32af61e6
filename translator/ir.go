package translator

// PolicyType names the place a policy document is used. It decides which
// elements are allowed (IAM-SEMANTICS.md §1.6) and how the decision
// algorithm treats the policy's statements.
type PolicyType string

// The policy types iam2rego understands.
const (
	Identity   PolicyType = "identity"
	Boundary   PolicyType = "boundary"
	Session    PolicyType = "session"
	Resource   PolicyType = "resource"
	Trust      PolicyType = "trust"
	SCP        PolicyType = "scp"
	RCP        PolicyType = "rcp"
	VPCE       PolicyType = "vpce"
	versionNew            = "2012-10-17"
	versionOld            = "2008-10-17"
)

// PolicyTypes lists every policy type, in a stable order.
var PolicyTypes = []PolicyType{Identity, Boundary, Session, Resource, Trust, SCP, RCP, VPCE}

// Effect is Allow or Deny.
type Effect string

// The two effects.
const (
	Allow Effect = "Allow"
	Deny  Effect = "Deny"
)

// Policy is the typed, normalised form of one policy document.
type Policy struct {
	File       string
	Type       PolicyType
	Version    string // "", "2012-10-17" or "2008-10-17"
	ID         string
	Statements []*Statement
}

// VariablesEnabled reports whether ${...} is a policy variable in this
// document (only under Version 2012-10-17, §4.1).
func (p *Policy) VariablesEnabled() bool { return p.Version == versionNew }

// Statement is one normalised statement. Every "string or array" element is
// a slice here.
type Statement struct {
	Index   int
	Pointer string
	Sid     string
	Effect  Effect

	// Principal is nil when the statement has neither Principal nor
	// NotPrincipal.
	Principal    *Principal
	NotPrincipal bool

	Actions   []ActionPattern
	NotAction bool

	// HasResource is false when the statement has neither Resource nor
	// NotResource (allowed in resource-based policies only).
	HasResource bool
	Resources   []ResourcePattern
	NotResource bool

	// Conditions are sorted by operator, then key. All must hold.
	Conditions []*Condition
}

// PartKind says how one piece of a string with policy variables behaves.
type PartKind int

// The kinds of template parts.
const (
	// PartPattern is policy text: `*` and `?` are wildcards where the element
	// supports wildcards.
	PartPattern PartKind = iota
	// PartLiteral is text that never has wildcard meaning: the escapes
	// ${*}, ${?} and ${$}.
	PartLiteral
	// PartVariable is a ${key} or ${key, 'default'} reference.
	PartVariable
)

// Part is one piece of a string that may contain policy variables.
type Part struct {
	Kind       PartKind
	Text       string // PartPattern / PartLiteral
	Key        string // PartVariable: lower-cased context key
	Default    string // PartVariable
	HasDefault bool   // PartVariable
}

// Template is a policy string split into parts.
type Template []Part

// HasVariables reports whether any part must be resolved per request.
func (t Template) HasVariables() bool {
	for _, p := range t {
		if p.Kind == PartVariable {
			return true
		}
	}
	return false
}

// Principal is a normalised Principal or NotPrincipal element.
type Principal struct {
	// Wildcard is true for "*" and {"AWS":"*"}.
	Wildcard bool
	// Accounts holds 12-digit account ids (from ids and :root ARNs), with
	// the partition they were written with ("*" for bare ids).
	Accounts []AccountRef
	// ARNs holds user, role, assumed-role and federated-user ARNs.
	ARNs []string
	// Services, Federated and Canonical hold the other principal kinds.
	Services  []string
	Federated []string
	Canonical []string
}

// AccountRef is an account named in a Principal element.
type AccountRef struct {
	Partition string
	Account   string
}

// Condition is one (operator, key) pair of a Condition block.
type Condition struct {
	Pointer   string
	Operator  string // as written, e.g. "ForAnyValue:StringLikeIfExists"
	Base      string // positive base operator, e.g. "StringLike"
	Negated   bool   // StringNotLike, NotIpAddress, ...
	Qualifier string // "", "ForAllValues" or "ForAnyValue"
	IfExists  bool
	Key       string // lower-cased
	RawKey    string
	Values    []CondValue
}

// CondValue is one policy value of a condition, normalised for its operator
// (numbers to decimal text, dates to epoch nanoseconds, IPs to CIDR, ...).
type CondValue struct {
	Raw      string
	Template Template // nil when the value has no variables
	Norm     any      // normalised static value: string, json.Number, Instant or bool
}
