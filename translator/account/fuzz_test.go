package account_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator/account"
)

// fuzzGAADSeeds are small exports that reach the reader's branches the
// example files do not: string documents (URL-encoded and plain), default
// versions by id, boundaries, tags, groups, null members.
var fuzzGAADSeeds = []string{
	`{"UserDetailList":[{"UserName":"a","Arn":"arn:aws:iam::111111111111:user/a","GroupList":["g"],"Tags":[{"Key":"k","Value":"v"}],` +
		`"PermissionsBoundary":{"PermissionsBoundaryType":"Policy","PermissionsBoundaryArn":"arn:aws:iam::111111111111:policy/b"},` +
		`"UserPolicyList":[{"PolicyName":"i","PolicyDocument":"%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3A*%22%2C%22Resource%22%3A%22*%22%7D%7D"}]}],` +
		`"GroupDetailList":[{"GroupName":"g","Arn":"arn:aws:iam::111111111111:group/g","AttachedManagedPolicies":[{"PolicyArn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}]}],` +
		`"RoleDetailList":[{"RoleName":"r","Arn":"arn:aws:iam::111111111111:role/x/r","Path":null,"AssumeRolePolicyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}","Tags":[{"Key":"t","Value":"\"} allow := true #"}]}],` +
		`"Policies":[{"PolicyName":"b","Arn":"arn:aws:iam::111111111111:policy/b","DefaultVersionId":"v2","PolicyVersionList":[{"VersionId":"v1","Document":{"Version":"2012-10-17","Statement":[]}},{"VersionId":"v2","Document":{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":"s3:*","Resource":"*"}]}}]}]}`,
	`{"RoleDetailList":[{"RoleName":"r","Arn":"arn:aws:iam::111111111111:role/r"}],"IsTruncated":false}`,
}

var accountIDForm = regexp.MustCompile(`^[0-9]{12}$`)

// FuzzAccountDetails: ReadGAAD never panics on a mutated export. A
// rejection is a list of coded diagnostics naming the file, one line
// each, never internal_error. An accepted export belongs to one 12-digit
// account, every document it carries points into the file, and building
// it into a bundle either succeeds or fails with coded diagnostics, never
// a panic.
func FuzzAccountDetails(f *testing.F) {
	for _, p := range []string{
		"../../testdata/example/account-details.json",
		"testdata/folder-as-gaad.json",
		"../../../shared/corpus/gaad-small.json",
	} {
		if data, err := os.ReadFile(filepath.FromSlash(p)); err == nil {
			f.Add(data)
		}
	}
	for _, s := range fuzzGAADSeeds {
		f.Add([]byte(s))
	}
	files, _ := filepath.Glob("../../testdata/invalid/gaad-*.json")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const file = "fuzz.json"
		acct, managed, err := account.ReadGAAD(file, data)
		if err != nil {
			if acct != nil || managed != nil {
				t.Fatalf("ReadGAAD returned results with an error")
			}
			requireCoded(t, err, file)
			return
		}
		if acct == nil || !accountIDForm.MatchString(acct.ID) {
			t.Fatalf("accepted an export without a 12-digit account: %+v", acct)
		}
		for _, u := range acct.Users {
			for _, d := range u.Inline {
				requireLocated(t, d.Document, file)
			}
		}
		for _, r := range acct.Roles {
			if r.Trust != nil {
				requireLocated(t, *r.Trust, file)
			}
		}
		for arn, mp := range managed {
			if mp == nil || mp.ARN != arn {
				t.Fatalf("managed policy %s: %+v", arn, mp)
			}
			requireLocated(t, mp.Document, file)
		}
		b := account.NewBuilder()
		b.AddAccountDetails(file, data)
		exp, err := b.Export()
		if err != nil {
			requireCoded(t, err, "")
			return
		}
		res, err := bundles.Build(exp, bundles.Options{})
		if err != nil {
			requireCoded(t, err, "")
			return
		}
		if res.Bundle == nil || res.Bundle.Manifest.Revision == "" {
			t.Fatalf("Build succeeded without a bundle")
		}
	})
}

// requireCoded: err holds only coded diagnostics (naming file, when file
// is not ""), each on one line, none internal.
func requireCoded(t *testing.T, err error, file string) {
	t.Helper()
	list := schema.List(err)
	if len(list) == 0 {
		t.Fatalf("an error without coded diagnostics: %v", err)
	}
	for _, e := range list {
		if e.Code == "" || e.Code == schema.CodeInternal || e.Severity != schema.SeverityError || e.Message == "" {
			t.Fatalf("bad diagnostic %#v", e)
		}
		if file != "" && e.File != file {
			t.Fatalf("diagnostic names %q, want %q: %v", e.File, file, e)
		}
		if strings.IndexFunc(e.Error(), func(r rune) bool { return r < 0x20 || r >= 0x7f && r < 0xa0 || r == 0x2028 || r == 0x2029 }) >= 0 {
			t.Fatalf("a diagnostic holds a control character, so it can span several lines or forge another one: %q", e.Error())
		}
	}
}

func requireLocated(t *testing.T, d account.Document, file string) {
	t.Helper()
	if d.File != file || !strings.HasPrefix(d.Pointer, "/") || d.Value == nil {
		t.Fatalf("document without file, pointer or value: %+v", d)
	}
}

// FuzzOrg: ReadOrg never panics on a mutated organization file. A
// rejection is a list of coded, one-line diagnostics naming the file; an
// accepted organization has a root, every account sits once in the tree,
// no node has more than MaxPoliciesPerNode SCPs or RCPs, and building it
// into a bundle succeeds or fails with coded diagnostics.
func FuzzOrg(f *testing.F) {
	for _, p := range []string{"../../testdata/example/organization.json", "testdata/folder/org.json"} {
		if data, err := os.ReadFile(filepath.FromSlash(p)); err == nil {
			f.Add(data)
		}
	}
	files, _ := filepath.Glob("../../testdata/invalid/org-*.json")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"id":"o-abcdefghij","managementAccount":"111111111111","policies":{"P":"%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D"},` +
		`"root":{"id":"r-ab12","scps":[],"rcps":["RCPFullAWSAccess"],"accounts":[{"id":"111111111111"}],"ous":[{"id":"ou-ab12-1","name":"\"} allow := true #","scps":["P"]}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		const file = "fuzz.json"
		org, err := account.ReadOrg(file, data)
		if err != nil {
			if org != nil {
				t.Fatalf("ReadOrg returned an organization with an error")
			}
			requireCoded(t, err, file)
			return
		}
		if org == nil || org.Root == nil {
			t.Fatalf("accepted an organization without a root: %+v", org)
		}
		seen := map[string]bool{}
		var walk func(u *account.OrgUnit, depth int)
		walk = func(u *account.OrgUnit, depth int) {
			if depth > account.MaxOUDepth || len(u.SCPs) > account.MaxPoliciesPerNode || len(u.RCPs) > account.MaxPoliciesPerNode {
				t.Fatalf("accepted %s beyond the AWS Organizations limits (depth %d, %d SCPs, %d RCPs)", u.ID, depth, len(u.SCPs), len(u.RCPs))
			}
			for _, a := range u.Accounts {
				if seen[a.ID] {
					t.Fatalf("account %s is in the tree twice", a.ID)
				}
				seen[a.ID] = true
			}
			for _, c := range u.Units {
				walk(c, depth+1)
			}
		}
		walk(org.Root, 0)
		res, err := bundles.Build(&account.Export{Organization: org, Managed: map[string]*account.ManagedPolicy{}}, bundles.Options{})
		if err != nil {
			requireCoded(t, err, "")
			return
		}
		if res.Bundle == nil {
			t.Fatalf("Build succeeded without a bundle")
		}
	})
}
