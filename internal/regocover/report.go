package regocover

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/cover"
)

// FileCoverage is the coverage of one library file: the lines OPA counts
// (rule heads and expressions), those some evaluation reached, and the
// rules whose head never succeeded.
type FileCoverage struct {
	// Lines OPA's coverage counts, and those covered.
	Lines   map[int]bool `json:"-"`
	Covered map[int]bool `json:"-"`
	// Rules maps "name:line" of each rule to whether it ever succeeded.
	Rules map[string]bool `json:"-"`
}

// fileCoverage reads OPA's report for one module.
func fileCoverage(fr *cover.FileReport, m *ast.Module) *FileCoverage {
	fc := &FileCoverage{Lines: map[int]bool{}, Covered: map[int]bool{}, Rules: map[string]bool{}}
	if fr != nil {
		for _, r := range fr.Covered {
			for row := r.Start.Row; row <= r.End.Row; row++ {
				fc.Lines[row], fc.Covered[row] = true, true
			}
		}
		for _, r := range fr.NotCovered {
			for row := r.Start.Row; row <= r.End.Row; row++ {
				fc.Lines[row] = true
			}
		}
	}
	for _, r := range m.Rules {
		ast.WalkRules(r, func(x *ast.Rule) bool {
			if x.Head.Location != nil {
				key := fmt.Sprintf("%s:%d", x.Head.Ref().String(), x.Head.Location.Row)
				fc.Rules[key] = fc.Rules[key] || fr.IsCovered(x.Head.Location.Row)
			}
			return false
		})
	}
	return fc
}

// Merge adds another run's coverage of the same file.
func (fc *FileCoverage) Merge(o *FileCoverage) {
	for row := range o.Lines {
		fc.Lines[row] = true
	}
	for row := range o.Covered {
		fc.Covered[row] = true
	}
	for r, ok := range o.Rules {
		fc.Rules[r] = fc.Rules[r] || ok
	}
}

// NotCovered lists the counted lines no evaluation reached, as ranges
// ("12-14", "20").
func (fc *FileCoverage) NotCovered() []string {
	var rows []int
	for row := range fc.Lines {
		if !fc.Covered[row] {
			rows = append(rows, row)
		}
	}
	sort.Ints(rows)
	var out []string
	for i := 0; i < len(rows); {
		j := i
		for j+1 < len(rows) && rows[j+1] == rows[j]+1 {
			j++
		}
		if i == j {
			out = append(out, fmt.Sprint(rows[i]))
		} else {
			out = append(out, fmt.Sprintf("%d-%d", rows[i], rows[j]))
		}
		i = j + 1
	}
	return out
}

// RulesNeverTrue lists the rules whose head no evaluation reached, sorted
// by line.
func (fc *FileCoverage) RulesNeverTrue() []string {
	var out []string
	for r, ok := range fc.Rules {
		if !ok {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return ruleLine(out[i]) < ruleLine(out[j]) || ruleLine(out[i]) == ruleLine(out[j]) && out[i] < out[j]
	})
	return out
}

func ruleLine(r string) int {
	var n int
	fmt.Sscan(r[strings.LastIndex(r, ":")+1:], &n)
	return n
}

// Report is the coverage of the whole library.
type Report struct {
	Files        map[string]*FileCoverage
	Cases        int // corpus cases evaluated
	Requests     int // bundle requests evaluated
	CoveredLines int
	Lines        int
}

// Percent is the share of counted lines covered.
func (r *Report) Percent() float64 { return percent(r.CoveredLines, r.Lines) }

func percent(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}

// NewReport merges per-run coverage into one report.
func NewReport(runs ...map[string]*FileCoverage) *Report {
	r := &Report{Files: map[string]*FileCoverage{}}
	for _, run := range runs {
		for name, fc := range run {
			if r.Files[name] == nil {
				r.Files[name] = &FileCoverage{Lines: map[int]bool{}, Covered: map[int]bool{}, Rules: map[string]bool{}}
			}
			r.Files[name].Merge(fc)
		}
	}
	for _, fc := range r.Files {
		r.Lines += len(fc.Lines)
		r.CoveredLines += len(fc.Covered)
	}
	return r
}

// names are the report's files in order.
func (r *Report) names() []string {
	out := make([]string, 0, len(r.Files))
	for n := range r.Files {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// JSON is the report's machine-readable form (bin/rego-coverage.json).
type JSON struct {
	Coverage     float64    `json:"coverage"`
	CoveredLines int        `json:"covered_lines"`
	Lines        int        `json:"lines"`
	Cases        int        `json:"corpus_cases"`
	Requests     int        `json:"bundle_requests"`
	Files        []FileJSON `json:"files"`
}

// FileJSON is one file of JSON.
type FileJSON struct {
	File           string   `json:"file"`
	Coverage       float64  `json:"coverage"`
	CoveredLines   int      `json:"covered_lines"`
	Lines          int      `json:"lines"`
	NotCovered     []string `json:"not_covered"`
	RulesNeverTrue []string `json:"rules_never_true"`
}

// JSON gives the report's machine-readable form.
func (r *Report) JSON() JSON {
	j := JSON{Coverage: round(r.Percent()), CoveredLines: r.CoveredLines, Lines: r.Lines, Cases: r.Cases, Requests: r.Requests, Files: []FileJSON{}}
	for _, n := range r.names() {
		fc := r.Files[n]
		j.Files = append(j.Files, FileJSON{File: n, Coverage: round(percent(len(fc.Covered), len(fc.Lines))), CoveredLines: len(fc.Covered), Lines: len(fc.Lines),
			NotCovered: nonNil(fc.NotCovered()), RulesNeverTrue: nonNil(fc.RulesNeverTrue())})
	}
	return j
}

func round(f float64) float64 { return float64(int(f*10+0.5)) / 10 }

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// WriteText writes the report for people: one line per file, then each
// file's uncovered lines and rules that never succeeded.
func (r *Report) WriteText(w io.Writer) {
	fmt.Fprintf(w, "Rego coverage of rego/lib (OPA's coverage tracer) by %d corpus cases and %d bundle requests\n\n", r.Cases, r.Requests)
	fmt.Fprintf(w, "%-30s %8s %8s %8s %8s\n", "file", "lines", "covered", "missed", "percent")
	for _, n := range r.names() {
		fc := r.Files[n]
		fmt.Fprintf(w, "%-30s %8d %8d %8d %7.1f%%\n", n, len(fc.Lines), len(fc.Covered), len(fc.Lines)-len(fc.Covered), percent(len(fc.Covered), len(fc.Lines)))
	}
	fmt.Fprintf(w, "%-30s %8d %8d %8d %7.1f%%\n", "total", r.Lines, r.CoveredLines, r.Lines-r.CoveredLines, r.Percent())
	for _, n := range r.names() {
		fc := r.Files[n]
		if nc := fc.NotCovered(); len(nc) > 0 {
			fmt.Fprintf(w, "\n%s\n  lines not covered: %s\n", n, strings.Join(nc, ", "))
			if rs := fc.RulesNeverTrue(); len(rs) > 0 {
				fmt.Fprintf(w, "  rules never true: %s\n", strings.Join(rs, ", "))
			}
		}
	}
}

// Summary is the one line `make rego-coverage` prints.
func (r *Report) Summary(floor float64) string {
	low, lowName := 101.0, ""
	for _, n := range r.names() {
		fc := r.Files[n]
		if p := percent(len(fc.Covered), len(fc.Lines)); len(fc.Lines) > 0 && p < low {
			low, lowName = p, n
		}
	}
	return fmt.Sprintf("rego coverage: %.1f%% of rego/lib's %d lines (%d files) by %d corpus cases and %d example bundle requests; floor %.1f%%; lowest %s %.1f%%; report in bin/rego-coverage.txt",
		r.Percent(), r.Lines, len(r.Files), r.Cases, r.Requests, floor, lowName, low)
}
