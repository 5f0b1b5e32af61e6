package cmd

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/translator"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/rego/cases"
)

// The GenAI example account of `make demo`.
const (
	exDir       = "testdata/example"
	exRequests  = exDir + "/requests.jsonl"
	exExpected  = exDir + "/requests.expected.json"
	exAlice     = "arn:aws:iam::111111111111:user/developers/alice"
	exInvoke    = "arn:aws:iam::111111111111:role/service-role/genai-invoke-role"
	exHaiku     = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
	gaadCorpus  = "../shared/corpus/gaad-small.json"
	exAccountID = "111111111111"
)

// exBuildArgs are the `iam2rego build` flags of the example, read from dir.
func exBuildArgs(dir, out string) []string {
	return []string{"build",
		"--account-details", filepath.Join(dir, "account-details.json"),
		"--org", filepath.Join(dir, "organization.json"),
		"--resource-policies", filepath.Join(dir, "resource-policies.json"),
		"-o", out}
}

// exBundle builds the example into a temporary file with the CLI.
func exBundle(t *testing.T, extra ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "example.tar.gz")
	code, stdout, stderr := runCLI(t, "", append(exBuildArgs(exDir, out), extra...)...)
	if code != exitOK {
		t.Fatalf("iam2rego build: exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "wrote "+out) {
		t.Errorf("build did not report what it wrote: %q", stderr)
	}
	return out
}

// evalLine is one line of `eval --bundle` output.
type evalLine struct {
	ID       any    `json:"id"`
	Decision string `json:"decision"`
	Error    string `json:"error"`
	Explain  *struct {
		Step       string `json:"step"`
		Reason     string `json:"reason"`
		Statements []struct {
			Policy, Type, Effect, Sid string
		} `json:"statements"`
	} `json:"explain"`
}

func evalLines(t *testing.T, stdout string) []evalLine {
	t.Helper()
	var out []evalLine
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		if l == "" {
			continue
		}
		var e evalLine
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("output line %q: %v", l, err)
		}
		out = append(out, e)
	}
	return out
}

func readFileT(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// --- build ------------------------------------------------------------

func TestBuildTwiceIsByteIdentical(t *testing.T) {
	a, b := exBundle(t), exBundle(t)
	if !bytes.Equal(readFileT(t, a), readFileT(t, b)) {
		t.Errorf("two `iam2rego build` runs of the example differ")
	}
	if _, err := os.Stat(gaadCorpus); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s not present", gaadCorpus)
	}
	var outs [][]byte
	for range 2 {
		out := filepath.Join(t.TempDir(), "gaad.tar.gz")
		code, stdout, stderr := runCLI(t, "", "build", "--account-details", gaadCorpus, "-o", out)
		if code != exitOK {
			t.Fatalf("build of %s: exit %d\n%s%s", gaadCorpus, code, stdout, stderr)
		}
		outs = append(outs, readFileT(t, out))
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Errorf("two builds of %s differ", gaadCorpus)
	}
}

func TestBuildRejectsBadInputAndKeepsTheOutput(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"account-details.json", "organization.json", "resource-policies.json"} {
		data := readFileT(t, filepath.Join(exDir, f))
		if f == "account-details.json" {
			// alice's inline policy, the first statement of the file
			i := bytes.Index(data, []byte(`"Effect": "Allow"`))
			if i < 0 {
				t.Fatal(`no "Effect": "Allow" in the example`)
			}
			data = slices.Concat(data[:i], []byte(`"Effect": "allow"`), data[i+len(`"Effect": "Allow"`):])
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	outDir := t.TempDir()
	out := filepath.Join(outDir, "bundle.tar.gz")
	old := readFileT(t, exBundle(t))
	if err := os.WriteFile(out, old, 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "", exBuildArgs(dir, out)...)
	if code != exitBadData {
		t.Fatalf("exit %d, want 2\n%s%s", code, stdout, stderr)
	}
	bad := filepath.Join(dir, "account-details.json")
	for _, want := range []string{bad, "/UserDetailList/0/UserPolicyList/0/PolicyDocument/Statement/0/Effect", "invalid_effect"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr %q does not name %q", stderr, want)
		}
	}
	if strings.Contains(stderr, "wrote ") {
		t.Errorf("a failed build says it wrote something: %q", stderr)
	}
	if got := readFileT(t, out); !bytes.Equal(got, old) {
		t.Errorf("a failed build changed the existing %s", out)
	}
	entries, _ := os.ReadDir(outDir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("output directory holds %v after a failed build", names)
	}
}

// --- eval --bundle ------------------------------------------------------

type expectedDecision struct {
	ID         string   `json:"id"`
	Decision   string   `json:"decision"`
	Step       string   `json:"step"`
	Statements []string `json:"statements"`
	Why        string   `json:"why"`
}

func TestEvalBundleAnswersTheExampleRequests(t *testing.T) {
	var expected []expectedDecision
	if err := json.Unmarshal(readFileT(t, exExpected), &expected); err != nil {
		t.Fatalf("%s: %v", exExpected, err)
	}
	want := map[string]expectedDecision{}
	for _, e := range expected {
		if e.Why == "" {
			t.Errorf("%s: %s gives no reason", exExpected, e.ID)
		}
		want[e.ID] = e
	}
	b := exBundle(t)
	for _, extra := range [][]string{nil, {"--no-rule-indexing"}} {
		args := append([]string{"eval", "--bundle", b, "--requests", exRequests, "--explain", "--format", "json"}, extra...)
		code, stdout, stderr := runCLI(t, "", args...)
		if code != exitOK {
			t.Fatalf("iam2rego %v: exit %d\n%s", args, code, stderr)
		}
		lines := evalLines(t, stdout)
		if len(lines) != len(expected) {
			t.Errorf("%d decisions for %d expected (%s and %s out of step?)", len(lines), len(expected), exRequests, exExpected)
		}
		seen := map[string]bool{}
		for _, l := range lines {
			id, _ := l.ID.(string)
			seen[id] = true
			w, ok := want[id]
			switch {
			case !ok:
				t.Errorf("request %s has no expected decision in %s", id, exExpected)
				continue
			case l.Error != "":
				t.Errorf("%s: error %s", id, l.Error)
				continue
			case l.Decision != w.Decision:
				t.Errorf("%s %v: got %s, want %s (%s)", id, extra, l.Decision, w.Decision, w.Why)
			}
			if l.Explain == nil {
				t.Errorf("%s: no explanation with --explain", id)
				continue
			}
			if l.Explain.Step != w.Step {
				t.Errorf("%s: step %q, want %q (%s)", id, l.Explain.Step, w.Step, l.Explain.Reason)
			}
			var sids []string
			for _, s := range l.Explain.Statements {
				sids = append(sids, s.Sid)
			}
			for _, sid := range w.Statements {
				if !slices.Contains(sids, sid) {
					t.Errorf("%s: the explanation lists %v, not %s", id, sids, sid)
				}
			}
			if len(w.Statements) == 0 && len(sids) != 0 {
				t.Errorf("%s: an implicit deny explained by statements %v", id, sids)
			}
		}
		for id := range want {
			if !seen[id] {
				t.Errorf("expected request %s was not answered", id)
			}
		}
	}
	// Pretty output: one block per request, with the deciding statement.
	code, stdout, _ := runCLI(t, "", "eval", "--bundle", b, "--requests", exRequests, "--format", "pretty")
	if code != exitOK || !strings.Contains(stdout, "lambda-invokes-haiku-in-eu: ExplicitDeny") || !strings.Contains(stdout, `Deny Sid "DenyBedrockOutsideUsEast1" of SCP DenyBedrockOutsideUsEast1 on OU Workloads`) {
		t.Errorf("pretty output (exit %d):\n%s", code, stdout)
	}
}

func TestEvalBundleSingleRequest(t *testing.T) {
	b := exBundle(t)
	for _, tc := range []struct {
		name, principal, action, resource string
		context                           []string
		want, step, sid, policy           string
	}{
		{"group policy through the group", exAlice, "bedrock:ListFoundationModels", "*", []string{"aws:RequestedRegion=us-east-1"},
			"Allow", "identity", "AmazonBedrockReadOnly", "AmazonBedrockReadOnly (arn:aws:iam::aws:policy/AmazonBedrockReadOnly)"},
		{"context reaches the SCP", exAlice, "bedrock:ListFoundationModels", "*", []string{"aws:RequestedRegion=eu-west-1"},
			"ExplicitDeny", "deny-sweep", "DenyBedrockOutsideUsEast1", "SCP DenyBedrockOutsideUsEast1 on OU Workloads"},
		{"MFA lifts the group's deny", exAlice, "s3:DeleteObject", "arn:aws:s3:::genai-kb-docs/home/alice/draft.txt", []string{"aws:MultiFactorAuthPresent=true", "aws:SecureTransport=true"},
			"ImplicitDeny", "identity", "", ""},
		{"without MFA the deny applies", exAlice, "s3:DeleteObject", "arn:aws:s3:::genai-kb-docs/home/alice/draft.txt", []string{"aws:SecureTransport=true"},
			"ExplicitDeny", "deny-sweep", "DenyDeletesWithoutMFA", "arn:aws:iam::111111111111:group/Developers inline require-mfa-for-deletes"},
		{"role session resolves to its role", "arn:aws:sts::111111111111:assumed-role/genai-invoke-role/chat-1", "bedrock:InvokeModel", exHaiku, []string{"aws:RequestedRegion=us-east-1"},
			"Allow", "identity", "InvokeHaikuOnly", ""},
		{"boundary lets the grant through", "arn:aws:iam::111111111111:role/service-role/genai-agent-role", "bedrock:InvokeModel", exHaiku, []string{"aws:RequestedRegion=us-east-1"},
			"Allow", "identity", "GenAIServicesOnly", "genai-boundary (arn:aws:iam::111111111111:policy/genai-boundary)"},
		{"boundary does not grant", "arn:aws:iam::111111111111:user/bob", "logs:CreateLogGroup", "*", nil,
			"ImplicitDeny", "identity", "", ""},
		{"anonymous meets the RCP", "anonymous", "s3:GetObject", "arn:aws:s3:::genai-kb-docs/docs/handbook.pdf", []string{"aws:SecureTransport=true"},
			"ExplicitDeny", "deny-sweep", "DenyS3OutsideOrg", "RCP DenyS3OutsideOrg on OU Workloads"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"eval", "--format", "json", "--bundle", b, "--principal", tc.principal, "--action", tc.action, "--resource", tc.resource}
			if strings.HasPrefix(tc.resource, "arn:aws:bedrock:us-east-1::") {
				args = append(args, "--resource-account", exAccountID)
			}
			for _, c := range tc.context {
				args = append(args, "--context", c)
			}
			code, stdout, stderr := runCLI(t, "", args...)
			if code != exitOK {
				t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
			}
			lines := evalLines(t, stdout)
			if len(lines) != 1 {
				t.Fatalf("%d lines, want one decision: %q", len(lines), stdout)
			}
			l := lines[0]
			if l.Decision != tc.want || l.Explain == nil || l.Explain.Step != tc.step || l.Explain.Reason == "" {
				t.Fatalf("got %s, want %s explained at step %s", stdout, tc.want, tc.step)
			}
			if tc.sid != "" {
				found := false
				for _, s := range l.Explain.Statements {
					if s.Sid == tc.sid && (tc.policy == "" || s.Policy == tc.policy) {
						found = true
					}
				}
				if !found {
					t.Errorf("explanation %s does not list Sid %s of %q", stdout, tc.sid, tc.policy)
				}
			}
			if code, _, _ := runCLI(t, "", append(args, "--fail-on-deny")...); (code == exitFailed) != (tc.want != "Allow") {
				t.Errorf("--fail-on-deny: exit %d for %s", code, tc.want)
			}
		})
	}
	// Usage errors.
	for _, args := range [][]string{
		{"eval", "--bundle", b, "--principal", exAlice, "--action", "s3:GetObject"},
		{"eval", "--bundle", b, "--principal", exAlice, "--action", "s3:GetObject", "--resource", "*", "--context", "novalue"},
		{"eval", "--bundle", filepath.Join(t.TempDir(), "missing.tar.gz"), "--principal", exAlice, "--action", "s3:GetObject", "--resource", "*"},
	} {
		if code, _, stderr := runCLI(t, "", args...); code != exitBadData || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 with a message", args[3:], code, stderr)
		}
	}
}

// TestEvalBundleContextValuesWithCommas: --context documents "a VALUE
// starting with [ is a JSON array"; a JSON array of two strings, or any
// value with a comma (a user agent), must reach the request whole.
func TestEvalBundleContextValuesWithCommas(t *testing.T) {
	b := exBundle(t)
	for _, c := range []string{`aws:TagKeys=["team","env"]`, "aws:UserAgent=Mozilla/5.0 (X11, Linux x86_64)"} {
		code, stdout, stderr := runCLI(t, "", "eval", "--format", "json", "--bundle", b, "--principal", exAlice, "--action", "bedrock:ListFoundationModels",
			"--resource", "*", "--context", "aws:RequestedRegion=us-east-1", "--context", c)
		if code != exitOK || !strings.Contains(stdout, `"decision":"Allow"`) {
			t.Errorf("--context %s: exit %d, stdout %q, stderr %q. urfave/cli splits StringSliceFlag values on commas, "+
				"so a JSON array of more than one element (or any value holding a comma) is cut apart before requestFromFlags sees it; "+
				"set DisableSliceFlagSeparator on the app (or parse --context as a generic flag)", c, code, stdout, strings.TrimSpace(stderr))
		}
	}
}

func TestEvalBundleUnknownPrincipalIsAnError(t *testing.T) {
	b := exBundle(t)
	for _, p := range []string{
		"arn:aws:iam::111111111111:user/mallory",
		"arn:aws:sts::111111111111:assumed-role/no-such-role/s1",
		// named in the bucket policy, but its own account is not in the bundle
		"arn:aws:iam::222222222222:role/auditor",
		"arn:aws:sts::222222222222:assumed-role/auditor/s1",
	} {
		code, stdout, stderr := runCLI(t, "", "eval", "--format", "json", "--bundle", b, "--principal", p, "--action", "s3:GetObject",
			"--resource", "arn:aws:s3:::genai-kb-docs/docs/handbook.pdf", "--context", "aws:SecureTransport=true")
		if code != exitBadData {
			t.Errorf("%s: exit %d, want 2", p, code)
		}
		// A single request's error is a usage error: one line on stderr
		// naming the flag, nothing on stdout.
		if stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "--principal "+p+" is not in the bundle") {
			t.Errorf("%s: stdout %q, stderr %q; want one line on stderr saying --principal is not in the bundle", p, stdout, stderr)
		}
	}
	// In a batch, the unknown principal gets an error line and the others
	// are still decided.
	reqs := `{"id":"unknown","principal":"arn:aws:iam::111111111111:user/mallory","action":"s3:GetObject","resource":"arn:aws:s3:::genai-kb-docs/docs/a"}` + "\n" +
		`{"id":"known","principal":"` + exAlice + `","action":"s3:GetObject","resource":"arn:aws:s3:::genai-kb-docs/home/alice/a","context":{"aws:SecureTransport":"true"}}` + "\n"
	code, stdout, stderr := runCLI(t, reqs, "eval", "--format", "json", "--bundle", b, "--requests", "-")
	if code != exitBadData || !strings.Contains(stderr, "1 of 2 requests could not be decided") {
		t.Errorf("batch: exit %d, stderr %q", code, stderr)
	}
	lines := evalLines(t, stdout)
	if len(lines) != 2 || lines[0].Error == "" || lines[1].Decision != "Allow" {
		t.Errorf("batch output %q", stdout)
	}
}

// --- inspect -------------------------------------------------------------

func TestInspectCounts(t *testing.T) {
	b := exBundle(t)
	code, stdout, stderr := runCLI(t, "", "inspect", "--format", "json", b)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var s bundles.Summary
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatalf("inspect --format json: %v\n%s", err, stdout)
	}
	rb, err := bundles.ReadFile(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Count what the archive holds: policy packages and their statements.
	policies, statements := 0, 0
	for _, m := range rb.Modules {
		if m.Path != bundles.PoliciesModule {
			continue
		}
		for _, r := range m.Parsed.Rules {
			if translator.RuleKind(r) == "statements" {
				policies++
				var n int
				if err := json.Unmarshal([]byte(r.Head.Value.String()), &n); err != nil {
					t.Fatalf("%s: statements := %v", m.Path, r.Head.Value)
				}
				statements += n
			}
		}
	}
	if s.Revision != rb.Manifest.Revision || !slices.Equal(s.Roots, []string{"iam2rego"}) || s.RegoVersion != 1 || s.Signature != "unsigned" || s.Modules != len(rb.Modules) {
		t.Errorf("summary %+v", s)
	}
	st := s.Stats
	if st.Principals != 5 || st.Accounts != 2 || st.Resources != 5 || st.Policies != policies || st.Statements != statements || st.Unindexed <= 0 || st.Unindexed > st.Statements {
		t.Errorf("counts %+v; want 5 principals, 2 accounts, 5 resources, %d policies, %d statements, some but not all unindexed", st, policies, statements)
	}
	if len(st.UnindexedPatterns) == 0 || st.UnindexedPatterns["arn:aws:s3:::genai-kb-docs/home/${aws:username}/*"] != 1 {
		t.Errorf("unindexed patterns %v: want alice's home-folder pattern among them", st.UnindexedPatterns)
	}
	code, stdout, _ = runCLI(t, "", "inspect", b)
	for _, want := range []string{"revision:     " + s.Revision, "roots:        iam2rego", "rego version: 1", "signature:    unsigned", "principals:   5"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("pretty inspect (exit %d) lacks %q:\n%s", code, want, stdout)
		}
	}
	if code, _, _ := runCLI(t, "", "inspect", "--format", "yaml", b); code != exitBadData {
		t.Errorf("--format yaml: exit %d", code)
	}
}

// --- signing through the CLI ---------------------------------------------

func rsaKeyFiles(t *testing.T) (string, string) {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	priv, pub := filepath.Join(dir, "key.pem"), filepath.Join(dir, "pub.pem")
	if err := os.WriteFile(priv, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}), 0o600); err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pub, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	return priv, pub
}

func TestSignedBundleThroughTheCLI(t *testing.T) {
	priv, pub := rsaKeyFiles(t)
	_, otherPub := rsaKeyFiles(t)
	b := exBundle(t, "--signing-key", priv)
	if again := exBundle(t, "--signing-key", priv); !bytes.Equal(readFileT(t, b), readFileT(t, again)) {
		t.Errorf("two RS256-signed builds differ")
	}
	code, stdout, stderr := runCLI(t, "", "inspect", "--verification-key", pub, b)
	if code != exitOK || !strings.Contains(stdout, "signature:    signed and verified") {
		t.Errorf("inspect --verification-key: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, stderr := runCLI(t, "", "inspect", "--verification-key", otherPub, b); code != exitBadData || !strings.Contains(stderr, "verif") {
		t.Errorf("inspect with the wrong key: exit %d, stderr %q", code, stderr)
	}
	code, stdout, _ = runCLI(t, "", "eval", "--bundle", b, "--verification-key", pub, "--requests", exRequests, "--format", "json")
	if code != exitOK || len(evalLines(t, stdout)) != 14 {
		t.Errorf("eval --verification-key: exit %d\n%s", code, stdout)
	}
	if code, _, _ := runCLI(t, "", "eval", "--bundle", b, "--verification-key", otherPub, "--requests", exRequests); code != exitBadData {
		t.Errorf("eval with the wrong key: exit %d, want 2", code)
	}
	unsigned := exBundle(t)
	if code, _, stderr := runCLI(t, "", "inspect", "--verification-key", pub, unsigned); code != exitBadData || !strings.Contains(stderr, ".signatures.json") {
		t.Errorf("inspect of an unsigned bundle with a key: exit %d, stderr %q", code, stderr)
	}
	// Without a key, a signed bundle is still reported as signed.
	if _, stdout, _ := runCLI(t, "", "inspect", b); !strings.Contains(stdout, "signature:    signed") {
		t.Errorf("`iam2rego inspect` without --verification-key reports a signed bundle as %q", strings.TrimSpace(lineWith(stdout, "signature:")))
	}
}

func lineWith(text, prefix string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

// --- the real OPA ---------------------------------------------------------

// opaBinary builds the OPA CLI pinned in go.mod (the `tool` directive)
// into dir.
func opaBinary(t *testing.T, dir string) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go is not on PATH: cannot build the pinned OPA CLI")
	}
	bin := filepath.Join(dir, "opa")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/open-policy-agent/opa")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build github.com/open-policy-agent/opa: %v\n%s", err, out)
	}
	return bin
}

// TestStockOPA: the bundle loads unchanged in the real OPA CLI, which
// decides every example request exactly as `iam2rego eval --bundle`, and
// verifies the signature iam2rego wrote.
func TestStockOPA(t *testing.T) {
	dir := t.TempDir()
	opa := opaBinary(t, dir)
	b := exBundle(t)

	rb, err := bundles.ReadFile(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := rego.PrepareBundle(context.Background(), rb)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(exRequests)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	reqs, errs, err := cases.LoadRequests(exRequests, f)
	if err != nil {
		t.Fatal(err)
	}
	var expected []expectedDecision
	if err := json.Unmarshal(readFileT(t, exExpected), &expected); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, e := range expected {
		want[e.ID] = e.Decision
	}

	t.Run("decisions", func(t *testing.T) {
		for i, req := range reqs {
			if errs[i] != nil {
				t.Fatalf("request %d: %v", i, errs[i])
			}
			id := req.ID.(string)
			input, err := json.Marshal(req.Value())
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(opa, "eval", "-b", b, "-I", "--format", "json", "data.iam2rego.authz.decision")
			cmd.Stdin = bytes.NewReader(input)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s: opa eval: %v\n%s", id, err, stderr.String())
			}
			var res struct {
				Result []struct {
					Expressions []struct {
						Value json.RawMessage `json:"value"`
					} `json:"expressions"`
				} `json:"result"`
			}
			if err := json.Unmarshal(out, &res); err != nil || len(res.Result) != 1 || len(res.Result[0].Expressions) != 1 {
				t.Fatalf("%s: opa eval printed %s (%v)", id, out, err)
			}
			var fromOPA rego.Decision
			if err := json.Unmarshal(res.Result[0].Expressions[0].Value, &fromOPA); err != nil {
				t.Fatalf("%s: %v", id, err)
			}
			inProcess := eng.DecideInput(context.Background(), req.Value())
			if fromOPA.Statements == nil {
				fromOPA.Statements = []rego.Statement{}
			}
			if !reflect.DeepEqual(fromOPA, inProcess) {
				t.Errorf("%s: stock OPA decides\n  %+v\nin-process eval --bundle decides\n  %+v", id, fromOPA, inProcess)
			}
			if fromOPA.Decision != want[id] {
				t.Errorf("%s: stock OPA says %s, %s expects %s", id, fromOPA.Decision, exExpected, want[id])
			}
		}
		// data.iam2rego.authz.allow is a boolean, false by default.
		cmd := exec.Command(opa, "eval", "-b", b, "-I", "--format", "raw", "data.iam2rego.authz.allow")
		cmd.Stdin = strings.NewReader(`{"principal":"arn:aws:iam::111111111111:user/mallory","action":"s3:GetObject","resource":"*"}`)
		if out, err := cmd.Output(); err != nil || strings.TrimSpace(string(out)) != "false" {
			t.Errorf("allow for an unknown principal: %q (%v), want false", out, err)
		}
	})

	t.Run("signature", func(t *testing.T) {
		priv, pub := rsaKeyFiles(t)
		_, otherPub := rsaKeyFiles(t)
		signed := exBundle(t, "--signing-key", priv)
		verify := func(bundlePath, key string) (string, error) {
			cmd := exec.Command(opa, "build", "-b", bundlePath, "--verification-key", key, "--verification-key-id", "iam2rego",
				"-o", filepath.Join(t.TempDir(), "out.tar.gz"))
			out, err := cmd.CombinedOutput()
			return string(out), err
		}
		if out, err := verify(signed, pub); err != nil {
			t.Errorf("stock OPA rejects iam2rego's signature: %v\n%s", err, out)
		}
		if out, err := verify(signed, otherPub); err == nil {
			t.Errorf("stock OPA accepts the signature with the wrong key:\n%s", out)
		}
		// One byte changed in the region-guard SCP.
		tampered := filepath.Join(t.TempDir(), "tampered.tar.gz")
		if err := os.WriteFile(tampered, tamperOneByte(t, readFileT(t, signed)), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := verify(tampered, pub)
		if err == nil || !strings.Contains(out, "digest mismatch") {
			t.Errorf("stock OPA on a tampered bundle: %v\n%s", err, out)
		}
		if code, _, stderr := runCLI(t, "", "inspect", "--verification-key", pub, tampered); code != exitBadData || !strings.Contains(stderr, "digest mismatch") || !strings.Contains(stderr, "iam2rego/policies.rego") {
			t.Errorf("iam2rego inspect on a tampered bundle: exit %d, stderr %q", code, stderr)
		}
	})
}

// tamperOneByte rewrites a bundle archive with one byte changed: us-east-1
// becomes us-east-2 in the module of the SCP DenyBedrockOutsideUsEast1.
func tamperOneByte(t *testing.T, archive []byte) []byte {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command("tar", "-xzf", "-", "-C", dir)
	cmd.Stdin = bytes.NewReader(archive)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("tar not usable: %v %s", err, out)
	}
	var names []string
	done := false
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		names = append(names, rel)
		if done || !strings.HasSuffix(p, ".rego") {
			return nil
		}
		data, _ := os.ReadFile(p)
		if !bytes.Contains(data, []byte(`"DenyBedrockOutsideUsEast1"`)) {
			return nil
		}
		if i := bytes.Index(data, []byte(`us-east-1"`)); i >= 0 {
			data[i+len("us-east-")] = '2'
			os.WriteFile(p, data, 0o644)
			done = true
		}
		return nil
	})
	if !done {
		t.Fatal("no module holds DenyBedrockOutsideUsEast1 with us-east-1")
	}
	sort.Strings(names)
	out := filepath.Join(t.TempDir(), "t.tar.gz")
	cmd = exec.Command("tar", append([]string{"-czf", out, "-C", dir}, names...)...)
	if o, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tar: %v %s", err, o)
	}
	return readFileT(t, out)
}
