package lint

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/iam2rego/iam2rego/schema"
)

// Config is a lint configuration (lint --config FILE, JSON, validated by
// schema/lintconfig.schema.json): severity overrides per rule, optional
// rules to enable, and suppressions. Apply uses it on a Report.
type Config struct {
	// File is where the configuration was read, for its own diagnostics.
	File string `json:"-"`
	// Severity overrides a rule's severity: error, warning, or off (the
	// rule's findings are dropped).
	Severity map[string]string `json:"severity"`
	// Enable lists optional rules to run (Inputs.Enable).
	Enable []string `json:"enable"`
	// Suppressions hide findings from the count and the main list; the
	// findings stay in the report with the suppression's reason.
	Suppressions []*Suppression `json:"suppressions"`
}

// Suppression selects findings: every selector given must match (rules:
// the finding's code is listed; policy: a glob on the policy's name or ARN
// or on the file; principal: a glob on the principal's ARN; action and
// resource: globs that every action (case-insensitively) and every
// resource pattern of the finding must match). A finding that lacks what a
// selector asks about (no principal, no actions) is not matched.
type Suppression struct {
	Rules     []string `json:"rules,omitempty"`
	Policy    string   `json:"policy,omitempty"`
	Principal string   `json:"principal,omitempty"`
	Action    string   `json:"action,omitempty"`
	Resource  string   `json:"resource,omitempty"`
	Reason    string   `json:"reason"`
	// Expires is the last day (YYYY-MM-DD, UTC) the suppression applies.
	Expires string `json:"expires,omitempty"`
	// File and Pointer locate the suppression in its configuration.
	File    string `json:"config"`
	Pointer string `json:"pointer"`

	until time.Time // the day after Expires; zero without Expires
}

// LoadConfig reads and checks a configuration file. Every problem is a
// diagnostic naming the file and the JSON pointer: what the schema
// refuses, rule codes lint does not have, impossible dates, and
// suppressions that select nothing in particular.
func LoadConfig(file string) (*Config, error) {
	data, err := schema.ReadFile(file)
	if err != nil {
		return nil, err
	}
	doc, err := schema.DecodeAndValidate(schema.KindLintConfig, file, data)
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, schema.Errorf(schema.CodeInternal, file, "", "%v", err)
	}
	c := &Config{File: file}
	if err := json.Unmarshal(raw, c); err != nil {
		return nil, schema.Errorf(schema.CodeInternal, file, "", "%v", err)
	}
	var d schema.Diagnostics
	for code := range c.Severity {
		knownRule(&d, file, schema.Pointer("/severity", code), code)
	}
	for i, code := range c.Enable {
		if knownRule(&d, file, schema.Pointer("/enable", i), code) && !ruleOf(code).Optional() {
			d.Add(schema.Errorf(schema.CodeSchemaEnum, file, schema.Pointer("/enable", i),
				"rule %s is always on: enable lists optional rules (%s)", code, strings.Join(optionalRules, ", ")))
		}
	}
	for i, s := range c.Suppressions {
		s.File, s.Pointer = file, schema.Pointer("/suppressions", i)
		s.check(&d)
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// knownRule reports an unknown rule code at ptr.
func knownRule(d *schema.Diagnostics, file, ptr, code string) bool {
	if ruleOf(code).Short != "" {
		return true
	}
	d.Add(schema.Errorf(schema.CodeSchemaEnum, file, ptr, "unknown rule code %q (iam2rego lint --help lists the rules)", code))
	return false
}

// check reports what the schema cannot: unknown codes, impossible dates,
// and a suppression without a selector, which would hide every finding.
func (s *Suppression) check(d *schema.Diagnostics) {
	for i, code := range s.Rules {
		ptr := schema.Pointer(s.Pointer, "rules", i)
		if knownRule(d, s.File, ptr, code) && ruleOf(code).aboutConfig() {
			d.Add(schema.Errorf(schema.CodeSchemaEnum, s.File, ptr, "rule %s is about the configuration itself and cannot be suppressed; set its severity to off instead", code))
		}
	}
	if s.Expires != "" {
		day, err := time.Parse(time.DateOnly, s.Expires)
		if err != nil {
			d.Add(schema.Errorf(schema.CodeSchemaPattern, s.File, s.Pointer+"/expires", "expires must be a date such as 2027-01-31, got %q", s.Expires))
		}
		s.until = day.AddDate(0, 0, 1)
	}
	if len(s.Rules) == 0 && s.Policy == "" && s.Principal == "" && s.Action == "" && s.Resource == "" {
		d.Add(schema.Errorf(schema.CodeSchemaRequired, s.File, s.Pointer,
			"a suppression needs at least one of rules, policy, principal, action or resource: without one it would hide every finding"))
	}
}

// expired reports whether the suppression no longer applies on day now.
func (s *Suppression) expired(now time.Time) bool {
	return !s.until.IsZero() && !now.Before(s.until)
}

// matches reports whether the suppression selects the finding.
func (s *Suppression) matches(f *schema.Error) bool {
	if len(s.Rules) > 0 && !slices.Contains(s.Rules, f.Code) {
		return false
	}
	sub := f.Subject
	if sub == nil {
		sub = &schema.Subject{}
	}
	if s.Policy != "" && !glob(s.Policy, sub.Policy) && !glob(s.Policy, f.File) {
		return false
	}
	if s.Principal != "" && !glob(s.Principal, sub.Principal) {
		return false
	}
	if s.Action != "" && !all(sub.Actions, func(a string) bool { return glob(strings.ToLower(s.Action), strings.ToLower(a)) }) {
		return false
	}
	if s.Resource != "" && !all(sub.Resources, func(r string) bool { return glob(s.Resource, r) }) {
		return false
	}
	return true
}

// all reports whether list is not empty and every element satisfies ok.
func all(list []string, ok func(string) bool) bool {
	return len(list) > 0 && !slices.ContainsFunc(list, func(x string) bool { return !ok(x) })
}
