package terraform

import (
	"encoding/json"
	"github.com/iam2rego/iam2rego/translator/account"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/schema"
)

// appPlan is app-role.plan.json decoded, for tests that change it.
func appPlan(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(plans, "app-role.plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func applyMap(t *testing.T, m map[string]any) (*Result, error) {
	t.Helper()
	data, _ := json.Marshal(m)
	p, err := Read("plan.json", data)
	if err != nil {
		t.Fatal(err)
	}
	return Apply(nil, p, Planned)
}

func changeOf(m map[string]any, i int) map[string]any {
	return m["resource_changes"].([]any)[i].(map[string]any)["change"].(map[string]any)
}

func configResource(m map[string]any, i int) map[string]any {
	return m["configuration"].(map[string]any)["root_module"].(map[string]any)["resources"].([]any)[i].(map[string]any)
}

// TestRenderedDocumentResolvesAnUnknownPolicy: an inline policy Terraform
// shows as unknown whose configuration is the rendered json of one
// aws_iam_policy_document the plan read takes that document.
func TestRenderedDocumentResolvesAnUnknownPolicy(t *testing.T) {
	m := appPlan(t)
	c := changeOf(m, 1)
	c["after"].(map[string]any)["policy"] = nil
	c["after_unknown"].(map[string]any)["policy"] = true
	res, err := applyMap(t, m)
	if err != nil {
		t.Fatal(err)
	}
	r := findRole(res.Export, "orders-api-task")
	if len(res.Unknown) != 0 || r == nil || len(r.Inline) != 1 || r.Inline[0].Document.Pointer != "/prior_state/values/root_module/resources/2/values/json" {
		t.Errorf("unknown %v, role %+v", res.Unknown, r)
	}
	// The same expression with something else in it (a variable) is not
	// a plain reference: the policy stays unknown.
	refs := configResource(m, 1)["expressions"].(map[string]any)["policy"].(map[string]any)
	refs["references"] = append(refs["references"].([]any), "var.extra")
	res, err = applyMap(t, m)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Unknown) != 1 || res.Unknown[0].Pointer != "/resource_changes/1/change/after/policy" {
		t.Errorf("an expression with a variable: %v", res.Unknown)
	}
}

// TestUnknownNamesAndAmbiguousReferences: a name_prefix role has no name
// until apply; a reference to a resource with several instances (count)
// cannot be resolved. Both are reported per resource, and the changes
// are left out.
func TestUnknownNamesAndAmbiguousReferences(t *testing.T) {
	m := appPlan(t)
	c := changeOf(m, 0)
	c["after"].(map[string]any)["name"] = nil
	c["after"].(map[string]any)["name_prefix"] = "orders-"
	c["after_unknown"].(map[string]any)["name"] = true
	rp := changeOf(m, 1)
	rp["after"].(map[string]any)["role"] = nil
	rp["after_unknown"].(map[string]any)["role"] = true
	res, err := applyMap(t, m)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Unknown) != 2 || !strings.Contains(res.Unknown[0].Message, "aws_iam_role.app: the role name") ||
		!strings.Contains(res.Unknown[1].Message, "aws_iam_role_policy.app: the role it belongs to") {
		t.Errorf("unknown %v", res.Unknown)
	}
	if len(res.Export.Accounts[0].Roles) != 0 {
		t.Errorf("a role without a name was added: %+v", res.Export.Accounts[0].Roles[0])
	}

	// Two instances of the role (count = 2): role = aws_iam_role.app.id is
	// ambiguous.
	m = appPlan(t)
	list := m["resource_changes"].([]any)
	first := list[0].(map[string]any)
	second := map[string]any{}
	data, _ := json.Marshal(first)
	_ = json.Unmarshal(data, &second)
	first["address"], second["address"] = "aws_iam_role.app[0]", "aws_iam_role.app[1]"
	second["change"].(map[string]any)["after"].(map[string]any)["name"] = "orders-api-task-2"
	m["resource_changes"] = append([]any{first, second}, list[1:]...)
	rp = changeOf(m, 2)
	rp["after"].(map[string]any)["role"] = nil
	rp["after_unknown"].(map[string]any)["role"] = true
	configResource(m, 1)["expressions"].(map[string]any)["role"] = map[string]any{"references": []any{"aws_iam_role.app[0].id", "aws_iam_role.app"}}
	res, err = applyMap(t, m)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Unknown) != 1 || res.Unknown[0].Pointer != "/resource_changes/2/change/after/role" || len(res.Export.Accounts[0].Roles) != 2 {
		t.Errorf("an ambiguous reference: unknown %v, %d roles", res.Unknown, len(res.Export.Accounts[0].Roles))
	}
	if !strings.HasPrefix(res.Applied[0], "aws_iam_role.app[0] (create)") || len(res.Applied) != 3 {
		t.Errorf("applied %v", res.Applied)
	}
}

// TestModuleReferences: a resource in a module refers to another in the
// same module by its module-relative address.
func TestModuleReferences(t *testing.T) {
	m := appPlan(t)
	for i, rc := range m["resource_changes"].([]any) {
		rc := rc.(map[string]any)
		rc["address"] = "module.orders." + rc["address"].(string)
		rc["module_address"] = "module.orders"
		if i == 1 {
			rc["change"].(map[string]any)["after"].(map[string]any)["role"] = nil
			rc["change"].(map[string]any)["after_unknown"].(map[string]any)["role"] = true
		}
	}
	root := m["configuration"].(map[string]any)["root_module"].(map[string]any)
	resources := root["resources"]
	configResource(m, 1)["expressions"].(map[string]any)["role"] = map[string]any{"references": []any{"aws_iam_role.app.id", "aws_iam_role.app"}}
	root["resources"] = []any{}
	root["module_calls"] = map[string]any{"orders": map[string]any{"source": "./orders", "module": map[string]any{"resources": resources}}}
	res, err := applyMap(t, m)
	if err != nil {
		t.Fatal(err)
	}
	if r := findRole(res.Export, "orders-api-task"); len(res.Unknown) != 0 || r == nil || len(r.Inline) != 1 {
		t.Errorf("unknown %v, role %+v", res.Unknown, r)
	}
}

// TestDeletedHolderIsNotAnError: removing an inline policy of a role the
// plan also deletes is quiet; writing one to a role that exists nowhere
// is an unknown_reference at the attribute.
func TestDeletedHolderIsNotAnError(t *testing.T) {
	m := appPlan(t)
	rp := changeOf(m, 1)
	rp["after"].(map[string]any)["role"] = "nobody"
	_, err := applyMap(t, m)
	list := schema.List(err)
	if len(list) != 1 || list[0].Code != schema.CodeUnknownReference || list[0].Pointer != "/resource_changes/1/change/after/role" {
		t.Errorf("a policy for a role that exists nowhere: %v", list)
	}
}

// TestDeposedDeleteKeepsTheSuccessor: with create_before_destroy the old
// object is deposed and deleted after its successor is created; the
// successor, listed first, must survive.
func TestDeposedDeleteKeepsTheSuccessor(t *testing.T) {
	m := appPlan(t)
	list := m["resource_changes"].([]any)
	deposed := map[string]any{"address": "aws_iam_role.app", "mode": "managed", "type": "aws_iam_role", "name": "app", "deposed": "00000001",
		"change": map[string]any{"actions": []any{"delete"}, "before": map[string]any{"name": "orders-api-task", "path": "/"}, "after": nil, "after_unknown": map[string]any{}}}
	m["resource_changes"] = append(list, deposed)
	res, err := applyMap(t, m)
	if err != nil {
		t.Fatal(err)
	}
	if r := findRole(res.Export, "orders-api-task"); r == nil || len(r.Inline) != 1 {
		t.Errorf("the successor was removed: %+v", r)
	}
}

// TestUnknownUpdateKeepsTheBefore: an inline policy updated to a document
// known only after apply keeps its current document (the change is left
// out, not the policy), and the unknown is reported.
func TestUnknownUpdateKeepsTheBefore(t *testing.T) {
	res := load(t, "app-role-unknown-update.plan.json", account.Inputs{}, Planned)
	r := findRole(res.Export, "orders-api-task")
	if len(res.Unknown) != 1 || r == nil || len(r.Inline) != 1 || !strings.Contains(r.Inline[0].Document.Pointer, "/inline_policy/0/policy") {
		t.Errorf("unknown %v, role %+v", res.Unknown, r)
	}
}

// TestPartition: derived ARNs are built in the partition of the plan's
// own ARNs (here the caller identity's, in China).
func TestPartition(t *testing.T) {
	m := appPlan(t)
	caller := m["prior_state"].(map[string]any)["values"].(map[string]any)["root_module"].(map[string]any)["resources"].([]any)[0].(map[string]any)
	caller["values"].(map[string]any)["arn"] = "arn:aws-cn:iam::111111111111:user/ci"
	res, err := applyMap(t, m)
	if err != nil {
		t.Fatal(err)
	}
	if r := findRole(res.Export, "orders-api-task"); r == nil || r.ARN != "arn:aws-cn:iam::111111111111:role/orders-api-task" {
		t.Errorf("role %+v", r)
	}
}
