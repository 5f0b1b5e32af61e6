package cmd

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

// widenedExample copies the example's inputs with the Lambda role's
// invoke-one-model policy widened from the Haiku model to every model in
// every region (the README's diff example) and returns the flags that
// build it as NEW.
func widenedExample(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"account-details.json", "organization.json", "resource-policies.json"} {
		data := readFileT(t, filepath.Join(exDir, f))
		if f == "account-details.json" {
			widened := bytes.Replace(data, []byte(`"Resource": "`+exHaiku+`"`), []byte(`"Resource": "arn:aws:bedrock:*::foundation-model/*"`), 1)
			if bytes.Equal(widened, data) {
				t.Fatal("the example no longer has the Haiku-only statement")
			}
			data = widened
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return []string{"--new-account-details", filepath.Join(dir, "account-details.json"),
		"--new-org", filepath.Join(dir, "organization.json"),
		"--new-resource-policies", filepath.Join(dir, "resource-policies.json")}
}

func TestDiffWidenedLambdaPolicy(t *testing.T) {
	old := exBundle(t)
	newFlags := widenedExample(t)
	args := append(append([]string{"diff"}, newFlags...), old)

	code, stdout, stderr := runCLI(t, "", args...)
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{
		exInvoke + "  bedrock:InvokeModel  arn:aws:bedrock:us-east-1::foundation-model/x",
		`Allow Sid "InvokeHaikuOnly" of ` + exInvoke + " inline invoke-one-model (identity) at ",
		"/RoleDetailList/0/RolePolicyList/0/PolicyDocument/Statement/0",
		"removed access (0):",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("pretty output lacks %q:\n%s", want, stdout)
		}
	}
	// TestREADME runs the README's example of this diff and checks its
	// output.

	code, _, stderr = runCLI(t, "", append([]string{"diff", "--fail-on-new-access"}, args[1:]...)...)
	if code != exitFailed || !strings.Contains(stderr, "new accesses") {
		t.Errorf("--fail-on-new-access: exit %d, stderr %q", code, stderr)
	}

	code, stdout, _ = runCLI(t, "", append([]string{"diff", "--format", "json"}, args[1:]...)...)
	var rep struct {
		Added []struct {
			Principal, Action string
			Statements        []struct{ Sid string }
		}
		Removed []any
	}
	if err := json.Unmarshal([]byte(stdout), &rep); code != exitOK || err != nil {
		t.Fatalf("json: exit %d, %v", code, err)
	}
	if len(rep.Added) != 2 || len(rep.Removed) != 0 {
		t.Errorf("json: %d added, %d removed, want 2 and 0:\n%s", len(rep.Added), len(rep.Removed), stdout)
	}
	for _, a := range rep.Added {
		if a.Principal != exInvoke || !strings.HasPrefix(a.Action, "bedrock:InvokeModel") || len(a.Statements) != 1 || a.Statements[0].Sid != "InvokeHaikuOnly" {
			t.Errorf("json: unexpected %+v", a)
		}
	}
}

// The SARIF output validates against the SARIF 2.1.0 JSON Schema
// (testdata/sarif: the OASIS schema, as securego/gosec ships it), has one
// result per new access, located at the granting statement.
func TestDiffSARIF(t *testing.T) {
	old := exBundle(t)
	newFlags := widenedExample(t)
	code, stdout, stderr := runCLI(t, "", append(append([]string{"diff", "--format", "sarif"}, newFlags...), old)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft4
	sch, err := c.Compile("testdata/sarif/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Errorf("not valid SARIF 2.1.0: %v", err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
					}
					LogicalLocations []struct{ FullyQualifiedName string }
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("%v: %s", err, stdout)
	}
	if n := len(log.Runs[0].Results); n != 2 {
		t.Fatalf("%d results, want 2", n)
	}
	for _, r := range log.Runs[0].Results {
		if len(r.Locations) != 1 || !strings.HasSuffix(r.Locations[0].PhysicalLocation.ArtifactLocation.URI, "account-details.json") ||
			r.Locations[0].LogicalLocations[0].FullyQualifiedName != "/RoleDetailList/0/RolePolicyList/0/PolicyDocument/Statement/0" {
			t.Errorf("result %+v does not point at the granting statement", r)
		}
	}
}

func TestDiffSameAccountIsQuiet(t *testing.T) {
	old := exBundle(t)
	code, stdout, stderr := runCLI(t, "", "diff", "--fail-on-new-access", old, old)
	if code != exitOK || !strings.Contains(stdout, "new access (0):") || !strings.Contains(stdout, "5 principals (5 unchanged)") {
		t.Errorf("exit %d\n%s%s", code, stdout, stderr)
	}
}

func TestDiffProbeBound(t *testing.T) {
	old := exBundle(t)
	args := append(append([]string{"diff", "--max-probes", "1", "--fail-on-new-access"}, widenedExample(t)...), old)
	code, stdout, stderr := runCLI(t, "", args...)
	if code != exitFailed || !strings.Contains(stdout, "incomplete: the probe bound 1 was hit") || !strings.Contains(stderr, "incomplete") {
		t.Errorf("exit %d\n%s%s", code, stdout, stderr)
	}
}

func TestDiffInputErrors(t *testing.T) {
	old := exBundle(t)
	// A bundle from before documents were stored cannot be analysed.
	b, err := bundles.ReadFile(old, nil)
	if err != nil {
		t.Fatal(err)
	}
	delete(b.Data["iam2rego"].(map[string]any), "documents")
	stale := filepath.Join(t.TempDir(), "stale.tar.gz")
	if err := bundles.WriteFile(stale, b); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{old}, "diff needs OLD and NEW"},
		{[]string{old, old, old}, "got 1 more arguments"},
		{[]string{"--format", "xml", old, old}, "--format must be pretty, json, sarif or markdown"},
		{[]string{old, filepath.Join(t.TempDir(), "missing.tar.gz")}, "missing.tar.gz"},
		{[]string{stale, old}, "stale.tar.gz: the bundle is not self-consistent (modules): data.iam2rego.documents is missing or not an object (a bundle from an older iam2rego: rebuild it)"},
		{[]string{old, "testdata/invalid/folder-missing-file"}, "(invalid_path)"},
		{[]string{"--new-org", "x.json", old}, "need --new-account-details"},
	} {
		code, stdout, stderr := runCLI(t, "", append([]string{"diff"}, tc.args...)...)
		if code != exitBadData || !strings.Contains(stderr, tc.want) || stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", tc.args, code, stdout, stderr, tc.want)
		}
	}
}

// Between two bundle files, a SARIF result points at the granting
// statement inside the NEW bundle's documents.
func TestDiffBundlesSARIFPointsIntoTheBundle(t *testing.T) {
	old := exBundle(t)
	flags := widenedExample(t)
	newBundle := filepath.Join(t.TempDir(), "new.tar.gz")
	if code, _, stderr := runCLI(t, "", "build", "--account-details", flags[1], "--org", flags[3], "--resource-policies", flags[5], "-o", newBundle); code != exitOK {
		t.Fatal(stderr)
	}
	code, stdout, stderr := runCLI(t, "", "diff", "--format", "sarif", "--fail-on-new-access", old, newBundle)
	if code != exitFailed {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct{ ArtifactLocation struct{ URI string } }
					LogicalLocations []struct{ FullyQualifiedName string }
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &log); err != nil || len(log.Runs) != 1 || len(log.Runs[0].Results) != 2 {
		t.Fatalf("%v: %s", err, stdout)
	}
	for _, r := range log.Runs[0].Results {
		loc := r.Locations[0]
		fqn := loc.LogicalLocations[0].FullyQualifiedName
		if loc.PhysicalLocation.ArtifactLocation.URI != newBundle || !strings.HasPrefix(fqn, "/iam2rego/documents/p") || !strings.HasSuffix(fqn, "/Statement/0") {
			t.Errorf("location %+v", loc)
		}
	}
}

// OLD given as build flags: narrowing the policy back removes the access,
// and the guard does not fail on removed access.
func TestDiffOldFromBuildFlags(t *testing.T) {
	newBundle := exBundle(t)
	flags := widenedExample(t)
	for i := range flags {
		flags[i] = strings.Replace(flags[i], "--new-", "--old-", 1)
	}
	code, stdout, stderr := runCLI(t, "", append(append([]string{"diff", "--fail-on-new-access"}, flags...), newBundle)...)
	if code != exitOK || !strings.Contains(stdout, "new access (0):") || !strings.Contains(stdout, "removed access (2):") ||
		!strings.Contains(stdout, `Allow Sid "InvokeHaikuOnly"`) {
		t.Errorf("exit %d\n%s%s", code, stdout, stderr)
	}
}

// With --verification-key, both bundle arguments must carry a valid
// signature.
func TestDiffVerifiesSignatures(t *testing.T) {
	priv, pub := rsaKeyFiles(t)
	_, otherPub := rsaKeyFiles(t)
	signed := exBundle(t, "--signing-key", priv)
	if code, stdout, stderr := runCLI(t, "", "diff", "--verification-key", pub, signed, signed); code != exitOK || !strings.Contains(stdout, "new access (0):") {
		t.Errorf("right key: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, args := range [][]string{{"--verification-key", otherPub, signed, signed}, {"--verification-key", pub, signed, exBundle(t)}} {
		if code, stdout, stderr := runCLI(t, "", append([]string{"diff"}, args...)...); code != exitBadData || stdout != "" || !strings.Contains(stderr, "verif") && !strings.Contains(stderr, ".signatures.json") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
}
