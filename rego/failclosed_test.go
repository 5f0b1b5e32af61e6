package rego_test

import (
	"context"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/open-policy-agent/opa/v1/ast"
)

// conflictModule is a policy module that cannot be evaluated for
// s3:GetObject: its complete rule v has two values (OPA's
// eval_conflict_error), and its one statement, a Deny, depends on v. A
// generated module never looks like this; a hand-edited or corrupted
// bundle might.
const conflictModule = `package iam2rego.policies

pconflict0000000000000000000.statements := 1

v := 1 if input.action == "s3:getobject"

v := 2 if input.action == "s3:getobject"

match contains {"policy": "pconflict0000000000000000000", "effect": "Deny", "index": 0} if {
	"pconflict0000000000000000000" in input.pids
	v == 1
}
`

// TestRuntimeErrorFailsClosed: a Rego runtime error while the decision is
// evaluated (here, conflicting values in a policy that would deny) makes
// the decision an ImplicitDeny at step "error" that says what went wrong,
// even though another policy allows the request; it never skips the
// failing policy and allows.
func TestRuntimeErrorFailsClosed(t *testing.T) {
	mods := modSet{}
	allowAll := mods.compile(t, translator.Identity, policy(map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"}))
	m, err := ast.ParseModuleWithOpts("conflict.rego", conflictModule, ast.ParserOptions{RegoVersion: ast.RegoV1})
	if err != nil {
		t.Fatal(err)
	}
	mods["conflict.rego"] = m
	const conflict = "pconflict0000000000000000000"
	ctx := context.Background()
	for _, on := range []bool{true, false} {
		eng := mods.prepare(t, rego.WithRuleIndexing(on))
		if d := eng.Decide(ctx, aliceGet(nil, allowAll)); d.Decision != rego.Allow {
			t.Fatalf("control: %s", brief(d))
		}
		// The conflict only arises for s3:GetObject.
		other := aliceGet(nil, allowAll, conflict)
		other.Action = "s3:PutObject"
		if d := eng.Decide(ctx, other); d.Decision != rego.Allow {
			t.Fatalf("control without the conflict: %s", brief(d))
		}
		for name, req := range map[string]rego.Request{
			"identity":         aliceGet(nil, allowAll, conflict),
			"identity (first)": aliceGet(nil, conflict, allowAll),
			"resource": func() rego.Request {
				r := aliceGet(nil, allowAll)
				r.Policies.Resource = conflict
				return r
			}(),
			"scp": func() rego.Request {
				r := aliceGet(nil, allowAll)
				r.Policies.SCPs = [][]string{{allowAll, conflict}}
				return r
			}(),
		} {
			d := eng.Decide(ctx, req)
			requireFailClosed(t, name, d)
			if d.Step != "error" || !strings.Contains(d.Error, "conflict") {
				t.Errorf("%s (indexing %v): the error does not say what went wrong: step %q, error %q", name, on, d.Step, d.Error)
			}
			in := map[string]any{
				"principal": aliceARN, "action": "s3:GetObject",
				"resource": map[string]any{"arn": objARN, "account": acctA},
				"policies": map[string]any{"identity": []any{allowAll, conflict}},
			}
			requireFailClosed(t, name+" (DecideInput)", eng.DecideInput(ctx, in))
		}
	}
}

// TestCollidingTagsFailClosed: tag keys that differ only in case collide
// once the library lower-cases them into aws:PrincipalTag/… and
// aws:ResourceTag/… keys; the request is an error, whatever the values,
// and never an allow, even for a policy that allows on one of them.
func TestCollidingTagsFailClosed(t *testing.T) {
	mods := modSet{}
	name := mods.compile(t, translator.Identity, policy(allowGet(map[string]any{"StringEquals": map[string]any{"aws:PrincipalTag/team": "ml"}})))
	eng := mods.prepare(t)
	ctx := context.Background()
	for _, tags := range []map[string]string{
		{"team": "ml", "Team": "ops"},
		{"team": "ops", "TEAM": "ml"},
		{"team": "ml", "Team": "ml"},
	} {
		req := aliceGet(nil, name)
		req.Principal.Tags = tags
		requireFailClosed(t, "principal tags", eng.Decide(ctx, req))
		req = aliceGet(nil, name)
		req.Principal.Tags = map[string]string{"team": "ml"}
		req.Resource.Tags = tags
		requireFailClosed(t, "resource tags", eng.Decide(ctx, req))
	}
	req := aliceGet(nil, name)
	req.Principal.Tags = map[string]string{"team": "ml"}
	if d := eng.Decide(ctx, req); d.Decision != rego.Allow {
		t.Fatalf("control: %s", brief(d))
	}
}

// TestOldLayoutIsRefused: policies compiled one package each (bundles from
// before all policies shared data.iam2rego.policies) are refused at
// Prepare, since Decide reads statements only from the shared match set
// and would miss their denies.
func TestOldLayoutIsRefused(t *testing.T) {
	const old = `package iam2rego.policies.pold00000000000000000000

statements := 1

match contains {"policy": "pold00000000000000000000", "effect": "Deny", "index": 0} if input.action == "s3:getobject"
`
	m, err := ast.ParseModuleWithOpts("old.rego", old, ast.ParserOptions{RegoVersion: ast.RegoV1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = rego.Prepare(context.Background(), map[string]*ast.Module{"old.rego": m})
	if err == nil || !strings.Contains(err.Error(), "rebuild") {
		t.Errorf("a one-package-per-policy module was accepted: %v", err)
	}
}

// TestUndefinedMatchFailsClosed: a policy that is loaded (it has its
// statements marker) while no module defines data.iam2rego.policies.match
// makes every request that names it an error, never a decision taken
// without its statements.
func TestUndefinedMatchFailsClosed(t *testing.T) {
	const onlyMarker = `package iam2rego.policies

pmarker0000000000000000000.statements := 1
`
	m, err := ast.ParseModuleWithOpts("marker.rego", onlyMarker, ast.ParserOptions{RegoVersion: ast.RegoV1})
	if err != nil {
		t.Fatal(err)
	}
	eng := modSet{"marker.rego": m}.prepare(t)
	ctx := context.Background()
	req := aliceGet(nil, "pmarker0000000000000000000")
	req.Principal.ARN = "arn:aws:iam::" + acctA + ":root" // root would be allowed without statements
	d := eng.Decide(ctx, req)
	requireFailClosed(t, "marker only", d)
	if !strings.Contains(d.Error, "undefined") {
		t.Errorf("the error does not say what went wrong: %q", d.Error)
	}
	req.Policies = rego.PolicyRefs{}
	if d := eng.Decide(ctx, req); d.Decision != rego.Allow {
		t.Errorf("control (root, no policies named): %s", brief(d))
	}
}
