package lint

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iam2rego/iam2rego/schema"
)

var configDir = filepath.Join(testdata, "config")

// day is a date for Apply.
func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// configured lints testdata/lint/config/policies (with the optional rule)
// under a configuration of testdata/lint/config.
func configured(t *testing.T, name string, now time.Time) *Report {
	t.Helper()
	c, err := LoadConfig(filepath.Join(configDir, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	r := Run(Inputs{Paths: []string{filepath.Join(configDir, "policies")}, Enable: append([]string{CodeReadOnAnyResource}, c.Enable...)})
	if len(r.Errors) > 0 {
		t.Fatalf("input errors: %v", r.Errors)
	}
	Apply(r, c, now)
	return r
}

// where lists findings as "file-base pointer code".
func where(list []*schema.Error) []string {
	var out []string
	for _, f := range list {
		out = append(out, filepath.Base(f.File)+" "+f.Pointer+" "+f.Code)
	}
	return out
}

// TestConfigErrors: each bad configuration (or baseline) is refused with
// diagnostics naming the file, the JSON pointer and the code; nothing
// panics, and every problem of a file is reported at once.
func TestConfigErrors(t *testing.T) {
	bad := filepath.Join(configDir, "bad")
	for file, want := range map[string][]string{
		"unknown-codes.json": {
			"/enable/0 schema_enum", "/enable/1 schema_enum", "/severity/service_wildcards schema_enum",
			"/suppressions/0/rules/1 schema_enum", "/suppressions/1/rules/0 schema_enum",
		},
		"shape.json": {
			"/ignore schema_unknown_member", "/severity/service_wildcard schema_enum", "/suppressions/0 schema_required",
			"/suppressions/1/reason schema_pattern", "/suppressions/2/expires schema_pattern",
			"/suppressions/3/actions schema_unknown_member", "/suppressions/3/policy schema_pattern",
		},
		"semantics.json": {"/suppressions/0 schema_required", "/suppressions/1/expires schema_pattern"},
		"syntax.json":    {"/ json_syntax"},
		"missing.json":   nil, // unreadable: checked below
	} {
		path := filepath.Join(bad, file)
		c, err := LoadConfig(path)
		var got []string
		for _, e := range schema.List(err) {
			if e.File != path || e.Message == "" || e.Severity != schema.SeverityError {
				t.Errorf("%s: %+v does not name the file, or has no message", file, e)
			}
			got = append(got, pointerOf(e)+" "+e.Code)
		}
		if file == "missing.json" {
			// An unreadable file: whatever its code, one diagnostic.
			if c != nil || len(got) != 1 || !strings.HasPrefix(got[0], "/ ") {
				t.Errorf("%s: %v, %v; want one diagnostic at /", file, c, got)
			}
			continue
		}
		if c != nil || !slices.Equal(got, want) {
			t.Errorf("%s:\n got %q\nwant %q", file, got, want)
		}
	}
	_, err := LoadBaseline(filepath.Join(bad, "baseline.json"))
	var got []string
	for _, e := range schema.List(err) {
		got = append(got, e.Pointer+" "+e.Code)
	}
	want := []string{"/findings/0/count schema_violation", "/findings/0/fingerprint schema_pattern", "/findings/1 schema_required", "/version schema_enum"}
	if !slices.Equal(got, want) {
		t.Errorf("baseline.json:\n got %q\nwant %q", got, want)
	}
}

// TestSeverityOverrides: "off" drops a rule's findings, error and warning
// replace its severity, and an optional rule runs when enabled.
func TestSeverityOverrides(t *testing.T) {
	r := configured(t, "severity.json", day(t, "2026-06-01"))
	codes := map[string]schema.Severity{}
	for _, f := range r.Findings {
		codes[f.Code] = f.Severity
	}
	if _, ok := codes[CodeWriteOnAnyResource]; ok {
		t.Error("write_on_any_resource is off, yet reported")
	}
	if codes[CodeServiceWildcard] != schema.SeverityError || codes[CodeReadOnAnyResource] != schema.SeverityWarning ||
		codes[CodePassRoleOnAny] != schema.SeverityError {
		t.Errorf("severities %v; want service_wildcard raised to error, the others as the rules say", codes)
	}
	if len(r.Suppressed) != 0 || !Fails(r, "error") {
		t.Errorf("suppressed %d; Fails(error) = %v", len(r.Suppressed), Fails(r, "error"))
	}
}

// TestSuppressions: a suppression selects a finding when every selector
// matches, every action and resource included; a finding naming an action
// the suppression does not cover stays; a suppression past its date no
// longer applies and is reported, as is one that selects nothing.
func TestSuppressions(t *testing.T) {
	r := configured(t, "suppressions.json", day(t, "2026-06-01"))
	var suppressed []string
	for _, s := range r.Suppressed {
		suppressed = append(suppressed, filepath.Base(s.Finding.File)+" "+s.Finding.Pointer+" "+s.Finding.Code+" by "+s.By.Pointer)
	}
	want := []string{
		"logs.json /Statement/0/Resource write_on_any_resource by /suppressions/0",
		"wildcards.json /Statement/0/Action/1 service_wildcard by /suppressions/4",
	}
	if !slices.Equal(suppressed, want) {
		t.Errorf("suppressed\n %q\nwant %q", suppressed, want)
	}
	wantKept := []string{
		"reads.json /Statement/0/Resource read_on_any_resource", // dynamodb:Get* does not cover dynamodb:Query
		"wildcards.json /Statement/0/Action/0 service_wildcard",
		"wildcards.json /Statement/1/Resource passrole_on_any_resource", // its suppression expired
		"wildcards.json /Statement/1/Resource write_on_any_resource",
		"suppressions.json /suppressions/1 stale_suppression",
		"suppressions.json /suppressions/2/expires expired_suppression",
		"suppressions.json /suppressions/3 stale_suppression", // a principal selector never matches a document finding
	}
	if got := where(r.Findings); !slices.Equal(got, wantKept) {
		t.Errorf("findings\n %q\nwant %q", got, wantKept)
	}
	if !Fails(r, "error") {
		t.Error("the passrole finding of an expired suppression does not fail the run")
	}
	// Before its date, the expired suppression applied: nothing at error
	// severity is left.
	early := configured(t, "suppressions.json", day(t, "2020-01-31"))
	if Fails(early, "error") || len(early.Suppressed) != 3 {
		t.Errorf("on 2020-01-31: Fails(error) = %v, %d suppressed; want false, 3", Fails(early, "error"), len(early.Suppressed))
	}
	if late := configured(t, "suppressions.json", day(t, "2020-02-01")); len(late.Suppressed) != 2 {
		t.Errorf("on 2020-02-01, the day after expires: %d suppressed, want 2", len(late.Suppressed))
	}
}

// TestSuppressionSelectors: each selector on its own, on one finding.
func TestSuppressionSelectors(t *testing.T) {
	f := &schema.Error{Code: CodeWriteOnAnyResource, File: "policies/app.json", Subject: &schema.Subject{
		Policy: "app.json", Actions: []string{"s3:putobject", "s3:deleteobject"}, Resources: []string{"arn:aws:s3:::app/*"}}}
	held := &schema.Error{Code: CodeEscalationPath, File: "gaad.json", Subject: &schema.Subject{
		Policy: "deploy", Principal: "arn:aws:iam::111122223333:role/ci/deployer", Actions: []string{"iam:passrole"}}}
	for _, tc := range []struct {
		s    Suppression
		f    *schema.Error
		want bool
	}{
		{Suppression{Rules: []string{CodeWriteOnAnyResource}}, f, true},
		{Suppression{Rules: []string{CodeServiceWildcard}}, f, false},
		{Suppression{Policy: "app.json"}, f, true},
		{Suppression{Policy: "policies/*"}, f, true}, // the file
		{Suppression{Policy: "App.json"}, f, false},  // policies are case-sensitive
		{Suppression{Action: "S3:*Object"}, f, true}, // actions are not
		{Suppression{Action: "s3:Put*"}, f, false},   // s3:deleteobject is not covered
		{Suppression{Resource: "arn:aws:s3:::app/*"}, f, true},
		{Suppression{Resource: "arn:aws:s3:::other/*"}, f, false},
		{Suppression{Principal: "*"}, f, false}, // no principal
		{Suppression{Principal: "arn:aws:iam::111122223333:role/ci/*"}, held, true},
		{Suppression{Principal: "arn:aws:iam::111122223333:role/*", Action: "iam:PassRole"}, held, true},
		{Suppression{Principal: "arn:aws:iam::111122223333:user/*"}, held, false},
		{Suppression{Resource: "*"}, held, false}, // no resources
		{Suppression{Policy: "*"}, &schema.Error{Code: CodeUnknownAction, File: "a.json"}, true},
	} {
		if got := tc.s.matches(tc.f); got != tc.want {
			t.Errorf("%+v matches %s = %v, want %v", tc.s, tc.f.Code, got, tc.want)
		}
	}
}

func TestGlob(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"*", "anything/at:all", true},
		{"*", "", false},
		{"arn:aws:iam::*:role/*", "arn:aws:iam::111122223333:role/a/b", true},
		{"arn:aws:iam::*:role/*", "arn:aws:iam::111122223333:user/a", false},
		{"s3:Get?bject", "s3:GetObject", true},
		{"s3:Get?bject", "s3:GetObjects", false},
		{"*a*b*c", "xaxbxbxc", true},
		{"*a*b*c", "xaxbxbxcd", false},
		{"exact", "exact", true},
		{"exact", "Exact", false},
		{strings.Repeat("*a", 30) + "b", strings.Repeat("a", 200), false}, // no exponential backtracking
	} {
		if got := glob(tc.pattern, tc.s); got != tc.want {
			t.Errorf("glob(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}

// TestReadOnAnyResource: the optional rule is off by default, and on
// when enabled it reports reads on "*", not reads on named resources.
func TestReadOnAnyResource(t *testing.T) {
	file := filepath.Join(configDir, "policies", "reads.json")
	off := Run(Inputs{Paths: []string{file}})
	on := Run(Inputs{Paths: []string{file}, Enable: []string{CodeReadOnAnyResource}})
	if len(off.Findings) != 0 {
		t.Errorf("not enabled, yet: %v", off.Findings)
	}
	if got := where(on.Findings); !slices.Equal(got, []string{"reads.json /Statement/0/Resource read_on_any_resource"}) {
		t.Errorf("enabled: %q", got)
	}
	if f := on.Findings[0]; !strings.HasPrefix(f.Message, "2 read actions on every resource: dynamodb:getitem, dynamodb:query") ||
		f.Subject == nil || !slices.Equal(f.Subject.Actions, []string{"dynamodb:getitem", "dynamodb:query"}) {
		t.Errorf("finding %s, subject %+v", f.Error(), f.Subject)
	}
	if !ruleOf(CodeReadOnAnyResource).Optional() || ruleOf(CodeWriteOnAnyResource).Optional() {
		t.Error("read_on_any_resource must be the optional one")
	}
}
