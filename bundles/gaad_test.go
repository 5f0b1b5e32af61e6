package bundles_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"maps"
	"os"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/rego/cases"
	"github.com/iam2rego/iam2rego/translator/account"
)

// gaadCasesOut, when set (go test ./bundles -run TestGAADBundleMatchesCases
// -args -gaad-cases FILE), also writes the requests of the consistency test
// as neutral-format cases, for the oracle (testdata/oracle/gaad-conformance.sh).
var gaadCasesOut = flag.String("gaad-cases", "", "write the GAAD consistency cases (neutral format, JSON Lines) to this file")

// gaadContexts are the request contexts every request is asked with: none
// at all (long-term keys, no environment keys), and a typical console
// session in us-east-1.
var gaadContexts = []map[string]any{
	nil,
	{
		"aws:MultiFactorAuthPresent": "true",
		"aws:RequestedRegion":        "us-east-1",
		"aws:SecureTransport":        "true",
		"aws:SourceIp":               "10.1.2.3",
		"aws:CurrentTime":            "2026-06-01T12:00:00Z",
	},
}

// principalDocs are one principal's policies as the oracle wants them:
// inline + managed + its groups' policies, flattened, and the boundary.
type principalDocs struct {
	arn       string // the user or role ARN (key of data.iam2rego.principals)
	caller    string // the request principal: the user, or a session of the role
	name      string
	tags      map[string]string
	identity  []any
	boundary  any
	statement []gaadStatement
}

type gaadStatement struct {
	deny      bool
	actions   []string // Action (not NotAction)
	resources []string // Resource (not NotResource)
}

func statementsOf(doc any) []gaadStatement {
	m, _ := doc.(map[string]any)
	var list []any
	switch s := m["Statement"].(type) {
	case []any:
		list = s
	case map[string]any:
		list = []any{s}
	}
	strs := func(v any) []string {
		switch x := v.(type) {
		case string:
			return []string{x}
		case []any:
			var out []string
			for _, e := range x {
				if s, ok := e.(string); ok {
					out = append(out, s)
				}
			}
			return out
		}
		return nil
	}
	var out []gaadStatement
	for _, e := range list {
		st, _ := e.(map[string]any)
		out = append(out, gaadStatement{deny: st["Effect"] == "Deny", actions: strs(st["Action"]), resources: strs(st["Resource"])})
	}
	return out
}

func gaadPrincipals(t testing.TB, exp *account.Export) []*principalDocs {
	t.Helper()
	resolve := func(arn string) any {
		mp, err := exp.ResolveManaged(arn)
		if err != nil {
			t.Fatal(err)
		}
		return mp.Document.Value
	}
	var out []*principalDocs
	for _, a := range exp.Accounts {
		groups := map[string]*account.Group{}
		for _, g := range a.Groups {
			groups[g.Name] = g
		}
		for _, u := range a.Users {
			p := &principalDocs{arn: u.ARN, caller: u.ARN, name: u.Name, tags: u.Tags}
			for _, d := range u.Inline {
				p.identity = append(p.identity, d.Document.Value)
			}
			for _, arn := range u.Managed {
				p.identity = append(p.identity, resolve(arn))
			}
			for _, gn := range slices.Sorted(slices.Values(u.Groups)) {
				for _, d := range groups[gn].Inline {
					p.identity = append(p.identity, d.Document.Value)
				}
				for _, arn := range groups[gn].Managed {
					p.identity = append(p.identity, resolve(arn))
				}
			}
			if u.Boundary != "" {
				p.boundary = resolve(u.Boundary)
			}
			out = append(out, p)
		}
		for _, r := range a.Roles {
			p := &principalDocs{arn: r.ARN, caller: "arn:aws:sts::" + a.ID + ":assumed-role/" + r.Name + "/gaad-consistency", name: r.Name, tags: r.Tags}
			for _, d := range r.Inline {
				p.identity = append(p.identity, d.Document.Value)
			}
			for _, arn := range r.Managed {
				p.identity = append(p.identity, resolve(arn))
			}
			if r.Boundary != "" {
				p.boundary = resolve(r.Boundary)
			}
			out = append(out, p)
		}
	}
	for _, p := range out {
		for _, d := range p.identity {
			p.statement = append(p.statement, statementsOf(d)...)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].arn < out[j].arn })
	return out
}

// gaadCatalog is the shared action catalogue: every service:Action, sorted,
// and for each (lower-cased) action an ARN of its first resource type ("" for
// actions that take no resource, which must be asked on "*"). It is nil when
// the corpus is absent: wildcards are then not expanded.
type gaadCatalog struct {
	actions []string
	arn     map[string]string
}

func loadCatalog(t testing.TB, acct string) *gaadCatalog {
	t.Helper()
	raw, err := os.ReadFile(corpusDir + "/iam-actions.json")
	if err != nil {
		return nil
	}
	var cat struct {
		Services map[string]struct {
			Actions map[string]struct {
				Resources []struct {
					Type     string `json:"type"`
					Required bool   `json:"required"`
				} `json:"resources"`
			} `json:"actions"`
			ResourceTypes map[string]struct {
				ARN string `json:"arn"`
			} `json:"resourceTypes"`
		} `json:"services"`
	}
	if err := json.Unmarshal(raw, &cat); err != nil {
		t.Fatalf("iam-actions.json: %v", err)
	}
	fill := regexp.MustCompile(`\$\{[^}]*\}`)
	c := &gaadCatalog{arn: map[string]string{}}
	for prefix, svc := range cat.Services {
		for name, a := range svc.Actions {
			full := prefix + ":" + name
			c.actions = append(c.actions, full)
			arn := ""
			for _, pass := range []bool{true, false} {
				for _, r := range a.Resources {
					if arn == "" && r.Required == pass {
						arn = fill.ReplaceAllStringFunc(svc.ResourceTypes[r.Type].ARN, func(v string) string {
							switch v {
							case "${Partition}":
								return "aws"
							case "${Region}":
								return "us-east-1"
							case "${Account}":
								return acct
							}
							return "example"
						})
					}
				}
			}
			c.arn[strings.ToLower(full)] = arn
		}
	}
	sort.Strings(c.actions)
	return c
}

func hasWildcard(s string) bool { return strings.ContainsAny(s, "*?") }

// globMatch is IAM's case-insensitive * and ? matching of actions.
func globMatch(pattern, s string) bool {
	ok, _ := path.Match(strings.ToLower(pattern), strings.ToLower(s))
	return ok
}

func pick(seed string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(seed))
	return int(h.Sum32() % uint32(n))
}

var policyVar = regexp.MustCompile(`\$\{[^}]*\}`)

// concreteARN turns a Resource pattern into one ARN it matches.
func concreteARN(pattern, acct, user string) string {
	if pattern == "*" || !strings.HasPrefix(pattern, "arn:") {
		return ""
	}
	s := policyVar.ReplaceAllStringFunc(pattern, func(v string) string {
		if strings.EqualFold(v, "${aws:username}") && user != "" {
			return user
		}
		return "x"
	})
	parts := strings.SplitN(s, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	if hasWildcard(parts[1]) {
		parts[1] = "aws"
	}
	if hasWildcard(parts[2]) {
		return ""
	}
	if hasWildcard(parts[3]) {
		parts[3] = "us-east-1"
	}
	if hasWildcard(parts[4]) {
		parts[4] = acct
	}
	parts[5] = strings.NewReplacer("*", "example", "?", "q").Replace(parts[5])
	return strings.Join(parts, ":")
}

// gaadRequest is one question asked both ways.
type gaadRequest struct {
	id       string
	p        *principalDocs
	action   string
	resource string
	account  string
	context  map[string]any
}

// requestsFor picks up to five actions named in the principal's policies
// (Deny statements first, round-robin over statements; wildcards expanded
// against the catalogue when there are too few literal actions), each on
// resource "*", on one ARN from the statement that names it and on an ARN
// of the action's resource type, with one of the contexts (allContexts:
// with each).
func requestsFor(p *principalDocs, acct string, catalog *gaadCatalog, allContexts bool) []gaadRequest {
	type choice struct{ action, arn string }
	var chosen []choice
	seen := map[string]bool{}
	user := ""
	if !strings.Contains(p.arn, ":role/") {
		user = p.name
	}
	arnFor := func(st gaadStatement) string {
		for _, pass := range []bool{false, true} {
			for _, r := range st.resources {
				if hasWildcard(r) == pass || (!pass && policyVar.MatchString(r)) {
					if a := concreteARN(r, acct, user); a != "" {
						return a
					}
				}
			}
		}
		return ""
	}
	ordered := []gaadStatement{}
	for _, deny := range []bool{true, false} {
		for _, st := range p.statement {
			if st.deny == deny && len(st.actions) > 0 {
				ordered = append(ordered, st)
			}
		}
	}
	take := func(wild bool) {
		for round := 0; len(chosen) < 5; round++ {
			progress := false
			for _, st := range ordered {
				if len(chosen) >= 5 {
					break
				}
				var cands []string
				for _, a := range st.actions {
					if hasWildcard(a) != wild {
						continue
					}
					if !wild {
						cands = append(cands, a)
						continue
					}
					var m []string
					for _, c := range catalog.actions {
						if globMatch(a, c) {
							m = append(m, c)
						}
					}
					if len(m) > 0 {
						cands = append(cands, m[pick(p.arn+a, len(m))])
					}
				}
				if round < len(cands) {
					progress = true
					a := cands[round]
					if !seen[strings.ToLower(a)] {
						seen[strings.ToLower(a)] = true
						chosen = append(chosen, choice{a, arnFor(st)})
					}
				}
			}
			if !progress {
				return
			}
		}
	}
	take(false)
	if catalog != nil {
		take(true)
	}
	var out []gaadRequest
	twelve := regexp.MustCompile(`^[0-9]{12}$`)
	for ai, c := range chosen {
		// "*", the ARN from the policy, and an ARN of the action's resource
		// type from the catalogue (what the oracle accepts: "*" only for
		// actions that take no resource).
		resources := []string{"*"}
		typed, known := "", false
		if catalog != nil {
			typed, known = catalog.arn[strings.ToLower(c.action)]
		}
		if c.arn != "" && (!known || typed != "") {
			resources = append(resources, c.arn)
		}
		if typed != "" && typed != c.arn {
			resources = append(resources, typed)
		}
		for ri, r := range resources {
			racct := acct
			if parts := strings.SplitN(r, ":", 6); len(parts) == 6 && twelve.MatchString(parts[4]) {
				racct = parts[4]
			}
			// The contexts alternate, so that each is used about as often
			// (every request gets each one when writing the oracle's cases).
			for ci := range gaadContexts {
				if !allContexts && ci != (ai+ri)%len(gaadContexts) {
					continue
				}
				out = append(out, gaadRequest{p: p, action: c.action, resource: r, account: racct, context: gaadContexts[ci],
					id: fmt.Sprintf("gaad-%s-%s-%d-%d", p.name, strings.ReplaceAll(strings.ToLower(c.action), ":", "-"), ri, ci)})
			}
		}
	}
	return out
}

// neutralCase is a request as a self-contained neutral-format case.
func neutralCase(r gaadRequest, exp *account.Export) map[string]any {
	principal := map[string]any{"arn": r.p.caller}
	if len(r.p.tags) > 0 {
		principal["tags"] = r.p.tags
	}
	res := map[string]any{"arn": r.resource, "account": r.account}
	// The bundle knows roles as resources: their trust policy and tags.
	for _, a := range exp.Accounts {
		for _, role := range a.Roles {
			if role.ARN == r.resource {
				if role.Trust != nil {
					res["policy"] = role.Trust.Value
				}
				if len(role.Tags) > 0 {
					res["tags"] = role.Tags
				}
			}
		}
	}
	c := map[string]any{
		"id":               r.id,
		"principal":        principal,
		"action":           r.action,
		"resource":         res,
		"identityPolicies": append([]any{}, r.p.identity...),
		"meta":             map[string]any{"source": "gaad-small.json", "principal": r.p.arn},
	}
	if r.p.boundary != nil {
		c["permissionBoundary"] = r.p.boundary
	}
	if r.context != nil {
		c["context"] = r.context
	}
	return c
}

func stmtKeys(d rego.Decision) []string {
	var out []string
	for _, s := range d.Statements {
		out = append(out, fmt.Sprintf("%s %s %s #%d %q %s", s.Type, s.Effect, s.Policy, s.Index, s.Sid, s.Kind))
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// TestGAADBundleMatchesCases is the Bar's consistency check: for requests
// drawn from gaad-small.json's own principals, actions and resources,
// `eval --bundle` (the bundle's data) and the neutral-case path (the
// principal's flattened policies and boundary, as the oracle gets them)
// give the same decisions, explained by the same statements.
func TestGAADBundleMatchesCases(t *testing.T) {
	exp := load(t, account.Inputs{AccountDetails: []string{corpusFile(t, "gaad-small.json")}})
	if len(exp.Accounts) != 1 {
		t.Fatalf("%d accounts", len(exp.Accounts))
	}
	acct := exp.Accounts[0].ID
	res := build(t, exp)
	// Read back from the archive, as eval --bundle does.
	b, err := bundles.Read(bytes.NewReader(encode(t, res.Bundle)), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	eng, err := rego.PrepareBundle(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	catalog := loadCatalog(t, acct)

	var reqs []gaadRequest
	principals := gaadPrincipals(t, exp)
	for _, p := range principals {
		reqs = append(reqs, requestsFor(p, acct, catalog, *gaadCasesOut != "")...)
	}
	if len(reqs) < 2*len(principals) {
		t.Fatalf("only %d requests for %d principals", len(reqs), len(principals))
	}

	var lines bytes.Buffer
	for _, r := range reqs {
		raw, err := json.Marshal(neutralCase(r, exp))
		if err != nil {
			t.Fatal(err)
		}
		lines.Write(raw)
		lines.WriteByte('\n')
	}
	list, err := cases.Load("gaad-cases.jsonl", bytes.NewReader(lines.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	results, err := cases.Run(ctx, list, cases.Options{})
	if err != nil {
		t.Fatal(err)
	}

	counts := map[string]int{}
	strictOnly := map[string]bool{}
	var keep [][]byte
	raw := bytes.Split(bytes.TrimSpace(lines.Bytes()), []byte("\n"))
	for i, r := range reqs {
		in := map[string]any{"principal": r.p.caller, "action": r.action, "resource": map[string]any{"arn": r.resource, "account": r.account}}
		if r.context != nil {
			in["context"] = r.context
		}
		got := eng.DecideInput(ctx, in)
		if got.Error != "" {
			t.Errorf("%s: eval --bundle could not decide: %s", r.id, got.Error)
			continue
		}
		if results[i].Err != nil {
			// The case path compiles strictly (`iam2rego validate` rules);
			// a build takes what AWS stored with warnings only.
			msg := results[i].Err.Error()
			if !strings.Contains(msg, "duplicate_sid") && !strings.Contains(msg, "invalid_sid") {
				t.Errorf("%s: the case path rejects the case: %v", r.id, results[i].Err)
			}
			strictOnly[r.p.arn] = true
			continue
		}
		keep = append(keep, raw[i])
		want := results[i].Decision
		counts[got.Decision]++
		if got.Decision != want.Decision || got.Step != want.Step {
			t.Errorf("%s (%s %s on %s, context %v): eval --bundle %s at %s, the case path %s at %s (%s)",
				r.id, r.p.caller, r.action, r.resource, r.context, got.Decision, got.Step, want.Decision, want.Step, want.Reason)
			continue
		}
		if g, w := stmtKeys(got), stmtKeys(want); !slices.Equal(g, w) {
			t.Errorf("%s: same decision %s, different statements:\n  bundle %v\n  case   %v", r.id, got.Decision, g, w)
		}
		// A role ARN as the principal asks what its sessions may do.
		if r.p.caller != r.p.arn && (strings.HasSuffix(r.id, "-0-0") || strings.HasSuffix(r.id, "-1-1")) {
			in["principal"] = r.p.arn
			if byRole := eng.DecideInput(ctx, in); byRole.Decision != got.Decision {
				t.Errorf("%s: the role ARN gets %s (%s), its session %s", r.id, byRole.Decision, byRole.Reason, got.Decision)
			}
		}
	}
	t.Logf("%d requests for %d principals: %v; %d principals' cases rejected by the strict case path: %v",
		len(reqs), len(principals), counts, len(strictOnly), slices.Sorted(maps.Keys(strictOnly)))
	for _, d := range []string{rego.Allow, rego.ImplicitDeny, rego.ExplicitDeny} {
		if counts[d] == 0 {
			t.Errorf("no request was decided %s: the sample does not exercise the bundle", d)
		}
	}
	if len(strictOnly) > 2 {
		t.Errorf("%d principals have policies only the build accepts", len(strictOnly))
	}

	if *gaadCasesOut != "" {
		data := append(bytes.Join(keep, []byte("\n")), '\n')
		if err := os.WriteFile(*gaadCasesOut, data, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %d cases to %s", len(keep), *gaadCasesOut)
	}
}
