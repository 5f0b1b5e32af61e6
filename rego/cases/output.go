package cases

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/iam2rego/iam2rego/schema"
)

// EvalLine is one line of `iam2rego eval --cases` output.
type EvalLine struct {
	ID       any          `json:"id"`
	Decision string       `json:"decision,omitempty"`
	Error    string       `json:"error,omitempty"`
	Explain  *Explanation `json:"explain,omitempty"`
}

// Explanation is the --explain part of an output line.
type Explanation struct {
	Step       string          `json:"step"`
	Reason     string          `json:"reason"`
	Statements []ExplainedStmt `json:"statements"`
}

// ExplainedStmt names a statement by where its policy sits in the case.
type ExplainedStmt struct {
	Policy string `json:"policy"`
	Type   string `json:"type"`
	Effect string `json:"effect"`
	Sid    string `json:"sid,omitempty"`
	Index  int    `json:"index"`
	Kind   string `json:"kind,omitempty"`
	Level  int    `json:"level,omitempty"`
}

// Line builds the output line of a result.
func (r Result) Line(explain bool) EvalLine {
	l := EvalLine{ID: r.Case.ID}
	if r.Err != nil {
		l.Error = oneLine(r.Err)
		return l
	}
	if r.Decision.Error != "" {
		l.Error = r.Decision.Error
		return l
	}
	l.Decision = r.Decision.Decision
	if explain {
		l.Explain = r.Explain()
	}
	return l
}

// Explain describes the decision with policies named as in the case.
func (r Result) Explain() *Explanation {
	e := &Explanation{Step: r.Decision.Step, Reason: r.Decision.Reason, Statements: []ExplainedStmt{}}
	for _, s := range r.Decision.Statements {
		name := r.Names[nameKey(s.Type, s.Level, s.Slot)]
		if name == "" {
			name = s.Policy
		}
		e.Statements = append(e.Statements, ExplainedStmt{Policy: name, Type: s.Type, Effect: s.Effect, Sid: s.Sid, Index: s.Index, Kind: s.Kind, Level: s.Level})
	}
	return e
}

// Describe renders an explanation for people: the step, the reason and
// one line per statement.
func (e *Explanation) Describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "step %s: %s", e.Step, e.Reason)
	for _, s := range e.Statements {
		stmt := fmt.Sprintf("statement %d", s.Index)
		if s.Sid != "" {
			stmt = fmt.Sprintf("Sid %q", s.Sid)
		}
		extra := ""
		if s.Kind != "" {
			extra = ", principal matched as " + s.Kind
		}
		fmt.Fprintf(&b, "\n    %s %s of %s (%s%s)", s.Effect, stmt, s.Policy, s.Type, extra)
	}
	return b.String()
}

// WriteEval prints one JSON line per result.
func WriteEval(w io.Writer, results []Result, explain bool) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, r := range results {
		if err := enc.Encode(r.Line(explain)); err != nil {
			return err
		}
	}
	return nil
}

// Outcome is what a case produced: a decision or "error".
func (r Result) Outcome() string {
	if r.Err != nil {
		return "error"
	}
	if r.Decision.Error != "" {
		return "error"
	}
	return r.Decision.Decision
}

// TestReport is what `iam2rego test` reports: the counts and every
// failing case. A case without `expect` fails: it asserts nothing.
type TestReport struct {
	Passed   int           `json:"passed"`
	Failed   int           `json:"failed"`
	Failures []TestFailure `json:"failures"`
}

// TestFailure is one failing case: what it expected and what it got,
// with the error or the explanation of the decision.
type TestFailure struct {
	ID          any          `json:"id"`
	File        string       `json:"file"`
	Expect      string       `json:"expect"`
	Got         string       `json:"got"`
	Description string       `json:"description,omitempty"`
	Error       string       `json:"error,omitempty"`
	Explain     *Explanation `json:"explain,omitempty"`
	err         error
}

// Test compares every result with its case's expect.
func Test(results []Result) *TestReport {
	rep := &TestReport{Failures: []TestFailure{}}
	for _, r := range results {
		got := r.Outcome()
		if r.Case.Expect != "" && got == r.Case.Expect {
			rep.Passed++
			continue
		}
		rep.Failed++
		f := TestFailure{ID: r.Case.ID, File: r.Case.File, Expect: r.Case.Expect, Got: got, Description: r.Case.Description, err: r.Err}
		switch {
		case r.Err != nil:
			f.Error = oneLine(r.Err)
		case r.Decision.Error != "":
			f.Error = r.Decision.Error
			f.Explain = r.Explain()
		default:
			f.Explain = r.Explain()
		}
		rep.Failures = append(rep.Failures, f)
	}
	return rep
}

// WriteTest prints every failing case with its explanation, then
// "N passed, M failed". A case without `expect` fails: it asserts nothing.
func WriteTest(w io.Writer, results []Result) (passed, failed int) {
	rep := Test(results)
	rep.WritePretty(w)
	return rep.Passed, rep.Failed
}

// WritePretty prints the report for people.
func (rep *TestReport) WritePretty(w io.Writer) {
	for _, f := range rep.Failures {
		id := (&Case{ID: f.ID}).IDString()
		if f.Expect == "" {
			fmt.Fprintf(w, "FAIL %s (%s): the case has no \"expect\", so it asserts nothing\n", id, f.File)
			continue
		}
		fmt.Fprintf(w, "FAIL %s (%s): expected %s, got %s\n", id, f.File, f.Expect, f.Got)
		if f.Description != "" {
			fmt.Fprintf(w, "    %s\n", f.Description)
		}
		if f.err != nil {
			for _, line := range strings.Split(f.err.Error(), "\n") {
				fmt.Fprintf(w, "    %s\n", line)
			}
		} else {
			fmt.Fprintf(w, "    %s\n", f.Explain.Describe())
		}
	}
	fmt.Fprintf(w, "%d passed, %d failed\n", rep.Passed, rep.Failed)
}

// WriteJSON prints the report as one indented JSON object.
func (rep *TestReport) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

func oneLine(err error) string {
	if list := schema.List(err); len(list) > 0 {
		parts := make([]string, len(list))
		for i, e := range list {
			parts[i] = e.Error()
		}
		return strings.Join(parts, "; ")
	}
	return strings.ReplaceAll(err.Error(), "\n", "; ")
}

// WritePretty prints results for people: the id, the decision and, with
// explain, the step, the reason and the statements.
func WritePretty(w io.Writer, results []Result, explain bool) {
	for _, r := range results {
		fmt.Fprintf(w, "%s: %s\n", r.Case.IDString(), r.Outcome())
		if r.Case.Description != "" {
			fmt.Fprintf(w, "    %s\n", r.Case.Description)
		}
		switch {
		case r.Err != nil:
			for _, line := range strings.Split(r.Err.Error(), "\n") {
				fmt.Fprintf(w, "    %s\n", line)
			}
		case r.Decision.Error != "":
			fmt.Fprintf(w, "    %s\n", r.Decision.Error)
		case explain:
			fmt.Fprintf(w, "    %s\n", r.Explain().Describe())
		}
	}
}
