package lint

import (
	"io"
	"slices"
	"strings"

	"github.com/iam2rego/iam2rego/analysis/kernel"
	"github.com/iam2rego/iam2rego/schema"
)

// SARIF 2.1.0 (OASIS), the subset GitHub code scanning reads: one run, the
// rule table as tool.driver.rules, one result per finding. A result's
// location is the file (a relative path, or the ARN of an AWS managed
// policy) with the JSON pointer as its logical location (kind "element",
// fully qualified name = the pointer) and in the result's properties.
// When the file can be read again, the result also has a region: the line
// and column where the value at the pointer starts (for a document stored
// as a string in an export, where that string starts). Input errors are
// toolExecutionNotifications of the run's invocation. Every result has a
// partial fingerprint (Fingerprint); suppressed findings are results with
// an external suppression (its reason, and where the configuration holds
// it), and with a baseline every result has a baselineState.

const helpURI = "https://github.com/iam2rego/iam2rego#iam2rego-lint"

// level maps a severity to a SARIF level.
func level(s schema.Severity) string {
	if s == schema.SeverityError {
		return "error"
	}
	return "warning"
}

// WriteSARIF writes the report as a SARIF 2.1.0 log.
func WriteSARIF(w io.Writer, r *Report, version string) error {
	run := kernel.SARIFRun{
		Tool:        kernel.SARIFTool{Driver: kernel.SARIFDriver{Name: "iam2rego lint", Version: version, InformationURI: helpURI}},
		Invocations: []kernel.SARIFInvocation{{ExecutionSuccessful: len(r.Errors) == 0}},
	}
	loc := locator{texts: map[string][]byte{}}
	index := map[string]int{}
	for i, rule := range Rules {
		index[rule.Code] = i
		config := map[string]any{"level": level(rule.Severity)}
		if rule.Optional() && !slices.Contains(r.Enabled, rule.Code) {
			config["enabled"] = false
		}
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, kernel.SARIFRule{
			ID:                   rule.Code,
			Name:                 kernel.RuleName(rule.Code),
			ShortDescription:     kernel.SARIFText{Text: rule.Short},
			FullDescription:      &kernel.SARIFText{Text: rule.Help},
			Help:                 &kernel.SARIFText{Text: rule.Help + " Applies to " + rule.Applies + "."},
			HelpURI:              helpURI,
			DefaultConfiguration: config,
			Properties:           map[string]any{"tags": []string{"security", "iam", "least-privilege"}},
		})
	}
	for _, f := range r.Findings {
		run.Results = append(run.Results, result(r, f, nil, index, &loc))
	}
	for _, s := range r.Suppressed {
		run.Results = append(run.Results, result(r, s.Finding, s.By, index, &loc))
	}
	for _, e := range r.Errors {
		run.Invocations[0].ToolExecutionNotifications = append(run.Invocations[0].ToolExecutionNotifications, kernel.SARIFNotification{
			Level:     "error",
			Message:   kernel.SARIFText{Text: e.Message + " (" + e.Code + ")"},
			Locations: []kernel.SARIFLocation{loc.of(e)},
		})
	}
	return kernel.WriteSARIF(w, run)
}

// fingerprintKey names lint's fingerprint in partialFingerprints.
const fingerprintKey = "iam2regoLint/v1"

// result is the SARIF result of a finding, suppressed by by (or nil).
// With a configuration, every result has a suppressions list (empty when
// not suppressed); with a baseline, a baselineState.
func result(r *Report, f *schema.Error, by *Suppression, index map[string]int, loc *locator) kernel.SARIFResult {
	res := kernel.SARIFResult{
		RuleID:              f.Code,
		RuleIndex:           index[f.Code],
		Level:               level(f.Severity),
		Message:             kernel.SARIFText{Text: f.Message},
		Locations:           []kernel.SARIFLocation{loc.of(f)},
		PartialFingerprints: map[string]string{fingerprintKey: Fingerprint(f)},
		Properties:          map[string]any{"jsonPointer": pointerOf(f)},
	}
	if r.Config != nil {
		list := []kernel.SARIFSuppression{}
		if by != nil {
			where := loc.of(&schema.Error{File: by.File, Pointer: by.Pointer})
			list = append(list, kernel.SARIFSuppression{Kind: "external", Status: "accepted", Justification: by.Reason, Location: &where})
		}
		res.Suppressions = &list
	}
	if r.Baseline != nil {
		res.BaselineState = "new"
		if r.Baseline[f] {
			res.BaselineState = "unchanged"
		}
	}
	return res
}

func pointerOf(e *schema.Error) string {
	if e.Pointer == "" {
		return "/"
	}
	return e.Pointer
}

// locator reads each file once to find the regions of its findings.
type locator struct {
	texts map[string][]byte // nil for a file that cannot be read
}

func (l *locator) of(e *schema.Error) kernel.SARIFLocation {
	var region *kernel.SARIFRegion
	if e.File != "" && !strings.HasPrefix(e.File, "arn:") {
		text, seen := l.texts[e.File]
		if !seen {
			text, _ = schema.ReadFile(e.File)
			l.texts[e.File] = text
		}
		if line, col, ok := locate(text, e.Pointer); ok {
			region = &kernel.SARIFRegion{StartLine: line, StartColumn: col}
		}
	}
	return kernel.Locate(e.File, e.Pointer, "element", region, "")
}
