package lint

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// configuredWithBaseline is the configured report of config_test.go,
// marked against a baseline that holds all but its first finding.
func configuredWithBaseline(t *testing.T) *Report {
	t.Helper()
	r := configured(t, "suppressions.json", time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	NewBaseline(&Report{Findings: r.Findings[1:]}).Mark(r)
	return r
}

// TestSARIFSuppressions: suppressed findings are results with an external
// suppression carrying the reason and where the configuration holds it;
// the others have an empty suppressions list; every result has a
// baselineState and a partial fingerprint. TestSARIFValidates checks the
// same report against the SARIF schema.
func TestSARIFSuppressions(t *testing.T) {
	r := configuredWithBaseline(t)
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, r, "test"); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID              string
				BaselineState       string
				PartialFingerprints map[string]string
				Suppressions        *[]struct {
					Kind, Status, Justification string
					Location                    struct {
						PhysicalLocation struct{ ArtifactLocation struct{ URI string } }
						LogicalLocations []struct{ FullyQualifiedName string }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	results := log.Runs[0].Results
	if len(results) != len(r.Findings)+len(r.Suppressed) || len(r.Suppressed) != 2 {
		t.Fatalf("%d results for %d findings and %d suppressed (want 2)", len(results), len(r.Findings), len(r.Suppressed))
	}
	states := map[string]int{}
	for i, res := range results {
		states[res.BaselineState]++
		if res.Suppressions == nil || len(res.PartialFingerprints[fingerprintKey]) != 64 {
			t.Errorf("result %d (%s): suppressions %v, fingerprints %v", i, res.RuleID, res.Suppressions, res.PartialFingerprints)
			continue
		}
		sup := *res.Suppressions
		if i < len(r.Findings) {
			if len(sup) != 0 {
				t.Errorf("result %d (%s) is not suppressed, yet has %+v", i, res.RuleID, sup)
			}
			continue
		}
		by := r.Suppressed[i-len(r.Findings)].By
		if len(sup) != 1 || sup[0].Kind != "external" || sup[0].Status != "accepted" || sup[0].Justification != by.Reason ||
			sup[0].Location.PhysicalLocation.ArtifactLocation.URI != "../../testdata/lint/config/suppressions.json" ||
			sup[0].Location.LogicalLocations[0].FullyQualifiedName != by.Pointer {
			t.Errorf("result %d (%s): suppressions %+v, want the reason and location of %s", i, res.RuleID, sup, by.Pointer)
		}
	}
	// The first finding is new; the others, and the suppressed findings
	// (not in a baseline written from the findings), are as marked.
	if states["new"] != 3 || states["unchanged"] != len(results)-3 {
		t.Errorf("baseline states %v; want 3 new (one finding, two suppressed), the rest unchanged", states)
	}
}

// TestSARIFOptionalRules: an optional rule that did not run is in the
// rule table as not enabled; once enabled, it is not marked so.
func TestSARIFOptionalRules(t *testing.T) {
	for _, enable := range [][]string{nil, {CodeReadOnAnyResource}} {
		var buf bytes.Buffer
		if err := WriteSARIF(&buf, &Report{Enabled: enable}, "test"); err != nil {
			t.Fatal(err)
		}
		var log struct {
			Runs []struct {
				Tool struct {
					Driver struct {
						Rules []struct {
							ID                   string
							DefaultConfiguration map[string]any
						}
					}
				}
			}
		}
		if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
			t.Fatal(err)
		}
		for _, rule := range log.Runs[0].Tool.Driver.Rules {
			_, off := rule.DefaultConfiguration["enabled"]
			if want := rule.ID == CodeReadOnAnyResource && enable == nil; off != want {
				t.Errorf("enable %v: rule %s has enabled=false: %v, want %v", enable, rule.ID, off, want)
			}
		}
	}
}
