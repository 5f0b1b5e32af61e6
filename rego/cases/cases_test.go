package cases

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/rego"
	"github.com/open-policy-agent/opa/v1/ast"
)

const alice = "arn:aws:iam::111111111111:user/alice"

// line renders one case as a JSON line.
func line(t *testing.T, c map[string]any) string {
	t.Helper()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// getCase is alice's s3:GetObject on arn:aws:s3:::b/k with the given
// members added.
func getCase(id any, expect string, extra map[string]any) map[string]any {
	c := map[string]any{
		"id":        id,
		"principal": map[string]any{"arn": alice},
		"action":    "s3:GetObject",
		"resource":  map[string]any{"arn": "arn:aws:s3:::b/k", "account": "111111111111"},
	}
	if expect != "" {
		c["expect"] = expect
	}
	for k, v := range extra {
		c[k] = v
	}
	return c
}

func doc(stmts ...map[string]any) map[string]any {
	list := make([]any, len(stmts))
	for i, s := range stmts {
		list[i] = s
	}
	return map[string]any{"Version": "2012-10-17", "Statement": list}
}

var allowGet = doc(map[string]any{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})

func load(t *testing.T, text string) []*Case {
	t.Helper()
	list, err := Load("t.jsonl", strings.NewReader(text))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return list
}

func run(t *testing.T, list []*Case) []Result {
	t.Helper()
	res, err := Run(context.Background(), list, Options{})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

func TestLoadBlankLinesBadJSONAndNumericIDs(t *testing.T) {
	ok := line(t, getCase("first", "Allow", map[string]any{"identityPolicies": []any{allowGet}}))
	num := line(t, getCase(7, "ImplicitDeny", nil))
	invalid := line(t, map[string]any{"id": "no-principal", "expect": "error", "action": "s3:GetObject"})
	text := "\n" + // line 1: empty
		ok + "\n" + // line 2
		"   \t \n" + // line 3: blank
		"{\"id\": \"broken\", \"action\": \n" + // line 4: bad JSON
		num + "\r\n" + // line 5: CRLF
		"\n\n" + // lines 6, 7
		invalid + "\n" + // line 8: valid JSON, not a valid case
		`{"id":"last","expect":"Allow","principal":{"arn":"` + alice + `"},"action":"s3:GetObject","resource":{"arn":"arn:aws:s3:::b/k","account":"111111111111"},"identityPolicies":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}]}` // line 9, no final newline
	list := load(t, text)
	if len(list) != 5 {
		for _, c := range list {
			t.Logf("%s id=%v err=%v", c.File, c.ID, c.Err)
		}
		t.Fatalf("Load returned %d cases, want 5 (blank lines skipped)", len(list))
	}
	wantFiles := []string{"t.jsonl:2", "t.jsonl:4", "t.jsonl:5", "t.jsonl:8", "t.jsonl:9"}
	for i, c := range list {
		if c.File != wantFiles[i] {
			t.Errorf("case %d: File %q, want %q (line numbers count blank lines)", i, c.File, wantFiles[i])
		}
	}
	if list[0].Err != nil || list[2].Err != nil || list[4].Err != nil {
		t.Errorf("valid lines have errors: %v / %v / %v", list[0].Err, list[2].Err, list[4].Err)
	}
	if list[1].Err == nil {
		t.Errorf("the bad JSON line has no Err")
	}
	if list[3].Err == nil {
		t.Errorf("the line without a principal has no Err")
	}
	if got := list[3].IDString(); got != "no-principal" {
		t.Errorf("an invalid case keeps its id: got %q", got)
	}
	if got := list[2].IDString(); got != "7" {
		t.Errorf("numeric id: IDString %q, want 7", got)
	}
	if list[2].Action != "s3:GetObject" || list[2].Expect != "ImplicitDeny" {
		t.Errorf("the CRLF line was not read fully: %+v", list[2])
	}
	if list[4].ID != "last" || len(list[4].Identity) != 1 {
		t.Errorf("the last line without a newline was not read fully: %+v", list[4])
	}

	res := run(t, list)
	var out bytes.Buffer
	if err := WriteEval(&out, res, false); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 5 {
		t.Fatalf("WriteEval wrote %d lines, want 5:\n%s", len(lines), out.String())
	}
	for i, want := range []string{
		`{"id":"first","decision":"Allow"}`,
		`"error":`,
		`{"id":7,"decision":"ImplicitDeny"}`,
		`{"id":"no-principal","error":`,
		`{"id":"last","decision":"Allow"}`,
	} {
		if !strings.Contains(lines[i], want) {
			t.Errorf("output line %d = %s, want it to contain %s", i+1, lines[i], want)
		}
	}
	if res[0].Outcome() != rego.Allow || res[1].Outcome() != "error" || res[2].Outcome() != rego.ImplicitDeny || res[3].Outcome() != "error" {
		t.Errorf("outcomes: %s %s %s %s", res[0].Outcome(), res[1].Outcome(), res[2].Outcome(), res[3].Outcome())
	}
}

func TestLoadNumericIDForms(t *testing.T) {
	list := load(t, `{"id":12345678901234567890,"principal":{"arn":"`+alice+`"},"action":"s3:GetObject","resource":{"arn":"*","account":"111111111111"}}`+"\n"+
		`{"id":1.5,"principal":{"arn":"`+alice+`"},"action":"s3:GetObject","resource":{"arn":"*","account":"111111111111"}}`+"\n")
	if len(list) != 2 {
		t.Fatalf("got %d cases", len(list))
	}
	if list[0].Err != nil {
		t.Errorf("a large integer id is valid: %v", list[0].Err)
	}
	if got := list[0].IDString(); got != "12345678901234567890" {
		t.Errorf("a large integer id must be echoed exactly: %q", got)
	}
	if list[1].Err == nil {
		t.Errorf("a fractional id is not \"a string or an integer\" but was accepted")
	}
}

// A policy shared by many cases is compiled once. Run offers no counter,
// so this test drives the Runner that Run uses (same package) and checks
// its compile cache, then checks through Run's results that every case
// names the same package.
func TestSharedPolicyCompiledOnce(t *testing.T) {
	// The same document written three ways: key order and spacing differ.
	variants := []string{
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`,
		`{"Statement":[{"Resource":"*","Action":"s3:GetObject","Effect":"Allow"}],"Version":"2012-10-17"}`,
		`{ "Version" : "2012-10-17" , "Statement" : [ { "Effect" : "Allow" , "Action" : "s3:GetObject" , "Resource" : "*" } ] }`,
	}
	other := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}`
	var text strings.Builder
	n := 0
	for i := 0; i < 30; i++ {
		pols := variants[i%3]
		if i%2 == 0 {
			pols += "," + other
		}
		text.WriteString(`{"id":` + itoa(i) + `,"expect":"Allow","principal":{"arn":"` + alice + `"},"action":"s3:GetObject","resource":{"arn":"arn:aws:s3:::b/k","account":"111111111111"},"identityPolicies":[` + pols + `]}` + "\n")
		n++
	}
	list := load(t, text.String())

	r := &Runner{cache: map[string]*compiled{}, modules: map[string]*ast.Module{}}
	var first string
	for _, c := range list {
		if c.Err != nil {
			t.Fatalf("%s: %v", c.File, c.Err)
		}
		req, _, _, err := r.request(c)
		if err != nil {
			t.Fatalf("%s: %v", c.File, err)
		}
		if first == "" {
			first = req.Policies.Identity[0]
		} else if req.Policies.Identity[0] != first {
			t.Errorf("%s: the shared policy got package %s, earlier %s", c.File, req.Policies.Identity[0], first)
		}
	}
	if len(r.cache) != 2 || len(r.modules) != 2 {
		t.Errorf("%d cases over 2 distinct documents: %d compile-cache entries and %d modules, want 2 and 2", n, len(r.cache), len(r.modules))
	}

	res := run(t, list)
	pkgs := map[string]bool{}
	for _, rr := range res {
		if rr.Outcome() != rego.Allow {
			t.Fatalf("%s: %s", rr.Case.File, rr.Outcome())
		}
		for _, s := range rr.Decision.Statements {
			pkgs[s.Policy] = true
		}
		if got := rr.Names[nameKey("identity", 0, 0)]; got != "identityPolicies/0" {
			t.Errorf("%s: Names[identity|0|0] = %q, want identityPolicies/0", rr.Case.File, got)
		}
	}
	if len(pkgs) != 1 || !pkgs[first] {
		t.Errorf("the deciding statements name packages %v, want only %s", keys(pkgs), first)
	}
}

// The same document used as two policy types is one module (the package
// name is a content hash) and still decides right in both roles.
func TestSameDocumentTwoTypes(t *testing.T) {
	c := getCase("both", "Allow", map[string]any{"identityPolicies": []any{allowGet}, "permissionBoundary": allowGet})
	res := run(t, load(t, line(t, c)))
	if got := res[0].Outcome(); got != rego.Allow {
		t.Fatalf("got %s", got)
	}
	e := res[0].Explain()
	names := map[string]bool{}
	for _, s := range e.Statements {
		names[s.Type+" "+s.Policy] = true
	}
	for _, want := range []string{"identity identityPolicies/0", "boundary permissionBoundary"} {
		if !names[want] {
			t.Errorf("explanation %+v lacks %q", e.Statements, want)
		}
	}
}

func TestWriteTest(t *testing.T) {
	list := load(t, strings.Join([]string{
		line(t, getCase("pass", "Allow", map[string]any{"identityPolicies": []any{allowGet}})),
		line(t, getCase("fail", "ExplicitDeny", map[string]any{"identityPolicies": []any{allowGet}, "description": "why it matters"})),
		line(t, getCase("no-expect", "", map[string]any{"identityPolicies": []any{allowGet}})),
		line(t, getCase("error-expected", "error", map[string]any{"identityPolicies": []any{doc(map[string]any{"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"})}})),
		line(t, getCase("deny-pass", "ImplicitDeny", nil)),
	}, "\n"))
	var out bytes.Buffer
	passed, failed := WriteTest(&out, run(t, list))
	if passed != 3 || failed != 2 {
		t.Errorf("WriteTest = %d passed, %d failed; want 3, 2\n%s", passed, failed, out.String())
	}
	text := out.String()
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if last := lines[len(lines)-1]; last != "3 passed, 2 failed" {
		t.Errorf("last line %q, want %q", last, "3 passed, 2 failed")
	}
	if !regexp.MustCompile(`(?m)^FAIL fail \(t\.jsonl:2\): expected ExplicitDeny, got Allow$`).MatchString(text) {
		t.Errorf("no FAIL line for the failing case:\n%s", text)
	}
	if !strings.Contains(text, "why it matters") || !strings.Contains(text, "step identity") {
		t.Errorf("a failing case is printed with its description and explanation:\n%s", text)
	}
	if !regexp.MustCompile(`(?m)^FAIL no-expect \(t\.jsonl:3\): .*asserts nothing`).MatchString(text) {
		t.Errorf("a case without expect must fail:\n%s", text)
	}
	if strings.Contains(text, "FAIL pass ") || strings.Contains(text, "FAIL deny-pass") || strings.Contains(text, "FAIL error-expected") {
		t.Errorf("passing cases printed as failures:\n%s", text)
	}

	var empty bytes.Buffer
	if p, f := WriteTest(&empty, nil); p != 0 || f != 0 || empty.String() != "0 passed, 0 failed\n" {
		t.Errorf("no results: %d, %d, %q", p, f, empty.String())
	}
}

// Explanations name policies by where they sit in the case.
func TestExplainNames(t *testing.T) {
	deny := func(action string) map[string]any {
		return doc(map[string]any{"Effect": "Deny", "Action": action, "Resource": "*"})
	}
	allowAll := doc(map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"})
	session := "arn:aws:sts::111111111111:assumed-role/App/s1"
	type want struct{ typ, policy, effect string }
	rows := []struct {
		name string
		c    map[string]any
		want []want
	}{
		{"identity index", getCase("i", "Allow", map[string]any{"identityPolicies": []any{deny("s3:PutObject"), allowGet}}),
			[]want{{"identity", "identityPolicies/1", "Allow"}}},
		{"identity deny", getCase("d", "ExplicitDeny", map[string]any{"identityPolicies": []any{allowGet, deny("s3:*")}}),
			[]want{{"identity", "identityPolicies/1", "Deny"}}},
		{"boundary", getCase("b", "Allow", map[string]any{"identityPolicies": []any{allowGet}, "permissionBoundary": allowAll}),
			[]want{{"identity", "identityPolicies/0", "Allow"}, {"boundary", "permissionBoundary", "Allow"}}},
		{"session", map[string]any{"id": "s", "principal": map[string]any{"arn": session}, "action": "s3:GetObject",
			"resource": map[string]any{"arn": "arn:aws:s3:::b/k", "account": "111111111111"}, "identityPolicies": []any{allowAll}, "sessionPolicy": allowGet},
			[]want{{"identity", "identityPolicies/0", "Allow"}, {"session", "sessionPolicy", "Allow"}}},
		{"resource", getCase("r", "Allow", map[string]any{"resource": map[string]any{"arn": "arn:aws:s3:::b/k", "account": "111111111111",
			"policy": doc(map[string]any{"Effect": "Allow", "Principal": map[string]any{"AWS": alice}, "Action": "s3:GetObject", "Resource": "*"})}}),
			[]want{{"resource", "resource/policy", "Allow"}}},
		{"scp deny", getCase("scp", "ExplicitDeny", map[string]any{"identityPolicies": []any{allowAll}, "scps": []any{[]any{allowAll}, []any{allowAll, deny("s3:GetObject")}}}),
			[]want{{"scp", "scps/1/1", "Deny"}}},
		{"rcp deny", getCase("rcp", "ExplicitDeny", map[string]any{"identityPolicies": []any{allowAll}, "rcps": []any{[]any{doc(map[string]any{"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"})}}}),
			[]want{{"rcp", "rcps/0/0", "Deny"}}},
		{"trust policy", map[string]any{"id": "trust", "principal": map[string]any{"arn": alice}, "action": "sts:AssumeRole",
			"resource": map[string]any{"arn": "arn:aws:iam::111111111111:role/App", "account": "111111111111",
				"policy": doc(map[string]any{"Effect": "Allow", "Principal": map[string]any{"AWS": alice}, "Action": "sts:AssumeRole"})}},
			[]want{{"resource", "resource/policy", "Allow"}}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			res := run(t, load(t, line(t, row.c)))
			r := res[0]
			if r.Outcome() == "error" {
				t.Fatalf("error: %v %s", r.Err, r.Decision.Error)
			}
			e := r.Explain()
			got := map[want]bool{}
			for _, s := range e.Statements {
				got[want{s.Type, s.Policy, s.Effect}] = true
				if strings.HasPrefix(s.Policy, "p") && len(s.Policy) == 25 {
					t.Errorf("statement %+v is named by its package, not by where it sits in the case", s)
				}
			}
			for _, w := range row.want {
				if !got[w] {
					t.Errorf("explanation (%s) lacks %s statement of %q (%s); has %+v", r.Outcome(), w.typ, w.policy, w.effect, e.Statements)
				}
			}
			desc := e.Describe()
			if !strings.HasPrefix(desc, "step "+r.Decision.Step+": ") {
				t.Errorf("Describe: %q", desc)
			}
		})
	}
}

// A context value given as a JSON number reaches the conditions as its
// JSON text (§1.5): aws:EpochTime 1700000001 is "1700000001".
func TestContextNumbersKeepTheirText(t *testing.T) {
	pol := doc(map[string]any{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
		"Condition": map[string]any{"NumericGreaterThan": map[string]any{"aws:EpochTime": "1700000000"}}})
	text := strings.Join([]string{
		`{"id":"string","expect":"Allow","principal":{"arn":"` + alice + `"},"action":"s3:GetObject","resource":{"arn":"arn:aws:s3:::b/k","account":"111111111111"},"context":{"aws:EpochTime":"1700000001"},"identityPolicies":[` + mustJSON(t, pol) + `]}`,
		`{"id":"number","expect":"Allow","principal":{"arn":"` + alice + `"},"action":"s3:GetObject","resource":{"arn":"arn:aws:s3:::b/k","account":"111111111111"},"context":{"aws:EpochTime":1700000001},"identityPolicies":[` + mustJSON(t, pol) + `]}`,
	}, "\n")
	for _, r := range run(t, load(t, text)) {
		if r.Outcome() != rego.Allow {
			t.Errorf("case %s: NumericGreaterThan aws:EpochTime 1700000000 with context aws:EpochTime = %v: got %s (%s), want Allow per IAM-SEMANTICS.md §3.5/E19",
				r.Case.IDString(), r.Case.Context["aws:EpochTime"], r.Outcome(), r.Explain().Describe())
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
