package trail

import (
	"bufio"
	"encoding/json"
	"fmt"

	"github.com/iam2rego/iam2rego/analysis/kernel"
)

// SARIF rule ids of a replay's results.
const (
	WouldBreakRule  = "iam2rego/would-break"
	FidelityGapRule = "iam2rego/fidelity-gap"
)

var replayRules = []kernel.SARIFRule{
	{ID: WouldBreakRule, Name: kernel.RuleName("would-break"), ShortDescription: kernel.SARIFText{Text: "AWS allowed a logged call that the bundle denies"}},
	{ID: FidelityGapRule, Name: kernel.RuleName("fidelity-gap"), ShortDescription: kernel.SARIFText{Text: "AWS denied a logged call that the bundle allows"}},
}

// sarifWriter streams a SARIF 2.1.0 log in the kernel's types (the shape
// lint and diff write): the head, one result per disagreement as it
// comes, then the counts as the run's properties. Logs are not held in
// memory, so the results are not either.
type sarifWriter struct {
	w           *bufio.Writer
	first       bool // the head is not written yet
	wroteResult bool // a result is written: the next needs a comma
}

func newSARIFWriter(w *bufio.Writer) *sarifWriter { return &sarifWriter{w: w, first: true} }

func (s *sarifWriter) head() error {
	tool, err := json.Marshal(kernel.SARIFTool{Driver: kernel.SARIFDriver{Name: "iam2rego", InformationURI: kernel.InformationURI, Rules: replayRules}})
	if err != nil {
		return err
	}
	schema, _ := json.Marshal(kernel.SARIFSchema)
	_, err = fmt.Fprintf(s.w, `{"$schema":%s,"version":"2.1.0","runs":[{"tool":%s,"results":[`, schema, tool)
	s.first = false
	return err
}

func (s *sarifWriter) Event(ev *Event) error {
	if s.first {
		if err := s.head(); err != nil {
			return err
		}
	}
	if ev.Call == nil || ev.Decision == nil {
		return nil
	}
	res := kernel.SARIFResult{Level: "error", RuleID: WouldBreakRule, RuleIndex: 0}
	switch ev.Decision.Verdict {
	case WouldBreak:
	case FidelityGap:
		res.Level, res.RuleID, res.RuleIndex = "warning", FidelityGapRule, 1
	default:
		return nil
	}
	c := ev.Call
	var region *kernel.SARIFRegion
	if c.Line > 0 {
		region = &kernel.SARIFRegion{StartLine: c.Line, StartColumn: 1}
	}
	res.Message = kernel.SARIFText{Text: fmt.Sprintf("%s %s on %s at %s: %s", c.Principal, c.Action, c.Resource, c.EventTime, Explain(c, ev.Decision))}
	res.Locations = []kernel.SARIFLocation{kernel.Locate(c.File, c.Pointer, "object", region, "")}
	res.Properties = map[string]any{
		"principal": c.Principal, "action": c.Action, "resource": c.Resource, "eventID": c.EventID,
		"aws": c.AWS, "errorCode": c.ErrorCode, "decision": ev.Decision.Decision.Decision, "step": ev.Decision.Decision.Step,
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
		if err := s.head(); err != nil {
			return err
		}
	}
	p, err := json.Marshal(map[string]any{"summary": sum})
	if err != nil {
		return err
	}
	fmt.Fprintf(s.w, `],"properties":%s}]}`+"\n", p)
	return s.w.Flush()
}
