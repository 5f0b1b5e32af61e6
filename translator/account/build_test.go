package account

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/iam2rego/iam2rego/schema"
)

func TestLoadMergesAccounts(t *testing.T) {
	roa := `{"PolicyName":"ReadOnlyAccess","Arn":"arn:aws:iam::aws:policy/ReadOnlyAccess","Path":"/","PolicyVersionList":[{"Document":` + allowDoc + `,"IsDefaultVersion":true}]}`
	other := strings.ReplaceAll(gaadJSON(userJSON("bob", `,"AttachedManagedPolicies":[{"PolicyArn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}]`), "", "", roa), testAcct, "222222222222")
	dir := writeFiles(t, map[string]string{
		"b.json": other,
		"a.json": gaadJSON(userJSON("alice", `,"AttachedManagedPolicies":[{"PolicyArn":"arn:aws:iam::aws:policy/ReadOnlyAccess"},{"PolicyArn":"arn:aws:iam::aws:policy/SecurityAudit"}]`), "", "", roa),
	})
	e, err := Load(Inputs{AccountDetails: []string{filepath.Join(dir, "b.json"), filepath.Join(dir, "a.json")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Accounts) != 2 || e.Accounts[0].ID != testAcct || e.Accounts[1].ID != "222222222222" {
		t.Fatalf("accounts not sorted: %+v", e.Accounts)
	}
	// The exported (here: edited) ReadOnlyAccess wins over the snapshot;
	// SecurityAudit comes from the snapshot.
	ro := e.Managed["arn:aws:iam::aws:policy/ReadOnlyAccess"]
	if ro == nil || canon(t, ro.Document.Value) != canon(t, mustDecode(t, allowDoc)) || ro.Document.File != filepath.Join(dir, "b.json") {
		t.Errorf("ReadOnlyAccess = %+v", ro)
	}
	sa := e.Managed["arn:aws:iam::aws:policy/SecurityAudit"]
	if sa == nil || sa.Document.File != "arn:aws:iam::aws:policy/SecurityAudit" || sa.Name != "SecurityAudit" || sa.Path != "/" {
		t.Errorf("SecurityAudit = %+v", sa)
	}
	if len(e.Managed) != 2 || e.Organization != nil || e.Resources != nil {
		t.Errorf("export = %+v", e)
	}
}

func TestLoadRejects(t *testing.T) {
	roa := func(doc string) string {
		return `{"PolicyName":"ReadOnlyAccess","Arn":"arn:aws:iam::aws:policy/ReadOnlyAccess","PolicyVersionList":[{"Document":` + doc + `,"IsDefaultVersion":true}]}`
	}
	org := orgJSON(`{"id":"r-abcd","accounts":[` + mgmt + `]}`)
	dir := writeFiles(t, map[string]string{
		"a.json":     gaadJSON(userJSON("alice", ""), "", "", roa(allowDoc)),
		"a2.json":    gaadJSON(userJSON("bob", ""), "", "", ""),
		"b.json":     strings.ReplaceAll(gaadJSON(userJSON("carol", ""), "", "", roa(denyDoc)), testAcct, "222222222222"),
		"bad.json":   gaadJSON(userJSON("dave", `,"GroupList":["x"]`), "", "", ""),
		"org.json":   org,
		"org2.json":  org,
		"res/r.json": `{"resources":[{"arn":"arn:aws:s3:::b","account":"111111111111"}]}`,
		"r2.json":    `{"resources":[{"arn":"arn:aws:s3:::b","account":"111111111111","policy":` + bucketPolicy + `}]}`,
	})
	f := func(name string) string { return filepath.Join(dir, filepath.FromSlash(name)) }
	_, err := Load(Inputs{
		AccountDetails: []string{f("a.json"), f("a2.json"), f("b.json"), f("bad.json"), f("missing.json")},
		Org:            f("org.json"),
		Resources:      []string{f("res"), f("r2.json"), f("nope")},
	})
	wantFileDiags(t, err,
		fdiag{f("a2.json"), schema.CodeDuplicateDefinition, ""},
		fdiag{f("b.json"), schema.CodeDuplicateDefinition, "/Policies/0/PolicyVersionList/0/Document"},
		fdiag{f("bad.json"), schema.CodeUnknownReference, "/UserDetailList/0/GroupList/0"},
		fdiag{f("missing.json"), schema.CodeJSONSyntax, ""},
		fdiag{f("r2.json"), schema.CodeDuplicateResource, "/resources/0/arn"},
		fdiag{f("nope"), schema.CodeJSONSyntax, ""},
	)

	b := NewBuilder()
	b.AddOrganizationFile(f("org.json"))
	b.AddOrganizationFile(f("org2.json"))
	_, err = b.Export()
	wantFileDiags(t, err, fdiag{f("org2.json"), schema.CodeDuplicateDefinition, ""})
}

func TestMerge(t *testing.T) {
	folder, err := ReadFolder(exampleFolder)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ReadResources(filepath.Join(exampleFolder, "resources"))
	if err != nil {
		t.Fatal(err)
	}
	other := &Export{Accounts: []*Account{{ID: "333333333333"}}}
	e, err := Merge(folder, nil, other)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Accounts) != 3 || e.Accounts[2].ID != "333333333333" || e.Organization == nil || len(e.Resources) != 2 {
		t.Errorf("merged = %+v", e)
	}
	_, err = Merge(folder, &Export{Resources: res, Accounts: []*Account{{ID: "111111111111"}}})
	wantFileDiags(t, err,
		fdiag{"account 111111111111", schema.CodeDuplicateDefinition, ""},
		fdiag{filepath.Join(exampleFolder, "resources", "lambda.json"), schema.CodeDuplicateResource, "/resources/0/policy"},
		fdiag{filepath.Join(exampleFolder, "resources", "s3.json"), schema.CodeDuplicateResource, "/resources/0/policy"},
	)
}

func TestResolveManaged(t *testing.T) {
	e, err := ReadFolder(exampleFolder)
	if err != nil {
		t.Fatal(err)
	}
	// From the export.
	mp, err := e.ResolveManaged("arn:aws:iam::111111111111:policy/bedrock-invoke")
	if err != nil || mp.Name != "bedrock-invoke" || mp.Document.File != filepath.Join(exampleFolder, "policies", "bedrock-invoke.json") {
		t.Errorf("bedrock-invoke = %+v, %v", mp, err)
	}
	// From the snapshot, though nobody references it.
	mp, err = e.ResolveManaged("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess")
	if err != nil || mp.Name != "ViewOnlyAccess" || mp.Path != "/job-function/" || mp.Document.File != mp.ARN || mp.Document.Value == nil {
		t.Errorf("ViewOnlyAccess = %+v, %v", mp, err)
	}
	// Unknown: a coded error naming who uses it.
	bad := "arn:aws:iam::111111111111:policy/gone"
	e.Accounts[0].Users[1].Managed = append(e.Accounts[0].Users[1].Managed, bad)
	e.Accounts[0].Roles[0].Boundary = bad
	_, err = e.ResolveManaged(bad)
	list := schema.List(err)
	if len(list) != 1 || list[0].Code != schema.CodeUnknownReference ||
		!strings.Contains(list[0].Message, "user arn:aws:iam::111111111111:user/bob") ||
		!strings.Contains(list[0].Message, "role arn:aws:iam::111111111111:role/service-role/genai-invoke-role") {
		t.Errorf("error = %v", err)
	}
	if list[0].File != "arn:aws:iam::111111111111:user/bob" {
		t.Errorf("file %q", list[0].File)
	}
	_, err = (&Export{}).ResolveManaged("arn:aws:iam::aws:policy/Nope")
	if l := schema.List(err); len(l) != 1 || l[0].Code != schema.CodeUnknownReference || l[0].File == "" {
		t.Errorf("error = %v", err)
	}
}

func TestResolveManagedConcurrent(t *testing.T) {
	e := &Export{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := e.ResolveManaged("arn:aws:iam::aws:policy/AdministratorAccess"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
}
