package bundles

import (
	"github.com/iam2rego/iam2rego/layout"
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
type Stats = layout.Meta

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
	// TextOnly keeps the policies module as text only (its
	// bundle.ModuleFile has Raw but no Parsed): each policy's rules are
	// formatted as soon as they are compiled and their AST dropped, which
	// bounds the build's memory by the text rather than by the AST (a
	// 61 MB export of 43,000 distinct policies: 6 GB peak RSS with the
	// AST). For bundles that are only written, as by `iam2rego build`;
	// OPA parses the text when it reads the bundle.
	TextOnly bool
	// ReleaseDocuments lets Build drop the inline and trust policy
	// documents of the export's users and roles once it has compiled them
	// (each belongs to one principal), so that their decoded JSON is freed
	// as the build goes on. The export must not be used again; `iam2rego
	// build` sets it.
	ReleaseDocuments bool
	// MaxContextValueChars, when positive, is the longest context value
	// the bundle's library accepts (data.iam2rego.limits
	// .context_value_chars; the library's default is 65,536 characters).
	MaxContextValueChars int
}

// builder holds the state of one build.
type builder struct {
	exp      *account.Export
	diags    schema.Diagnostics
	compiled map[[32]byte]*translator.Compiled // by compiledKey
	modules  map[string]*translator.Compiled   // by policy name
	texts    map[string][]byte                 // formatted rules by policy name (TextOnly)
	names    map[string]map[string]bool        // policy name → where it is used
	data     data
	opts     Options
	progress func()
	sized    map[string]bool // managed policies whose size was checked
}

// The records of data.iam2rego are layout's (the one owner of the
// format): the decision library (rego/lib/bundle.rego, caller.rego,
// plan.rego) reads them, and so do the analyses.
type (
	data         = layout.Data
	limits       = layout.Limits
	principal    = layout.Principal
	orgAccount   = layout.Account
	resource     = layout.Resource
	organization = layout.Organization
)

// Build compiles an export into a bundle: the rules of every distinct
// policy document in one module (PoliciesModule), the decision library,
// and data.json describing principals, accounts, OU paths and resources.
// Identical exports give identical bundles, whatever the order of their
// inputs.
func Build(exp *account.Export, opts Options) (*Result, error) {
	b := &builder{
		exp:      exp,
		opts:     opts,
		compiled: map[[32]byte]*translator.Compiled{},
		modules:  map[string]*translator.Compiled{},
		texts:    map[string][]byte{},
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
	if opts.MaxContextValueChars > 0 {
		b.data.Limits = &limits{ContextValueChars: opts.MaxContextValueChars}
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
