package layout

import (
	"encoding/json"
	"fmt"

	"github.com/open-policy-agent/opa/v1/bundle"
)

// Root is the key of the data under the bundle's root: data.iam2rego.
const Root = "iam2rego"

// Data is data.iam2rego.
type Data struct {
	// Principals are the users and roles, by ARN.
	Principals map[string]*Principal `json:"principals"`
	// RolesByName maps an account and a lower-cased role name to the
	// role's ARN (a session ARN names its role by name alone).
	RolesByName map[string]map[string]string `json:"roles_by_name"`
	// Accounts are the organization's accounts, by id.
	Accounts map[string]*Account `json:"accounts"`
	// Resources are the resources with a policy or tags, by ARN; a role
	// is one, with its trust policy.
	Resources    map[string]*Resource `json:"resources"`
	Organization *Organization        `json:"organization,omitempty"`
	// PolicyNames says where each policy (p<hash>) is used.
	PolicyNames map[string][]string `json:"policy_names"`
	// Documents holds each policy's document as canonical JSON text.
	Documents map[string]string `json:"documents"`
	Meta      Meta              `json:"meta"`
	Limits    *Limits           `json:"limits,omitempty"`
	// Callers is each principal's caller as the library derives it from
	// the principal's ARN alone (rego.Callers), computed at build.
	Callers map[string]*Caller `json:"callers,omitempty"`
	// Plan is what every request's decision plan shares (plan.go).
	Plan *Plan `json:"plan,omitempty"`
}

// Principal is a user or role.
type Principal struct {
	Kind     string            `json:"kind"` // "user" or "role"
	Account  string            `json:"account"`
	Identity []string          `json:"identity"` // its own, its groups' and managed policies
	Boundary []string          `json:"boundary"`
	Tags     map[string]string `json:"tags"`
	Groups   []string          `json:"groups,omitempty"`
}

// Account is an account of the organization: its SCP and RCP levels,
// root first and the account last, their names and its OU paths.
type Account struct {
	Name     string     `json:"name,omitempty"`
	SCPs     [][]string `json:"scps"`
	SCPNames []string   `json:"scp_names"`
	RCPs     [][]string `json:"rcps"`
	OrgID    string     `json:"org_id"`
	OrgPaths []string   `json:"org_paths"`
}

// Resource is a resource the bundle knows: its account, tags and policy.
type Resource struct {
	Account string            `json:"account"`
	Tags    map[string]string `json:"tags"`
	Policy  []string          `json:"policy"`
}

// Organization names the organization and its management account.
type Organization struct {
	ID                string `json:"id"`
	ManagementAccount string `json:"management_account"`
}

// Meta are the build's counts (bundles.Stats).
type Meta struct {
	Principals        int            `json:"principals"`
	Policies          int            `json:"policies"`
	Statements        int            `json:"statements"`
	Unindexed         int            `json:"unindexed_statements"`
	UnindexedPatterns map[string]int `json:"unindexed_patterns,omitempty"`
	Resources         int            `json:"resources"`
	Accounts          int            `json:"accounts"`
}

// Limits are the request limits a build sets.
type Limits struct {
	ContextValueChars int `json:"context_value_chars"`
}

// Caller is a principal as a request names it (a role as its session).
type Caller struct {
	Principal CallerPrincipal `json:"principal"`
	// Context holds the aws:Principal* keys (strings, or lists of them).
	Context  map[string]any `json:"context"`
	Policies CallerPolicies `json:"policies"`
	// Plan is the caller's decision plan (plan.go); users and roles have one.
	Plan *CallerPlan `json:"plan,omitempty"`
}

// CallerPrincipal is the library's derived principal; the members a kind
// lacks are absent (nil), not empty.
type CallerPrincipal struct {
	Kind        string            `json:"kind"`
	Account     string            `json:"account"`
	Partition   string            `json:"partition"`
	ARN         string            `json:"arn"`
	FederatedBy string            `json:"federated_by"`
	Tags        map[string]string `json:"tags"`
	Name        *string           `json:"name,omitempty"`
	RoleARN     *string           `json:"role_arn,omitempty"`
	RoleName    *string           `json:"role_name,omitempty"`
	Session     *string           `json:"session,omitempty"`
	// AccountKeys ("partition:account", "*:account") and RoleKey
	// ("partition:account:name", lower-cased, sessions only) are what
	// Principal elements are matched by (lib/principals.rego).
	AccountKeys []string `json:"account_keys,omitempty"`
	RoleKey     *string  `json:"role_key,omitempty"`
}

// CallerPolicies are the policies that apply to a caller.
type CallerPolicies struct {
	Identity []string   `json:"identity"`
	Boundary []string   `json:"boundary"`
	SCPs     [][]string `json:"scps"`
	SCPNames []string   `json:"scp_names"`
}

// FromBundle returns the typed data of a bundle read by bundles.ReadFile
// (or built by bundles.Build).
func FromBundle(b *bundle.Bundle) (*Data, error) {
	raw, ok := b.Data[Root]
	if !ok {
		return nil, fmt.Errorf("the bundle has no data.%s: was it written by iam2rego build?", Root)
	}
	text, err := json.Marshal(raw)
	if err != nil {
		return nil, err
	}
	var d Data
	if err := json.Unmarshal(text, &d); err != nil {
		return nil, fmt.Errorf("data.%s: %w", Root, err)
	}
	return &d, nil
}
