package trail

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/iam2rego/iam2rego/analysis/cloudtrail"
	"github.com/iam2rego/iam2rego/analysis/diff"
	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/layout"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/open-policy-agent/opa/v1/bundle"
)

// GeneratedPolicyName is the inline policy the checks give the role in
// place of its current identity policies.
const GeneratedPolicyName = "iam2rego-generated"

// Generated is a least-privilege policy for a role and its checks.
type Generated struct {
	Role string `json:"role"`
	// Calls counts the role's calls AWS did not deny (the policy's input:
	// an error such as NoSuchKey comes after IAM allowed the call);
	// Pairs the distinct (action, resource) among them.
	Calls int `json:"calls"`
	Pairs int `json:"pairs"`
	// Policy is the generated identity policy; Terraform the same as an
	// aws_iam_policy_document data source.
	Policy    *PolicyDocument `json:"policy"`
	Terraform string          `json:"terraform"`
	// Widened lists the S3 folders keys were widened to; empty when the
	// widened policy added access and the exact one is given instead.
	Widened []string `json:"widened"`
	// Replay is the role's calls replayed against a bundle where the
	// policy replaces the role's identity policies (its boundary stays).
	Replay *Summary `json:"replay"`
	// Diff compares that bundle with today's.
	Diff *diff.Report `json:"diff"`
}

// OK reports whether both checks hold: no call would break and the diff
// removes access only.
func (g *Generated) OK() bool {
	return g.Replay.WouldBreak == 0 && len(g.Diff.Added) == 0 && g.Diff.Stats.Undecided == 0
}

// Generate writes a policy that allows the role's logged calls (those AWS
// did not deny), keeping the condition of the current statement that
// allowed each (decided against today's bundle), and checks it: the logs
// replayed against a bundle using it (no call may break) and a diff
// against today's (removals only). When widening S3 keys to folders adds
// access, the exact keys are used. The logs are read twice, so they must
// be files or folders.
func Generate(ctx context.Context, role string, in account.Inputs, src Source) (*Generated, error) {
	for _, p := range src.Paths {
		if p == "-" {
			return nil, fmt.Errorf("generate reads the logs twice (to generate, then to replay): give files or folders, not -")
		}
	}
	oldBundle, err := buildInputs(in)
	if err != nil {
		return nil, err
	}
	data, err := layout.FromBundle(oldBundle)
	if err != nil {
		return nil, err
	}
	if _, ok := data.Principals[role]; !ok || !strings.Contains(role, ":role/") {
		return nil, fmt.Errorf("%s is not a role of the account export", role)
	}
	oldEng, err := rego.PrepareBundle(ctx, oldBundle)
	if err != nil {
		return nil, err
	}
	grants, calls, err := roleGrants(ctx, oldEng, data.Documents, role, src)
	if err != nil {
		return nil, err
	}
	if len(grants) == 0 {
		return nil, fmt.Errorf("the logs hold no call of %s that AWS allowed", role)
	}
	g := &Generated{Role: role, Calls: calls, Pairs: len(grants)}
	dir, err := os.MkdirTemp("", "iam2rego-generate-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	old, err := diff.LoadInputs(ctx, "current", in)
	if err != nil {
		return nil, err
	}
	for _, widen := range []bool{true, false} {
		doc, notes := buildPolicy(grants, widen)
		if widen && len(notes) == 0 {
			continue // nothing to widen: the exact policy is the only one
		}
		if err := g.check(ctx, doc, in, dir, old, src); err != nil {
			return nil, err
		}
		g.Policy, g.Widened = doc, notes
		if g.Widened == nil {
			g.Widened = []string{}
		}
		if len(g.Diff.Added) == 0 {
			break
		}
	}
	name := role[strings.LastIndexByte(role, '/')+1:]
	g.Terraform = Terraform(name, g.Policy)
	return g, nil
}

// roleGrants reads the role's calls AWS did not deny and decides each
// distinct (action, resource) against today's bundle, to keep the
// condition of the identity statement that allows it.
func roleGrants(ctx context.Context, eng *rego.Engine, docs map[string]string, role string, src Source) ([]grant, int, error) {
	first := map[[2]string]*cloudtrail.Call{}
	calls := 0
	keep := src
	keep.Keep = func(c *cloudtrail.Call) bool { return c.Owner == role && c.AWS != cloudtrail.AWSDenied }
	if _, err := scan(ctx, keep, nil, func(ev *Event) error {
		if c := ev.Call; c != nil {
			calls++
			k := [2]string{c.Action, c.Resource}
			if first[k] == nil {
				first[k] = c
			}
		}
		return nil
	}); err != nil {
		return nil, 0, err
	}
	keys := make([][2]string, 0, len(first))
	for k := range first {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+"\x00"+keys[i][1] < keys[j][0]+"\x00"+keys[j][1] })
	out := make([]grant, 0, len(keys))
	for _, k := range keys {
		d := eng.DecideInput(ctx, first[k].Input())
		out = append(out, grant{action: k[0], resource: k[1], condition: allowingCondition(d, docs)})
	}
	return out, calls, nil
}

// allowingCondition is the Condition of the identity Allow statement that
// allows a decision ("" when one allows without a condition, or none
// does: the call is then granted without one).
func allowingCondition(d rego.Decision, docs map[string]string) string {
	cond := ""
	for _, st := range d.Statements {
		if st.Type != "identity" || st.Effect != "Allow" {
			continue
		}
		c := statementCondition(docs[st.Policy], st.Index)
		if c == "" {
			return ""
		}
		if cond == "" {
			cond = c
		}
	}
	return cond
}

// statementCondition reads Statement[index].Condition of a policy
// document (canonical JSON) as canonical JSON, "" when it has none.
func statementCondition(doc string, index int) string {
	var p struct{ Statement json.RawMessage }
	if json.Unmarshal([]byte(doc), &p) != nil {
		return ""
	}
	var list []map[string]json.RawMessage
	if json.Unmarshal(p.Statement, &list) != nil {
		var one map[string]json.RawMessage
		if json.Unmarshal(p.Statement, &one) != nil {
			return ""
		}
		list = []map[string]json.RawMessage{one}
	}
	if index < 0 || index >= len(list) || len(list[index]["Condition"]) == 0 {
		return ""
	}
	var c map[string]map[string]any
	if json.Unmarshal(list[index]["Condition"], &c) != nil || len(c) == 0 {
		return ""
	}
	out, _ := json.Marshal(c)
	return string(out)
}

// check builds the account with the policy in place of the role's
// identity policies, replays the role's calls against it and diffs it
// with today's.
func (g *Generated) check(ctx context.Context, doc *PolicyDocument, in account.Inputs, dir string, old *diff.Side, src Source) error {
	next, err := withPolicy(in, g.Role, doc, dir)
	if err != nil {
		return err
	}
	b, err := buildInputs(next)
	if err != nil {
		return err
	}
	eng, err := rego.PrepareBundle(ctx, b)
	if err != nil {
		return err
	}
	keep := src
	keep.Keep = func(c *cloudtrail.Call) bool { return c.Owner == g.Role }
	if g.Replay, err = Replay(ctx, eng, keep, nil); err != nil {
		return err
	}
	side, err := diff.LoadInputs(ctx, "generated", next)
	if err != nil {
		return err
	}
	g.Diff, err = diff.Run(ctx, old, side, diff.Options{})
	return err
}

func buildInputs(in account.Inputs) (*bundle.Bundle, error) {
	exp, err := account.Load(in)
	if err != nil {
		return nil, err
	}
	res, err := bundles.Build(exp, bundles.Options{})
	if err != nil {
		return nil, err
	}
	return res.Bundle, nil
}

// withPolicy writes the account-details file holding the role again into
// dir, with the policy as the role's only inline policy and no managed
// policies (its boundary and trust policy stay), and returns the inputs
// using it.
func withPolicy(in account.Inputs, role string, doc *PolicyDocument, dir string) (account.Inputs, error) {
	out := in
	out.AccountDetails = append([]string(nil), in.AccountDetails...)
	for i, file := range in.AccountDetails {
		data, err := os.ReadFile(file)
		if err != nil {
			return out, err
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var gaad map[string]any
		if err := dec.Decode(&gaad); err != nil {
			return out, fmt.Errorf("%s: %w", file, err)
		}
		roles, _ := gaad["RoleDetailList"].([]any)
		found := false
		for _, r := range roles {
			rd, _ := r.(map[string]any)
			if rd["Arn"] == role {
				rd["RolePolicyList"] = []any{map[string]any{"PolicyName": GeneratedPolicyName, "PolicyDocument": doc}}
				rd["AttachedManagedPolicies"] = []any{}
				found = true
			}
		}
		if !found {
			continue
		}
		text, err := json.Marshal(gaad)
		if err != nil {
			return out, err
		}
		path := filepath.Join(dir, fmt.Sprintf("%d-%s", i, filepath.Base(file)))
		if err := os.WriteFile(path, text, 0o600); err != nil {
			return out, err
		}
		out.AccountDetails[i] = path
		return out, nil
	}
	return out, fmt.Errorf("%s is in no RoleDetailList of the account exports", role)
}
