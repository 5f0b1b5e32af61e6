package lint

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/lint")

const testdata = "../../testdata/lint"

// golden compares the report's lines (findings, then errors) with a golden
// file; -update rewrites it.
func golden(t *testing.T, name string, r *Report) {
	t.Helper()
	var b strings.Builder
	for _, list := range [][]*schema.Error{r.Findings, r.Errors} {
		for _, e := range list {
			b.WriteString(strings.TrimPrefix(e.Error(), testdata+"/") + "\n")
		}
	}
	path := filepath.Join(testdata, name)
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./analysis/lint -update)", err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("%s differs (go test ./analysis/lint -update rewrites it); got:\n%s", name, got)
	}
}

// fixtureCode is the rule a seeded fixture is named after: CODE.json or
// CODE-N.json.
var fixtureName = regexp.MustCompile(`^([a-z_]+)(-[0-9]+)?\.json$`)

// TestSeededFindings lints one fixture (or more) per rule: every fixture
// must report its rule, every rule must have a fixture, and the whole set
// must match findings.golden.
func TestSeededFindings(t *testing.T) {
	dir := filepath.Join(testdata, "findings")
	r := Run(Inputs{Paths: []string{dir}})
	if len(r.Errors) > 0 {
		t.Fatalf("input errors: %v", r.Errors)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 30 || r.Policies != len(entries) {
		t.Fatalf("%d fixtures, %d linted; want at least 30, all linted", len(entries), r.Policies)
	}
	covered := map[string]bool{}
	for _, e := range entries {
		m := fixtureName.FindStringSubmatch(e.Name())
		if m == nil {
			t.Errorf("%s: fixture names are CODE.json or CODE-N.json", e.Name())
			continue
		}
		if ruleOf(m[1]).Short == "" {
			t.Errorf("%s: %q is not a rule code", e.Name(), m[1])
		}
		covered[m[1]] = true
		file := filepath.Join(dir, e.Name())
		if !slices.ContainsFunc(r.Findings, func(f *schema.Error) bool { return f.File == file && f.Code == m[1] }) {
			t.Errorf("%s: the seeded %s finding is not reported", e.Name(), m[1])
		}
	}
	for _, rule := range Rules {
		// Optional rules and those about the configuration have their
		// fixtures under config/ (config_test.go).
		if !covered[rule.Code] && !rule.Optional() && !rule.aboutConfig() {
			t.Errorf("rule %s has no fixture in %s", rule.Code, dir)
		}
	}
	for _, f := range r.Findings {
		if want := ruleOf(f.Code).Severity; f.Severity != want || f.Message == "" || f.Pointer == "" {
			t.Errorf("%s: severity %s (rule: %s), empty message or pointer", f.Error(), f.Severity, want)
		}
	}
	golden(t, "findings.golden", r)
}

// TestLeastPrivilegeClean: realistic least-privilege policies lint clean,
// but for one true warning the configuration of testdata/lint/config/clean.json
// suppresses (a CI job that pushes images needs an ECR token).
func TestLeastPrivilegeClean(t *testing.T) {
	r := Run(Inputs{Paths: []string{filepath.Join(testdata, "clean")}})
	if r.Policies < 9 {
		t.Errorf("linted %d policies, want the 9 of testdata/lint/clean", r.Policies)
	}
	c, err := LoadConfig(filepath.Join(testdata, "config", "clean.json"))
	if err != nil {
		t.Fatal(err)
	}
	Apply(r, c, time.Now())
	for _, e := range append(r.Findings, r.Errors...) {
		t.Errorf("least-privilege example: %s", e.Error())
	}
	if len(r.Suppressed) != 1 || r.Suppressed[0].Finding.Code != CodeCredentialsExposure {
		t.Errorf("suppressed %v, want the ECR token's credentials_exposure", r.Suppressed)
	}
}

// TestPrincipalEscalationPaths lints a build folder: a path is reported per
// principal over what it holds through groups and managed policies, and
// not when a Deny or the permissions boundary takes an action away.
func TestPrincipalEscalationPaths(t *testing.T) {
	r := Run(Inputs{Paths: []string{filepath.Join(testdata, "account")}})
	if len(r.Errors) > 0 {
		t.Fatalf("input errors: %v", r.Errors)
	}
	if r.Principals != 5 {
		t.Errorf("%d principals checked, want 5 (3 users, 2 roles)", r.Principals)
	}
	paths := map[string]bool{}
	for _, f := range r.Findings {
		if f.Code == CodeEscalationPath {
			who := f.Subject.Principal
			paths[who[strings.LastIndexByte(who, '/')+1:]] = true
		}
	}
	want := map[string]bool{"alice": true, "deployer": true}
	if len(paths) != len(want) || !paths["alice"] || !paths["deployer"] {
		t.Errorf("escalation paths held by %v, want alice (group's policies) and deployer only (bob's Deny and carol's boundary remove iam:PassRole)", paths)
	}
	golden(t, "account.golden", r)
}

// TestExampleAccount: the GenAI example account (testdata/example) has two
// findings; one is on the AWS managed AWSLambdaBasicExecutionRole (logs write
// actions on "*"); its bedrock:* policy is a permissions boundary, which
// grants nothing.
func TestExampleAccount(t *testing.T) {
	ex := "../../testdata/example/"
	r := Run(Inputs{Build: account.Inputs{
		AccountDetails: []string{ex + "account-details.json"},
		Org:            ex + "organization.json",
		Resources:      []string{ex + "resource-policies.json"},
	}})
	if len(r.Errors) > 0 {
		t.Fatalf("input errors: %v", r.Errors)
	}
	// And AmazonBedrockReadOnly grants sagemaker:DescribeInferenceComponent
	// on endpoint, endpoint-config and model ARNs only: the action acts on
	// inference components (resource_type_mismatch).
	if len(r.Findings) != 2 || r.Findings[0].Code != CodeResourceTypeMismatch ||
		r.Findings[0].File != "arn:aws:iam::aws:policy/AmazonBedrockReadOnly" || r.Findings[1].Code != CodeWriteOnAnyResource ||
		r.Findings[1].File != "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" {
		t.Errorf("findings = %v, want resource_type_mismatch on AmazonBedrockReadOnly and write_on_any_resource on AWSLambdaBasicExecutionRole", r.Findings)
	}
	if r.Principals == 0 || r.Policies < 10 {
		t.Errorf("checked %d principals, %d policies", r.Principals, r.Policies)
	}
}

// TestSARIFValidates checks the SARIF output against the official SARIF
// 2.1.0 schema (OASIS, errata 01; testdata/sarif/ORIGIN.md).
func TestSARIFValidates(t *testing.T) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft4
	sch, err := c.Compile("../../testdata/sarif/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	reports := map[string]*Report{
		"findings":   Run(Inputs{Paths: []string{filepath.Join(testdata, "findings"), filepath.Join(testdata, "account")}}),
		"clean":      Run(Inputs{Paths: []string{filepath.Join(testdata, "clean")}}),
		"errors":     Run(Inputs{Paths: []string{filepath.Join(testdata, "bad", "syntax.json"), "no such file.json"}}),
		"configured": configuredWithBaseline(t),
	}
	for name, r := range reports {
		var buf bytes.Buffer
		if err := Write(&buf, r, "sarif", "test"); err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(doc); err != nil {
			t.Errorf("%s: SARIF output does not validate: %#v", name, err)
		}
		// The schema is live: a level SARIF does not define is refused.
		broken := bytes.Replace(buf.Bytes(), []byte(`"level": "error"`), []byte(`"level": "fatal"`), 1)
		var bad any
		if err := json.Unmarshal(broken, &bad); err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(bad); err == nil && !bytes.Equal(broken, buf.Bytes()) {
			t.Errorf("%s: a SARIF log with level \"fatal\" validates", name)
		}
		var log struct {
			Runs []struct {
				Tool struct {
					Driver struct{ Rules []struct{ ID string } }
				}
				Results []struct {
					RuleID    string
					Level     string
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct{ URI string }
							Region           struct{ StartLine, StartColumn int }
						}
						LogicalLocations []struct{ FullyQualifiedName string }
					}
				}
				Invocations []struct{ ToolExecutionNotifications []any }
			}
		}
		if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
			t.Fatal(err)
		}
		run := log.Runs[0]
		if len(log.Runs) != 1 || len(run.Tool.Driver.Rules) != len(Rules) || len(run.Results) != len(r.Findings)+len(r.Suppressed) ||
			len(run.Invocations[0].ToolExecutionNotifications) != len(r.Errors) {
			t.Errorf("%s: %d runs, %d rules, %d results, %d notifications; want 1, %d, %d, %d", name, len(log.Runs),
				len(run.Tool.Driver.Rules), len(run.Results), len(run.Invocations[0].ToolExecutionNotifications), len(Rules), len(r.Findings), len(r.Errors))
		}
		for i, res := range run.Results {
			if i >= len(r.Findings) {
				break // the suppressed ones: TestSARIFSuppressions
			}
			f := r.Findings[i]
			loc := res.Locations[0]
			if res.RuleID != f.Code || res.Level != level(f.Severity) || loc.PhysicalLocation.ArtifactLocation.URI == "" ||
				loc.LogicalLocations[0].FullyQualifiedName != f.Pointer {
				t.Errorf("%s: result %d = %+v, want %s", name, i, res, f.Error())
			}
			if r := loc.PhysicalLocation.Region; !strings.HasPrefix(f.File, "arn:") && (r.StartLine < 1 || r.StartColumn < 1) {
				t.Errorf("%s: result %d (%s) has no region", name, i, f.Error())
			}
		}
	}
	if n := len(reports["errors"].Errors); n != 2 {
		t.Errorf("errors: %d input errors, want 2", n)
	}
}

// TestInputErrors: a broken file is a coded error naming the file and a
// pointer; a missing one too; nothing panics, and the other inputs are
// still linted.
func TestInputErrors(t *testing.T) {
	bad := filepath.Join(testdata, "bad")
	r := Run(Inputs{Paths: []string{bad, filepath.Join(testdata, "findings", "action_wildcard.json"), "nonexistent.json"}})
	if len(r.Findings) == 0 {
		t.Error("the good file was not linted")
	}
	golden(t, "bad.golden", &Report{Errors: r.Errors})
	for _, e := range r.Errors {
		if e.Code == "" || e.File == "" || e.Severity != schema.SeverityError {
			t.Errorf("uncoded error: %+v", e)
		}
	}
}

func TestFails(t *testing.T) {
	warn := &Report{Findings: []*schema.Error{{Code: CodeServiceWildcard, Severity: schema.SeverityWarning}}}
	errs := &Report{Findings: []*schema.Error{{Code: CodeActionWildcard, Severity: schema.SeverityError}}}
	for _, tc := range []struct {
		r         *Report
		threshold string
		want      bool
	}{
		{warn, "error", false}, {warn, "warning", true}, {warn, "none", false},
		{errs, "error", true}, {errs, "warning", true}, {errs, "none", false},
		{&Report{}, "warning", false},
	} {
		if got := Fails(tc.r, tc.threshold); got != tc.want {
			t.Errorf("Fails(%v, %s) = %v, want %v", tc.r.Findings, tc.threshold, got, tc.want)
		}
	}
}

// TestManagedPolicyByName: an AWS managed policy is linted by name or ARN.
func TestManagedPolicyByName(t *testing.T) {
	byName := Run(Inputs{Paths: []string{"AmazonBedrockFullAccess"}})
	byARN := Run(Inputs{Paths: []string{"arn:aws:iam::aws:policy/AmazonBedrockFullAccess"}})
	if len(byName.Errors)+len(byARN.Errors) > 0 || len(byName.Findings) == 0 || len(byName.Findings) != len(byARN.Findings) {
		t.Errorf("by name: %v %v; by ARN: %v %v", byName.Findings, byName.Errors, byARN.Findings, byARN.Errors)
	}
	if !slices.ContainsFunc(byName.Findings, func(f *schema.Error) bool { return f.Code == CodeBedrockAnyModel }) {
		t.Error("AmazonBedrockFullAccess: no bedrock_any_model finding")
	}
}

// TestRulesDocumented: every rule is in README.md's table, with its
// severity.
func TestRulesDocumented(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Rules {
		if !bytes.Contains(readme, []byte("| `"+r.Code+"` | "+string(r.Severity)+" |")) {
			t.Errorf("README.md has no row | `%s` | %s |", r.Code, r.Severity)
		}
	}
}

// TestAWSManagedPolicies: what lint says of well-known AWS managed
// policies, rule by rule.
func TestAWSManagedPolicies(t *testing.T) {
	for name, want := range map[string][]string{
		"AdministratorAccess": {CodeActionWildcard, CodeBedrockAnyModel, CodeCredentialsExposure, CodeDataExfiltration, CodePassRoleOnAny,
			CodePrivilegeEscalation, CodeEscalationPath, CodeResourceExposure, CodeWriteOnAnyResource},
		// NotAction iam:*, organizations:*, account:*: lambda:UpdateFunctionCode
		// and glue:UpdateDevEndpoint remain, and so do the paths without
		// iam:PassRole (EC2 user data, CloudFormation change sets); the
		// PassRole paths do not.
		"PowerUserAccess": {CodeAllowNotAction, CodeBedrockAnyModel, CodeCredentialsExposure, CodeDataExfiltration, CodePrivilegeEscalation,
			CodeEscalationPath, CodeResourceExposure, CodeWriteOnAnyResource},
		"AmazonS3ReadOnlyAccess": {CodeDataExfiltration},
		// iam:CreateServiceSpecificCredential returns credentials.
		"IAMFullAccess": {CodeCredentialsExposure, CodePassRoleOnAny, CodePrivilegeEscalation, CodeResourceExposure, CodeServiceWildcard, CodeWriteOnAnyResource},
		// Passes roles only to application-autoscaling and dax: no path
		// (issue 20's false finding), though it holds lambda:CreateFunction
		// and datapipeline:* on "*".
		"AmazonDynamoDBFullAccess": {CodePassRoleOnAny, CodeResourceExposure, CodeServiceWildcard, CodeWriteOnAnyResource},
	} {
		r := Run(Inputs{Paths: []string{name}})
		var got []string
		for _, f := range r.Findings {
			if !slices.Contains(got, f.Code) {
				got = append(got, f.Code)
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) || len(r.Errors) > 0 {
			t.Errorf("%s: codes %v, want %v (errors %v)", name, got, want, r.Errors)
		}
	}
}
