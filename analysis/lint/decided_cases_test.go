package lint

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/analysis/access"
	"github.com/iam2rego/iam2rego/translator/account"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for n, s := range files {
		p := filepath.Join(dir, n)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func holdersOf(r *Report, method string) []string {
	var out []string
	for _, e := range r.Escalations {
		if e.Method == method {
			out = append(out, e.Principal[strings.LastIndexByte(e.Principal, '/')+1:])
		}
	}
	return out
}

// An SCP that lets only one role change IAM: a denial is not shared
// between holders of the same policies, whatever their order.
func TestSCPOnPrincipalArnIsDecidedPerHolder(t *testing.T) {
	for _, order := range [][]string{{"DevOps", "SecurityAdmin"}, {"SecurityAdmin", "DevOps"}} {
		dir := t.TempDir()
		roles := ""
		for i, n := range order {
			if i > 0 {
				roles += ","
			}
			roles += `{"name":"` + n + `","trust":"trust.json","managed":["arn:aws:iam::aws:policy/AdministratorAccess"]}`
		}
		writeFiles(t, dir, map[string]string{
			"iam2rego.json": `{"accounts":[{"id":"111111111111","roles":[` + roles + `]}],"org":"org.json"}`,
			"trust.json":    `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
			"org.json": `{"id":"o-exampleorg1","managementAccount":"999999999999","policies":{"ProtectIAM":{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:PutRolePolicy","Resource":"*","Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/SecurityAdmin"}}}]}},
			  "root":{"id":"r-ab12","accounts":[{"id":"999999999999"},{"id":"111111111111","scps":["FullAWSAccess","ProtectIAM"]}]}}`,
		})
		r := Run(Inputs{Paths: []string{dir}})
		if len(r.Errors) > 0 {
			t.Fatalf("errors %v", r.Errors)
		}
		got := holdersOf(r, "iam-putrolepolicy")
		eng, b := prepared(t, account.Inputs{Folder: dir})
		who := allowedBy(t, eng, b, "arn:aws:iam::111111111111:role/SecurityAdmin", access.Query{Action: "iam:PutRolePolicy", Resource: "arn:aws:iam::111111111111:role/iam2rego-witness"})
		t.Logf("order %v: lint finds iam-putrolepolicy for %v; who-can allows SecurityAdmin: %v", order, got, who)
		if !slices.Contains(got, "SecurityAdmin") {
			t.Errorf("order %v: SecurityAdmin's iam-putrolepolicy missed", order)
		}
	}
}

// A boundary (or a Deny NotResource) that narrows a "*" grant to
// role/app-*: their patterns are witnesses too.
func TestNarrowedStarHasWitnesses(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"iam2rego.json": `{"accounts":[{"id":"111111111111","policies":[{"name":"b","file":"b.json"}],
		  "users":[{"name":"dev","inline":{"p":"p.json"},"boundary":"arn:aws:iam::111111111111:policy/b"},
		           {"name":"dev2","inline":{"q":"q.json"}}]}]}`,
		"p.json": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PutRolePolicy","Resource":"*"}]}`,
		"b.json": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PutRolePolicy","Resource":"arn:aws:iam::111111111111:role/app-*"}]}`,
		"q.json": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PutRolePolicy","Resource":"*"},{"Effect":"Deny","Action":"iam:PutRolePolicy","NotResource":"arn:aws:iam::111111111111:role/app-*"}]}`,
	})
	r := Run(Inputs{Paths: []string{dir}})
	if len(r.Errors) > 0 {
		t.Fatalf("errors %v", r.Errors)
	}
	got := holdersOf(r, "iam-putrolepolicy")
	eng, b := prepared(t, account.Inputs{Folder: dir})
	for _, u := range []string{"dev", "dev2"} {
		who := allowedBy(t, eng, b, "arn:aws:iam::111111111111:user/"+u, access.Query{Action: "iam:PutRolePolicy", Resource: "arn:aws:iam::111111111111:role/app-x"})
		t.Logf("%s: who-can on role/app-x: %v; lint: %v", u, who, slices.Contains(got, u))
		if who && !slices.Contains(got, u) {
			t.Errorf("%s: missed", u)
		}
	}
}

// A KMS key whose policy names one role directly (no delegation to the
// account): lint and who-can agree for both holders of the same policy.
func TestKeyPolicyNamingOneRole(t *testing.T) {
	dir := t.TempDir()
	key := "arn:aws:kms:us-east-1:111111111111:key/0a1b2c3d-0000-0000-0000-000000000000"
	writeFiles(t, dir, map[string]string{
		"iam2rego.json": `{"accounts":[{"id":"111111111111","policies":[{"name":"k","file":"k.json"}],
		  "roles":[{"name":"b-keyadmin","trust":"trust.json","managed":["arn:aws:iam::111111111111:policy/k"]},
		           {"name":"zz-app","trust":"trust.json","managed":["arn:aws:iam::111111111111:policy/k"]}]}],
		  "resources":"resources.json"}`,
		"trust.json": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
		"k.json":     `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:PutKeyPolicy","Resource":"*"}]}`,
		"resources.json": `{"resources":[{"arn":"` + key + `","account":"111111111111","policy":{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/b-keyadmin"},"Action":"kms:*","Resource":"*"}]}}]}`,
	})
	r := Run(Inputs{Paths: []string{dir}})
	if len(r.Errors) > 0 {
		t.Fatalf("errors %v", r.Errors)
	}
	got := holdersOf(r, "exposure-kms:putkeypolicy")
	eng, b := prepared(t, account.Inputs{Folder: dir})
	for _, u := range []string{"zz-app", "b-keyadmin"} {
		who := allowedBy(t, eng, b, "arn:aws:iam::111111111111:role/"+u, access.Query{Action: "kms:PutKeyPolicy", Resource: key})
		t.Logf("%s: who-can: %v; lint: %v", u, who, slices.Contains(got, u))
		if who != slices.Contains(got, u) {
			t.Errorf("%s: lint and who-can disagree", u)
		}
	}
}

// Two files with the same text linted on their own: each finding cites
// its own file.
func TestIdenticalFilesCiteThemselves(t *testing.T) {
	dir := t.TempDir()
	p := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*"}]}`
	writeFiles(t, dir, map[string]string{"a.json": p, "b.json": p})
	r := Run(Inputs{Paths: []string{filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")}})
	for _, e := range r.Escalations {
		t.Logf("escalation %s of %s (%s) cites %+v", e.Method, e.Principal, e.Policy, e.Steps[0].Statements)
	}
	files := map[string]bool{}
	for _, f := range r.Findings {
		if f.Code == CodePrivilegeEscalation {
			files[filepath.Base(f.File)] = true
			t.Logf("finding at %s %s", filepath.Base(f.File), f.Pointer)
		}
	}
	if !files["b.json"] {
		t.Error("no privilege_escalation finding in b.json")
	}
}

// A Deny with NotResource (every resource but role/app-*) is no Deny on
// every resource: the method is decided, on an app-* role.
func TestDenyNotResourceLeavesWitnesses(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"iam2rego.json": `{"accounts":[{"id":"111111111111",
		  "users":[{"name":"dev2","inline":{"q":"q.json"}}],
		  "roles":[{"name":"app-foo","trust":"trust.json"}]}]}`,
		"trust.json": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
		"q.json":     `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:PassRole","lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"},{"Effect":"Deny","Action":"iam:PassRole","NotResource":"arn:aws:iam::111111111111:role/app-*"}]}`,
	})
	r := Run(Inputs{Paths: []string{dir}})
	if len(r.Errors) > 0 {
		t.Fatalf("errors %v", r.Errors)
	}
	eng, b := prepared(t, account.Inputs{Folder: dir})
	who := allowedBy(t, eng, b, "arn:aws:iam::111111111111:user/dev2", access.Query{Action: "iam:PassRole", Resource: "arn:aws:iam::111111111111:role/app-foo", Context: map[string]any{"iam:PassedToService": "lambda.amazonaws.com"}})
	t.Logf("who-can: %v; lint: %v", who, methodsFound(r))
	if who && !slices.Contains(methodsFound(r), "passrole-lambda-invoke") {
		t.Error("missed")
	}
}

// The pre-filter keeps a method a Deny with NotResource leaves open.
func TestMayTakeKeepsDenyNotResource(t *testing.T) {
	var doc any
	if err := json.Unmarshal([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:PassRole","lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"},{"Effect":"Deny","Action":"iam:PassRole","NotResource":"arn:aws:iam::111111111111:role/app-*"}]}`), &doc); err != nil {
		t.Fatal(err)
	}
	r := newRunner()
	list := r.document(source{file: "x.json", label: "x"}, "identity", doc)
	h := &holding{statements: list}
	for _, m := range h.candidates() {
		if m.ID == "passrole-lambda-invoke" {
			t.Logf("mayTake(passrole-lambda-invoke) = %v", h.mayTake(m))
			if !h.mayTake(m) {
				t.Error("pre-filter drops the method")
			}
		}
	}
}

// A path whose steps can only act on different resources (create a
// function in sandbox-*, invoke in prod-*) is no path.
func TestStepsActOnOneResource(t *testing.T) {
	r := lintPolicy(t, `{"Version":"2012-10-17","Statement":[
	 {"Effect":"Allow","Action":"iam:PassRole","Resource":"*"},
	 {"Effect":"Allow","Action":"lambda:CreateFunction","Resource":"arn:aws:lambda:*:111111111111:function:sandbox-*"},
	 {"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:*:111111111111:function:prod-*"},
	 {"Effect":"Allow","Action":["ec2:ModifyInstanceAttribute"],"Resource":"arn:aws:ec2:eu-west-1:111111111111:instance/*"},
	 {"Effect":"Allow","Action":["ec2:StopInstances","ec2:StartInstances"],"Resource":"arn:aws:ec2:us-east-1:111111111111:instance/*"}]}`)
	for _, e := range r.Escalations {
		if e.Method == "passrole-lambda-invoke" || e.Method == "ec2-userdata" {
			var res []string
			for _, s := range e.Steps {
				res = append(res, s.Action+" on "+s.Resource)
			}
			t.Errorf("%s found: %v", e.Method, res)
		}
	}
}

// Nine PassRole patterns: the one for Lambda is still a witness.
func TestManyPatternsKeepTheirWitnesses(t *testing.T) {
	st := ""
	for i := 1; i <= 8; i++ {
		st += fmt.Sprintf(`{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111111111111:role/g%d-*","Condition":{"StringEquals":{"iam:PassedToService":"glue.amazonaws.com"}}},`, i)
	}
	r := lintPolicy(t, `{"Version":"2012-10-17","Statement":[`+st+`
	 {"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111111111111:role/lambda-*","Condition":{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}},
	 {"Effect":"Allow","Action":["lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"}]}`)
	if !slices.Contains(methodsFound(r), "passrole-lambda-invoke") {
		t.Errorf("passrole-lambda-invoke missed: %v", methodsFound(r))
	}
}

// Two users of an export with the same inline policy text: each finding
// cites the user's own copy (one policy of the bundle, two places).
func TestIdenticalInlinePoliciesCiteTheirOwner(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*"}]}`
	user := func(name, id string) string {
		return `{"Path":"/","UserName":"` + name + `","UserId":"` + id + `","Arn":"arn:aws:iam::111111111111:user/` + name + `",
			"CreateDate":"2020-01-01T00:00:00+00:00","GroupList":[],"AttachedManagedPolicies":[],"Tags":[],
			"UserPolicyList":[{"PolicyName":"keys","PolicyDocument":` + doc + `}]}`
	}
	f := filepath.Join(t.TempDir(), "gaad.json")
	writeFiles(t, filepath.Dir(f), map[string]string{"gaad.json": `{"UserDetailList":[` + user("v", "AIDAEXAMPLEV00000001") + `,` + user("w", "AIDAEXAMPLEW00000001") +
		`],"GroupDetailList":[],"RoleDetailList":[],"Policies":[]}`})
	r := Run(Inputs{Build: account.Inputs{AccountDetails: []string{f}}})
	if len(r.Errors) > 0 {
		t.Fatalf("input errors: %v", r.Errors)
	}
	at := map[string]string{}
	for _, fd := range r.Findings {
		if fd.Code == CodePrivilegeEscalation {
			at[fd.Subject.Principal] = fd.Pointer
		}
	}
	if at["arn:aws:iam::111111111111:user/v"] != "/UserDetailList/0/UserPolicyList/0/PolicyDocument/Statement/0/Action" ||
		at["arn:aws:iam::111111111111:user/w"] != "/UserDetailList/1/UserPolicyList/0/PolicyDocument/Statement/0/Action" {
		t.Errorf("findings at %v, want each user's own copy", at)
	}
}
