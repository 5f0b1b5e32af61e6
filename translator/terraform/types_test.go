package terraform

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator/account"
)

var exampleInputs = account.Inputs{
	AccountDetails: []string{example},
	Org:            "../../testdata/example/organization.json",
	Resources:      []string{"../../testdata/example/resource-policies.json"},
}

func statementCount(t *testing.T, d *account.Document) int {
	t.Helper()
	if d == nil {
		t.Fatal("no document")
	}
	list, _ := d.Value.(map[string]any)["Statement"].([]any)
	return len(list)
}

func sids(d account.Document) []string {
	var out []string
	list, _ := d.Value.(map[string]any)["Statement"].([]any)
	for _, s := range list {
		sid, _ := s.(map[string]any)["Sid"].(string)
		out = append(out, sid)
	}
	return out
}

func orgNode(u *account.OrgUnit, id string) (scps []account.NamedDocument, ok bool) {
	if u == nil {
		return nil, false
	}
	if u.ID == id {
		return u.SCPs, true
	}
	for _, a := range u.Accounts {
		if a.ID == id {
			return a.SCPs, true
		}
	}
	for _, c := range u.Units {
		if s, ok := orgNode(c, id); ok {
			return s, true
		}
	}
	return nil, false
}

func names(list []account.NamedDocument) []string {
	var out []string
	for _, d := range list {
		out = append(out, d.Name)
	}
	return out
}

// TestEveryResourceType applies all-types.plan.json, which has a change of
// every supported type (creates, updates, deletes, a replacement, unknown
// values resolved through configuration references and one that is not),
// to the example account with its organization and resource policies.
func TestEveryResourceType(t *testing.T) {
	res := load(t, "all-types.plan.json", exampleInputs, Planned)
	e := res.Export
	acct := e.Accounts[0]

	// aws_iam_policy: created with a derived ARN; deleted.
	reports := "arn:aws:iam::111111111111:policy/app/reports-read"
	if mp := e.Managed[reports]; mp == nil || mp.Path != "/app/" || mp.Name != "reports-read" {
		t.Errorf("created policy: %+v", mp)
	}
	if _, ok := e.Managed["arn:aws:iam::111111111111:policy/genai-kb-read-docs"]; ok {
		t.Error("the deleted policy is still there")
	}
	// aws_iam_role replaced with a new path; the old ARN is gone.
	r := findRole(e, "genai-invoke-role")
	if r == nil || r.ARN != "arn:aws:iam::111111111111:role/apps/genai-invoke-role" || r.Path != "/apps/" || len(r.Inline) != 0 || len(r.Managed) != 0 || r.Trust == nil {
		t.Errorf("replaced role: %+v", r)
	}
	// aws_iam_role updated: its boundary is the new policy (an unknown ARN
	// resolved through the configuration); aws_iam_role_policy updated;
	// aws_iam_policy_attachment attaches the new policy.
	agent := findRole(e, "genai-agent-role")
	if agent.Boundary != reports || len(agent.Inline) != 1 || !slices.Equal(sids(agent.Inline[0].Document), []string{"CallWeatherTool"}) ||
		!slices.Equal(agent.Managed, []string{reports}) {
		t.Errorf("updated role: boundary %q, inline %v, managed %v", agent.Boundary, agent.Inline, agent.Managed)
	}
	// aws_iam_role_policy_attachment deleted.
	if kb := findRole(e, "genai-kb-role"); kb == nil || len(kb.Managed) != 0 {
		t.Errorf("detached role: %+v", kb)
	}
	// Users: carol created with her inline policy, an AWS managed policy,
	// and groups; bob deleted; group membership exclusive.
	var carol, alice *account.User
	for _, u := range acct.Users {
		switch u.Name {
		case "carol":
			carol = u
		case "alice":
			alice = u
		case "bob":
			t.Error("bob was deleted")
		}
	}
	if carol == nil || carol.ARN != "arn:aws:iam::111111111111:user/eng/carol" || carol.Tags["team"] != "data" || len(carol.Inline) != 1 ||
		!slices.Equal(carol.Managed, []string{"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}) {
		t.Fatalf("carol: %+v", carol)
	}
	slices.Sort(carol.Groups)
	if !slices.Equal(carol.Groups, []string{"Developers", "readers"}) || !slices.Equal(alice.Groups, []string{"Developers"}) {
		t.Errorf("groups: carol %v, alice %v", carol.Groups, alice.Groups)
	}
	// aws_iam_group with its policy and attachment (through a reference).
	var readers *account.Group
	for _, g := range acct.Groups {
		if g.Name == "readers" {
			readers = g
		}
	}
	if readers == nil || len(readers.Inline) != 1 || !slices.Equal(readers.Managed, []string{reports}) {
		t.Errorf("readers: %+v", readers)
	}
	// Resource policies: the bucket policy is created on a bucket named
	// through a reference, the deleted one is gone (the bucket keeps its
	// tags), the key's policy is the key policy resource's.
	byARN := map[string]*account.ResourcePolicy{}
	for _, x := range e.Resources {
		byARN[x.ARN] = x
	}
	if b := byARN["arn:aws:s3:::acme-reports"]; b == nil || statementCount(t, b.Policy) != 1 || b.Account != "111111111111" {
		t.Errorf("bucket policy: %+v", b)
	}
	if kb := byARN["arn:aws:s3:::genai-kb-docs"]; kb == nil || kb.Policy != nil || len(kb.Tags) == 0 {
		t.Errorf("deleted bucket policy: %+v", kb)
	}
	key := byARN["arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
	if key == nil || statementCount(t, key.Policy) != 1 {
		t.Errorf("key policy: %+v", key)
	}
	// Organizations: an SCP created and attached to the OU (its id
	// resolved through the reference), one updated in place and attached
	// to the account; a tag policy ignored.
	ou, _ := orgNode(e.Organization.Root, "ou-gen1-workload")
	if !slices.Equal(names(ou), []string{"FullAWSAccess", "DenyBedrockOutsideUsEast1", "DenyLeaveOrg"}) {
		t.Errorf("OU SCPs: %v", names(ou))
	}
	acctSCPs, _ := orgNode(e.Organization.Root, "111111111111")
	if !slices.Equal(names(acctSCPs), []string{"FullAWSAccess", "DenyBedrockOutsideUsEast1"}) {
		t.Errorf("account SCPs: %v", names(acctSCPs))
	}
	for _, d := range append(ou, acctSCPs...) {
		if d.Name == "DenyBedrockOutsideUsEast1" && !strings.Contains(string(mustJSON(d.Document.Value)), "us-west-2") {
			t.Errorf("the updated SCP keeps its old content at %s", d.Document.Pointer)
		}
	}
	// The new key's ARN is unknown: reported, its policy left out.
	if len(res.Unknown) != 1 || !strings.Contains(res.Unknown[0].Message, "aws_kms_key.fresh") || res.Unknown[0].Pointer != "/resource_changes/6/change/after/arn" {
		t.Errorf("unknown: %v", res.Unknown)
	}

	// The prior state is the export as Terraform refreshed it: the
	// deleted entities are there, the created ones are not.
	prior := load(t, "all-types.plan.json", exampleInputs, Prior).Export
	if findRole(prior, "genai-invoke-role").Path != "/service-role/" || prior.Managed["arn:aws:iam::111111111111:policy/genai-kb-read-docs"] == nil {
		t.Error("prior state lost the entities the plan deletes")
	}
	if _, ok := prior.Managed[reports]; ok {
		t.Error("prior state has the policy the plan creates")
	}
}

func mustJSON(v any) []byte {
	b, _ := jsonMarshal(v)
	return b
}

// TestPlanErrors: problems applying a plan are diagnostics naming the
// plan file and the attribute's pointer.
func TestPlanErrors(t *testing.T) {
	p, err := ReadFile(plans + "/scp-attachment.plan.json")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Apply(nil, p, Planned)
	list := schema.List(err)
	if len(list) != 1 || list[0].Code != schema.CodeTerraformUnsupported || list[0].Pointer != "/resource_changes/1/change/after/target_id" {
		t.Errorf("an SCP attachment without an organization: %v", list)
	}
	bad := []byte(`{"format_version":"1.2","resource_changes":[{"address":"aws_iam_role.x","mode":"managed","type":"aws_iam_role","name":"x",` +
		`"change":{"actions":["create"],"before":null,"after":{"name":"x","path":"/","assume_role_policy":"{\"Version\":\"2012-10-17\",\"Statement\":[}"},"after_unknown":{}}}],` +
		`"prior_state":{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"data.aws_caller_identity.c","mode":"data","type":"aws_caller_identity","name":"c","values":{"account_id":"111111111111"}}]}}}}`)
	p, err = Read("bad.json", bad)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Apply(nil, p, Planned)
	list = schema.List(err)
	if len(list) != 1 || list[0].Code != schema.CodeJSONSyntax || list[0].Pointer != "/resource_changes/0/change/after/assume_role_policy" || list[0].File != "bad.json" {
		t.Errorf("a trust policy that is not JSON: %v", list)
	}
	if _, err := Read("dup.json", []byte(`{"format_version":"1.2","format_version":"1.2"}`)); len(schema.List(err)) != 1 || schema.List(err)[0].Code != schema.CodeDuplicateKey {
		t.Errorf("a duplicate member: %v", err)
	}
	if _, err := Read("v.json", []byte(`{"format_version":"2.0"}`)); len(schema.List(err)) != 1 || schema.List(err)[0].Pointer != "/format_version" {
		t.Errorf("an unsupported format version: %v", err)
	}
	p, _ = Read("none.json", []byte(`{"format_version":"1.2","resource_changes":[]}`))
	if _, err := Apply(nil, p, Planned); len(schema.List(err)) != 1 || schema.List(err)[0].Code != schema.CodeTerraformUnsupported {
		t.Errorf("a plan that names no account: %v", err)
	}
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

// TestDeletingAnAttachedPolicy: a plan that deletes a managed policy some
// role still has attached cannot apply; the error points at the deletion.
func TestDeletingAnAttachedPolicy(t *testing.T) {
	data, err := os.ReadFile(plans + "/all-types.plan.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	var keep []any
	for _, rc := range m["resource_changes"].([]any) {
		if rc.(map[string]any)["address"] == "aws_iam_policy.kb" {
			keep = append(keep, rc)
		}
	}
	m["resource_changes"] = keep
	data, _ = json.Marshal(m)
	p, err := Read("kb.json", data)
	if err != nil {
		t.Fatal(err)
	}
	base, err := account.Load(account.Inputs{AccountDetails: []string{example}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Apply(base, p, Planned)
	list := schema.List(err)
	if len(list) != 1 || list[0].Pointer != "/resource_changes/0/change/before/arn" || !strings.Contains(list[0].Message, "role genai-kb-role") {
		t.Errorf("errors %v", list)
	}
}

// TestDeletes applies deletes.plan.json: deletes of an inline policy of
// each kind of holder, an attachment, a membership, a group (which leaves
// its members), an RCP (detached everywhere) and an SCP attachment; an
// attachment updated in place moves to its new policy.
func TestDeletes(t *testing.T) {
	res := load(t, "deletes.plan.json", exampleInputs, Planned)
	e := res.Export
	if agent := findRole(e, "genai-agent-role"); len(agent.Inline) != 0 {
		t.Errorf("agent inline: %v", names(agent.Inline))
	}
	for _, u := range e.Accounts[0].Users {
		switch u.Name {
		case "alice":
			if len(u.Inline) != 0 || len(u.Groups) != 0 {
				t.Errorf("alice: %+v", u)
			}
		case "bob":
			if len(u.Groups) != 0 || !slices.Equal(u.Managed, []string{"arn:aws:iam::aws:policy/AmazonBedrockReadOnly"}) {
				t.Errorf("bob: %+v", u)
			}
		}
	}
	if len(e.Accounts[0].Groups) != 0 {
		t.Errorf("the deleted group is still there: %+v", e.Accounts[0].Groups[0])
	}
	ou, _ := orgNode(e.Organization.Root, "ou-gen1-workload")
	if !slices.Equal(names(ou), []string{"FullAWSAccess"}) {
		t.Errorf("OU SCPs: %v", names(ou))
	}
	var rcps []string
	walkUnits(e.Organization.Root, func(l *[]account.NamedDocument) { rcps = append(rcps, names(*l)...) }, typeRCP)
	if slices.Contains(rcps, "DenyS3OutsideOrg") {
		t.Errorf("the deleted RCP is still attached: %v", rcps)
	}
	// The prior state is the export itself: nothing is lost.
	prior := load(t, "deletes.plan.json", exampleInputs, Prior).Export
	if findRole(prior, "genai-agent-role").Inline == nil || len(prior.Accounts[0].Groups) != 1 {
		t.Error("the prior state lost what the plan deletes")
	}
}

// TestTypesAreTheFixtures: every type Types lists has a change in the
// fixtures, and every managed aws_ type of the fixtures is listed (a type
// added to the applier gets a fixture).
func TestTypesAreTheFixtures(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range []string{"all-types.plan.json", "deletes.plan.json", "app-role.plan.json"} {
		p, err := ReadFile(plans + "/" + f)
		if err != nil {
			t.Fatal(err)
		}
		for _, rc := range p.tf.ResourceChanges {
			if rc.Mode == "managed" {
				seen[rc.Type] = true
			}
		}
	}
	for _, typ := range Types() {
		if !seen[typ] {
			t.Errorf("no fixture changes %s", typ)
		}
		delete(seen, typ)
	}
	if len(seen) > 0 {
		t.Errorf("the fixtures change types the applier does not list: %v", seen)
	}
}
