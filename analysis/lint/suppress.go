package lint

import (
	"time"

	"github.com/iam2rego/iam2rego/schema"
)

// Suppressed is a finding with the suppression that selects it.
type Suppressed struct {
	Finding *schema.Error
	By      *Suppression
}

// Apply applies a configuration to a report (its optional rules are
// Inputs.Enable's business): severity overrides first (off drops the
// rule's findings), then suppressions, which move the findings they
// select to Suppressed. Suppressions whose date is past on day now are not
// applied and are reported (expired_suppression), as are those that
// select no finding (stale_suppression); these two are findings about the
// configuration file, which severity overrides apply to and suppressions
// do not.
func Apply(r *Report, c *Config, now time.Time) {
	r.Config = c
	r.Findings = override(r.Findings, c.Severity)
	matched := make([]int, len(c.Suppressions))
	var kept []*schema.Error
	for _, f := range r.Findings {
		var by *Suppression
		for i, s := range c.Suppressions {
			if ruleOf(f.Code).aboutConfig() || !s.matches(f) {
				continue
			}
			matched[i]++
			if by == nil && !s.expired(now) {
				by = s
			}
		}
		if by != nil {
			r.Suppressed = append(r.Suppressed, Suppressed{Finding: f, By: by})
		} else {
			kept = append(kept, f)
		}
	}
	var notes []*schema.Error
	for i, s := range c.Suppressions {
		switch {
		case s.expired(now):
			notes = append(notes, finding(CodeExpiredSuppression, s.File, s.Pointer+"/expires",
				"the suppression expired on %s (%q): it no longer applies, and the %d findings it selects count again", s.Expires, s.Reason, matched[i]))
		case matched[i] == 0:
			notes = append(notes, finding(CodeStaleSuppression, s.File, s.Pointer,
				"the suppression selects no finding (%q): delete it, or correct its selectors", s.Reason))
		}
	}
	r.Findings = append(kept, override(notes, c.Severity)...)
	schema.Sort(r.Findings)
}

// override applies severity overrides to findings; "off" drops them.
func override(list []*schema.Error, severity map[string]string) []*schema.Error {
	var out []*schema.Error
	for _, f := range list {
		switch s := severity[f.Code]; s {
		case "off":
			continue
		case string(schema.SeverityError), string(schema.SeverityWarning):
			f.Severity = schema.Severity(s)
		}
		out = append(out, f)
	}
	return out
}
