package terraform

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator/account"
)

const (
	plans   = "../../testdata/terraform"
	example = "../../testdata/example/account-details.json"
)

func load(t *testing.T, plan string, in account.Inputs, state State) *Result {
	t.Helper()
	res, err := Load(in, filepath.Join(plans, plan), state)
	if err != nil {
		t.Fatalf("%s: %v", plan, err)
	}
	return res
}

func findRole(e *account.Export, name string) *account.Role {
	for _, a := range e.Accounts {
		for _, r := range a.Roles {
			if r.Name == name {
				return r
			}
		}
	}
	return nil
}

// TestNewRoleOnExport applies a plan that creates the ECS task role and
// its inline policy to the example export: the role appears with a
// derived ARN, its trust policy and tags, and the export's roles stay.
func TestNewRoleOnExport(t *testing.T) {
	res := load(t, "app-role.plan.json", account.Inputs{AccountDetails: []string{example}}, Planned)
	if res.Account != "111111111111" || len(res.Unknown) != 0 {
		t.Fatalf("account %q, unknown %v", res.Account, res.Unknown)
	}
	r := findRole(res.Export, "orders-api-task")
	if r == nil {
		t.Fatal("the planned role is missing")
	}
	if r.ARN != "arn:aws:iam::111111111111:role/orders-api-task" || r.Trust == nil || r.Tags["team"] != "payments" {
		t.Errorf("role %+v", r)
	}
	if len(r.Inline) != 1 || r.Inline[0].Name != "orders-api" || !strings.HasPrefix(r.Inline[0].Document.Pointer, "/resource_changes/1/change/after/policy") {
		t.Errorf("inline %+v", r.Inline)
	}
	if findRole(res.Export, "genai-kb-role") == nil {
		t.Error("the export's roles were dropped")
	}
	prior := load(t, "app-role.plan.json", account.Inputs{AccountDetails: []string{example}}, Prior)
	if findRole(prior.Export, "orders-api-task") != nil {
		t.Error("the prior state holds a role the plan creates")
	}
}

// TestUnknownPolicyIsReported: a policy Terraform renders only at apply
// is a terraform_unknown naming the resource and the attribute.
func TestUnknownPolicyIsReported(t *testing.T) {
	res := load(t, "app-role-unknown-policy.plan.json", account.Inputs{}, Planned)
	if len(res.Unknown) != 1 {
		t.Fatalf("unknown %v", res.Unknown)
	}
	u := res.Unknown[0]
	if u.Code != schema.CodeTerraformUnknown || u.Pointer != "/resource_changes/3/change/after/policy" || !strings.Contains(u.Message, "aws_iam_role_policy.app") {
		t.Errorf("unknown %v", u)
	}
	if r := findRole(res.Export, "orders-api-task"); r == nil || len(r.Inline) != 0 {
		t.Errorf("the role should exist without the unknown policy: %+v", r)
	}
}

// TestMalformedPlan names the JSON pointer of the problem.
func TestMalformedPlan(t *testing.T) {
	_, err := ReadFile(filepath.Join(plans, "malformed-actions.plan.json"))
	list := schema.List(err)
	if len(list) != 1 || list[0].Pointer != "/resource_changes/0/change/actions" || list[0].Code != schema.CodeSchemaType {
		t.Fatalf("errors %v", list)
	}
}
