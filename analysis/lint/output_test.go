package lint

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/schema"
)

// TestMarkdown: counts by severity and rule, new findings first, a table
// capped at MarkdownRows that says how many were left out, cells that
// cannot break the table, suppressed findings with reasons, input errors.
func TestMarkdown(t *testing.T) {
	r := &Report{Policies: 7, Principals: 2}
	for i := range MarkdownRows + 50 {
		r.Findings = append(r.Findings, &schema.Error{Code: CodeServiceWildcard, File: fmt.Sprintf("p%03d.json", i), Pointer: "/Statement/0/Action/0",
			Message: "\"s3:*\" | every\naction", Severity: schema.SeverityWarning})
	}
	last := &schema.Error{Code: CodePassRoleOnAny, File: "z.json", Pointer: "/Statement/0/Resource", Message: "iam:PassRole on every role", Severity: schema.SeverityError}
	r.Findings = append(r.Findings, last)
	r.Baseline = map[*schema.Error]bool{}
	for _, f := range r.Findings[:len(r.Findings)-1] {
		r.Baseline[f] = true
	}
	r.Suppressed = []Suppressed{{Finding: &schema.Error{Code: CodeWriteOnAnyResource, File: "logs.json", Severity: schema.SeverityWarning},
		By: &Suppression{Reason: "logging <script>|", Pointer: "/suppressions/0"}}}
	r.Errors = []*schema.Error{schema.Errorf(schema.CodeJSONSyntax, "bad.json", "", "invalid JSON")}
	var buf bytes.Buffer
	if err := Write(&buf, r, "markdown", ""); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for _, want := range []string{
		"## iam2rego lint\n",
		"**151 findings** (1 errors, 150 warnings) in 7 policies and 2 principals; **1 new**, 150 in the baseline; 1 suppressed; **1 input errors**.",
		"| `service_wildcard` | warning | 150 |\n| `passrole_on_any_resource` | error | 1 |",
		"| severity | rule | file | pointer | message |\n| --- | --- | --- | --- | --- |\n| error | `passrole_on_any_resource` | `z.json` |",
		"| warning (baseline) | `service_wildcard` | `p000.json` | `/Statement/0/Action/0` | \"s3:*\" \\| every action |",
		"… and 51 more (the JSON and SARIF formats list them all).",
		"### Suppressed\n\n| rule | file | pointer | reason |\n| --- | --- | --- | --- |\n| `write_on_any_resource` | `logs.json` | `/` | logging &lt;script&gt;\\| |",
		"### Input errors\n\n- `bad.json` at `/`: invalid JSON (`json_syntax`)",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	rows := 0
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "| warning") || strings.HasPrefix(line, "| error |") {
			rows++
		}
	}
	if rows != MarkdownRows {
		t.Errorf("%d finding rows, want %d", rows, MarkdownRows)
	}
}

// TestJSONMarks: the json format lists suppressed findings with their
// suppression, marks each finding against the baseline, and counts.
func TestJSONMarks(t *testing.T) {
	r := configuredWithBaseline(t)
	var buf bytes.Buffer
	if err := Write(&buf, r, "json", ""); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Findings []struct {
			Code, Fingerprint string
			Suppressed        *struct{ Reason, Config, Pointer string }
			Baseline          *bool
		}
		Suppressed, New int
	}
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	suppressed := 0
	for i, f := range out.Findings {
		if f.Baseline == nil || len(f.Fingerprint) != 64 {
			t.Errorf("finding %d (%s): baseline %v, fingerprint %q", i, f.Code, f.Baseline, f.Fingerprint)
		}
		if f.Suppressed != nil {
			suppressed++
			if f.Suppressed.Reason == "" || !strings.HasSuffix(f.Suppressed.Config, "suppressions.json") || !strings.HasPrefix(f.Suppressed.Pointer, "/suppressions/") {
				t.Errorf("finding %d (%s): suppressed %+v", i, f.Code, f.Suppressed)
			}
		}
	}
	if len(out.Findings) != len(r.Findings)+len(r.Suppressed) || suppressed != 2 || out.Suppressed != 2 || out.New != 1 {
		t.Errorf("%d findings, %d suppressed (count %d), %d new; want %d, 2, 1 new", len(out.Findings), suppressed, out.Suppressed, out.New, len(r.Findings)+2)
	}
}

// TestPrettyMarks: baseline findings are marked, suppressed ones counted
// and listed only when asked.
func TestPrettyMarks(t *testing.T) {
	r := configuredWithBaseline(t)
	var quiet, shown bytes.Buffer
	if err := WritePretty(&quiet, r, false); err != nil {
		t.Fatal(err)
	}
	if err := WritePretty(&shown, r, true); err != nil {
		t.Fatal(err)
	}
	q := quiet.String()
	if strings.Contains(q, "[suppressed") || !strings.Contains(q, "; 2 suppressed (--show-suppressed lists them); 1 new, 6 in the baseline\n") ||
		strings.Count(q, " [baseline]\n") != 6 {
		t.Errorf("pretty:\n%s", q)
	}
	if !strings.Contains(shown.String(), "(service_wildcard) [suppressed: the build queue]\n") {
		t.Errorf("pretty --show-suppressed:\n%s", shown.String())
	}
}
