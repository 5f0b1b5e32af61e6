package diff

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	arnpkg "github.com/iam2rego/iam2rego/arn"

	"github.com/iam2rego/iam2rego/analysis/kernel"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/schema"
)

// DefaultMaxProbes bounds the requests one diff decides (each on both
// sides) when Options.MaxProbes is 0. The decisions, and so the time, the
// memory and the output of a diff, grow with it and stop there.
const DefaultMaxProbes = 10_000

// Options tune Run.
type Options struct {
	// MaxProbes bounds the probes (0: DefaultMaxProbes; negative is an
	// error). When it is hit, the report says so (Truncated) and lists
	// what was found until then.
	MaxProbes int
	// Exhaustive probes every principal and every action a statement
	// can grant it, each action on its own. By default, principals whose
	// policies and data are the same on both sides and actions whose
	// matching statements are the same are skipped (their decisions
	// cannot differ), and actions matched by the very same statements are
	// decided as one class (probe.go). Tests compare both modes.
	Exhaustive bool
}

// Report is the result of a diff.
type Report struct {
	Old     string   `json:"old"`
	New     string   `json:"new"`
	Added   []Access `json:"added"`
	Removed []Access `json:"removed"`
	Stats   Stats    `json:"stats"`
	// Errors lists probes that could not be decided (first few).
	Errors []string `json:"errors,omitempty"`
	// Policies lists, once per policy, every use and source of the
	// policies whose statements' Names or Sources were cut to
	// maxListed: a policy shared by a thousand principals is named in
	// full here, not on every line.
	Policies map[string]*PolicyUses `json:"policies,omitempty"`

	ctxErr error // the context ended during a probe

	// Unknown lists what a Terraform plan on the NEW side knows only
	// after apply (terraform_unknown): changes NEW leaves out, which no
	// guard may pass.
	Unknown []*schema.Error `json:"unknown,omitempty"`
}

// PolicyUses are where a policy is used (its names) and where its
// document was read.
type PolicyUses struct {
	Names   []string `json:"names"`
	Sources []Source `json:"sources,omitempty"`
}

// maxListed bounds the names and sources a Grant lists itself.
const maxListed = 3

// Stats counts what a diff did.
type Stats struct {
	Principals int `json:"principals"`
	// Unchanged counts principals whose policies and data are the same on
	// both sides, which are not probed.
	Unchanged int `json:"unchanged_principals"`
	Actions   int `json:"actions"`
	// SameStatements counts (principal, action) pairs not probed because
	// the statements that match the action are the same on both sides.
	SameStatements int `json:"same_statement_actions"`
	// Represented counts actions decided through the first action of
	// their class (probe.go): only its differences were decided again for
	// them. Unconfirmed counts those whose difference did not hold, which
	// were then probed in full.
	Represented int  `json:"represented_actions"`
	Unconfirmed int  `json:"unconfirmed_actions"`
	Probes      int  `json:"probes"`
	MaxProbes   int  `json:"max_probes"`
	Truncated   bool `json:"truncated"`
	Undecided   int  `json:"undecided"`
}

// Access is one (principal, action, resource) that one side allows and
// the other does not, with a request context that shows it and the
// statements of the allowing side's decision.
type Access struct {
	Principal string         `json:"principal"`
	Action    string         `json:"action"`
	Resource  string         `json:"resource"`
	Context   map[string]any `json:"context"`
	// ResourceTags are the tags given to a witness resource (the bundles'
	// own resources carry theirs).
	ResourceTags map[string]string `json:"resource_tags,omitempty"`
	Step         string            `json:"step"`
	Statements   []Grant           `json:"statements"`
	// External is set for a principal outside the NEW bundle that a
	// resource policy (a role's trust, a bucket or key policy) lets in:
	// public, account, principal, service or federated. Principal then
	// names it as the policy does.
	External string `json:"external,omitempty"`
}

// Grant is a statement of the allowing side's decision.
type Grant struct {
	Policy string `json:"policy"`
	// Names are where the policy is used, at most maxListed of them; Uses
	// counts them all when there are more (Report.Policies lists them).
	Names  []string `json:"names,omitempty"`
	Uses   int      `json:"uses,omitempty"`
	Type   string   `json:"type"`
	Effect string   `json:"effect"`
	Sid    string   `json:"sid,omitempty"`
	Index  int      `json:"index"`
	// Pointer is the statement's JSON pointer in its policy document.
	Pointer string `json:"pointer"`
	// Sources say where the statement was read, when the side was built
	// from inputs: the file and the statement's pointer in it (at most
	// maxListed; SourceCount counts them all when there are more).
	Sources     []Source `json:"sources,omitempty"`
	SourceCount int      `json:"source_count,omitempty"`
}

const maxErrors = 10

// Run compares two sides and reports the access NEW grants that OLD did
// not, and the access it removes.
func Run(ctx context.Context, old, new *Side, opts Options) (*Report, error) {
	switch {
	case opts.MaxProbes < 0:
		return nil, fmt.Errorf("the probe bound must be positive, got %d", opts.MaxProbes)
	case opts.MaxProbes == 0:
		opts.MaxProbes = DefaultMaxProbes
	}
	r := &Report{Old: old.Label, New: new.Label, Added: []Access{}, Removed: []Access{}, Policies: map[string]*PolicyUses{}}
	r.Stats.MaxProbes = opts.MaxProbes
	if old.library != new.library {
		// The bundles decide with different libraries: equal statements
		// may decide differently, so probe everything.
		opts.Exhaustive = true
	}
	arns := map[string]bool{}
	for a := range old.data.Principals {
		arns[a] = true
	}
	for a := range new.data.Principals {
		arns[a] = true
	}
	for _, arn := range slices.Sorted(maps.Keys(arns)) {
		r.Stats.Principals++
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !opts.Exhaustive && old.unchanged(new, arn) {
			r.Stats.Unchanged++
			continue
		}
		if err := r.principal(ctx, old, new, arn, opts); err != nil {
			return nil, err
		}
		if r.Stats.Truncated {
			break
		}
	}
	if r.ctxErr != nil {
		return nil, r.ctxErr
	}
	if !r.Stats.Truncated {
		if err := r.external(ctx, [2]*Side{old, new}, opts); err != nil {
			return nil, err
		}
	}
	sortAccess(r.Added)
	sortAccess(r.Removed)
	return r, nil
}

// sortAccess orders a list by principal, action (in lower case) and
// resource.
func sortAccess(list []Access) {
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.Principal != b.Principal {
			return a.Principal < b.Principal
		}
		if la, lb := strings.ToLower(a.Action), strings.ToLower(b.Action); la != lb {
			return la < lb
		}
		return a.Resource < b.Resource
	})
}

// unchanged reports whether a principal's policies and data are the same
// on both sides: its decisions cannot differ.
func (s *Side) unchanged(o *Side, arn string) bool {
	a, b := s.slotPolicies(arn), o.slotPolicies(arn)
	if len(a) != len(b) || s.data.Principals[arn] == nil || o.data.Principals[arn] == nil {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return s.envKey(arn) == o.envKey(arn)
}

// principal probes one principal.
func (r *Report) principal(ctx context.Context, old, new *Side, arn string, opts Options) error {
	sides := [2]*Side{old, new}
	var refs [2][]stmtRef
	acct := ""
	for i, s := range sides {
		var err error
		if refs[i], err = s.statements(arn); err != nil {
			return err
		}
		if p := s.data.Principals[arn]; p != nil {
			acct = p.Account
		}
	}
	// The candidate actions: those a statement that can grant the
	// principal something matches, on either side. Denies, boundaries,
	// SCPs and RCPs only take access away, so an action no grant matches
	// is denied on both sides.
	candidates := map[string]bool{}
	spelled := map[string]string{}
	for i := range sides {
		for _, ref := range refs[i] {
			for low, raw := range ref.acts.seen {
				spelled[low] = raw
			}
			if grants(ref, arn, acct) {
				ref.acts.each(func(a string) { candidates[a] = true })
			}
		}
	}
	sameEnv := old.envKey(arn) == new.envKey(arn) && old.shape(arn) == new.shape(arn)
	vars := variables(sides, arn)
	var classes []*class
	byKey := map[string]*class{}
	for _, action := range slices.Sorted(maps.Keys(candidates)) {
		r.Stats.Actions++
		var matching [2][]stmtRef
		for i := range sides {
			for _, ref := range refs[i] {
				if ref.acts.matches(action) {
					matching[i] = append(matching[i], ref)
				}
			}
		}
		if !opts.Exhaustive && sameEnv && statementKeys(matching[0]) == statementKeys(matching[1]) {
			r.Stats.SameStatements++
			continue
		}
		name := action
		if s, ok := spelled[action]; ok {
			name = s
		}
		key := classKey(action, matching, opts.Exhaustive)
		if c := byKey[key]; c != nil {
			c.members = append(c.members, name)
			continue
		}
		c := &class{members: []string{name}, refs: append(matching[0], matching[1]...), vars: vars}
		byKey[key] = c
		classes = append(classes, c)
	}
	for _, c := range classes {
		if !r.probeClass(ctx, sides, arn, acct, c, opts) {
			return nil
		}
	}
	return nil
}

// statementKeys is what the matching statements contribute to one
// action's decisions, in a canonical order.
func statementKeys(refs []stmtRef) string {
	keys := make([]string, len(refs))
	for i, ref := range refs {
		keys[i] = ref.slot + "\x00" + ref.key
	}
	sort.Strings(keys)
	return strings.Join(keys, "\x01")
}

// resources are the probe's resources for one action: the resources the
// bundles know that a matching statement lets through, and a witness ARN
// for each resource pattern of the matching statements.
func (r *Report) resources(sides [2]*Side, action, acct string, refs []stmtRef, vars map[string]string) []string {
	set := map[string]bool{}
	for _, s := range sides {
		for arn := range s.data.Resources {
			if !kernel.Compatible(action, arn) {
				continue
			}
			for _, ref := range refs {
				if kernel.MatchesResource(ref.st, arn) {
					set[arn] = true
					break
				}
			}
		}
	}
	generic := false
	for _, ref := range refs {
		if !ref.st.HasResource || ref.st.NotResource {
			generic = true
		}
		for _, p := range ref.st.Resources {
			if p.Raw == "*" {
				generic = true
			} else if w := kernel.Witness(p.Raw, action, acct, vars); w != "" {
				set[w] = true
			}
		}
	}
	if generic || len(set) == 0 {
		set[kernel.Witness("*", action, acct, nil)] = true
	}
	return slices.Sorted(maps.Keys(set))
}

// resourceAccount is the account that owns a probe's resource: the
// bundles' record of it (or of its bucket), its ARN's account, or the
// principal's.
func resourceAccount(sides [2]*Side, resource, acct string) string {
	for i := 1; i >= 0; i-- {
		if rec := sides[i].view.ResourceRecord(resource); rec != nil && rec.Account != "" {
			return rec.Account
		}
	}
	if a := arnpkg.Account(resource); a != "" {
		return a
	}
	return acct
}

// access records an allowed request with the statements that allow it.
// Names and sources past maxListed go to r.Policies, once per policy.
func (r *Report) access(s *Side, req rego.Request, d rego.Decision) Access {
	a := Access{Principal: req.Principal.ARN, Action: req.Action, Resource: req.Resource.ARN, Context: req.Context,
		ResourceTags: req.Resource.Tags, Step: d.Step, Statements: []Grant{}}
	if a.Context == nil {
		a.Context = map[string]any{}
	}
	for _, st := range d.Statements {
		if st.Effect != "Allow" {
			continue
		}
		g := Grant{Policy: st.Policy, Names: st.Names, Type: st.Type, Effect: st.Effect, Sid: st.Sid, Index: st.Index}
		g.Pointer = s.statementPointer(st)
		sources := s.sources[st.Policy]
		for _, src := range sources[:min(len(sources), maxListed)] {
			g.Sources = append(g.Sources, Source{File: src.File, Pointer: src.Pointer + g.Pointer})
		}
		if len(st.Names) > maxListed || len(sources) > maxListed {
			if r.Policies[st.Policy] == nil {
				r.Policies[st.Policy] = &PolicyUses{Names: st.Names, Sources: sources}
			}
			if len(st.Names) > maxListed {
				// A copy: a slice of st.Names would keep all of them.
				g.Names, g.Uses = slices.Clone(st.Names[:maxListed]), len(st.Names)
			}
			if len(sources) > maxListed {
				g.SourceCount = len(sources)
			}
		}
		a.Statements = append(a.Statements, g)
	}
	return a
}

// statementPointer is the statement's pointer in its document
// ("/Statement/2", or "/Statement" for a single statement object).
func (s *Side) statementPointer(st rego.Statement) string {
	if doc, err := s.view.Document(st.Policy); err == nil {
		if m, ok := doc.(map[string]any); ok {
			if _, single := m["Statement"].(map[string]any); single {
				return "/Statement"
			}
		}
	}
	return "/Statement/" + strconv.Itoa(st.Index)
}
