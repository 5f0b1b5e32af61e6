package bundles_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/internal/testbundle"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/bundle"
	opa "github.com/open-policy-agent/opa/v1/rego"
)

// The fail-closed tests over bundles, as an OPA sidecar sees them: the
// entry point data.iam2rego.authz.allow must never be true when the
// evaluation fails (a Rego runtime error) or the decision is undefined,
// in-process (rego.PrepareBundle, OPA's rego package) and in the real OPA
// CLI (`go tool opa eval -b`), the binary sidecars run.

const (
	fcRole   = "arn:aws:iam::111111111111:role/service-role/genai-invoke-role"
	fcHaiku  = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
	fcPolicy = "pconflict0000000000000000000"
)

// fcConflictModule denies bedrock:InvokeModel only through a rule with
// conflicting values: evaluating it is an eval_conflict_error.
const fcConflictModule = `package iam2rego.policies

` + fcPolicy + `.statements := 1

v := 1 if input.action == "bedrock:invokemodel"

v := 2 if input.action == "bedrock:invokemodel"

match contains {"policy": "` + fcPolicy + `", "effect": "Deny", "index": 0} if {
	"` + fcPolicy + `" in input.pids
	v == 1
}
`

// fcRequest is the example's allowed request: the Lambda role invokes
// Haiku in us-east-1.
func fcRequest() map[string]any {
	return map[string]any{
		"principal": fcRole,
		"action":    "bedrock:InvokeModel",
		"resource":  map[string]any{"arn": fcHaiku, "account": "111111111111"},
		"context":   map[string]any{"aws:RequestedRegion": "us-east-1"},
	}
}

// fcBundles builds the example bundle and two broken variants: one whose
// role also has the conflicting policy attached, and one without the
// decision library's decide and error_decision (every decision undefined).
func fcBundles(t *testing.T) (good, conflict, undefined *bundle.Bundle) {
	t.Helper()
	good, conflict, undefined = testbundle.Example(t), testbundle.Example(t), testbundle.Example(t)

	m, err := ast.ParseModuleWithOpts("/iam2rego/policies/"+fcPolicy+".rego", fcConflictModule, ast.ParserOptions{RegoVersion: ast.RegoV1})
	if err != nil {
		t.Fatal(err)
	}
	path := "/iam2rego/policies/" + fcPolicy + ".rego"
	conflict.Modules = append(conflict.Modules, bundle.ModuleFile{URL: path, Path: path, Raw: []byte(fcConflictModule), Parsed: m})
	p := conflict.Data["iam2rego"].(map[string]any)["principals"].(map[string]any)[fcRole].(map[string]any)
	p["identity"] = append(p["identity"].([]any), fcPolicy)
	caller := conflict.Data["iam2rego"].(map[string]any)["callers"].(map[string]any)[fcRole].(map[string]any)
	c := caller["policies"].(map[string]any)
	c["identity"] = append(c["identity"].([]any), fcPolicy)
	// The caller's decision plan names the policy too, as a build would.
	plan := caller["plan"].(map[string]any)
	plan["pids"] = append(plan["pids"].([]any), fcPolicy)
	plan["src"].(map[string]any)[fcPolicy] = []any{map[string]any{"type": "identity", "level": 0, "slot": len(c["identity"].([]any)) - 1}}

	// Every branch of data.iam2rego.authz.decision ends in decide or in
	// error_decision; rename decide away and make error_decision
	// undefined, and the decision is undefined for every input.
	// The decision plans' own last step, plan_decide, is renamed away too.
	edited := 0
	for i, mf := range undefined.Modules {
		src := string(mf.Raw)
		switch {
		case strings.HasSuffix(mf.Path, "/lib/decision.rego"):
			src = strings.Replace(src, "\ndecide := d if {", "\ndecide_renamed := d if {", 1)
			src = strings.Replace(src, "\nerror_decision(errors) := {", "\nerror_decision(errors) := x if {\n\tfalse\n\tx := {}\n}\n\nerror_decision_renamed(errors) := {", 1)
			if src == string(mf.Raw) || strings.Contains(src, "\ndecide := ") {
				t.Fatalf("lib/decision.rego no longer has the rules this test edits")
			}
		case strings.HasSuffix(mf.Path, "/lib/plan_decide.rego"):
			src = strings.Replace(src, "\nplan_decide := d if {", "\nplan_decide_renamed := d if {", 1)
			if src == string(mf.Raw) {
				t.Fatalf("lib/plan_decide.rego no longer has the rule this test edits")
			}
		default:
			continue
		}
		m, err := ast.ParseModuleWithOpts(mf.Path, src, ast.ParserOptions{RegoVersion: ast.RegoV1})
		if err != nil {
			t.Fatal(err)
		}
		undefined.Modules[i] = bundle.ModuleFile{URL: mf.URL, Path: mf.Path, Raw: []byte(src), Parsed: m}
		edited++
	}
	if edited != 2 {
		t.Fatalf("the bundle has %d lib/decision.rego and lib/plan_decide.rego modules, want 2", edited)
	}
	return good, conflict, undefined
}

// TestBundleFailsClosedInProcess: rego.PrepareBundle answers an
// ImplicitDeny with the error said, and OPA's own evaluation of
// data.iam2rego.authz.allow is an error or false, never true.
func TestBundleFailsClosedInProcess(t *testing.T) {
	good, conflict, undefined := fcBundles(t)
	ctx := context.Background()
	in := fcRequest()
	eng, err := rego.PrepareBundle(ctx, good)
	if err != nil {
		t.Fatal(err)
	}
	if d := eng.DecideInput(ctx, in); d.Decision != rego.Allow {
		t.Fatalf("control: the example bundle decides %s (%s)", d.Decision, d.Reason)
	}
	for name, b := range map[string]*bundle.Bundle{"conflict": conflict, "undefined": undefined} {
		for _, indexing := range []bool{true, false} {
			eng, err := rego.PrepareBundle(ctx, b, rego.WithRuleIndexing(indexing))
			if err != nil {
				t.Fatalf("%s: PrepareBundle: %v", name, err)
			}
			d := eng.DecideInput(ctx, in)
			if d.Decision != rego.ImplicitDeny || d.Allow || d.Error == "" || d.Step != "error" {
				t.Errorf("%s (indexing %v): got %+v, want a fail-closed ImplicitDeny with the error", name, indexing, d)
			}
		}
		for _, query := range []string{"data.iam2rego.authz.allow", "data.iam2rego.authz.decision.allow"} {
			pq, err := opa.New(opa.Query(query), opa.ParsedBundle("iam2rego", b), opa.SetRegoVersion(ast.RegoV1)).PrepareForEval(ctx)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			rs, err := pq.Eval(ctx, opa.EvalInput(in))
			if err == nil && len(rs) == 1 && rs[0].Expressions[0].Value == true {
				t.Errorf("%s: %s is true", name, query)
			}
			if name == "conflict" && err == nil {
				t.Errorf("%s: %s evaluated without the conflict error: %v", name, query, rs)
			}
		}
	}
}

// TestBundleFailsClosedInOPA runs the real OPA (go tool opa, as pinned in
// go.mod) on the bundle files: `opa eval -b` of data.iam2rego.authz.allow
// is never true for a bundle with a runtime error (OPA reports the
// eval_conflict_error and exits non-zero) or with an undefined decision
// (allow is its default, false), nor for inputs that cannot be decided.
func TestBundleFailsClosedInOPA(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the OPA CLI")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to run `go tool opa`")
	}
	good, conflict, undefined := fcBundles(t)
	dir := t.TempDir()
	write := func(name string, b *bundle.Bundle) string {
		p := filepath.Join(dir, name)
		if err := bundles.WriteFile(p, b); err != nil {
			t.Fatal(err)
		}
		return p
	}
	input := func(name string, v any) string {
		data, _ := json.Marshal(v)
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	type result struct {
		Result []struct {
			Expressions []struct {
				Value any `json:"value"`
			} `json:"expressions"`
		} `json:"result"`
		Errors []struct {
			Code string `json:"code"`
		} `json:"errors"`
	}
	eval := func(bundlePath, inputPath, query string) (result, int, string) {
		args := []string{"tool", "opa", "eval", "--format", "json", "-b", bundlePath}
		if inputPath != "" {
			args = append(args, "-i", inputPath)
		}
		cmd := exec.Command(goBin, append(args, query)...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("go tool opa: %v", err)
		}
		var r result
		if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
			t.Fatalf("opa eval printed %q (stderr %q): %v", stdout.String(), stderr.String(), err)
		}
		return r, code, stdout.String()
	}
	value := func(r result) any {
		if len(r.Result) != 1 || len(r.Result[0].Expressions) != 1 {
			return nil // undefined
		}
		return r.Result[0].Expressions[0].Value
	}
	goodPath, conflictPath, undefinedPath := write("good.tar.gz", good), write("conflict.tar.gz", conflict), write("undefined.tar.gz", undefined)
	req := input("request.json", fcRequest())

	if r, code, out := eval(goodPath, req, "data.iam2rego.authz.allow"); value(r) != true || code != 0 {
		t.Fatalf("control: the example bundle gives allow %v (exit %d): %s", value(r), code, out)
	}
	r, code, out := eval(conflictPath, req, "data.iam2rego.authz.allow")
	if value(r) == true || code == 0 || len(r.Errors) == 0 || r.Errors[0].Code != "eval_conflict_error" {
		t.Errorf("conflicting bundle: allow %v, exit %d, want the eval_conflict_error and no result:\n%s", value(r), code, out)
	}
	r, code, out = eval(undefinedPath, req, "data.iam2rego.authz.decision")
	if value(r) != nil || code != 0 {
		t.Errorf("bundle with an undefined decision: decision %v (exit %d), want undefined:\n%s", value(r), code, out)
	}
	r, _, out = eval(undefinedPath, req, "data.iam2rego.authz.allow")
	if value(r) != false {
		t.Errorf("bundle with an undefined decision: allow %v, want its default false:\n%s", value(r), out)
	}
	for name, in := range map[string]any{
		"no input":             nil,
		"input is a string":    "arn:aws:iam::111111111111:role/service-role/genai-invoke-role",
		"input is empty":       map[string]any{},
		"unknown principal":    map[string]any{"principal": "arn:aws:iam::111111111111:role/nobody", "action": "bedrock:InvokeModel", "resource": fcHaiku},
		"action not a string":  map[string]any{"principal": fcRole, "action": []any{"bedrock:InvokeModel"}, "resource": fcHaiku},
		"principal is an list": map[string]any{"principal": []any{fcRole}, "action": "bedrock:InvokeModel", "resource": fcHaiku},
		"colliding context": map[string]any{"principal": fcRole, "action": "bedrock:InvokeModel", "resource": map[string]any{"arn": fcHaiku, "account": "111111111111"},
			"context": map[string]any{"aws:RequestedRegion": "us-east-1", "AWS:REQUESTEDREGION": "eu-west-1"}},
	} {
		p := ""
		if in != nil {
			p = input("in.json", in)
		}
		r, _, out := eval(goodPath, p, "data.iam2rego.authz.allow")
		if value(r) != false {
			t.Errorf("%s: allow %v, want false:\n%s", name, value(r), out)
		}
		r, _, out = eval(goodPath, p, "data.iam2rego.authz.decision")
		d, _ := value(r).(map[string]any)
		if d["allow"] != false || d["decision"] != "ImplicitDeny" || d["step"] != "error" {
			t.Errorf("%s: decision %v, want a fail-closed ImplicitDeny at step error:\n%s", name, d, out)
		}
	}
}
