package account

import (
	"os"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/schema"
)

const denyDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ec2:*","Resource":"*"}]}`

// orgJSON wraps a root object in an organization with two policies, A and
// B, and the management account 999999999999 at the root.
func orgJSON(root string) string {
	return `{"id":"o-abcdefghij","managementAccount":"999999999999","policies":{"A":` + denyDoc + `,"B":` + quote(encodeStrict(denyDoc)) + `},"root":` + root + `}`
}

const mgmt = `{"id":"999999999999","name":"management"}`

// nestedOUs returns n OUs nested in one another, the innermost holding an
// account.
func nestedOUs(n int) string {
	s := `{"id":"111111111111"}`
	inner := `"accounts":[` + s + `]`
	for i := n; i >= 1; i-- {
		inner = `"ous":[{"id":"ou-abcd-0000000` + string(rune('0'+i)) + `","name":"L` + string(rune('0'+i)) + `",` + inner + `}]`
	}
	return `{"id":"r-abcd","accounts":[` + mgmt + `],` + inner + `}`
}

func TestReadOrg(t *testing.T) {
	in := orgJSON(`{"id":"r-abcd","scps":["FullAWSAccess"],"rcps":[],"ous":[
		{"id":"ou-abcd-11111111","name":"Workloads","scps":["FullAWSAccess","A"],"rcps":["B"],
		 "ous":[{"id":"ou-abcd-22222222","name":"Prod","accounts":[{"id":"111111111111","name":"prod","scps":["B"]}]}]}],
		"accounts":[` + mgmt + `]}`)
	org, err := ReadOrg("org.json", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if org.ID != "o-abcdefghij" || org.ManagementAccount != "999999999999" || org.Root.ID != "r-abcd" || org.Root.Name != "Root" {
		t.Errorf("org = %+v", org)
	}
	names := func(l []NamedDocument) string {
		var s []string
		for _, d := range l {
			s = append(s, d.Name)
		}
		return strings.Join(s, ",")
	}
	r := org.Root
	if names(r.SCPs) != "FullAWSAccess" || len(r.RCPs) != 0 || len(r.Accounts) != 1 || len(r.Units) != 1 {
		t.Errorf("root = %+v", r)
	}
	w := r.Units[0]
	if w.Name != "Workloads" || names(w.SCPs) != "FullAWSAccess,A" || names(w.RCPs) != "B" {
		t.Errorf("Workloads = %+v", w)
	}
	if w.SCPs[1].Document.Pointer != "/policies/A" || w.RCPs[0].Document.Pointer != "/policies/B" || w.SCPs[1].Document.File != "org.json" {
		t.Errorf("defined policies point to %q, %q", w.SCPs[1].Document.Pointer, w.RCPs[0].Document.Pointer)
	}
	if canon(t, w.RCPs[0].Document.Value) != canon(t, mustDecode(t, denyDoc)) {
		t.Error("URL-encoded policy not decoded")
	}
	if got := canon(t, w.SCPs[0].Document.Value); got != `{"Statement":[{"Action":"*","Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"}` {
		t.Errorf("FullAWSAccess = %s", got)
	}
	// Absent scps/rcps: AWS's default attachments.
	p := w.Units[0]
	if names(p.SCPs) != "FullAWSAccess" || names(p.RCPs) != "RCPFullAWSAccess" {
		t.Errorf("Prod = %+v", p)
	}
	if got := canon(t, p.RCPs[0].Document.Value); got != `{"Statement":[{"Action":"*","Effect":"Allow","Principal":"*","Resource":"*"}],"Version":"2012-10-17"}` {
		t.Errorf("RCPFullAWSAccess = %s", got)
	}
	// Built-in documents point at the attachment, or at the node for a
	// default attachment.
	if w.SCPs[0].Document.Pointer != "/root/ous/0/scps/0" || p.RCPs[0].Document.Pointer != "/root/ous/0/ous/0" {
		t.Errorf("built-in pointers %q, %q", w.SCPs[0].Document.Pointer, p.RCPs[0].Document.Pointer)
	}
	a := p.Accounts[0]
	if a.ID != "111111111111" || a.Name != "prod" || names(a.SCPs) != "B" || names(a.RCPs) != "RCPFullAWSAccess" {
		t.Errorf("account = %+v", a)
	}
	// Five levels of OUs are allowed.
	if _, err := ReadOrg("org.json", []byte(orgJSON(nestedOUs(MaxOUDepth)))); err != nil {
		t.Errorf("%d levels rejected: %v", MaxOUDepth, err)
	}
}

// TestRepositoryExample reads the example account in the repository's
// testdata/example, which uses these formats.
func TestRepositoryExample(t *testing.T) {
	const dir = "../../testdata/example/"
	if _, err := os.Stat(dir + "organization.json"); err != nil {
		t.Fatalf("the repository's example is part of the repository: %v", err)
	}
	e, err := Load(Inputs{AccountDetails: []string{dir + "account-details.json"}, Org: dir + "organization.json", Resources: []string{dir + "resource-policies.json"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Accounts) != 1 || e.Organization == nil || len(e.Resources) == 0 {
		t.Errorf("export = %+v", e)
	}
	for _, arn := range referencedPolicies(e) {
		if _, err := e.ResolveManaged(arn); err != nil {
			t.Error(err)
		}
	}
}

func TestReadOrgRejects(t *testing.T) {
	six := `["FullAWSAccess","A","B","C","D","E"]`
	tests := []struct {
		name string
		in   string
		want []diag
	}{
		{"not JSON", `{`, []diag{{schema.CodeJSONSyntax, ""}}},
		{"missing members", `{"policies":{}}`, []diag{{schema.CodeSchemaRequired, ""}, {schema.CodeSchemaRequired, ""}, {schema.CodeSchemaRequired, ""}}},
		{"unknown members and bad ids",
			`{"id":"org-1","managementAccount":"999","extra":1,"root":{"id":"root","ous":[{"id":"ou-1","accounts":[{"id":"1","scp":[]}]}]}}`,
			[]diag{
				{schema.CodeSchemaPattern, "/id"}, {schema.CodeSchemaPattern, "/managementAccount"}, {schema.CodeSchemaUnknown, "/extra"},
				{schema.CodeSchemaPattern, "/root/id"}, {schema.CodeSchemaPattern, "/root/ous/0/id"},
				{schema.CodeSchemaPattern, "/root/ous/0/accounts/0/id"}, {schema.CodeSchemaUnknown, "/root/ous/0/accounts/0/scp"},
			}},
		{"OUs nested six levels", orgJSON(nestedOUs(MaxOUDepth + 1)),
			[]diag{{schema.CodeLimitExceeded, "/root/ous/0/ous/0/ous/0/ous/0/ous/0/ous/0"}}},
		{"six SCPs on a node",
			strings.Replace(orgJSON(`{"id":"r-abcd","scps":`+six+`,"accounts":[`+mgmt+`]}`), `"B":`, `"C":{},"D":{},"E":{},"B":`, 1),
			[]diag{{schema.CodeLimitExceeded, "/root/scps"}}},
		{"six RCPs on an account",
			strings.Replace(orgJSON(`{"id":"r-abcd","accounts":[{"id":"999999999999","rcps":["RCPFullAWSAccess","A","B","C","D","E"]}]}`), `"B":`, `"C":{},"D":{},"E":{},"B":`, 1),
			[]diag{{schema.CodeLimitExceeded, "/root/accounts/0/rcps"}}},
		{"unknown policy names",
			orgJSON(`{"id":"r-abcd","scps":["FullAWSAccess","Nope"],"ous":[{"id":"ou-abcd-11111111","rcps":["fullawsaccess"]}],"accounts":[` + mgmt + `]}`),
			[]diag{{schema.CodeUnknownReference, "/root/scps/1"}, {schema.CodeUnknownReference, "/root/ous/0/rcps/0"}}},
		{"policy attached twice", orgJSON(`{"id":"r-abcd","scps":["A","A"],"accounts":[` + mgmt + `]}`),
			[]diag{{schema.CodeDuplicateDefinition, "/root/scps/1"}}},
		{"account in two places",
			orgJSON(`{"id":"r-abcd","accounts":[` + mgmt + `,{"id":"111111111111"}],"ous":[{"id":"ou-abcd-11111111","accounts":[{"id":"111111111111"}]}]}`),
			[]diag{{schema.CodeDuplicateDefinition, "/root/ous/0/accounts/0/id"}}},
		{"OU id twice",
			orgJSON(`{"id":"r-abcd","accounts":[` + mgmt + `],"ous":[{"id":"ou-abcd-11111111"},{"id":"ou-abcd-11111111"}]}`),
			[]diag{{schema.CodeDuplicateDefinition, "/root/ous/1/id"}}},
		{"management account not in the tree", orgJSON(`{"id":"r-abcd","accounts":[{"id":"111111111111"}]}`),
			[]diag{{schema.CodeUnknownReference, "/managementAccount"}}},
		{"bad policy documents and names",
			`{"id":"o-abcdefghij","managementAccount":"999999999999","policies":{"A":"%7Bnot json","B":[],"bad\u0001name":{}},"root":{"id":"r-abcd","scps":["A","B"],"accounts":[` + mgmt + `]}}`,
			[]diag{{schema.CodeJSONSyntax, "/policies/A"}, {schema.CodeSchemaType, "/policies/B"}, {schema.CodeSchemaPattern, "/policies/bad\u0001name"}}},
		{"policy names of the wrong type", orgJSON(`{"id":"r-abcd","scps":[1],"rcps":"A","accounts":[` + mgmt + `]}`),
			[]diag{{schema.CodeSchemaType, "/root/scps/0"}, {schema.CodeSchemaType, "/root/rcps"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			org, err := ReadOrg("org.json", []byte(tt.in))
			if err == nil {
				t.Fatalf("accepted: %+v", org)
			}
			if org != nil {
				t.Error("result returned with an error")
			}
			wantDiags(t, err, "org.json", tt.want...)
		})
	}
}
