package trail

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
)

// SARIF rule ids of a replay's results.
const (
	WouldBreakRule  = "iam2rego/would-break"
	FidelityGapRule = "iam2rego/fidelity-gap"
)

// sarifWriter streams a SARIF 2.1.0 log: the head, one result per
// disagreement as it comes, then the counts as the run's properties.
type sarifWriter struct {
	w           *bufio.Writer
	first       bool // the head is not written yet
	wroteResult bool // a result is written: the next needs a comma
}

func newSARIFWriter(w *bufio.Writer) *sarifWriter { return &sarifWriter{w: w, first: true} }

func (s *sarifWriter) head() {
	driver := map[string]any{
		"name":           "iam2rego",
		"informationUri": "https://github.com/iam2rego/iam2rego",
		"rules": []any{
			map[string]any{"id": WouldBreakRule, "name": "WouldBreak", "shortDescription": map[string]any{"text": "AWS allowed a logged call that the bundle denies"}},
			map[string]any{"id": FidelityGapRule, "name": "FidelityGap", "shortDescription": map[string]any{"text": "AWS denied a logged call that the bundle allows"}},
		},
	}
	d, _ := json.Marshal(map[string]any{"driver": driver})
	fmt.Fprintf(s.w, `{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{"tool":%s,"results":[`, d)
}

func (s *sarifWriter) Event(ev *Event) error {
	if s.first {
		s.head()
		s.first = false
	}
	if ev.Call == nil || ev.Decision == nil {
		return nil
	}
	var rule, level string
	switch ev.Decision.Verdict {
	case WouldBreak:
		rule, level = WouldBreakRule, "error"
	case FidelityGap:
		rule, level = FidelityGapRule, "warning"
	default:
		return nil
	}
	c := ev.Call
	loc := map[string]any{"physicalLocation": map[string]any{"artifactLocation": map[string]any{"uri": fileURI(c.File)}}}
	if c.Line > 0 {
		loc["physicalLocation"].(map[string]any)["region"] = map[string]any{"startLine": c.Line}
	}
	if c.Pointer != "" {
		loc["logicalLocations"] = []any{map[string]any{"fullyQualifiedName": c.Pointer, "kind": "object"}}
	}
	res := map[string]any{
		"ruleId":    rule,
		"level":     level,
		"message":   map[string]any{"text": fmt.Sprintf("%s %s on %s at %s: %s", c.Principal, c.Action, c.Resource, c.EventTime, Explain(c, ev.Decision))},
		"locations": []any{loc},
		"properties": map[string]any{
			"principal": c.Principal, "action": c.Action, "resource": c.Resource, "eventID": c.EventID,
			"aws": c.AWS, "errorCode": c.ErrorCode, "decision": ev.Decision.Decision.Decision, "step": ev.Decision.Decision.Step,
		},
	}
	b, err := json.Marshal(res)
	if err != nil {
		return err
	}
	if s.wroteResult {
		s.w.WriteByte(',')
	}
	s.wroteResult = true
	_, err = s.w.Write(b)
	return err
}

func (s *sarifWriter) Summary(sum *Summary) error {
	if s.first {
		s.head()
		s.first = false
	}
	p, err := json.Marshal(map[string]any{"summary": sum})
	if err != nil {
		return err
	}
	fmt.Fprintf(s.w, `],"properties":%s}]}`+"\n", p)
	return s.w.Flush()
}

// fileURI is a log file as a SARIF artifact URI.
func fileURI(file string) string {
	if filepath.IsAbs(file) {
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(file)}).String()
	}
	return (&url.URL{Path: filepath.ToSlash(file)}).String()
}
