package bundles

import (
	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/open-policy-agent/opa/v1/bundle"
)

// Root is the only data root an iam2rego bundle claims.
const Root = "iam2rego"

// PoliciesModule is the bundle path of the one module that holds the rules
// of every compiled policy (package iam2rego.policies).
const PoliciesModule = "/" + Root + "/policies.rego"

// Stats counts what a bundle holds (iam2rego inspect prints them).
type Stats struct {
	Principals int `json:"principals"`
	Policies   int `json:"policies"`
	Statements int `json:"statements"`
	// Unindexed counts statements that need non-indexed matching (inner
	// wildcards, policy variables); UnindexedPatterns lists the patterns
	// with how many statements use each.
	Unindexed         int            `json:"unindexed_statements"`
	UnindexedPatterns map[string]int `json:"unindexed_patterns,omitempty"`
	Resources         int            `json:"resources"`
	Accounts          int            `json:"accounts"`
}

// Result is a built bundle.
type Result struct {
	Bundle   *bundle.Bundle
	Stats    Stats
	Warnings []*schema.Error
}

// Options tune Build.
type Options struct {
	// Progress, when set, is called as policies are compiled.
	Progress func(done, total int)
	// SkipPrincipalLimits turns off the per-principal AWS limits (inline
	// totals, attachments, groups per user). Only for synthetic accounts
	// that exceed them on purpose, such as the index sweeps of the
	// sidecar benchmarks; the CLI never sets it.
	SkipPrincipalLimits bool
}

// builder holds the state of one build.
type builder struct {
	exp      *account.Export
	diags    schema.Diagnostics
	compiled map[string]*translator.Compiled // by type + canonical document
	modules  map[string]*translator.Compiled // by policy name
	names    map[string]map[string]bool      // policy name → where it is used
	data     data
	opts     Options
	progress func()
	sized    map[string]bool // managed policies whose size was checked
}

// data is data.iam2rego in the bundle; the decision library
// (rego/lib/bundle.rego) reads it.
type data struct {
	Principals   map[string]*principal        `json:"principals"`
	RolesByName  map[string]map[string]string `json:"roles_by_name"`
	Accounts     map[string]*orgAccount       `json:"accounts"`
	Resources    map[string]*resource         `json:"resources"`
	Organization *organization                `json:"organization,omitempty"`
	PolicyNames  map[string][]string          `json:"policy_names"`
	// Documents holds each policy's document as canonical JSON text (keys
	// sorted), by policy name: the decision never reads it; offline
	// analysis (who-can, diff) and explanations do. One string per policy
	// keeps it a single value in OPA's store.
	Documents map[string]string `json:"documents"`
	Meta      Stats             `json:"meta"`
}

type principal struct {
	Kind     string            `json:"kind"`
	Account  string            `json:"account"`
	Identity []string          `json:"identity"`
	Boundary []string          `json:"boundary"`
	Tags     map[string]string `json:"tags"`
	Groups   []string          `json:"groups,omitempty"`
}

type orgAccount struct {
	Name     string     `json:"name,omitempty"`
	SCPs     [][]string `json:"scps"`
	SCPNames []string   `json:"scp_names"`
	RCPs     [][]string `json:"rcps"`
	OrgID    string     `json:"org_id"`
	OrgPaths []string   `json:"org_paths"`
}

type resource struct {
	Account string            `json:"account"`
	Tags    map[string]string `json:"tags"`
	Policy  []string          `json:"policy"`
}

type organization struct {
	ID                string `json:"id"`
	ManagementAccount string `json:"management_account"`
}

// Build compiles an export into a bundle: the rules of every distinct
// policy document in one module (PoliciesModule), the decision library,
// and data.json describing principals, accounts, OU paths and resources.
// Identical exports give identical bundles, whatever the order of their
// inputs.
func Build(exp *account.Export, opts Options) (*Result, error) {
	b := &builder{
		exp:      exp,
		opts:     opts,
		compiled: map[string]*translator.Compiled{},
		modules:  map[string]*translator.Compiled{},
		names:    map[string]map[string]bool{},
		sized:    map[string]bool{},
		data: data{
			Principals:  map[string]*principal{},
			RolesByName: map[string]map[string]string{},
			Accounts:    map[string]*orgAccount{},
			Resources:   map[string]*resource{},
			Documents:   map[string]string{},
			PolicyNames: map[string][]string{},
		},
	}
	total := countDocuments(exp)
	done := 0
	b.progress = func() {
		done++
		if opts.Progress != nil {
			opts.Progress(done, total)
		}
	}
	for _, acct := range exp.Accounts {
		b.account(acct)
	}
	if exp.Organization != nil {
		b.organization(exp.Organization)
	}
	for _, r := range exp.Resources {
		b.resource(r)
	}
	if err := b.diags.Err(); err != nil {
		return nil, err
	}
	return b.assemble()
}
