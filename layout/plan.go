package layout

// CallerPlan is a caller's decision plan (rego/lib/plan.rego,
// caller_plan): what every request of the caller shares, evaluated by the
// library at build.
type CallerPlan struct {
	// PIDs are the ids of every policy the caller's requests name
	// (identity, boundary, SCPs): the guard of the generated rules.
	PIDs []string `json:"pids"`
	// Src places each policy on the identity side, by id: its type,
	// SCP level (0 outside SCPs) and slot. SCP places are listed only when
	// SCPs apply to the caller.
	Src map[string][]PlanSource `json:"src"`
	// SCPs counts the caller's SCP levels, organization root first.
	SCPs int `json:"scps"`
	// SCPsApply says whether SCPs apply (a member account's principal).
	SCPsApply bool `json:"scps_apply"`
}

// PlanSource is one place of a policy in a request: the "type", "level"
// and "slot" members of an explanation's statements (the policy id is the
// key it is stored under).
type PlanSource struct {
	Type  string `json:"type"`
	Level int    `json:"level"`
	Slot  int    `json:"slot"`
}

// Plan is data.iam2rego.plan (rego/lib/plan.rego, build_plan).
type Plan struct {
	// CheckedKeys are the global context keys whose values the general
	// path parses, with their kind: bool, number, date, ip or list.
	CheckedKeys map[string]string `json:"checked_keys"`
	// FallbackActions are the actions a plan leaves to the general path
	// (protected resources, federation).
	FallbackActions map[string]bool `json:"fallback_actions"`
}
