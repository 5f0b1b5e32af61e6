package diff

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/iam2rego/iam2rego/schema"
)

// bundleData is the part of data.iam2rego (bundles/build.go) that the
// probe set is derived from.
type bundleData struct {
	Principals map[string]*principalRecord `json:"principals"`
	Callers    map[string]*callerRecord    `json:"callers"`
	Accounts   map[string]*accountRecord   `json:"accounts"`
	Resources  map[string]*resourceRecord  `json:"resources"`
	// Documents holds each policy's canonical JSON text by policy name.
	Documents    map[string]*string  `json:"documents"`
	PolicyNames  map[string][]string `json:"policy_names"`
	Organization json.RawMessage     `json:"organization"`
	RolesByName  json.RawMessage     `json:"roles_by_name"`
}

type principalRecord struct {
	Kind     string            `json:"kind"`
	Account  string            `json:"account"`
	Identity []string          `json:"identity"`
	Boundary []string          `json:"boundary"`
	Tags     map[string]string `json:"tags"`
}

type callerRecord struct {
	Context   json.RawMessage `json:"context"`
	Principal json.RawMessage `json:"principal"`
	Policies  struct {
		Identity []string   `json:"identity"`
		Boundary []string   `json:"boundary"`
		SCPs     [][]string `json:"scps"`
	} `json:"policies"`
}

type accountRecord struct {
	Name     string     `json:"name"`
	SCPs     [][]string `json:"scps"`
	RCPs     [][]string `json:"rcps"`
	OrgID    string     `json:"org_id"`
	OrgPaths []string   `json:"org_paths"`
}

type resourceRecord struct {
	Account string            `json:"account"`
	Tags    map[string]string `json:"tags"`
	Policy  []string          `json:"policy"`
}

// readData decodes data.iam2rego of a bundle's data. A bundle from before
// documents were stored cannot be analysed and must be rebuilt.
func readData(data map[string]any) (*bundleData, error) {
	root, ok := data["iam2rego"]
	if !ok {
		return nil, fmt.Errorf("/iam2rego: the bundle has no iam2rego data")
	}
	text, err := json.Marshal(root)
	if err != nil {
		return nil, fmt.Errorf("/iam2rego: %v", err)
	}
	var d bundleData
	if err := json.Unmarshal(text, &d); err != nil {
		return nil, fmt.Errorf("/iam2rego: unreadable data: %v", err)
	}
	if d.Documents == nil {
		return nil, fmt.Errorf("/iam2rego/documents: missing: the bundle comes from an older iam2rego; rebuild it")
	}
	if err := d.check(); err != nil {
		return nil, err
	}
	return &d, nil
}

// check refuses records that are null: the probes read them without
// asking again.
func (d *bundleData) check() error {
	if d.Principals == nil {
		return fmt.Errorf("/iam2rego/principals: missing")
	}
	for arn, p := range d.Principals {
		if p == nil {
			return fmt.Errorf("%s: null, not a principal record", schema.Pointer("/iam2rego/principals", arn))
		}
	}
	for arn, c := range d.Callers {
		if c == nil {
			return fmt.Errorf("%s: null, not a caller", schema.Pointer("/iam2rego/callers", arn))
		}
	}
	for id, a := range d.Accounts {
		if a == nil {
			return fmt.Errorf("%s: null, not an account record", schema.Pointer("/iam2rego/accounts", id))
		}
	}
	for arn, r := range d.Resources {
		if r == nil {
			return fmt.Errorf("%s: null, not a resource record", schema.Pointer("/iam2rego/resources", arn))
		}
	}
	return nil
}

// envKey is what decides a principal's requests besides the policy
// statements: its kind, account and tags, its derived caller context, and
// (shared by all principals) the accounts' organization paths, the
// resources' owners and tags, the organization and the roles by name.
// When it is the same in both states, only statements can change a
// decision.
func (s *Side) envKey(arn string) string {
	s.envOnce.Do(func() { s.env = s.data.sharedEnv() })
	type env struct {
		Kind, Account string
		Tags          map[string]string
		Context       json.RawMessage
		Principal     json.RawMessage
	}
	e := env{Kind: "absent"}
	if p := s.data.Principals[arn]; p != nil {
		e.Kind, e.Account, e.Tags = p.Kind, p.Account, p.Tags
	}
	if c := s.data.Callers[arn]; c != nil {
		e.Context, e.Principal = c.Context, c.Principal
	}
	b, _ := json.Marshal(e)
	return string(b) + s.env
}

// sharedEnv is the part of envKey every principal shares.
func (d *bundleData) sharedEnv() string {
	accounts, resources := map[string][]any{}, map[string][]any{}
	for id, a := range d.Accounts {
		accounts[id] = []any{a.OrgID, a.OrgPaths, len(a.SCPs), len(a.RCPs)}
	}
	for r, rec := range d.Resources {
		resources[r] = []any{rec.Account, rec.Tags, len(rec.Policy) > 0}
	}
	b, _ := json.Marshal([]any{accounts, resources, d.Organization, d.RolesByName})
	return string(b)
}

// variables returns the principal's values of the keys a policy variable
// may name (its caller's derived context: aws:username, aws:userid,
// aws:PrincipalTag/K, …), NEW's when both sides hold the principal.
func variables(sides [2]*Side, arn string) map[string]string {
	out := map[string]string{}
	for _, s := range sides {
		c := s.data.Callers[arn]
		if c == nil {
			continue
		}
		var ctx map[string]any
		if json.Unmarshal(c.Context, &ctx) != nil {
			continue
		}
		for k, v := range ctx {
			if t, ok := v.(string); ok {
				out[strings.ToLower(k)] = t
			}
		}
	}
	return out
}
