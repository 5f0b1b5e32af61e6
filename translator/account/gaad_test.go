package account

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	arnpkg "github.com/iam2rego/iam2rego/arn"

	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator/managed"
)

// Counts of gaad-small.json, from the corpus README (checked against the
// file itself).
const (
	smallAccount  = "391417776317"
	smallUsers    = 20
	smallGroups   = 3
	smallRoles    = 30
	smallPolicies = 34
)

func TestReadGAADCorpus(t *testing.T) {
	path := corpusFile(t, "gaad-small.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a, mp, err := ReadGAAD("gaad-small.json", data)
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != smallAccount || len(a.Users) != smallUsers || len(a.Groups) != smallGroups || len(a.Roles) != smallRoles || len(mp) != smallPolicies {
		t.Fatalf("account %s: %d users, %d groups, %d roles, %d policies; want %s, %d, %d, %d, %d",
			a.ID, len(a.Users), len(a.Groups), len(a.Roles), len(mp), smallAccount, smallUsers, smallGroups, smallRoles, smallPolicies)
	}
	raw := decodeFile(t, path)

	// Every document pointer is a real JSON pointer into the file, and the
	// value there is the document.
	docs := documents(a)
	for _, p := range mp {
		docs[p.ARN] = p.Document
	}
	inline := 0
	for what, d := range docs {
		if d.File != "gaad-small.json" {
			t.Errorf("%s: file %q", what, d.File)
		}
		v, ok := resolvePointer(raw, d.Pointer)
		if !ok || canon(t, v) != canon(t, d.Value) {
			t.Errorf("%s: pointer %q does not lead to the document", what, d.Pointer)
		}
		if strings.Contains(d.Pointer, "PolicyList/") {
			inline++
		}
	}
	if inline == 0 {
		t.Error("no inline policies read")
	}
	// Each user's entries match the file, in file order.
	users, _ := resolvePointer(raw, "/UserDetailList")
	for i, u := range a.Users {
		um := users.([]any)[i].(map[string]any)
		if u.ARN != um["Arn"] || u.Name != um["UserName"] || u.ID != um["UserId"] || u.Path != um["Path"] {
			t.Errorf("user %d = %+v", i, u)
		}
		for j, d := range u.Inline {
			if want := fmt.Sprintf("/UserDetailList/%d/UserPolicyList/%d/PolicyDocument", i, j); d.Document.Pointer != want {
				t.Errorf("user %s inline %d pointer %q, want %q", u.Name, j, d.Document.Pointer, want)
			}
		}
		if tags, _ := um["Tags"].([]any); len(tags) != len(u.Tags) {
			t.Errorf("user %s: %d tags, want %d", u.Name, len(u.Tags), len(tags))
		}
		if len(u.Groups) != len(um["GroupList"].([]any)) {
			t.Errorf("user %s: groups %v", u.Name, u.Groups)
		}
	}
	// Boundaries: 2 users and 4 roles have one.
	nb := 0
	for _, u := range a.Users {
		if u.Boundary != "" {
			nb++
		}
	}
	for _, r := range a.Roles {
		if r.Boundary != "" {
			nb++
		}
		if r.Trust == nil {
			t.Errorf("role %s has no trust policy", r.Name)
		}
	}
	if nb != 6 {
		t.Errorf("%d boundaries, want 6", nb)
	}
	// The one policy with two versions yields its default version.
	for i, p := range raw.(map[string]any)["Policies"].([]any) {
		pm := p.(map[string]any)
		for j, v := range pm["PolicyVersionList"].([]any) {
			isDefault := v.(map[string]any)["IsDefaultVersion"] == true
			want := fmt.Sprintf("/Policies/%d/PolicyVersionList/%d/Document", i, j)
			if got := mp[pm["Arn"].(string)].Document.Pointer; isDefault != (got == want) {
				t.Errorf("%s: document pointer %q (version %d default %v)", pm["Arn"], got, j, isDefault)
			}
		}
	}
}

// TestGAADManagedReferencesResolve checks that every managed policy ARN
// gaad-small.json references resolves, from the export or from the
// snapshot, and that the AWS managed documents it exports equal the
// snapshot's.
func TestGAADManagedReferencesResolve(t *testing.T) {
	path := corpusFile(t, "gaad-small.json")
	e, err := Load(Inputs{AccountDetails: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	refs := referencedPolicies(e)
	if len(refs) == 0 {
		t.Fatal("no references")
	}
	aws := 0
	for _, arn := range refs {
		mp, err := e.ResolveManaged(arn)
		if err != nil {
			t.Errorf("%s: %v", arn, err)
			continue
		}
		if mp.ARN != arn || mp.Document.Value == nil || mp.Name == "" || mp.Path == "" {
			t.Errorf("%s: %+v", arn, mp)
		}
		if arnpkg.Account(arn) == "aws" {
			aws++
			doc, name, ok := managed.Lookup(arn)
			if !ok || name != mp.Name {
				t.Errorf("%s is not in the snapshot", arn)
			} else if canon(t, doc) != canon(t, mp.Document.Value) {
				t.Errorf("%s: exported document differs from the snapshot", arn)
			}
		}
	}
	if aws < 20 {
		t.Errorf("only %d AWS managed references", aws)
	}
}

const (
	testAcct = "111111111111"
	allowDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
)

func gaadJSON(users, groups, roles, policies string) string {
	return `{"UserDetailList":[` + users + `],"GroupDetailList":[` + groups + `],"RoleDetailList":[` + roles + `],"Policies":[` + policies + `]}`
}

func userJSON(name, extra string) string {
	return `{"Path":"/","UserName":"` + name + `","UserId":"AIDA` + strings.ToUpper(name) + `","Arn":"arn:aws:iam::` + testAcct + `:user/` + name + `"` + extra + `}`
}

func groupJSON(name, extra string) string {
	return `{"Path":"/","GroupName":"` + name + `","GroupId":"AGPA1","Arn":"arn:aws:iam::` + testAcct + `:group/` + name + `"` + extra + `}`
}

func roleJSON(name, extra string) string {
	return `{"Path":"/","RoleName":"` + name + `","RoleId":"AROA1","Arn":"arn:aws:iam::` + testAcct + `:role/` + name + `"` + extra + `}`
}

func policyJSON(name, extra, versions string) string {
	return `{"PolicyName":"` + name + `","Arn":"arn:aws:iam::` + testAcct + `:policy/` + name + `","Path":"/"` + extra + `,"PolicyVersionList":[` + versions + `]}`
}

// encodeStrict percent-encodes every byte but RFC 3986 unreserved ones,
// as the IAM API does.
func encodeStrict(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

func TestReadGAADAccepts(t *testing.T) {
	spaced := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::a+b/*\"}]\n}"
	tests := []struct {
		name  string
		in    string
		check func(t *testing.T, a *Account, mp map[string]*ManagedPolicy)
	}{
		{"boundary type Policy (CLI)",
			gaadJSON(userJSON("alice", `,"PermissionsBoundary":{"PermissionsBoundaryType":"Policy","PermissionsBoundaryArn":"arn:aws:iam::aws:policy/PowerUserAccess"}`), "", "", ""),
			func(t *testing.T, a *Account, _ map[string]*ManagedPolicy) {
				if a.Users[0].Boundary != "arn:aws:iam::aws:policy/PowerUserAccess" {
					t.Errorf("boundary %q", a.Users[0].Boundary)
				}
			}},
		{"boundary type PermissionsBoundaryPolicy (API)",
			gaadJSON("", "", roleJSON("r", `,"PermissionsBoundary":{"PermissionsBoundaryType":"PermissionsBoundaryPolicy","PermissionsBoundaryArn":"arn:aws:iam::111111111111:policy/b"}`),
				policyJSON("b", "", `{"Document":`+allowDoc+`,"VersionId":"v1","IsDefaultVersion":true}`)),
			func(t *testing.T, a *Account, _ map[string]*ManagedPolicy) {
				if a.Roles[0].Boundary != "arn:aws:iam::111111111111:policy/b" {
					t.Errorf("boundary %q", a.Roles[0].Boundary)
				}
			}},
		{"boundary without type, and null boundary",
			gaadJSON(userJSON("a", `,"PermissionsBoundary":{"PermissionsBoundaryArn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}`)+","+userJSON("b", `,"PermissionsBoundary":null`), "", "", ""),
			func(t *testing.T, a *Account, _ map[string]*ManagedPolicy) {
				if a.Users[0].Boundary == "" || a.Users[1].Boundary != "" {
					t.Errorf("boundaries %q %q", a.Users[0].Boundary, a.Users[1].Boundary)
				}
			}},
		{"timestamp forms",
			gaadJSON(
				userJSON("a", `,"CreateDate":"2021-03-04T05:06:07+00:00"`)+","+
					userJSON("b", `,"CreateDate":"2021-03-04T05:06:07.000Z"`)+","+
					userJSON("c", `,"CreateDate":1614834367`)+","+
					userJSON("d", `,"CreateDate":1614834367.25`)+","+
					userJSON("e", `,"CreateDate":"2021-03-04 05:06:07+00:00"`)+","+
					userJSON("f", `,"CreateDate":"2021-03-04T05:06:07.123456789Z"`),
				"", roleJSON("r", `,"CreateDate":"2021-03-04T05:06:07-0700","RoleLastUsed":{"LastUsedDate":1614834367}`),
				policyJSON("p", `,"CreateDate":1614834367,"UpdateDate":"2021-03-04T05:06:07Z"`, `{"Document":`+allowDoc+`,"IsDefaultVersion":true,"CreateDate":"2021-03-04T05:06:07.000Z"}`)),
			func(t *testing.T, a *Account, _ map[string]*ManagedPolicy) {
				if len(a.Users) != 6 {
					t.Errorf("%d users", len(a.Users))
				}
			}},
		{"URL-encoded documents (API output)",
			gaadJSON(userJSON("a", `,"UserPolicyList":[{"PolicyName":"p","PolicyDocument":`+quote(encodeStrict(spaced))+`}]`), "",
				roleJSON("r", `,"AssumeRolePolicyDocument":`+quote(encodeStrict(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`))),
				policyJSON("p", "", `{"Document":`+quote(encodeStrict(allowDoc))+`,"IsDefaultVersion":true}`)),
			func(t *testing.T, a *Account, mp map[string]*ManagedPolicy) {
				d := a.Users[0].Inline[0].Document
				if d.Pointer != "/UserDetailList/0/UserPolicyList/0/PolicyDocument" {
					t.Errorf("pointer %q", d.Pointer)
				}
				// "+" is not a space in RFC 3986 percent-encoding.
				if got := canon(t, d.Value); !strings.Contains(got, `arn:aws:s3:::a+b/*`) {
					t.Errorf("document %s", got)
				}
				if a.Roles[0].Trust == nil || a.Roles[0].Trust.Value.(map[string]any)["Version"] != "2012-10-17" {
					t.Errorf("trust %+v", a.Roles[0].Trust)
				}
				if canon(t, mp["arn:aws:iam::111111111111:policy/p"].Document.Value) != canon(t, mustDecode(t, allowDoc)) {
					t.Error("managed document differs")
				}
			}},
		{"documents as plain JSON strings",
			gaadJSON(userJSON("a", `,"UserPolicyList":[{"PolicyName":"p","PolicyDocument":`+quote("  "+allowDoc)+`}]`), "", "", ""),
			func(t *testing.T, a *Account, _ map[string]*ManagedPolicy) {
				if canon(t, a.Users[0].Inline[0].Document.Value) != canon(t, mustDecode(t, allowDoc)) {
					t.Error("document differs")
				}
			}},
		{"numbers stay json.Number",
			gaadJSON(userJSON("a", `,"UserPolicyList":[{"PolicyName":"p","PolicyDocument":{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":10.50}}}}}]`), "", "", ""),
			func(t *testing.T, a *Account, _ map[string]*ManagedPolicy) {
				if got := canon(t, a.Users[0].Inline[0].Document.Value); !strings.Contains(got, `10.50`) {
					t.Errorf("number lost its text: %s", got)
				}
			}},
		{"SDK nulls and unknown members",
			`{"UserDetailList":[` + userJSON("a", `,"UserPolicyList":null,"GroupList":null,"AttachedManagedPolicies":null,"Tags":null,"PermissionsBoundary":null,"NewField":{"x":1}`) +
				`],"GroupDetailList":null,"RoleDetailList":[` + roleJSON("r", `,"AssumeRolePolicyDocument":null,"RoleLastUsed":null,"InstanceProfileList":[{"Roles":[{"AssumeRolePolicyDocument":"%7B"}]}],"MaxSessionDuration":3600`) +
				`],"Policies":null,"IsTruncated":false,"Marker":null,"ResultMetadata":{}}`,
			func(t *testing.T, a *Account, _ map[string]*ManagedPolicy) {
				if len(a.Users) != 1 || len(a.Roles) != 1 || a.Roles[0].Trust != nil || a.Users[0].Tags != nil {
					t.Errorf("%+v", a)
				}
			}},
		{"names and paths that agree with the Arn",
			gaadJSON(`{"UserName":"alice","Path":"/eng/ml/","Arn":"arn:aws:iam::111111111111:user/eng/ml/alice"}`, "",
				`{"RoleName":"AWSServiceRoleForSSO","Path":"/aws-service-role/sso.amazonaws.com/","Arn":"arn:aws:iam::111111111111:role/aws-service-role/sso.amazonaws.com/AWSServiceRoleForSSO"}`,
				`{"PolicyName":"AWSLambdaBasicExecutionRole","Path":"/service-role/","Arn":"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole","PolicyVersionList":[{"Document":`+allowDoc+`,"IsDefaultVersion":true}]}`),
			func(t *testing.T, a *Account, mp map[string]*ManagedPolicy) {
				if len(a.Users) != 1 || len(a.Roles) != 1 || len(mp) != 1 {
					t.Errorf("read %d users, %d roles, %d managed policies", len(a.Users), len(a.Roles), len(mp))
				}
			}},
		{"path from the ARN when Path is absent",
			gaadJSON(`{"UserName":"a","Arn":"arn:aws:iam::111111111111:user/x/y/a"}`, "", "", ""),
			func(t *testing.T, a *Account, _ map[string]*ManagedPolicy) {
				if a.Users[0].Path != "/x/y/" || a.Users[0].ID != "" {
					t.Errorf("path %q", a.Users[0].Path)
				}
			}},
		{"default version: IsDefaultVersion picks among several",
			gaadJSON("", "", "", policyJSON("p", `,"DefaultVersionId":"v3"`,
				`{"Document":{"Statement":[]},"VersionId":"v1","IsDefaultVersion":false},{"Document":`+allowDoc+`,"VersionId":"v3","IsDefaultVersion":true},{"Document":{"Statement":[]},"VersionId":"v2","IsDefaultVersion":false}`)),
			func(t *testing.T, _ *Account, mp map[string]*ManagedPolicy) {
				if got := mp["arn:aws:iam::111111111111:policy/p"].Document.Pointer; got != "/Policies/0/PolicyVersionList/1/Document" {
					t.Errorf("pointer %q", got)
				}
			}},
		{"default version: DefaultVersionId when IsDefaultVersion is absent",
			gaadJSON("", "", "", policyJSON("p", `,"DefaultVersionId":"v2"`,
				`{"Document":{"Statement":[]},"VersionId":"v1"},{"Document":`+allowDoc+`,"VersionId":"v2"}`)),
			func(t *testing.T, _ *Account, mp map[string]*ManagedPolicy) {
				if got := mp["arn:aws:iam::111111111111:policy/p"].Document.Pointer; got != "/Policies/0/PolicyVersionList/1/Document" {
					t.Errorf("pointer %q", got)
				}
			}},
		{"entities, groups, attachments and tags",
			gaadJSON(
				userJSON("alice", `,"GroupList":["devs"],"AttachedManagedPolicies":[{"PolicyName":"p","PolicyArn":"arn:aws:iam::111111111111:policy/p"},{"PolicyArn":"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}],"Tags":[{"Key":"team","Value":"ml"},{"Key":"Team","Value":"x"}]`),
				groupJSON("devs", `,"GroupPolicyList":[{"PolicyName":"g1","PolicyDocument":`+allowDoc+`}],"AttachedManagedPolicies":[{"PolicyArn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}]`),
				roleJSON("app", `,"AssumeRolePolicyDocument":`+allowDoc+`,"RolePolicyList":[{"PolicyName":"r1","PolicyDocument":`+allowDoc+`},{"PolicyName":"r2","PolicyDocument":`+allowDoc+`}],"Tags":[{"Key":"app","Value":"x"}]`),
				policyJSON("p", "", `{"Document":`+allowDoc+`,"IsDefaultVersion":true}`)),
			func(t *testing.T, a *Account, mp map[string]*ManagedPolicy) {
				u := a.Users[0]
				want := &User{ARN: "arn:aws:iam::111111111111:user/alice", Name: "alice", Path: "/", ID: "AIDAALICE",
					Managed: []string{"arn:aws:iam::111111111111:policy/p", "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"},
					Groups:  []string{"devs"}, Tags: map[string]string{"team": "ml", "Team": "x"}}
				if !reflect.DeepEqual(u, want) {
					t.Errorf("user = %+v", u)
				}
				g := a.Groups[0]
				if g.Inline[0].Name != "g1" || g.Inline[0].Document.Pointer != "/GroupDetailList/0/GroupPolicyList/0/PolicyDocument" || g.Managed[0] != "arn:aws:iam::aws:policy/ReadOnlyAccess" {
					t.Errorf("group = %+v", g)
				}
				r := a.Roles[0]
				if len(r.Inline) != 2 || r.Inline[1].Document.Pointer != "/RoleDetailList/0/RolePolicyList/1/PolicyDocument" ||
					r.Trust.Pointer != "/RoleDetailList/0/AssumeRolePolicyDocument" || r.Tags["app"] != "x" {
					t.Errorf("role = %+v", r)
				}
				p := mp["arn:aws:iam::111111111111:policy/p"]
				if p.Name != "p" || p.Path != "/" || len(mp) != 1 {
					t.Errorf("policies = %+v", mp)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, mp, err := ReadGAAD("g.json", []byte(tt.in))
			if err != nil {
				t.Fatalf("rejected:\n%v", err)
			}
			if a.ID != testAcct {
				t.Errorf("account %q", a.ID)
			}
			tt.check(t, a, mp)
		})
	}
}

func mustDecode(t *testing.T, s string) any {
	t.Helper()
	v, err := schema.Decode("x", []byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestReadGAADRejects(t *testing.T) {
	def := `{"Document":` + allowDoc + `,"IsDefaultVersion":true}`
	tests := []struct {
		name string
		in   string
		want []diag
	}{
		{"not JSON", `{"UserDetailList":[`, []diag{{schema.CodeJSONSyntax, ""}}},
		{"not an object", `[]`, []diag{{schema.CodeSchemaType, ""}}},
		{"no entities", `{"UserDetailList":[],"Policies":[]}`, []diag{{schema.CodeSchemaRequired, ""}}},
		{"truncated export", `{"UserDetailList":[` + userJSON("a", "") + `],"IsTruncated":true,"Marker":"x"}`, []diag{{schema.CodeSchemaEnum, "/IsTruncated"}}},
		{"two accounts in one file",
			gaadJSON(userJSON("a", ""), "", `{"RoleName":"r","Arn":"arn:aws:iam::222222222222:role/r"}`,
				`{"PolicyName":"p","Arn":"arn:aws:iam::333333333333:policy/p","PolicyVersionList":[`+def+`]}`),
			[]diag{{schema.CodeAccountMismatch, "/RoleDetailList/0/Arn"}, {schema.CodeAccountMismatch, "/Policies/0/Arn"}}},
		{"AWS managed policies do not fix the account",
			gaadJSON("", "", `{"RoleName":"r","Arn":"arn:aws:iam::222222222222:role/r"}`,
				`{"PolicyName":"ReadOnlyAccess","Arn":"arn:aws:iam::aws:policy/ReadOnlyAccess","PolicyVersionList":[`+def+`]},`+policyJSON("p", "", def)),
			[]diag{{schema.CodeAccountMismatch, "/Policies/1/Arn"}}},
		{"schema: required members, types, patterns",
			gaadJSON(`{"UserName":"a"},{"Arn":"arn:aws:iam::111111111111:user/b","UserName":5},`+userJSON("c", `,"Tags":[{"Key":"k"}],"GroupList":"g","CreateDate":"yesterday"`), "",
				`{"RoleName":"r","Arn":"arn:aws:iam::111111111111:user/r","AssumeRolePolicyDocument":[]}`,
				`{"PolicyName":"p","Arn":"arn:aws:iam::111111111111:policy/p"}`),
			[]diag{
				{schema.CodeSchemaRequired, "/UserDetailList/0"},
				{schema.CodeSchemaType, "/UserDetailList/1/UserName"},
				{schema.CodeSchemaRequired, "/UserDetailList/2/Tags/0"},
				{schema.CodeSchemaType, "/UserDetailList/2/GroupList"},
				{schema.CodeSchemaPattern, "/UserDetailList/2/CreateDate"},
				{schema.CodeSchemaPattern, "/RoleDetailList/0/Arn"},
				{schema.CodeSchemaType, "/RoleDetailList/0/AssumeRolePolicyDocument"},
				{schema.CodeSchemaRequired, "/Policies/0"},
			}},
		{"unknown boundary type",
			gaadJSON(userJSON("a", `,"PermissionsBoundary":{"PermissionsBoundaryType":"Boundary","PermissionsBoundaryArn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}`), "", "", ""),
			[]diag{{schema.CodeSchemaEnum, "/UserDetailList/0/PermissionsBoundary/PermissionsBoundaryType"}}},
		{"no default version",
			gaadJSON("", "", "", policyJSON("p", "", `{"Document":`+allowDoc+`,"VersionId":"v1","IsDefaultVersion":false}`)),
			[]diag{{schema.CodeDefaultVersion, "/Policies/0/PolicyVersionList"}}},
		{"no versions",
			gaadJSON("", "", "", policyJSON("p", "", "")),
			[]diag{{schema.CodeDefaultVersion, "/Policies/0/PolicyVersionList"}}},
		{"two default versions",
			gaadJSON("", "", "", policyJSON("p", "", def+","+def)),
			[]diag{{schema.CodeDefaultVersion, "/Policies/0/PolicyVersionList"}}},
		{"default version contradicts DefaultVersionId",
			gaadJSON("", "", "", policyJSON("p", `,"DefaultVersionId":"v2"`, `{"Document":`+allowDoc+`,"VersionId":"v1","IsDefaultVersion":true}`)),
			[]diag{{schema.CodeDefaultVersion, "/Policies/0/PolicyVersionList/0/VersionId"}}},
		{"DefaultVersionId naming a version marked not default",
			gaadJSON("", "", "", policyJSON("p", `,"DefaultVersionId":"v1"`, `{"Document":`+allowDoc+`,"VersionId":"v1","IsDefaultVersion":false}`)),
			[]diag{{schema.CodeDefaultVersion, "/Policies/0/PolicyVersionList"}}},
		{"a broken policy is not also an unknown reference",
			gaadJSON(userJSON("a", `,"AttachedManagedPolicies":[{"PolicyArn":"arn:aws:iam::111111111111:policy/p"}]`), "", "", policyJSON("p", "", "")),
			[]diag{{schema.CodeDefaultVersion, "/Policies/0/PolicyVersionList"}}},
		{"unknown group",
			gaadJSON(userJSON("a", `,"GroupList":["devs","ops"]`), groupJSON("devs", ""), "", ""),
			[]diag{{schema.CodeUnknownReference, "/UserDetailList/0/GroupList/1"}}},
		{"unknown customer managed policy and boundary",
			gaadJSON(userJSON("a", `,"AttachedManagedPolicies":[{"PolicyArn":"arn:aws:iam::111111111111:policy/nope"}],"PermissionsBoundary":{"PermissionsBoundaryArn":"arn:aws:iam::111111111111:policy/b"}`), "", "", ""),
			[]diag{{schema.CodeUnknownReference, "/UserDetailList/0/AttachedManagedPolicies/0/PolicyArn"}, {schema.CodeUnknownReference, "/UserDetailList/0/PermissionsBoundary/PermissionsBoundaryArn"}}},
		{"unknown AWS managed policy",
			gaadJSON("", groupJSON("g", `,"AttachedManagedPolicies":[{"PolicyArn":"arn:aws:iam::aws:policy/NoSuchPolicyEver"}]`), "", ""),
			[]diag{{schema.CodeUnknownReference, "/GroupDetailList/0/AttachedManagedPolicies/0/PolicyArn"}}},
		{"AWS managed policy path is part of its ARN",
			gaadJSON("", "", roleJSON("r", `,"AttachedManagedPolicies":[{"PolicyArn":"arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole"}]`), ""),
			[]diag{{schema.CodeUnknownReference, "/RoleDetailList/0/AttachedManagedPolicies/0/PolicyArn"}}},
		{"duplicates",
			gaadJSON(userJSON("a", `,"Tags":[{"Key":"k","Value":"1"},{"Key":"k","Value":"2"}],"AttachedManagedPolicies":[{"PolicyArn":"arn:aws:iam::aws:policy/ReadOnlyAccess"},{"PolicyArn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}]`)+","+
				`{"UserName":"A","Arn":"arn:aws:iam::111111111111:user/A"}`, groupJSON("g", `,"GroupPolicyList":[{"PolicyName":"x","PolicyDocument":{}},{"PolicyName":"x","PolicyDocument":{}}]`), "",
				policyJSON("p", "", def)+","+policyJSON("p", "", def)),
			[]diag{
				{schema.CodeDuplicateDefinition, "/UserDetailList/0/Tags/1/Key"},
				{schema.CodeDuplicateDefinition, "/UserDetailList/0/AttachedManagedPolicies/1/PolicyArn"},
				{schema.CodeDuplicateDefinition, "/UserDetailList/1/UserName"},
				{schema.CodeDuplicateDefinition, "/GroupDetailList/0/GroupPolicyList/1/PolicyName"},
				{schema.CodeDuplicateDefinition, "/Policies/1/Arn"},
			}},
		{"names and paths that disagree with the Arn",
			gaadJSON(`{"UserName":"alice","Path":"/eng/","Arn":"arn:aws:iam::111111111111:user/ops/alice"}`,
				`{"GroupName":"admins","Arn":"arn:aws:iam::111111111111:group/readers"}`,
				`{"RoleName":"Admin","Path":"/","Arn":"arn:aws:iam::111111111111:role/ReadOnly"}`,
				`{"PolicyName":"read","Path":"/","Arn":"arn:aws:iam::111111111111:policy/team/write","PolicyVersionList":[`+def+`]}`),
			[]diag{
				{schema.CodeARNMismatch, "/UserDetailList/0/Path"},
				{schema.CodeARNMismatch, "/GroupDetailList/0/GroupName"},
				{schema.CodeARNMismatch, "/RoleDetailList/0/RoleName"},
				{schema.CodeARNMismatch, "/Policies/0/PolicyName"},
				{schema.CodeARNMismatch, "/Policies/0/Path"},
			}},
		{"one unique id on two entries",
			gaadJSON(`{"UserName":"a","UserId":"AROA1","Arn":"arn:aws:iam::111111111111:user/a"}`,
				`{"GroupName":"g","GroupId":"AGPA2","Arn":"arn:aws:iam::111111111111:group/g"}`, roleJSON("r", ""),
				`{"PolicyName":"p","PolicyId":"AGPA2","Arn":"arn:aws:iam::111111111111:policy/p","PolicyVersionList":[`+def+`]}`),
			[]diag{
				{schema.CodeDuplicateDefinition, "/RoleDetailList/0/RoleId"},
				{schema.CodeDuplicateDefinition, "/Policies/0/PolicyId"},
			}},
		{"bad URL encoding",
			gaadJSON(userJSON("a", `,"UserPolicyList":[{"PolicyName":"p","PolicyDocument":"%7B%ZZ"}]`), "", "", ""),
			[]diag{{schema.CodeJSONSyntax, "/UserDetailList/0/UserPolicyList/0/PolicyDocument"}}},
		{"URL-encoded text that is not JSON",
			gaadJSON("", "", roleJSON("r", `,"AssumeRolePolicyDocument":"%7B%22Version%22"`), ""),
			[]diag{{schema.CodeJSONSyntax, "/RoleDetailList/0/AssumeRolePolicyDocument"}}},
		{"duplicate member inside an encoded document",
			gaadJSON("", "", "", policyJSON("p", "", `{"Document":`+quote(encodeStrict(`{"Statement":[],"Statement":[]}`))+`,"IsDefaultVersion":true}`)),
			[]diag{{schema.CodeDuplicateKey, "/Policies/0/PolicyVersionList/0/Document"}}},
		{"duplicate member in the file",
			gaadJSON(userJSON("a", `,"UserName":"b"`), "", "", ""),
			[]diag{{schema.CodeDuplicateKey, "/UserDetailList/0/UserName"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, mp, err := ReadGAAD("g.json", []byte(tt.in))
			if err == nil {
				t.Fatalf("accepted: %+v", a)
			}
			if a != nil || mp != nil {
				t.Error("results returned with an error")
			}
			wantDiags(t, err, "g.json", tt.want...)
		})
	}
}
