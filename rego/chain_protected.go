package rego

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	opa "github.com/open-policy-agent/opa/v1/rego"
)

// protectedQuery reads the library's table of protected resources
// (lib/protected.rego), once at Prepare.
const protectedQuery = "data.iam2rego.lib.protected_resources"

// protectedRule is one row of protected_resources: the request's
// lower-cased action is in Actions and the normalised resource's ARN part
// Part starts with Prefix.
type protectedRule struct {
	id      string
	Actions []string `json:"actions"`
	Part    string   `json:"part"`
	Prefix  string   `json:"prefix"`
	Reason  string   `json:"reason"`
}

// protectedTable maps a lower-cased action to the rules that may protect
// a resource from it, in the order of their names (as the Rego
// comprehension protected_hits meets them).
type protectedTable map[string][]protectedRule

// loadProtected reads protected_resources. A library without the table (a
// bundle built before it existed) has no protected-resource step, in Rego
// as here.
func loadProtected(ctx context.Context, shared []func(*opa.Rego)) (protectedTable, error) {
	rs, err := opa.New(append(shared, opa.Query(protectedQuery))...).Eval(ctx)
	if err != nil {
		return nil, err
	}
	table := protectedTable{}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return table, nil
	}
	b, err := json.Marshal(rs[0].Expressions[0].Value)
	if err != nil {
		return nil, err
	}
	var rules map[string]protectedRule
	if err := json.Unmarshal(b, &rules); err != nil {
		return nil, fmt.Errorf("%s: %w", protectedQuery, err)
	}
	for _, id := range slices.Sorted(maps.Keys(rules)) {
		r := rules[id]
		r.id = id
		for _, a := range r.Actions {
			table[a] = append(table[a], r)
		}
	}
	return table, nil
}

// protectedDecision is the protected-resource step (protected_hits and
// protected_reason in lib/protected.rego): the request hits a rule that no
// policy can override.
func (c *chain) protectedDecision() (Decision, bool) {
	for _, r := range c.protected[c.in.action] {
		if strings.HasPrefix(c.in.arnPart(r.Part), r.Prefix) {
			reason := fmt.Sprintf("%s is protected by rule %s: %s", c.in.resourceARN, r.id, r.Reason)
			return result(ImplicitDeny, "protected-resource", reason, nil), true
		}
	}
	return Decision{}, false
}

// arnPart is object.get(normalized.resource, part, "") for the ARN parts
// a protected-resource rule may test.
func (ci *chainInput) arnPart(part string) string {
	switch part {
	case "arn_resource":
		return ci.arnResource
	case "arn_account_resource":
		return ci.arnAccountResource
	}
	return ""
}
