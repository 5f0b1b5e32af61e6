package diff

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/iam2rego/iam2rego/analysis/kernel"
	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/layout"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/open-policy-agent/opa/v1/bundle"
)

// Side is one state of the account: a prepared engine over its bundle,
// the bundle's data, and (when built from inputs) where each policy
// document was read.
type Side struct {
	// Label names the state in reports: the bundle file or the folder.
	Label   string
	engine  *rego.Engine
	view    *kernel.View
	data    *layout.Data        // view.Data
	sources map[string][]Source // policy name → where its document was read
	// library identifies the bundle's decision library: two sides with
	// different libraries may decide the same statements differently.
	library string

	mu    sync.Mutex
	infos map[string]stmtInfo // type, policy name, statement index

	sharedOnce  sync.Once
	sharedSlots []slotPolicy // RCP levels and resource policies
	envOnce     sync.Once
	env         string // the part of envKey all principals share
}

// Source is where a policy document was read: a build input file and the
// JSON pointer of the document in it.
type Source struct {
	File    string `json:"file"`
	Pointer string `json:"pointer"`
}

// LoadBundleFile reads a bundle written by `iam2rego build` (verified
// when v is set; self-consistent always, bundles.CheckConsistency) and
// prepares it.
func LoadBundleFile(ctx context.Context, path string, v *bundles.Verification) (*Side, error) {
	b, err := bundles.ReadFile(path, v)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := bundles.CheckConsistency(ctx, b); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return newSide(ctx, path, b, nil)
}

// LoadInputs builds the bundle of a set of build inputs in memory (as
// `iam2rego build` would) and prepares it. Input problems are returned as
// coded diagnostics (schema.List).
func LoadInputs(ctx context.Context, label string, in account.Inputs) (*Side, error) {
	exp, err := account.Load(in)
	if err != nil {
		return nil, err
	}
	return LoadExport(ctx, label, exp)
}

// LoadExport builds the bundle of an export read elsewhere (an export
// with a Terraform plan applied, translator/terraform) in memory and
// prepares it.
func LoadExport(ctx context.Context, label string, exp *account.Export) (*Side, error) {
	res, err := bundles.Build(exp, bundles.Options{})
	if err != nil {
		return nil, err
	}
	return newSide(ctx, label, res.Bundle, sourcesOf(exp))
}

// Load reads OLD or NEW as given on the command line: a directory is a
// policy folder (`iam2rego build DIR`), anything else a bundle file.
func Load(ctx context.Context, path string, v *bundles.Verification) (*Side, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return LoadInputs(ctx, path, account.Inputs{Folder: path})
	}
	return LoadBundleFile(ctx, path, v)
}

func newSide(ctx context.Context, label string, b *bundle.Bundle, sources map[string][]Source) (*Side, error) {
	v, err := kernel.NewView(label, b)
	if err != nil {
		return nil, err
	}
	eng, err := rego.PrepareBundle(ctx, b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	return &Side{Label: label, engine: eng, view: v, data: v.Data, sources: sources, library: libraryKey(b), infos: map[string]stmtInfo{}}, nil
}

// libraryKey hashes the bundle's modules other than the policies' own.
func libraryKey(b *bundle.Bundle) string {
	h := sha256.New()
	mods := append([]bundle.ModuleFile(nil), b.Modules...)
	sort.Slice(mods, func(i, j int) bool { return mods[i].Path < mods[j].Path })
	for _, m := range mods {
		if strings.TrimPrefix(m.Path, "/") == strings.TrimPrefix(bundles.PoliciesModule, "/") {
			continue
		}
		fmt.Fprintf(h, "%s\x00%d\x00", m.Path, len(m.Raw))
		h.Write(m.Raw)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// policy parses a policy document of the bundle as the given type
// (kernel.View.Policy: a missing or broken document fails closed).
func (s *Side) policy(name string, typ translator.PolicyType) (*translator.Policy, error) {
	return s.view.Policy(name, typ)
}

// sourcesOf maps each policy document of an export to the files and
// pointers it was read from.
func sourcesOf(exp *account.Export) map[string][]Source {
	out := map[string][]Source{}
	add := func(d *account.Document) {
		if d == nil {
			return
		}
		name, err := translator.ContentName(d.Value)
		if err != nil {
			return
		}
		src := Source{File: d.File, Pointer: d.Pointer}
		for _, s := range out[name] {
			if s == src {
				return
			}
		}
		out[name] = append(out[name], src)
	}
	named := func(list []account.NamedDocument) {
		for i := range list {
			add(&list[i].Document)
		}
	}
	managed := func(arns []string) {
		for _, arn := range arns {
			if mp, err := exp.ResolveManaged(arn); err == nil {
				add(&mp.Document)
			}
		}
	}
	for _, a := range exp.Accounts {
		for _, u := range a.Users {
			named(u.Inline)
			managed(append(append([]string(nil), u.Managed...), u.Boundary))
		}
		for _, g := range a.Groups {
			named(g.Inline)
			managed(g.Managed)
		}
		for _, r := range a.Roles {
			named(r.Inline)
			managed(append(append([]string(nil), r.Managed...), r.Boundary))
			add(r.Trust)
		}
	}
	if exp.Organization != nil {
		var walk func(u *account.OrgUnit)
		walk = func(u *account.OrgUnit) {
			named(u.SCPs)
			named(u.RCPs)
			for _, a := range u.Accounts {
				named(a.SCPs)
				named(a.RCPs)
			}
			for _, c := range u.Units {
				walk(c)
			}
		}
		if exp.Organization.Root != nil {
			walk(exp.Organization.Root)
		}
	}
	for _, r := range exp.Resources {
		add(r.Policy)
	}
	return out
}
