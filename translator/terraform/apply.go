package terraform

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/iam2rego/iam2rego/arn"
	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator/account"
)

// Result is an export with a plan applied.
type Result struct {
	Export *account.Export
	// Account is the account the plan's IAM changes were placed in.
	Account string
	// Unknown lists what the plan knows only after apply and iam2rego
	// could not derive (terraform_unknown, one per resource attribute),
	// sorted. The changes they belong to are left out of Export.
	Unknown []*schema.Error
	// Applied lists the resource changes applied, as "ADDRESS (ACTIONS)",
	// in plan order.
	Applied []string
}

// State selects which state of the plan Apply builds.
type State int

const (
	// Planned is the state after apply: every change applied.
	Planned State = iota
	// Prior is the state before apply, from the changes' before values:
	// with no export, the account the plan starts from.
	Prior
)

// phases order the resource types: policies before the principals that
// attach them, principals before their policies and memberships, and
// resource policies last.
var phases = [][]string{
	{"aws_iam_policy", "aws_organizations_policy", "aws_s3_bucket", "aws_kms_key"},
	{"aws_iam_group", "aws_iam_role", "aws_iam_user"},
	{"aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy",
		"aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment",
		"aws_iam_policy_attachment", "aws_iam_user_group_membership", "aws_iam_group_membership",
		"aws_organizations_policy_attachment"},
	{"aws_s3_bucket_policy", "aws_kms_key_policy"},
}

// Types lists the resource types Apply reads, sorted.
func Types() []string {
	var out []string
	for _, p := range phases {
		out = append(out, p...)
	}
	sort.Strings(out)
	return out
}

// applier applies one plan to a copy of an export.
type applier struct {
	p     *Plan
	state State
	exp   *account.Export
	acct  *account.Account
	d     schema.Diagnostics
	res   *Result
	// derived holds the attribute values of planned resources that other
	// resources may reference while they are unknown: address → attribute
	// → value (an ARN, a name, an org policy's name).
	derived map[string]map[string]string
	// orgPolicies maps an organization policy's id (and its address) to
	// its name and type.
	orgPolicies map[string]orgPolicy
	// partition is the account's partition, from the plan's ARNs or the
	// export's (aws by default): derived ARNs are built in it.
	partition string
	unk       []*schema.Error
	// deletedPolicies are the managed policies the plan deletes.
	deletedPolicies []deletedPolicy
}

type orgPolicy struct {
	name, typ string
	doc       account.Document
}

// Apply returns base with the plan's changes applied (state Planned) or
// the plan's prior state laid over it (state Prior). base may be nil: the
// plan alone is then the account. base is not modified. Problems are
// coded diagnostics naming the plan file and a JSON pointer.
func Apply(base *account.Export, p *Plan, state State) (*Result, error) {
	a := &applier{p: p, state: state, exp: cloneExport(base), res: &Result{}, derived: map[string]map[string]string{}, orgPolicies: map[string]orgPolicy{}}
	acct, err := a.account(base)
	if err != nil {
		return nil, err
	}
	a.res.Account = acct
	for _, x := range a.exp.Accounts {
		if x.ID == acct {
			a.acct = x
		}
	}
	if a.acct == nil {
		a.acct = &account.Account{ID: acct}
		a.exp.Accounts = append(a.exp.Accounts, a.acct)
		sort.Slice(a.exp.Accounts, func(i, j int) bool { return a.exp.Accounts[i].ID < a.exp.Accounts[j].ID })
	}
	a.indexOrgPolicies()
	// Everything that goes away goes first (relations before the entities
	// that hold them), then everything is written in phase order: a
	// replacement, or a deposed object deleted after its successor was
	// created under the same name, never removes what the plan writes.
	for _, remove := range []bool{true, false} {
		for k := range phases {
			phase := phases[k]
			if remove {
				phase = phases[len(phases)-1-k]
			}
			for i, rc := range p.tf.ResourceChanges {
				if rc == nil || rc.Change == nil || rc.Mode != tfjson.ManagedResourceMode || !contains(phase, rc.Type) {
					continue
				}
				a.apply(&change{plan: p, i: i, rc: rc}, remove)
			}
		}
	}
	a.checkDeleted()
	if err := a.d.Err(); err != nil {
		return nil, err
	}
	a.res.Export = a.exp
	a.res.Unknown = a.unknowns()
	return a.res, nil
}

// unknowns are the terraform_unknown diagnostics, sorted, each once.
func (a *applier) unknowns() []*schema.Error {
	out := []*schema.Error{}
	seen := map[string]bool{}
	for _, e := range a.unk {
		if !seen[e.Error()] {
			seen[e.Error()] = true
			out = append(out, e)
		}
	}
	schema.Sort(out)
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// apply applies one change, in the removal pass or the write pass: the
// before entity goes away when the change deletes it (or replaces it, or
// updates a relation in place), and the after values are written when the
// resource exists after apply. In the Prior state only before values are
// written.
func (a *applier) apply(c *change, removal bool) {
	acts := c.rc.Change.Actions
	if a.state == Prior {
		if !removal && c.before() != nil && c.rc.DeposedKey == "" {
			a.res.Applied = append(a.res.Applied, c.rc.Address+" (prior state)")
			a.write(c, c.before(), true)
		}
		return
	}
	if acts.Forget() || acts.Read() {
		return
	}
	if removal {
		// A relation updated in place to a value known only after apply
		// keeps its before value: the change is left out, not the relation.
		inPlace := acts.Update() && relations[c.rc.Type] && !c.anyUnknown()
		if (acts.Delete() || acts.Replace() || inPlace) && c.before() != nil {
			a.remove(c, c.before())
		}
		return
	}
	a.res.Applied = append(a.res.Applied, fmt.Sprintf("%s (%s)", c.rc.Address, actionNames(acts)))
	if !acts.Delete() && c.after() != nil {
		a.write(c, c.after(), false)
	}
}

// indexOrgPolicies maps the ids (or addresses) of the plan's SCPs and
// RCPs to their names before anything is applied, so that an attachment
// removed before its policy is written can be matched. The documents are
// added when the policies are written.
func (a *applier) indexOrgPolicies() {
	for i, rc := range a.p.tf.ResourceChanges {
		if rc == nil || rc.Change == nil || rc.Type != "aws_organizations_policy" || rc.Mode != tfjson.ManagedResourceMode {
			continue
		}
		c := &change{plan: a.p, i: i, rc: rc}
		for _, m := range []map[string]any{c.before(), c.after()} {
			name, _ := m["name"].(string)
			typ, _ := m["type"].(string)
			if name == "" || (typ != typeSCP && typ != typeRCP) {
				continue
			}
			key := "\x00" + rc.Address
			if id, _ := m["id"].(string); id != "" {
				key = id
			}
			if _, ok := a.orgPolicies[key]; !ok {
				a.orgPolicies[key] = orgPolicy{name: name, typ: typ}
			}
		}
	}
}

func actionNames(acts tfjson.Actions) string {
	if acts.Replace() {
		return "replace"
	}
	names := make([]string, len(acts))
	for i, x := range acts {
		names[i] = string(x)
	}
	return strings.Join(names, ", ")
}

// unknown records a value known only after apply that iam2rego cannot
// derive; what needs it is left out.
func (a *applier) unknown(c *change, path []any, what string) {
	e := schema.Errorf(schema.CodeTerraformUnknown, a.p.File, c.ptr(append([]any{"after"}, path...)...),
		"%s: %s is known only after apply; this change is left out of the planned account", c.rc.Address, what)
	a.unk = append(a.unk, e)
}

func (a *applier) errorf(code string, c *change, which string, path []any, format string, args ...any) {
	a.d.Add(schema.Errorf(code, a.p.File, c.ptr(append([]any{which}, path...)...), "%s: %s", c.rc.Address, fmt.Sprintf(format, args...)))
}

// vals reads attribute values of one side of a change: before (always
// known) or after (each value checked against after_unknown).
type vals struct {
	a      *applier
	c      *change
	m      map[string]any
	before bool
}

func (a *applier) vals(c *change, m map[string]any, before bool) *vals {
	return &vals{a: a, c: c, m: m, before: before}
}

func (v *vals) side() string {
	if v.before {
		return "before"
	}
	return "after"
}

// str is a string attribute; ok false when it is unknown and not
// derivable (then it was reported as what). A configuration reference to
// one planned resource supplies the value of an unknown attribute.
func (v *vals) str(attr, what string) (string, bool) {
	if !v.before && v.c.unknownAt(attr) {
		if addr, field, ok := v.c.reference(attr); ok {
			if s, ok := v.a.derived[addr][field]; ok {
				return s, true
			}
		}
		v.a.unknown(v.c, []any{attr}, what)
		return "", false
	}
	s, _ := v.m[attr].(string)
	return s, true
}

// strings is a list or set of strings; ok false when unknown (reported).
func (v *vals) strings(attr, what string) ([]string, bool) {
	if !v.before && v.c.unknownAt(attr) {
		v.a.unknown(v.c, []any{attr}, what)
		return nil, false
	}
	list, _ := v.m[attr].([]any)
	var out []string
	for i, x := range list {
		if !v.before && v.c.unknownAt(attr, i) {
			v.a.unknown(v.c, []any{attr, i}, what)
			return nil, false
		}
		if s, ok := x.(string); ok && s != "" {
			out = append(out, s)
		}
	}
	return out, true
}

// tags reads tags_all (tags with the provider's default tags), else tags.
func (v *vals) tags() map[string]string {
	for _, attr := range []string{"tags_all", "tags"} {
		if !v.before && v.c.unknownAt(attr) {
			continue
		}
		m, ok := v.m[attr].(map[string]any)
		if !ok {
			continue
		}
		var out map[string]string
		for k, x := range m {
			if s, ok := x.(string); ok {
				if out == nil {
					out = map[string]string{}
				}
				out[k] = s
			}
		}
		return out
	}
	return nil
}

// policy reads a policy document attribute (a JSON string). An unknown
// document may come from a rendered aws_iam_policy_document the
// configuration refers to. ok is false when there is none or it is
// unknown or invalid (reported).
func (v *vals) policy(path []any, what string) (*account.Document, bool) {
	ptr := v.c.ptr(append([]any{v.side()}, path...)...)
	var raw any
	if v.before {
		raw = v.m
		for _, tok := range path {
			switch x := raw.(type) {
			case map[string]any:
				raw = x[tok.(string)]
			case []any:
				raw = x[tok.(int)]
			}
		}
	} else {
		var known bool
		raw, known = v.c.known(path...)
		if !known {
			if len(path) == 1 {
				if addr, field, ok := v.c.reference(path[0].(string)); ok && field == "json" {
					if dd, ok := v.a.p.docs[addr]; ok && dd.known {
						doc, ok := document(v.a.p.File, dd.pointer, dd.json, &v.a.d)
						return &doc, ok
					}
				}
			}
			v.a.unknown(v.c, path, what)
			return nil, false
		}
	}
	s, _ := raw.(string)
	if strings.TrimSpace(s) == "" {
		return nil, false
	}
	doc, ok := document(v.a.p.File, ptr, s, &v.a.d)
	if !ok {
		return nil, false
	}
	return &doc, true
}

var accountID = regexp.MustCompile(`^[0-9]{12}$`)

// iamAccount is the account and partition of an IAM or STS ARN.
func iamAccount(s string) (account, partition string, ok bool) {
	a, ok := arn.Parse(s)
	if !ok || (a.Service != "iam" && a.Service != "sts") || !accountID.MatchString(a.Account) || !arn.KnownPartition(a.Partition) {
		return "", "", false
	}
	return a.Account, a.Partition, true
}

// account is the account the plan's IAM resources live in: the one the
// plan's IAM ARNs (or an aws_caller_identity data source) name, else the
// export's only account.
func (a *applier) account(base *account.Export) (string, error) {
	found := map[string]string{} // account → pointer where seen
	partitions := map[string]string{}
	note := func(id, ptr string) {
		if _, ok := found[id]; !ok {
			found[id] = ptr
		}
	}
	noteARN := func(s, ptr string) {
		if id, partition, ok := iamAccount(s); ok {
			note(id, ptr)
			partitions[id] = partition
		}
	}
	for i, rc := range a.p.tf.ResourceChanges {
		if rc == nil || rc.Change == nil {
			continue
		}
		c := &change{plan: a.p, i: i, rc: rc}
		if rc.Type == "aws_caller_identity" {
			if id, ok := c.known("account_id"); ok {
				if s, _ := id.(string); s != "" {
					note(s, c.ptr("after", "account_id"))
				}
			}
			if s, ok := c.known("arn"); ok {
				if s, _ := s.(string); s != "" {
					noteARN(s, c.ptr("after", "arn"))
				}
			}
			continue
		}
		if !strings.HasPrefix(rc.Type, "aws_iam_") {
			continue
		}
		for _, side := range []string{"before", "after"} {
			m := c.before()
			if side == "after" {
				m = c.after()
			}
			if s, _ := m["arn"].(string); s != "" && (side == "before" || !c.unknownAt("arn")) {
				noteARN(s, c.ptr(side, "arn"))
			}
		}
	}
	if a.p.tf.PriorState != nil && a.p.tf.PriorState.Values != nil {
		var walk func(m *tfjson.StateModule)
		walk = func(m *tfjson.StateModule) {
			if m == nil {
				return
			}
			for _, r := range m.Resources {
				if r != nil && r.Type == "aws_caller_identity" {
					if s, _ := r.AttributeValues["account_id"].(string); s != "" {
						note(s, "/prior_state")
					}
					if s, _ := r.AttributeValues["arn"].(string); s != "" {
						noteARN(s, "/prior_state")
					}
				}
			}
			for _, c := range m.ChildModules {
				walk(c)
			}
		}
		walk(a.p.tf.PriorState.Values.RootModule)
	}
	ids := sortedKeys(found)
	switch {
	case len(ids) > 1:
		return "", schema.Errorf(schema.CodeTerraformUnsupported, a.p.File, found[ids[1]],
			"the plan changes IAM in several accounts (%s); iam2rego applies a plan to one account", strings.Join(ids, ", "))
	case len(ids) == 1:
		a.partition = partitions[ids[0]]
		if a.partition == "" {
			a.partition = exportPartition(base, ids[0])
		}
		return ids[0], nil
	case base != nil && len(base.Accounts) == 1:
		a.partition = exportPartition(base, base.Accounts[0].ID)
		return base.Accounts[0].ID, nil
	}
	return "", schema.Errorf(schema.CodeTerraformUnsupported, a.p.File, "",
		"the plan does not say which account it changes (no IAM ARN, no data \"aws_caller_identity\"): give the account's export with --account-details")
}

// exportPartition is the partition of an account's entities in the
// export (the default partition when it has none).
func exportPartition(base *account.Export, id string) string {
	if base != nil {
		for _, acct := range base.Accounts {
			if acct.ID != id {
				continue
			}
			var arns []string
			for _, r := range acct.Roles {
				arns = append(arns, r.ARN)
			}
			for _, u := range acct.Users {
				arns = append(arns, u.ARN)
			}
			for _, g := range acct.Groups {
				arns = append(arns, g.ARN)
			}
			for _, s := range arns {
				if _, partition, ok := iamAccount(s); ok {
					return partition
				}
			}
		}
	}
	return arn.DefaultPartition
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
