package trail

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/iam2rego/iam2rego/rego"
)

// Which calls a replay prints.
const (
	CallsAll           = "all"
	CallsDisagreements = "disagreements"
	CallsNone          = "none"
)

// ReplayWriter prints a replay as it streams: each event, then the
// summary.
type ReplayWriter interface {
	Event(*Event) error
	Summary(*Summary) error
}

// NewReplayWriter returns the writer of a format (json, pretty or sarif)
// printing the calls selected by calls (all, disagreements or none;
// sarif always lists the disagreements alone).
func NewReplayWriter(w io.Writer, format, calls string) (ReplayWriter, error) {
	switch calls {
	case CallsAll, CallsDisagreements, CallsNone:
	default:
		return nil, fmt.Errorf("--calls must be all, disagreements or none, got %q", calls)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	switch format {
	case "json":
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
		return &jsonWriter{w: bw, enc: enc, calls: calls}, nil
	case "pretty":
		return &prettyWriter{w: bw, calls: calls}, nil
	case "sarif":
		return newSARIFWriter(bw), nil
	}
	return nil, fmt.Errorf("--format must be pretty, json or sarif, got %q", format)
}

// shown reports whether an event is printed under calls.
func shown(ev *Event, calls string) bool {
	switch calls {
	case CallsNone:
		return false
	case CallsDisagreements:
		return ev.Call == nil || (ev.Decision != nil && (ev.Decision.Verdict == WouldBreak || ev.Decision.Verdict == FidelityGap))
	}
	return true
}

// CallLine is one call of a replay's JSON output.
type CallLine struct {
	Where      string           `json:"where"`
	EventTime  string           `json:"eventTime"`
	EventName  string           `json:"eventName"`
	Principal  string           `json:"principal"`
	Action     string           `json:"action"`
	Resource   string           `json:"resource"`
	AWS        string           `json:"aws"`
	ErrorCode  string           `json:"errorCode,omitempty"`
	Decision   string           `json:"decision"`
	Step       string           `json:"step"`
	Reason     string           `json:"reason"`
	Statements []rego.Statement `json:"statements"`
	Error      string           `json:"error,omitempty"`
	Verdict    string           `json:"verdict"`
	// Explanation and Missing are given for disagreements.
	Explanation string   `json:"explanation,omitempty"`
	Missing     []string `json:"missing,omitempty"`
}

// Line is the JSON line of a decided call.
func Line(ev *Event) CallLine {
	c, d := ev.Call, ev.Decision
	l := CallLine{Where: ev.Where, EventTime: c.EventTime, EventName: c.EventName, Principal: c.Principal, Action: c.Action, Resource: c.Resource,
		AWS: string(c.AWS), ErrorCode: c.ErrorCode, Decision: d.Decision.Decision, Step: d.Decision.Step, Reason: d.Decision.Reason,
		Statements: d.Decision.Statements, Error: d.Decision.Error, Verdict: d.Verdict}
	if d.Verdict == WouldBreak || d.Verdict == FidelityGap {
		l.Explanation = Explain(c, d)
		l.Missing = c.Missing
	}
	return l
}

type jsonWriter struct {
	w     *bufio.Writer
	enc   *json.Encoder
	calls string
}

func (j *jsonWriter) Event(ev *Event) error {
	if ev.Skipped || !shown(ev, j.calls) {
		return nil
	}
	switch {
	case ev.Problem != nil:
		return j.enc.Encode(map[string]any{"where": ev.Where, "unreadable": ev.Problem.Code, "message": ev.Problem.Message})
	case ev.Unmapped != nil:
		return j.enc.Encode(map[string]any{"where": ev.Where, "unmapped": ev.Unmapped.Reason, "detail": ev.Unmapped.Detail})
	}
	return j.enc.Encode(Line(ev))
}

func (j *jsonWriter) Summary(s *Summary) error {
	if err := j.enc.Encode(map[string]any{"summary": s}); err != nil {
		return err
	}
	return j.w.Flush()
}

type prettyWriter struct {
	w     *bufio.Writer
	calls string
}

func (p *prettyWriter) Event(ev *Event) error {
	if ev.Skipped || !shown(ev, p.calls) {
		return nil
	}
	switch {
	case ev.Problem != nil:
		_, err := fmt.Fprintf(p.w, "unreadable %s: %s (%s)\n", ev.Where, ev.Problem.Message, ev.Problem.Code)
		return err
	case ev.Unmapped != nil:
		_, err := fmt.Fprintf(p.w, "unmapped   %s: %s (%s)\n", ev.Where, ev.Unmapped.Detail, ev.Unmapped.Reason)
		return err
	}
	c, d := ev.Call, ev.Decision
	aws := string(c.AWS)
	if c.ErrorCode != "" {
		aws += " (" + c.ErrorCode + ")"
	}
	fmt.Fprintf(p.w, "%-12s %s %s %s on %s: AWS %s, bundle %s\n", d.Verdict, c.EventTime, c.Principal, c.Action, c.Resource, aws, d.Decision.Decision)
	if d.Verdict == WouldBreak || d.Verdict == FidelityGap {
		fmt.Fprintf(p.w, "    %s\n    at %s\n", Explain(c, d), ev.Where)
		for _, st := range d.Decision.Statements {
			fmt.Fprintf(p.w, "    %s\n", statementText(st))
		}
	}
	return nil
}

func statementText(st rego.Statement) string {
	id := fmt.Sprintf("statement %d", st.Index)
	if st.Sid != "" {
		id = fmt.Sprintf("Sid %q", st.Sid)
	}
	policy := st.Policy
	if len(st.Names) > 0 {
		policy = strings.Join(st.Names, ", ") // where the bundle attaches it
	}
	return fmt.Sprintf("%s %s of %s (%s)", st.Effect, id, policy, st.Type)
}

func (p *prettyWriter) Summary(s *Summary) error {
	w := p.w
	fmt.Fprintf(w, "%d records in %d files: %d calls decided, %d unmapped\n", s.Records, s.Files, s.Calls, s.Records-s.Calls-s.Skipped)
	fmt.Fprintf(w, "AWS allowed %d, denied %d, other errors %d\n", s.AWSAllowed, s.AWSDenied, s.AWSFailed)
	fmt.Fprintf(w, "agree %d, would break %d, fidelity gaps %d, not compared %d (undecided %d)\n", s.Agree, s.WouldBreak, s.FidelityGaps, s.NotCompared, s.Undecided)
	for _, g := range s.Breaks {
		fmt.Fprintf(w, "  would break: %s %s ×%d (%s: %s), first %s; missing: %s\n", g.Principal, g.Action, g.Count, g.Step, g.Reason, g.First, strings.Join(g.Missing, "; "))
	}
	for _, g := range s.Gaps {
		fmt.Fprintf(w, "  fidelity gap: %s %s ×%d, first %s; missing: %s\n", g.Principal, g.Action, g.Count, g.First, strings.Join(g.Missing, "; "))
	}
	writeCounts(w, "unmapped", s.Unmapped, s.Examples)
	writeCounts(w, "unreadable", s.Unreadable, s.Examples)
	return w.Flush()
}

func writeCounts(w io.Writer, label string, counts map[string]int, examples map[string]string) {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "  %s %s: %d, first %s\n", label, k, counts[k], examples[label+" "+k])
	}
}
