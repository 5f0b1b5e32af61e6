package lint

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/iam2rego/iam2rego/translator/account"
)

// codesOf lists the codes a report has.
func codesOf(r *Report) []string {
	var out []string
	for _, f := range r.Findings {
		if !slices.Contains(out, f.Code) {
			out = append(out, f.Code)
		}
	}
	return out
}

// Where iam2rego is right and parliament 1.6.4 or cloudsplaining 0.9.1
// were found wrong (issue 20): each case asserts what lint must report,
// or must not.
func TestWhereOtherLintersAreWrong(t *testing.T) {
	for _, tc := range []struct {
		name, policy string
		method       string // an escalation method that must be found ("" none)
		without      []string
	}{
		{"NotAction grants every other action, iam:CreatePolicyVersion included",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["s3:*","ec2:*"],"Resource":"*"}]}`,
			"iam-createpolicyversion", nil},
		{"actions match without regard to case",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"IAM:createPOLICYversion","Resource":"arn:aws:iam::111111111111:policy/*"}]}`,
			"iam-createpolicyversion", []string{CodeUnknownAction}},
		{"ForAllValues on a key the request does not carry is true",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}}]}`,
			"iam-createaccesskey", []string{CodeKeyNotApplicable, CodeUnknownConditionKey}},
		{"IfExists on a key some actions do not carry keeps them granted",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListBucket","s3:GetObject"],"Resource":["arn:aws:s3:::reports","arn:aws:s3:::reports/*"],"Condition":{"StringLikeIfExists":{"s3:prefix":"home/*"}}}]}`,
			"", []string{CodeKeyNotApplicable, CodeUnknownConditionKey, CodeResourceTypeMismatch}},
		{"the catalogue knows newer services",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["bedrock-agentcore:InvokeAgentRuntime","bedrock-mantle:ListProjects"],"Resource":"*"}]}`,
			"", []string{CodeUnknownAction}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := lintPolicy(t, tc.policy)
			if tc.method != "" && !slices.Contains(methodsFound(r), tc.method) {
				t.Errorf("%s not found (found %v)", tc.method, methodsFound(r))
			}
			for _, c := range tc.without {
				if slices.Contains(codesOf(r), c) {
					t.Errorf("false %s finding: %v", c, r.Findings)
				}
			}
		})
	}
}

// A permissions boundary grants nothing: its "Action": "*" is no
// finding of over-breadth, and it still takes away what it does not
// allow (no escalation for its holder).
func TestBoundaryGrantsNothing(t *testing.T) {
	dir := buildFolder(t, `{"accounts":[{"id":"111111111111",
		"policies":[{"name":"all","file":"all.json"},{"name":"s3-only","file":"s3.json"}],
		"users":[{"name":"bounded","managed":["arn:aws:iam::aws:policy/IAMFullAccess"],"boundary":"arn:aws:iam::111111111111:policy/s3-only"},
		         {"name":"free","managed":["arn:aws:iam::aws:policy/IAMFullAccess"],"boundary":"arn:aws:iam::111111111111:policy/all"}]}]}`)
	for name, doc := range map[string]string{
		"all.json": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
		"s3.json":  `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := Run(Inputs{Paths: []string{dir}})
	if len(r.Errors) > 0 {
		t.Fatalf("input errors: %v", r.Errors)
	}
	for _, f := range r.Findings {
		if f.File == filepath.Join(dir, "all.json") || f.File == filepath.Join(dir, "s3.json") {
			t.Errorf("a boundary is reported as a grant: %s", f.Error())
		}
	}
	held := map[string]bool{}
	for _, e := range r.Escalations {
		held[e.Principal] = true
	}
	if held["arn:aws:iam::111111111111:user/bounded"] || !held["arn:aws:iam::111111111111:user/free"] {
		t.Errorf("escalations held by %v, want free only (bounded's boundary allows s3 alone)", held)
	}
}

// An export that attaches an AWS managed policy without listing its
// document in Policies (as exports often do) is read with the embedded
// snapshot: the holder of AdministratorAccess escalates.
func TestManagedPolicyMissingFromExport(t *testing.T) {
	f := filepath.Join(t.TempDir(), "gaad.json")
	gaad := `{"UserDetailList":[{"Path":"/","UserName":"ops","UserId":"AIDAEXAMPLEOPS000001","Arn":"arn:aws:iam::111111111111:user/ops",
		"CreateDate":"2020-01-01T00:00:00+00:00","GroupList":[],"AttachedManagedPolicies":[{"PolicyName":"AdministratorAccess","PolicyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}],"Tags":[]}],
		"GroupDetailList":[],"RoleDetailList":[],"Policies":[]}`
	if err := os.WriteFile(f, []byte(gaad), 0o644); err != nil {
		t.Fatal(err)
	}
	r := Run(Inputs{Paths: nil, Build: buildInputs(f)})
	if len(r.Errors) > 0 {
		t.Fatalf("input errors: %v", r.Errors)
	}
	found := false
	for _, e := range r.Escalations {
		found = found || (e.Principal == "arn:aws:iam::111111111111:user/ops" && e.Method == "iam-createpolicyversion")
	}
	if !found {
		t.Errorf("no escalation for the holder of AdministratorAccess: %v", r.Escalations)
	}
}

func buildInputs(gaad string) account.Inputs { return account.Inputs{AccountDetails: []string{gaad}} }
