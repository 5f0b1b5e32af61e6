package rego

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/translator"
	"github.com/open-policy-agent/opa/v1/ast"
)

// TestProtectedResources: every rule of lib/protected.rego is documented
// in PROTECTED.md and well formed, and for every one of its actions a
// caller allowed "*" on "*" is denied at the protected-resource step on
// a protected ARN and allowed on its neighbour, by Decide (the Go chain)
// and DecideReference (the Rego chain) alike.
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
	rules := map[string]protectedRule{}
	for action, rs := range eng.protect {
		if action != strings.ToLower(action) || !strings.Contains(action, ":") {
			t.Errorf("action %q is not a lower-cased service:action", action)
		}
		for _, r := range rs {
			rules[r.id] = r
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
				for path, d := range map[string]Decision{"Decide": eng.Decide(ctx, req), "DecideReference": eng.DecideReference(ctx, req)} {
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
