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

// WriteTest prints every failing case with its explanation, then
// "N passed, M failed". A case without `expect` fails: it asserts nothing.
func WriteTest(w io.Writer, results []Result) (passed, failed int) {
	for _, r := range results {
		got := r.Outcome()
		switch {
		case r.Case.Expect == "":
			failed++
			fmt.Fprintf(w, "FAIL %s (%s): the case has no \"expect\", so it asserts nothing\n", r.Case.IDString(), r.Case.File)
		case got == r.Case.Expect:
			passed++
		default:
			failed++
			fmt.Fprintf(w, "FAIL %s (%s): expected %s, got %s\n", r.Case.IDString(), r.Case.File, r.Case.Expect, got)
			if r.Case.Description != "" {
				fmt.Fprintf(w, "    %s\n", r.Case.Description)
			}
			if r.Err != nil {
				for _, line := range strings.Split(r.Err.Error(), "\n") {
					fmt.Fprintf(w, "    %s\n", line)
				}
			} else {
				fmt.Fprintf(w, "    %s\n", r.Explain().Describe())
			}
		}
	}
	fmt.Fprintf(w, "%d passed, %d failed\n", passed, failed)
	return passed, failed
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
