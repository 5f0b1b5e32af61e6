package account

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/iam2rego/iam2rego/schema"
)

const exampleFolder = "testdata/folder"

func TestReadFolderExample(t *testing.T) {
	e, err := ReadFolder(exampleFolder)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Accounts) != 2 || e.Accounts[0].ID != "111111111111" || e.Accounts[1].ID != "222222222222" {
		t.Fatalf("accounts = %+v", e.Accounts)
	}
	a := e.Accounts[0]
	if len(a.Users) != 2 || len(a.Groups) != 1 || len(a.Roles) != 1 {
		t.Fatalf("account = %+v", a)
	}
	alice := a.Users[0]
	want := &User{ARN: "arn:aws:iam::111111111111:user/developers/alice", Name: "alice", Path: "/developers/", ID: "AIDAEXAMPLEALICE001",
		Groups: []string{"Developers"}, Tags: map[string]string{"team": "ml"},
		Inline: []NamedDocument{{Name: "home-folder", Document: Document{File: filepath.Join(exampleFolder, "policies", "home-folder.json"),
			Value: decodeFile(t, filepath.Join(exampleFolder, "policies", "home-folder.json"))}}}}
	if !reflect.DeepEqual(alice, want) {
		t.Errorf("alice = %+v\nwant %+v", alice, want)
	}
	if bob := a.Users[1]; bob.ARN != "arn:aws:iam::111111111111:user/bob" || bob.Path != "/" || bob.Boundary != "arn:aws:iam::111111111111:policy/boundaries/genai-boundary" {
		t.Errorf("bob = %+v", bob)
	}
	role := a.Roles[0]
	if role.ARN != "arn:aws:iam::111111111111:role/service-role/genai-invoke-role" || role.Trust == nil ||
		role.Trust.File != filepath.Join(exampleFolder, "trust", "lambda.json") || role.Trust.Pointer != "" {
		t.Errorf("role = %+v", role)
	}
	// Customer managed policies, plus the AWS managed ones the accounts use
	// (from the snapshot).
	for arn, name := range map[string]string{
		"arn:aws:iam::111111111111:policy/boundaries/genai-boundary":       "genai-boundary",
		"arn:aws:iam::111111111111:policy/bedrock-invoke":                  "bedrock-invoke",
		"arn:aws:iam::aws:policy/ReadOnlyAccess":                           "ReadOnlyAccess",
		"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole": "AWSLambdaBasicExecutionRole",
		"arn:aws:iam::aws:policy/SecurityAudit":                            "SecurityAudit",
	} {
		mp := e.Managed[arn]
		if mp == nil || mp.Name != name || mp.Document.Value == nil {
			t.Errorf("%s: %+v", arn, mp)
		}
	}
	if len(e.Managed) != 5 {
		t.Errorf("%d managed policies", len(e.Managed))
	}
	if mp := e.Managed["arn:aws:iam::111111111111:policy/boundaries/genai-boundary"]; mp.Path != "/boundaries/" {
		t.Errorf("path %q", mp.Path)
	}
	// The account-details file, organization and resources named by the
	// manifest.
	audit := e.Accounts[1].Roles[0]
	if audit.Trust == nil || audit.Trust.File != filepath.Join(exampleFolder, "exports", "audit-account.json") || audit.Trust.Pointer != "/RoleDetailList/0/AssumeRolePolicyDocument" {
		t.Errorf("audit role = %+v", audit)
	}
	if e.Organization == nil || e.Organization.ID != "o-genai12345" || len(e.Organization.Root.Units[0].Accounts) != 2 {
		t.Errorf("organization = %+v", e.Organization)
	}
	if len(e.Resources) != 2 || e.Resources[0].ARN != "arn:aws:lambda:us-east-1:111111111111:function:weather-tool" || e.Resources[1].ARN != "arn:aws:s3:::genai-kb-docs" {
		t.Errorf("resources = %+v", e.Resources)
	}
}

// stripLocations returns a copy of e without document files and pointers,
// for comparing exports read from different layouts.
func stripLocations(e *Export) *Export {
	strip := func(l []NamedDocument) []NamedDocument {
		var out []NamedDocument
		for _, d := range l {
			out = append(out, NamedDocument{Name: d.Name, Document: Document{Value: d.Document.Value}})
		}
		return out
	}
	out := &Export{Managed: map[string]*ManagedPolicy{}, Organization: e.Organization}
	for _, a := range e.Accounts {
		na := &Account{ID: a.ID}
		for _, u := range a.Users {
			c := *u
			c.Inline = strip(u.Inline)
			na.Users = append(na.Users, &c)
		}
		for _, g := range a.Groups {
			c := *g
			c.Inline = strip(g.Inline)
			na.Groups = append(na.Groups, &c)
		}
		for _, r := range a.Roles {
			c := *r
			c.Inline = strip(r.Inline)
			if r.Trust != nil {
				c.Trust = &Document{Value: r.Trust.Value}
			}
			na.Roles = append(na.Roles, &c)
		}
		out.Accounts = append(out.Accounts, na)
	}
	for arn, mp := range e.Managed {
		c := *mp
		c.Document = Document{Value: mp.Document.Value}
		out.Managed[arn] = &c
	}
	for _, r := range e.Resources {
		c := *r
		if r.Policy != nil {
			c.Policy = &Document{Value: r.Policy.Value}
		}
		out.Resources = append(out.Resources, &c)
	}
	return out
}

// TestFolderRoundTrip reads the same accounts from the folder and from
// account-details files (testdata/folder-as-gaad.json is the folder's
// account 111111111111 as get-account-authorization-details would print
// it) and requires the same model.
func TestFolderRoundTrip(t *testing.T) {
	fromFolder, err := ReadFolder(exampleFolder)
	if err != nil {
		t.Fatal(err)
	}
	fromGAAD, err := Load(Inputs{
		AccountDetails: []string{"testdata/folder-as-gaad.json", filepath.Join(exampleFolder, "exports", "audit-account.json")},
		Org:            filepath.Join(exampleFolder, "org.json"),
		Resources:      []string{filepath.Join(exampleFolder, "resources")},
	})
	if err != nil {
		t.Fatal(err)
	}
	a, b := stripLocations(fromFolder), stripLocations(fromGAAD)
	// Org documents carry their pointers in either case; compare the rest.
	b.Organization = a.Organization
	if !reflect.DeepEqual(a, b) {
		for i := range a.Accounts {
			if !reflect.DeepEqual(a.Accounts[i], b.Accounts[i]) {
				t.Errorf("account %s differs:\nfolder %s\ngaad   %s", a.Accounts[i].ID, canon(t, a.Accounts[i]), canon(t, b.Accounts[i]))
			}
		}
		if !reflect.DeepEqual(a.Managed, b.Managed) {
			t.Errorf("managed policies differ: %d vs %d", len(a.Managed), len(b.Managed))
		}
		if !reflect.DeepEqual(a.Resources, b.Resources) {
			t.Error("resources differ")
		}
	}
}

func TestReadFolderRejects(t *testing.T) {
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	outside := writeFiles(t, map[string]string{"secret.json": policy})
	dir := writeFiles(t, map[string]string{
		"iam2rego.json": `{
  "accounts": [
    {"id": "111111111111",
     "policies": [{"name": "p", "file": "p.json"}, {"name": "P", "file": "p.json"}, {"name": "broken", "file": "broken.json"}],
     "groups": [{"name": "devs", "inline": {"a": "../secret.json", "b": "/etc/passwd", "c": "missing.json", "d": "link.json", "bad name": "p.json"}}],
     "users": [
       {"name": "alice", "groups": ["devs", "ops", "devs"], "managed": [
         "arn:aws:iam::111111111111:policy/p",
         "arn:aws:iam::111111111111:policy/nope",
         "arn:aws:iam::222222222222:policy/p",
         "arn:aws:iam::aws:policy/NoSuchPolicyEver",
         "arn:aws:iam::aws:policy/ReadOnlyAccess",
         "arn:aws:iam::aws:policy/ReadOnlyAccess"]},
       {"name": "Alice"}],
     "roles": [{"name": "r", "trust": "dup.json", "boundary": "arn:aws:iam::111111111111:policy/broken"}]},
    {"id": "111111111111"},
    {"id": "222222222222", "users": [{"name": "x y"}], "extra": 1}
  ],
  "accountDetails": ["gaad.json"],
  "org": "nothing.json",
  "resources": "../res"
}`,
		"p.json":      policy,
		"broken.json": `{"Statement": [`,
		"dup.json":    `{"Statement": [], "Statement": []}`,
		"gaad.json":   `{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::222222222222:role/r"}]}`,
	})
	if err := os.Symlink(filepath.Join(outside, "secret.json"), filepath.Join(dir, "link.json")); err != nil {
		t.Fatal(err)
	}
	manifest := filepath.Join(dir, ManifestName)
	_, err := ReadFolder(dir)
	wantFileDiags(t, err,
		fdiag{manifest, schema.CodeDuplicateDefinition, "/accounts/0/policies/1/name"},
		fdiag{filepath.Join(dir, "broken.json"), schema.CodeJSONSyntax, ""},
		fdiag{manifest, schema.CodeInvalidPath, "/accounts/0/groups/0/inline/a"},
		fdiag{manifest, schema.CodeInvalidPath, "/accounts/0/groups/0/inline/b"},
		fdiag{manifest, schema.CodeInvalidPath, "/accounts/0/groups/0/inline/c"},
		fdiag{manifest, schema.CodeInvalidPath, "/accounts/0/groups/0/inline/d"},
		fdiag{manifest, schema.CodeSchemaPattern, "/accounts/0/groups/0/inline/bad name"},
		fdiag{manifest, schema.CodeUnknownReference, "/accounts/0/users/0/groups/1"},
		fdiag{manifest, schema.CodeDuplicateDefinition, "/accounts/0/users/0/groups/2"},
		fdiag{manifest, schema.CodeUnknownReference, "/accounts/0/users/0/managed/1"},
		fdiag{manifest, schema.CodeUnknownReference, "/accounts/0/users/0/managed/2"},
		fdiag{manifest, schema.CodeUnknownReference, "/accounts/0/users/0/managed/3"},
		fdiag{manifest, schema.CodeDuplicateDefinition, "/accounts/0/users/0/managed/5"},
		fdiag{manifest, schema.CodeDuplicateDefinition, "/accounts/0/users/1/name"},
		fdiag{filepath.Join(dir, "dup.json"), schema.CodeDuplicateKey, "/Statement"},
		fdiag{manifest, schema.CodeDuplicateDefinition, "/accounts/1/id"},
		fdiag{manifest, schema.CodeSchemaPattern, "/accounts/2/users/0/name"},
		fdiag{manifest, schema.CodeSchemaUnknown, "/accounts/2/extra"},
		fdiag{filepath.Join(dir, "gaad.json"), schema.CodeDuplicateDefinition, ""},
		fdiag{manifest, schema.CodeInvalidPath, "/org"},
		fdiag{manifest, schema.CodeInvalidPath, "/resources"},
	)
}

func TestReadFolderMissing(t *testing.T) {
	dir := t.TempDir()
	_, err := ReadFolder(dir)
	wantDiags(t, err, filepath.Join(dir, ManifestName), diag{schema.CodeJSONSyntax, ""})
	missing := filepath.Join(dir, "nope")
	_, err = ReadFolder(missing)
	wantDiags(t, err, filepath.Join(missing, ManifestName), diag{schema.CodeJSONSyntax, ""})
	bad := writeFiles(t, map[string]string{ManifestName: `{"accounts": {}}`})
	_, err = ReadFolder(bad)
	wantDiags(t, err, filepath.Join(bad, ManifestName), diag{schema.CodeSchemaType, "/accounts"})
}

// TestFolderPartition: an account's partition names its entities and
// customer managed policies; an unknown partition is refused.
func TestFolderPartition(t *testing.T) {
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	dir := writeFiles(t, map[string]string{
		"iam2rego.json": `{"accounts": [{"id": "111111111111", "partition": "aws-cn",
  "policies": [{"name": "read", "file": "p.json"}],
  "groups": [{"name": "devs"}],
  "users": [{"name": "alice", "groups": ["devs"], "managed": ["arn:aws-cn:iam::111111111111:policy/read"]}],
  "roles": [{"name": "app", "path": "/svc/"}]}]}`,
		"p.json": policy,
	})
	exp, err := ReadFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	a := exp.Accounts[0]
	for got, want := range map[string]string{
		a.Users[0].ARN:  "arn:aws-cn:iam::111111111111:user/alice",
		a.Groups[0].ARN: "arn:aws-cn:iam::111111111111:group/devs",
		a.Roles[0].ARN:  "arn:aws-cn:iam::111111111111:role/svc/app",
	} {
		if got != want {
			t.Errorf("ARN %q, want %q", got, want)
		}
	}
	if _, err := exp.ResolveManaged("arn:aws-cn:iam::111111111111:policy/read"); err != nil {
		t.Errorf("the customer managed policy is not in the aws-cn partition: %v", err)
	}
	bad := writeFiles(t, map[string]string{"iam2rego.json": `{"accounts": [{"id": "111111111111", "partition": "aws-moon"}]}`})
	_, err = ReadFolder(bad)
	wantFileDiags(t, err, fdiag{filepath.Join(bad, ManifestName), schema.CodeSchemaEnum, "/accounts/0/partition"})
}
