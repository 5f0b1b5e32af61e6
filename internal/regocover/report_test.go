package regocover

import (
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/cover"
)

func fc(lines, covered []int, rules map[string]bool) *FileCoverage {
	f := &FileCoverage{Lines: map[int]bool{}, Covered: map[int]bool{}, Rules: rules}
	for _, l := range lines {
		f.Lines[l] = true
	}
	for _, l := range covered {
		f.Covered[l] = true
	}
	return f
}

func TestReportMergesRunsAndListsWhatIsMissed(t *testing.T) {
	a := map[string]*FileCoverage{"rego/lib/x.rego": fc([]int{1, 2, 3, 4, 6, 9}, []int{1, 9}, map[string]bool{"p:2": false, "q:9": true})}
	b := map[string]*FileCoverage{"rego/lib/x.rego": fc([]int{1, 2, 3, 4, 6, 9}, []int{2}, map[string]bool{"p:2": true, "r:4": false})}
	r := NewReport(a, b)
	if r.Lines != 6 || r.CoveredLines != 3 {
		t.Fatalf("lines %d covered %d, want 6 and 3", r.Lines, r.CoveredLines)
	}
	x := r.Files["rego/lib/x.rego"]
	if got := strings.Join(x.NotCovered(), ","); got != "3-4,6" {
		t.Errorf("not covered %q, want 3-4,6", got)
	}
	if got := strings.Join(x.RulesNeverTrue(), ","); got != "r:4" {
		t.Errorf("rules never true %q, want r:4 (p succeeded in the second run)", got)
	}
	if s := r.Summary(60); !strings.Contains(s, "50.0% of rego/lib's 6 lines (1 files)") || !strings.Contains(s, "floor 60.0%") {
		t.Errorf("summary %q", s)
	}
	j := r.JSON()
	if j.Coverage != 50 || len(j.Files) != 1 || j.Files[0].File != "rego/lib/x.rego" {
		t.Errorf("JSON %+v", j)
	}
}

// fileCoverage reads OPA's report: a rule whose head row is covered
// succeeded; rows of not-covered ranges count as lines.
func TestFileCoverageFromOPAReport(t *testing.T) {
	m := ast.MustParseModule("package p\n\na := 1\n\nb if {\n\tinput.x == 2\n}\n")
	fr := &cover.FileReport{
		Covered:    []cover.Range{{Start: cover.Position{Row: 3}, End: cover.Position{Row: 3}}},
		NotCovered: []cover.Range{{Start: cover.Position{Row: 5}, End: cover.Position{Row: 6}}},
	}
	f := fileCoverage(fr, m)
	if len(f.Lines) != 3 || len(f.Covered) != 1 || !f.Rules["a:3"] || f.Rules["b:5"] {
		t.Errorf("coverage %+v", f)
	}
	if got := ReportName("iam2rego/lib/authz.rego"); got != "rego/lib/authz.rego" {
		t.Errorf("ReportName = %q", got)
	}
}
