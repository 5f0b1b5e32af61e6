package lint

// Escalation is a method (methods.go) the engine allows a holder: every
// step is a request it decided Allow. The requests are what `can` and
// `who-can` are asked with to see the same (same principal, action,
// resource and context).
type Escalation struct {
	// Principal is the user or role of a build; for a policy linted on
	// its own, the synthetic user that holds only that policy.
	Principal string `json:"principal"`
	// Policy labels the policy linted on its own ("" in a build).
	Policy string  `json:"policy,omitempty"`
	Method string  `json:"method"`
	Code   string  `json:"code"`
	Name   string  `json:"name"`
	Source string  `json:"source"`
	Steps  []Probe `json:"steps"`
}

// Probe is one allowed request and the statements that allow it.
type Probe struct {
	Action   string `json:"action"`
	Resource string `json:"resource"`
	// ResourceAccount owns the resource when its ARN names no account
	// (who-can --resource-account).
	ResourceAccount string         `json:"resource_account,omitempty"`
	Context         map[string]any `json:"context"`
	Statements      []Cited        `json:"statements"`
}

// Cited is a statement a decision names, where lint read it.
type Cited struct {
	Policy  string `json:"policy"` // the policy's label: name or ARN
	File    string `json:"file"`
	Pointer string `json:"pointer"`
	Sid     string `json:"sid,omitempty"`
}
