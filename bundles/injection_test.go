package bundles_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/iam2rego/iam2rego/translator"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/open-policy-agent/opa/v1/ast"
)

// The injection tests of the build inputs: hostile strings in the
// account export (tag keys and values, user, role, group and policy names,
// paths, ARNs), in resource-policy files (resource ARNs, tags, Sids) and in
// organization files (OU, account and policy names). Each build either
// rejects the input with coded diagnostics, or carries the string as data
// only: no Rego module holds it as code, and no decision changes that it
// should not. (translator/injection_test.go covers the policy text.)

// hostileMarker makes the hostile strings easy to find in a bundle.
const hostileMarker = "ZQX"

// hostileInputs close a Rego string, start a comment or a rule, escape,
// break lines, or are characters the formatter or the JSON encoder treat
// specially.
var hostileInputs = []string{
	hostileMarker + `"} allow := true #`,
	hostileMarker + "\"}\n}\nallow := true\n#",
	hostileMarker + `a\b\"c}d#e{f`,
	hostileMarker + "a\nb\r\tc",
	hostileMarker + "\x00",
	hostileMarker + "\x1b[2J\x7f\u0085\u2028\u2029\ufeff",
	hostileMarker + "é日本😀",
	hostileMarker + "${aws:username}*?<script>&amp;",
}

const hostileAcct = "111111111111"

// hostileFixture is a small account whose decisions are known: role app
// reads and (tagged team=ml) writes s3://data, user alice lists it through
// group devs and sends SQS messages through a customer managed policy, the
// bucket denies deletes to everyone, and an SCP denies leaving the
// organization. Placements rewrite one field of it.
type hostileFixture struct {
	gaad, org, resources map[string]any
	app, alice, bucket   string // ARNs the probes use
}

func hostilePolicy(stmts ...map[string]any) map[string]any {
	list := make([]any, len(stmts))
	for i, s := range stmts {
		list[i] = s
	}
	return map[string]any{"Version": "2012-10-17", "Statement": list}
}

func newHostileFixture() *hostileFixture {
	f := &hostileFixture{
		app:    "arn:aws:iam::" + hostileAcct + ":role/app",
		alice:  "arn:aws:iam::" + hostileAcct + ":user/alice",
		bucket: "arn:aws:s3:::data",
	}
	trust := hostilePolicy(map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"})
	f.gaad = map[string]any{
		"UserDetailList": []any{map[string]any{
			"Path": "/", "UserName": "alice", "UserId": "AIDAALICE", "Arn": f.alice,
			"GroupList":               []any{"devs"},
			"Tags":                    []any{map[string]any{"Key": "team", "Value": "ml"}},
			"AttachedManagedPolicies": []any{map[string]any{"PolicyName": "send", "PolicyArn": "arn:aws:iam::" + hostileAcct + ":policy/send"}},
		}},
		"GroupDetailList": []any{map[string]any{
			"Path": "/", "GroupName": "devs", "Arn": "arn:aws:iam::" + hostileAcct + ":group/devs",
			"GroupPolicyList": []any{map[string]any{"PolicyName": "list", "PolicyDocument": hostilePolicy(
				map[string]any{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::data"})}},
		}},
		"RoleDetailList": []any{map[string]any{
			"Path": "/", "RoleName": "app", "RoleId": "AROAAPP", "Arn": f.app,
			"AssumeRolePolicyDocument": trust,
			"Tags":                     []any{map[string]any{"Key": "team", "Value": "ml"}},
			"RolePolicyList": []any{map[string]any{"PolicyName": "data", "PolicyDocument": hostilePolicy(
				map[string]any{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/*"},
				map[string]any{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::data/*",
					"Condition": map[string]any{"StringEquals": map[string]any{"aws:PrincipalTag/team": "ml"}}},
			)}},
		}, map[string]any{
			"Path": "/", "RoleName": "victim", "RoleId": "AROAVICTIM", "Arn": "arn:aws:iam::" + hostileAcct + ":role/victim",
			"AssumeRolePolicyDocument": trust,
		}},
		"Policies": []any{map[string]any{
			"PolicyName": "send", "Arn": "arn:aws:iam::" + hostileAcct + ":policy/send", "Path": "/", "DefaultVersionId": "v1",
			"PolicyVersionList": []any{map[string]any{"VersionId": "v1", "IsDefaultVersion": true, "Document": hostilePolicy(
				map[string]any{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"})}},
		}},
	}
	f.resources = map[string]any{"resources": []any{map[string]any{
		"arn": f.bucket, "account": hostileAcct, "tags": map[string]any{"class": "internal"},
		"policy": hostilePolicy(map[string]any{"Sid": "DenyDelete", "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::data/*"}),
	}}}
	f.org = map[string]any{
		"id": "o-hostile123", "managementAccount": "999999999999",
		"policies": map[string]any{"Guard": hostilePolicy(map[string]any{"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"})},
		"root": map[string]any{"id": "r-ab12", "accounts": []any{map[string]any{"id": "999999999999", "name": "management"}},
			"ous": []any{map[string]any{"id": "ou-ab12-11111111", "name": "Workloads", "scps": []any{"FullAWSAccess", "Guard"},
				"accounts": []any{map[string]any{"id": hostileAcct, "name": "prod"}}}}},
	}
	return f
}

// Helpers to reach into the fixture.
func hostileObj(v any, path ...any) map[string]any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v.(map[string]any)
}

// hostilePlacement puts h into one field of the fixture. The decisions
// listed in changes are those the placement may legitimately change (a
// tag that a condition reads); every other probe must decide as the
// benign fixture does, or fail closed with an error.
type hostilePlacement struct {
	name    string
	put     func(f *hostileFixture, h string)
	changes map[string]bool
}

var hostilePlacements = []hostilePlacement{
	{"role tag value", func(f *hostileFixture, h string) {
		hostileObj(f.gaad, "RoleDetailList", 0, "Tags", 0)["Value"] = h
	}, map[string]bool{"app writes": true}},
	{"role tag key", func(f *hostileFixture, h string) {
		hostileObj(f.gaad, "RoleDetailList", 0, "Tags", 0)["Key"] = h
	}, map[string]bool{"app writes": true}},
	{"user tag key and value", func(f *hostileFixture, h string) {
		tag := hostileObj(f.gaad, "UserDetailList", 0, "Tags", 0)
		tag["Key"], tag["Value"] = h, h
	}, nil},
	{"user name", func(f *hostileFixture, h string) {
		u := hostileObj(f.gaad, "UserDetailList", 0)
		f.alice = "arn:aws:iam::" + hostileAcct + ":user/" + h
		u["UserName"], u["Arn"] = h, f.alice
	}, nil},
	{"user path", func(f *hostileFixture, h string) {
		u := hostileObj(f.gaad, "UserDetailList", 0)
		f.alice = "arn:aws:iam::" + hostileAcct + ":user/" + h + "/alice"
		u["Path"], u["Arn"] = "/"+h+"/", f.alice
	}, nil},
	{"role name", func(f *hostileFixture, h string) {
		r := hostileObj(f.gaad, "RoleDetailList", 0)
		f.app = "arn:aws:iam::" + hostileAcct + ":role/" + h
		r["RoleName"], r["Arn"] = h, f.app
	}, nil},
	{"group name", func(f *hostileFixture, h string) {
		g := hostileObj(f.gaad, "GroupDetailList", 0)
		g["GroupName"], g["Arn"] = h, "arn:aws:iam::"+hostileAcct+":group/"+h
		hostileObj(f.gaad, "UserDetailList", 0)["GroupList"] = []any{h}
	}, nil},
	{"inline policy name", func(f *hostileFixture, h string) {
		hostileObj(f.gaad, "RoleDetailList", 0, "RolePolicyList", 0)["PolicyName"] = h
	}, nil},
	{"managed policy name and ARN", func(f *hostileFixture, h string) {
		arn := "arn:aws:iam::" + hostileAcct + ":policy/" + h
		p := hostileObj(f.gaad, "Policies", 0)
		p["PolicyName"], p["Arn"] = h, arn
		hostileObj(f.gaad, "UserDetailList", 0, "AttachedManagedPolicies", 0)["PolicyArn"] = arn
	}, nil},
	{"resource ARN", func(f *hostileFixture, h string) {
		// Another resource: an object of the bucket with its own tags.
		rs := f.resources["resources"].([]any)
		f.resources["resources"] = append(rs, map[string]any{"arn": f.bucket + "/" + h, "account": hostileAcct, "tags": map[string]any{"class": "secret"}})
	}, nil},
	{"resource tags", func(f *hostileFixture, h string) {
		hostileObj(f.resources, "resources", 0)["tags"] = map[string]any{h: h}
	}, nil},
	{"resource policy Sid", func(f *hostileFixture, h string) {
		hostileObj(f.resources, "resources", 0, "policy", "Statement", 0)["Sid"] = h
	}, nil},
	{"OU, account and organization policy names", func(f *hostileFixture, h string) {
		ou := hostileObj(f.org, "root", "ous", 0)
		ou["name"] = h
		hostileObj(ou, "accounts", 0)["name"] = h
		ou["scps"] = []any{"FullAWSAccess", h}
		f.org["policies"] = map[string]any{h: hostileObj(f.org, "policies", "Guard")}
	}, nil},
}

// hostileProbe is one request against the built bundle.
type hostileProbe struct {
	name     string
	request  func(f *hostileFixture) map[string]any
	decision string // in the benign fixture
}

func hostileRequest(principal, action, resource string) map[string]any {
	return map[string]any{"principal": principal, "action": action, "resource": map[string]any{"arn": resource, "account": hostileAcct}}
}

var hostileProbes = []hostileProbe{
	{"app reads", func(f *hostileFixture) map[string]any { return hostileRequest(f.app, "s3:GetObject", f.bucket+"/k") }, rego.Allow},
	{"app writes", func(f *hostileFixture) map[string]any { return hostileRequest(f.app, "s3:PutObject", f.bucket+"/k") }, rego.Allow},
	{"app creates a user", func(f *hostileFixture) map[string]any { return hostileRequest(f.app, "iam:CreateUser", "*") }, rego.ImplicitDeny},
	{"app deletes", func(f *hostileFixture) map[string]any { return hostileRequest(f.app, "s3:DeleteObject", f.bucket+"/k") }, rego.ExplicitDeny},
	{"app leaves the organization", func(f *hostileFixture) map[string]any {
		return hostileRequest(f.app, "organizations:LeaveOrganization", "*")
	}, rego.ExplicitDeny},
	{"victim reads", func(f *hostileFixture) map[string]any {
		return hostileRequest("arn:aws:iam::"+hostileAcct+":role/victim", "s3:GetObject", f.bucket+"/k")
	}, rego.ImplicitDeny},
	{"alice lists", func(f *hostileFixture) map[string]any { return hostileRequest(f.alice, "s3:ListBucket", f.bucket) }, rego.Allow},
	{"alice sends", func(f *hostileFixture) map[string]any {
		return hostileRequest(f.alice, "sqs:SendMessage", "arn:aws:sqs:us-east-1:"+hostileAcct+":q")
	}, rego.Allow},
	{"alice reads", func(f *hostileFixture) map[string]any { return hostileRequest(f.alice, "s3:GetObject", f.bucket+"/k") }, rego.ImplicitDeny},
	{"anonymous reads", func(f *hostileFixture) map[string]any {
		return hostileRequest("anonymous", "s3:GetObject", f.bucket+"/k")
	}, rego.ImplicitDeny},
}

// hostileBuild writes the fixture's three input files, loads them as the
// CLI does, builds the bundle, writes it atomically and reads it back.
// It returns the bundle's engine, or the diagnostics of a rejection.
func hostileBuild(t *testing.T, f *hostileFixture) (*rego.Engine, map[string][]byte, []*schema.Error) {
	t.Helper()
	dir := t.TempDir()
	write := func(name string, v any) string {
		data, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	in := account.Inputs{
		AccountDetails: []string{write("account-details.json", f.gaad)},
		Org:            write("organization.json", f.org),
		Resources:      []string{write("resource-policies.json", f.resources)},
	}
	exp, err := account.Load(in)
	if err == nil {
		var res *bundles.Result
		if res, err = bundles.Build(exp, bundles.Options{}); err == nil {
			out := filepath.Join(dir, "bundle.tar.gz")
			if err := bundles.WriteFile(out, res.Bundle); err != nil {
				t.Fatalf("WriteFile: %v", err)
			}
			b, err := bundles.ReadFile(out, nil)
			if err != nil {
				t.Fatalf("ReadFile of a bundle just built: %v", err)
			}
			eng, err := rego.PrepareBundle(context.Background(), b)
			if err != nil {
				t.Fatalf("PrepareBundle of a bundle just built: %v", err)
			}
			mods := map[string][]byte{}
			for _, m := range b.Modules {
				mods[m.Path] = m.Raw
			}
			return eng, mods, nil
		}
	}
	list := schema.List(err)
	if len(list) == 0 {
		t.Fatalf("rejected without coded diagnostics: %v", err)
	}
	for _, e := range list {
		if e.Code == "" || e.Code == schema.CodeInternal || e.File == "" || e.Message == "" {
			t.Errorf("diagnostic without code, file or message: %#v", e)
		}
		if !strings.HasPrefix(e.File, dir) && !strings.HasPrefix(e.File, "arn:") {
			t.Errorf("diagnostic names %q, not one of the input files", e.File)
		}
	}
	return nil, nil, list
}

var generatedModule = regexp.MustCompile(`^/iam2rego/policies\.rego$`)

// TestHostileBuildInputs: every hostile string in every placement is
// rejected with coded diagnostics or built into a bundle whose modules
// are the generated ones and the library (the string is never a module
// path, a package or code), and whose decisions are those of the benign
// fixture: a deny stays a deny, and an allow stays an allow or becomes a
// fail-closed error. Only a tag that a condition reads may change a
// decision, and then only from Allow to a deny.
func TestHostileBuildInputs(t *testing.T) {
	ctx := context.Background()
	base := newHostileFixture()
	eng, baseMods, diags := hostileBuild(t, base)
	if eng == nil {
		t.Fatalf("the benign fixture does not build: %v", diags)
	}
	for _, p := range hostileProbes {
		if d := eng.DecideInput(ctx, p.request(base)); d.Decision != p.decision || d.Error != "" {
			t.Fatalf("benign fixture, %s: got %s (%s; %s), want %s", p.name, d.Decision, d.Step, d.Reason, p.decision)
		}
	}
	baseRules := hostileRuleCounts(t, baseMods)
	var mu sync.Mutex
	accepted := map[string]int{}
	t.Run("placements", func(t *testing.T) {
		for _, pl := range hostilePlacements {
			for i, h := range hostileInputs {
				t.Run(fmt.Sprintf("%s/%d", pl.name, i), func(t *testing.T) {
					t.Parallel()
					f := newHostileFixture()
					pl.put(f, h)
					eng, mods, diags := hostileBuild(t, f)
					if eng == nil {
						t.Logf("%q in %s: rejected: %v", h, pl.name, diags[0])
						return
					}
					mu.Lock()
					accepted[pl.name]++
					mu.Unlock()
					for path, src := range mods {
						if !generatedModule.MatchString(path) && !strings.HasPrefix(path, "/iam2rego/lib/") && strings.Contains(path, hostileMarker) {
							t.Errorf("module path %q holds the hostile string", path)
						}
						if pl.name != "resource policy Sid" && strings.Contains(string(src), hostileMarker) {
							t.Errorf("%q in %s reached the Rego source of %s:\n%s", h, pl.name, path, src)
						}
					}
					if got := hostileRuleCounts(t, mods); fmt.Sprint(got) != fmt.Sprint(baseRules) {
						t.Errorf("%q in %s: modules and rules %v, want %v as for the benign fixture", h, pl.name, got, baseRules)
					}
					for _, p := range hostileProbes {
						d := eng.DecideInput(ctx, p.request(f))
						switch {
						case d.Allow && p.decision != rego.Allow:
							t.Errorf("%q in %s: %s is allowed; the benign fixture says %s", h, pl.name, p.name, p.decision)
						case d.Error != "":
							if d.Allow || d.Decision != rego.ImplicitDeny {
								t.Errorf("%q in %s: %s: an error that does not fail closed: %+v", h, pl.name, p.name, d)
							}
						case pl.changes[p.name]:
							if d.Decision == rego.Allow {
								t.Errorf("%q in %s: %s is still allowed, but its condition reads the changed tag", h, pl.name, p.name)
							}
						case d.Decision != p.decision:
							t.Errorf("%q in %s: %s: got %s (%s: %s), want %s", h, pl.name, p.name, d.Decision, d.Step, d.Reason, p.decision)
						}
					}
				})
			}
		}
	})
	t.Logf("built into a bundle, of %d hostile strings: %v", len(hostileInputs), accepted)
	// The test means something only if hostile strings do reach the
	// bundle: tag values and names are data, which iam2rego must carry.
	for _, name := range []string{"role tag value", "role tag key", "user tag key and value", "resource tags", "inline policy name"} {
		if accepted[name] < len(hostileInputs)/2 {
			t.Errorf("%s: only %d of %d hostile strings were built into a bundle", name, accepted[name], len(hostileInputs))
		}
	}
}

// TestHostileTagValueNeverAllows is the case the issue names: a role
// whose tag value is `"} allow := true #` still gets ImplicitDeny for an
// action nothing allows, and the tag value arrives in the request context
// intact (a condition on it matches exactly that text).
func TestHostileTagValueNeverAllows(t *testing.T) {
	const value = `"} allow := true #`
	f := newHostileFixture()
	hostileObj(f.gaad, "RoleDetailList", 0, "Tags", 0)["Value"] = value
	rp := hostileObj(f.gaad, "RoleDetailList", 0, "RolePolicyList", 0, "PolicyDocument")
	rp["Statement"] = append(rp["Statement"].([]any), map[string]any{
		"Effect": "Allow", "Action": "sqs:ReceiveMessage", "Resource": "*",
		"Condition": map[string]any{"StringEquals": map[string]any{"aws:PrincipalTag/team": value}},
	})
	eng, _, diags := hostileBuild(t, f)
	if eng == nil {
		t.Fatalf("rejected: %v", diags)
	}
	ctx := context.Background()
	for _, tc := range []struct{ action, resource, want string }{
		{"iam:CreateUser", "*", rego.ImplicitDeny},
		{"s3:PutObject", f.bucket + "/k", rego.ImplicitDeny}, // its condition wants team=ml
		{"sqs:ReceiveMessage", "arn:aws:sqs:us-east-1:" + hostileAcct + ":q", rego.Allow},
	} {
		d := eng.DecideInput(ctx, hostileRequest(f.app, tc.action, tc.resource))
		if d.Decision != tc.want || d.Error != "" {
			t.Errorf("%s: got %s (%s: %s; error %q), want %s", tc.action, d.Decision, d.Step, d.Reason, d.Error, tc.want)
		}
	}
}

// hostileRuleCounts parses every module and counts, per module kind
// (generated or library), the packages and rules: hostile data must not
// add or remove either.
func hostileRuleCounts(t *testing.T, mods map[string][]byte) map[string]int {
	t.Helper()
	out := map[string]int{}
	for path, src := range mods {
		m, err := ast.ParseModuleWithOpts(path, string(src), ast.ParserOptions{RegoVersion: ast.RegoV1})
		if err != nil {
			t.Fatalf("module %s does not parse: %v", path, err)
		}
		kind := "library " + path
		if generatedModule.MatchString(path) {
			kind = "generated"
		}
		out[kind+" modules"]++
		for _, r := range m.Rules {
			out[kind+" rule "+translator.RuleKind(r)]++
		}
	}
	return out
}
