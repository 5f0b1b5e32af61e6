package rego

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/translator"
	"github.com/open-policy-agent/opa/v1/ast"
	opa "github.com/open-policy-agent/opa/v1/rego"
)

// TestProtectedResources: every rule of lib/protected.rego is documented
// in PROTECTED.md and well formed, and for every one of its actions a
// caller allowed "*" on "*" is denied at the protected-resource step on
// a protected ARN and allowed on its neighbour.
func TestProtectedResources(t *testing.T) {
	ctx := context.Background()
	admin, err := translator.CompileDocument("admin.json", translator.Identity, map[string]any{
		"Version":   "2012-10-17",
		"Statement": []any{map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := Prepare(ctx, map[string]*ast.Module{admin.Name: admin.Module})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("PROTECTED.md")
	if err != nil {
		t.Fatal(err)
	}
	rules := protectedTable(t)
	for _, r := range rules {
		for _, action := range r.Actions {
			if action != strings.ToLower(action) || !strings.Contains(action, ":") {
				t.Errorf("action %q is not a lower-cased service:action", action)
			}
		}
	}
	if len(rules) < 4 {
		t.Fatalf("the library has %d protected-resource rules, want at least 4", len(rules))
	}
	for id, r := range rules {
		if !strings.Contains(string(doc), "| `"+id+"` |") {
			t.Errorf("rule %s is not in PROTECTED.md's table", id)
		}
		if r.Prefix == "" || r.Reason == "" || (r.Part != "arn_resource" && r.Part != "arn_account_resource") {
			t.Errorf("rule %s is malformed: %+v", id, r)
		}
		neighbour := strings.TrimSuffix(r.Prefix, "/") + "-unprotected/x"
		for _, action := range r.Actions {
			for _, tail := range []string{r.Prefix + "x", neighbour} {
				req := Request{
					Principal: Principal{ARN: "arn:aws:iam::111111111111:user/admin"},
					Action:    action,
					Resource:  Resource{ARN: protectedARN(action, r.Part, tail), Account: "111111111111"},
					Policies:  PolicyRefs{Identity: []string{admin.Name}},
				}
				for path, d := range map[string]Decision{"Decide": eng.Decide(ctx, req)} {
					protected := tail != neighbour
					switch {
					case protected && (d.Decision != ImplicitDeny || d.Step != "protected-resource" || !strings.Contains(d.Reason, "rule "+id+":")):
						t.Errorf("%s %s on %s: %s (step %s: %s), want ImplicitDeny by rule %s", path, action, req.Resource.ARN, d.Decision, d.Step, d.Reason, id)
					case !protected && d.Decision != Allow:
						t.Errorf("%s %s on the neighbour %s: %s (step %s: %s), want Allow", path, action, req.Resource.ARN, d.Decision, d.Step, d.Reason)
					}
				}
			}
		}
	}
}

// protectedARN builds an ARN of the action's service whose ARN part
// (arn_resource, or arn_account_resource) is tail.
func protectedARN(action, part, tail string) string {
	svc, _, _ := strings.Cut(action, ":")
	if part == "arn_account_resource" {
		return "arn:aws:" + svc + "::" + tail
	}
	region := "us-east-1"
	if svc == "iam" {
		region = ""
	}
	return "arn:aws:" + svc + ":" + region + ":111111111111:" + tail
}

// protectedRule is one row of lib/protected.rego's table.
type protectedRule struct {
	Actions []string `json:"actions"`
	Part    string   `json:"part"`
	Prefix  string   `json:"prefix"`
	Reason  string   `json:"reason"`
}

// protectedTable reads the library's table, by rule name.
func protectedTable(t *testing.T) map[string]protectedRule {
	t.Helper()
	lib, err := libraryModules()
	if err != nil {
		t.Fatal(err)
	}
	args := []func(*opa.Rego){opa.Query("data.iam2rego.lib.protected_resources")}
	for _, m := range lib {
		args = append(args, opa.ParsedModule(m))
	}
	rs, err := opa.New(args...).Eval(context.Background())
	if err != nil || len(rs) != 1 {
		t.Fatalf("reading the protected-resource table: %v", err)
	}
	b, err := json.Marshal(rs[0].Expressions[0].Value)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]protectedRule{}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
