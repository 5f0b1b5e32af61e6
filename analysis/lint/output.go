package lint

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/iam2rego/iam2rego/schema"
)

// Formats lists the output formats of Write.
var Formats = []string{"pretty", "json", "sarif", "markdown"}

// Write prints a report: pretty (WritePretty without the suppressed
// findings), json (WriteJSON), sarif (SARIF 2.1.0, see WriteSARIF) or
// markdown (WriteMarkdown). Input errors are part of the json, sarif and
// markdown output; in pretty form the caller prints them (to stderr).
func Write(w io.Writer, r *Report, format, version string) error {
	switch format {
	case "pretty":
		return WritePretty(w, r, false)
	case "json":
		return WriteJSON(w, r)
	case "sarif":
		return WriteSARIF(w, r, version)
	case "markdown":
		return WriteMarkdown(w, r)
	}
	return fmt.Errorf("unknown format %q", format)
}

// WritePretty prints one line per finding, FILE: /pointer: message (code),
// with " [baseline]" after the findings the baseline holds; then, with
// showSuppressed, the suppressed findings with their reasons; then the
// counts.
func WritePretty(w io.Writer, r *Report, showSuppressed bool) error {
	for _, f := range r.Findings {
		line := f.Error()
		if !r.isNew(f) {
			line += " [baseline]"
		}
		fmt.Fprintln(w, line)
	}
	if showSuppressed {
		for _, s := range r.Suppressed {
			fmt.Fprintf(w, "%s [suppressed: %s]\n", s.Finding.Error(), s.By.Reason)
		}
	}
	fmt.Fprintf(w, "%d findings (%s) in %d policies", len(r.Findings), countBySeverity(r.Findings), r.Policies)
	if n := len(r.Suppressed); n > 0 {
		fmt.Fprintf(w, "; %d suppressed", n)
		if !showSuppressed {
			fmt.Fprint(w, " (--show-suppressed lists them)")
		}
	}
	if r.Baseline != nil {
		fmt.Fprintf(w, "; %d new, %d in the baseline", r.newCount(), len(r.Findings)-r.newCount())
	}
	_, err := fmt.Fprintln(w)
	return err
}

// jsonFinding is a finding of the json format: the diagnostic, its
// fingerprint, the suppression that selects it and, with a baseline,
// whether the baseline holds it.
type jsonFinding struct {
	*schema.Error
	Fingerprint string       `json:"fingerprint"`
	Suppressed  *Suppression `json:"suppressed,omitempty"`
	Baseline    *bool        `json:"baseline,omitempty"`
}

// WriteJSON prints {"findings", "errors", "policies", "principals",
// "suppressed", "escalations"} and, with a baseline, "new": findings
// holds the suppressed findings too, each with "suppressed": {reason,
// ...}; "suppressed" and "new" are counts; escalations are the methods
// the engine allows (Report.Escalations), with their requests, whether
// or not their findings are suppressed.
func WriteJSON(w io.Writer, r *Report) error {
	all := []jsonFinding{}
	add := func(f *schema.Error, by *Suppression) {
		j := jsonFinding{Error: f, Fingerprint: Fingerprint(f), Suppressed: by}
		if r.Baseline != nil {
			in := r.Baseline[f]
			j.Baseline = &in
		}
		all = append(all, j)
	}
	for _, f := range r.Findings {
		add(f, nil)
	}
	for _, s := range r.Suppressed {
		add(s.Finding, s.By)
	}
	out := map[string]any{
		"findings":    all,
		"errors":      nonNil(r.Errors),
		"policies":    r.Policies,
		"principals":  r.Principals,
		"suppressed":  len(r.Suppressed),
		"escalations": r.Escalations,
	}
	if r.Escalations == nil {
		out["escalations"] = []Escalation{}
	}
	if r.Baseline != nil {
		out["new"] = r.newCount()
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func nonNil(list []*schema.Error) []*schema.Error {
	if list == nil {
		return []*schema.Error{}
	}
	return list
}

func countBySeverity(list []*schema.Error) string {
	errs, warns := 0, 0
	for _, f := range list {
		if f.Severity == schema.SeverityError {
			errs++
		} else {
			warns++
		}
	}
	return fmt.Sprintf("%d errors, %d warnings", errs, warns)
}

// newCount is the number of findings that count: not suppressed, and not
// in the baseline.
func (r *Report) newCount() int {
	n := 0
	for _, f := range r.Findings {
		if r.isNew(f) {
			n++
		}
	}
	return n
}

// Severities lists the --fail-on thresholds, most severe first: a finding
// at or above the threshold fails the run; "none" never does.
var Severities = []string{string(schema.SeverityError), string(schema.SeverityWarning), "none"}

// Fails reports whether a finding is at or above the threshold (one of
// Severities). Suppressed findings and those in the baseline do not count.
func Fails(r *Report, threshold string) bool {
	for _, f := range r.Findings {
		if !r.isNew(f) {
			continue
		}
		switch threshold {
		case string(schema.SeverityWarning):
			return true
		case string(schema.SeverityError):
			if f.Severity == schema.SeverityError {
				return true
			}
		}
	}
	return false
}
