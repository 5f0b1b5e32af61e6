package trail

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/translator"
)

const (
	kbRole     = "arn:aws:iam::111111111111:role/service-role/genai-kb-role"
	invokeRole = "arn:aws:iam::111111111111:role/service-role/genai-invoke-role"
	agentRole  = "arn:aws:iam::111111111111:role/service-role/genai-agent-role"
)

// TestGenerateExampleRoles: for every role of the example with logged
// calls, the generated policy compiles, allows every logged call (replay:
// 0 would break) and only removes access (diff: 0 added).
func TestGenerateExampleRoles(t *testing.T) {
	for _, tc := range []struct {
		role       string
		statements int
		removed    int
		widened    bool
	}{
		{kbRole, 2, 0, true},
		{invokeRole, 2, 4, false},
		{agentRole, 2, 1, false},
	} {
		t.Run(tc.role[strings.LastIndexByte(tc.role, '/')+1:], func(t *testing.T) {
			g, err := Generate(context.Background(), tc.role, exampleInputs(), Source{Paths: []string{corpusLogs}})
			if err != nil {
				t.Fatal(err)
			}
			if !g.OK() || g.Replay.WouldBreak != 0 || len(g.Diff.Added) != 0 {
				t.Fatalf("checks fail: replay %+v, added %+v", g.Replay, g.Diff.Added)
			}
			if g.Replay.Calls == 0 || g.Replay.Agree == 0 {
				t.Errorf("the replay decided nothing: %+v", g.Replay)
			}
			if len(g.Policy.Statement) != tc.statements || len(g.Diff.Removed) != tc.removed || (len(g.Widened) > 0) != tc.widened {
				t.Errorf("%d statements, %d removed, widened %v", len(g.Policy.Statement), len(g.Diff.Removed), g.Widened)
			}
			text, _ := json.Marshal(g.Policy)
			if _, err := translator.Compile("generated.json", translator.Identity, text); err != nil {
				t.Errorf("the generated policy does not compile: %v\n%s", err, text)
			}
			if !strings.Contains(g.Terraform, `data "aws_iam_policy_document"`) {
				t.Errorf("terraform:\n%s", g.Terraform)
			}
		})
	}
}

// TestGenerateKeepsConditions: the knowledge base role's ListBucket keeps
// the s3:prefix condition of the statement that allows it today (without
// it, the diff would show new access), and its keys are widened to docs/*.
func TestGenerateKeepsConditions(t *testing.T) {
	g, err := Generate(context.Background(), kbRole, exampleInputs(), Source{Paths: []string{corpusLogs}})
	if err != nil {
		t.Fatal(err)
	}
	var list, get *PolicyStatement
	for i, st := range g.Policy.Statement {
		switch st.Action[0] {
		case "s3:ListBucket":
			list = &g.Policy.Statement[i]
		case "s3:GetObject":
			get = &g.Policy.Statement[i]
		}
	}
	if list == nil || list.Condition["StringLike"]["s3:prefix"] == nil {
		t.Errorf("ListBucket statement %+v lost its condition", list)
	}
	if get == nil || len(get.Resource) != 1 || get.Resource[0] != "arn:aws:s3:::genai-kb-docs/docs/*" || get.Condition != nil {
		t.Errorf("GetObject statement %+v", get)
	}
}

func TestGenerateErrors(t *testing.T) {
	for _, tc := range []struct{ role, paths, want string }{
		{"arn:aws:iam::111111111111:role/nope", corpusLogs, "not a role"},
		{"arn:aws:iam::111111111111:user/bob", corpusLogs, "not a role"},
		{kbRole, "-", "not -"},
		{kbRole, t.TempDir(), "no call"},
	} {
		_, err := Generate(context.Background(), tc.role, exampleInputs(), Source{Paths: []string{tc.paths}})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %s: %v, want %q", tc.role, tc.paths, err, tc.want)
		}
	}
}

func TestBuildPolicyWidening(t *testing.T) {
	grants := []grant{
		{action: "s3:GetObject", resource: "arn:aws:s3:::b/docs/a"},
		{action: "s3:GetObject", resource: "arn:aws:s3:::b/docs/b"},
		{action: "s3:GetObject", resource: "arn:aws:s3:::b/top"},
		{action: "s3:GetObject", resource: "arn:aws:s3:::b/logs/2024/x"},
		{action: "s3:PutObject", resource: "arn:aws:s3:::b/docs/a"},
		{action: "kms:Decrypt", resource: "arn:aws:kms:us-east-1:111111111111:key/1"},
	}
	doc, notes := buildPolicy(grants, true)
	got, _ := json.Marshal(doc)
	want := `{"Version":"2012-10-17","Statement":[` +
		`{"Sid":"LoggedKms","Effect":"Allow","Action":["kms:Decrypt"],"Resource":["arn:aws:kms:us-east-1:111111111111:key/1"]},` +
		`{"Sid":"LoggedS3","Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::b/docs/*","arn:aws:s3:::b/logs/2024/x","arn:aws:s3:::b/top"]},` +
		`{"Sid":"LoggedS3Part2","Effect":"Allow","Action":["s3:PutObject"],"Resource":["arn:aws:s3:::b/docs/a"]}]}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "b/docs/*") {
		t.Errorf("notes %v", notes)
	}
	exact, notes := buildPolicy(grants, false)
	if len(notes) != 0 || len(exact.Statement[1].Resource) != 4 {
		t.Errorf("without widening: %+v %v", exact.Statement, notes)
	}
}

func TestTerraformQuoting(t *testing.T) {
	doc := &PolicyDocument{Statement: []PolicyStatement{{Sid: "A", Effect: "Allow", Action: []string{"s3:GetObject"},
		Resource:  []string{"arn:aws:s3:::b/home/${aws:username}/*", "arn:aws:s3:::b/%{x}\"\\\n"},
		Condition: map[string]map[string]any{"StringEquals": {"aws:PrincipalTag/team": []any{"ml", "ops"}}, "Bool": {"aws:SecureTransport": "true"}}}}}
	got := Terraform("genai-kb.role", doc)
	for _, want := range []string{
		`data "aws_iam_policy_document" "genai_kb_role" {`,
		`"arn:aws:s3:::b/home/$${aws:username}/*"`,
		`"arn:aws:s3:::b/%%{x}\"\\\n"`,
		"test     = \"Bool\"\n      variable = \"aws:SecureTransport\"\n      values   = [\"true\"]",
		`values   = ["ml", "ops"]`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %s in\n%s", want, got)
		}
	}
	if strings.Index(got, `"Bool"`) > strings.Index(got, `"StringEquals"`) {
		t.Error("conditions are not sorted")
	}
}
