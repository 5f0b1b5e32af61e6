package lint

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/iam2rego/iam2rego/schema"
)

// Formats lists the output formats of Write.
var Formats = []string{"pretty", "json", "sarif"}

// Write prints a report: pretty (one line per finding, FILE: /pointer:
// message (code), then a count), json ({"findings", "errors", counts}) or
// sarif (SARIF 2.1.0, see WriteSARIF). Input errors are part of the json
// and sarif output; in pretty form the caller prints them (to stderr).
func Write(w io.Writer, r *Report, format, version string) error {
	switch format {
	case "pretty":
		for _, f := range r.Findings {
			fmt.Fprintln(w, f.Error())
		}
		fmt.Fprintf(w, "%d findings (%s) in %d policies\n", len(r.Findings), countBySeverity(r.Findings), r.Policies)
		return nil
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{
			"findings":   nonNil(r.Findings),
			"errors":     nonNil(r.Errors),
			"policies":   r.Policies,
			"principals": r.Principals,
		})
	case "sarif":
		return WriteSARIF(w, r, version)
	}
	return fmt.Errorf("unknown format %q", format)
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

// Severities lists the --fail-on thresholds, most severe first: a finding
// at or above the threshold fails the run; "none" never does.
var Severities = []string{string(schema.SeverityError), string(schema.SeverityWarning), "none"}

// Fails reports whether a finding is at or above the threshold (one of
// Severities).
func Fails(r *Report, threshold string) bool {
	for _, f := range r.Findings {
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
