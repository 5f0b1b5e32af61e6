package oracle

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

// Difference is one case on which the oracle and iam2rego's side (the
// case's expect, or iam2rego's decision) give different answers.
type Difference struct {
	Case   string `json:"case"` // "file#id" or "set#id"
	Oracle string `json:"oracle"`
	Ours   string `json:"ours"`
}

// Listed is one entry of a differences list, whatever file it came from.
type Listed struct {
	Difference
	// Label groups entries in the summary: the divergence id of
	// divergences.json, or the IAM-SEMANTICS.md Appendix A item.
	Label string
}

// Verdict is the comparison of the differences a run observed with the
// list of expected ones.
type Verdict struct {
	Unlisted []Difference // observed, not in the list: a failure
	Stale    []Listed     // in the list, no longer observed: a failure
	Changed  []Changed    // in the list, observed with other answers: a failure
	Matched  []Listed     // observed and listed with the same answers
}

// Changed is a listed difference observed with other answers.
type Changed struct {
	Listed   Listed
	Observed Difference
}

// Check compares observed differences with the list.
func Check(observed []Difference, listed []Listed) Verdict {
	byCase := map[string]Listed{}
	for _, l := range listed {
		byCase[l.Case] = l
	}
	seen := map[string]bool{}
	var v Verdict
	for _, d := range observed {
		seen[d.Case] = true
		l, ok := byCase[d.Case]
		switch {
		case !ok:
			v.Unlisted = append(v.Unlisted, d)
		case l.Oracle != d.Oracle || l.Ours != d.Ours:
			v.Changed = append(v.Changed, Changed{Listed: l, Observed: d})
		default:
			v.Matched = append(v.Matched, l)
		}
	}
	for _, l := range listed {
		if !seen[l.Case] {
			v.Stale = append(v.Stale, l)
		}
	}
	return v
}

// Problems describes every failure of a verdict, one line each; ours
// names iam2rego's side ("expect" or "iam2rego") and list the file.
func (v Verdict) Problems(ours, list string) []string {
	var out []string
	for _, d := range v.Unlisted {
		out = append(out, fmt.Sprintf("unlisted difference %s: oracle %s, %s %s (a bug in iam2rego, or a new oracle divergence to document and add to %s)", d.Case, d.Oracle, ours, d.Ours, list))
	}
	for _, c := range v.Changed {
		out = append(out, fmt.Sprintf("%s: %s lists oracle %s, %s %s; observed oracle %s, %s %s", c.Listed.Case, list, c.Listed.Oracle, ours, c.Listed.Ours, c.Observed.Oracle, ours, c.Observed.Ours))
	}
	for _, l := range v.Stale {
		out = append(out, fmt.Sprintf("stale entry %s in %s: the oracle and %s no longer differ there (remove it)", l.Case, list, ours))
	}
	return out
}

// ByLabel counts the matched differences per label, as "N label" parts
// sorted by count, then label.
func (v Verdict) ByLabel() string {
	counts := map[string]int{}
	for _, l := range v.Matched {
		counts[l.Label]++
	}
	labels := make([]string, 0, len(counts))
	for l := range counts {
		labels = append(labels, l)
	}
	sort.Slice(labels, func(i, j int) bool {
		if counts[labels[i]] != counts[labels[j]] {
			return counts[labels[i]] > counts[labels[j]]
		}
		return labels[i] < labels[j]
	})
	parts := make([]string, len(labels))
	for i, l := range labels {
		parts[i] = fmt.Sprintf("%d %s", counts[l], l)
	}
	return strings.Join(parts, ", ")
}

// CorpusEntry is one entry of testdata/oracle/expected-differences.json:
// a corpus case on which the oracle's answer differs from the case's
// expect (the AWS answer per IAM-SEMANTICS.md).
type CorpusEntry struct {
	Case   string `json:"case"`
	Oracle string `json:"oracle"`
	Expect string `json:"expect"`
	Reason string `json:"reason"`
	Ref    string `json:"ref"`
}

// LoadCorpusList reads expected-differences.json; every entry needs a
// reason and a reference, and names its case once.
func LoadCorpusList(path string) ([]Listed, error) {
	var entries []CorpusEntry
	if err := readJSON(path, &entries); err != nil {
		return nil, err
	}
	var out []Listed
	seen := map[string]bool{}
	for i, e := range entries {
		switch {
		case e.Case == "" || e.Oracle == "" || e.Expect == "":
			return nil, fmt.Errorf("%s: /%d: case, oracle and expect are required", path, i)
		case e.Reason == "" || e.Ref == "":
			return nil, fmt.Errorf("%s: /%d (%s): needs a reason and a ref", path, i, e.Case)
		case e.Oracle == e.Expect:
			return nil, fmt.Errorf("%s: /%d (%s): oracle and expect are both %s: not a difference", path, i, e.Case, e.Expect)
		case seen[e.Case]:
			return nil, fmt.Errorf("%s: /%d: %s is listed twice", path, i, e.Case)
		}
		seen[e.Case] = true
		out = append(out, Listed{Difference: Difference{Case: e.Case, Oracle: e.Oracle, Ours: e.Expect}, Label: refLabel(e.Ref)})
	}
	return out, nil
}

// refLabel groups a reference for the summary: its IAM-SEMANTICS.md
// Appendix A item ("Appendix A #4"), else the other document it names.
// The order matters: a reference naming an Appendix A item is grouped
// there whatever else it names.
func refLabel(ref string) string {
	if i := strings.Index(ref, "Appendix A #"); i >= 0 {
		rest := ref[i+len("Appendix A #"):]
		n := 0
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		return "Appendix A #" + rest[:n]
	}
	for _, g := range []struct{ in, label string }{
		{"Malformed context values", "malformed context (iam2rego fails closed)"},
		{"Extensions read by iam2rego", "iam2rego extension"},
		{"PROTECTED.md", "protected resources"},
		{"oracle/README.md", "oracle README"},
		{"oracle README", "oracle README"},
	} {
		if strings.Contains(ref, g.in) {
			return g.label
		}
	}
	if strings.Contains(ref, "Appendix A") && !strings.Contains(ref, "not in Appendix A") {
		return "Appendix A (notes)"
	}
	return "IAM-SEMANTICS.md only (not in Appendix A)"
}

// Divergence is one documented way the oracle departs from AWS
// (testdata/oracle/divergences.json).
type Divergence struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Ref   string `json:"ref"`
}

// LoadDivergences reads divergences.json, keyed by id.
func LoadDivergences(path string) (map[string]Divergence, error) {
	var list []Divergence
	if err := readJSON(path, &list); err != nil {
		return nil, err
	}
	out := map[string]Divergence{}
	for i, d := range list {
		if d.ID == "" || d.Title == "" || d.Ref == "" {
			return nil, fmt.Errorf("%s: /%d: id, title and ref are required", path, i)
		}
		out[d.ID] = d
	}
	return out, nil
}

// RandomEntry is one entry of testdata/oracle/random-differences.json: a
// case of a fixed-seed random set on which the oracle and iam2rego differ,
// and the documented divergence that explains it (its title and its
// IAM-SEMANTICS.md reference are in divergences.json).
type RandomEntry struct {
	Case       string `json:"case"`
	Oracle     string `json:"oracle"`
	IAM2Rego   string `json:"iam2rego"`
	Divergence string `json:"divergence"`
}

// LoadRandomList reads random-differences.json; every entry's divergence
// must be documented in divs.
func LoadRandomList(path string, divs map[string]Divergence) ([]Listed, error) {
	var entries []RandomEntry
	if err := readJSON(path, &entries); err != nil {
		return nil, err
	}
	var out []Listed
	seen := map[string]bool{}
	for i, e := range entries {
		switch {
		case e.Case == "" || e.Oracle == "" || e.IAM2Rego == "":
			return nil, fmt.Errorf("%s: /%d: case, oracle and iam2rego are required", path, i)
		case e.Oracle == e.IAM2Rego:
			return nil, fmt.Errorf("%s: /%d (%s): oracle and iam2rego are both %s: not a difference", path, i, e.Case, e.Oracle)
		case divs[e.Divergence].ID == "":
			return nil, fmt.Errorf("%s: /%d (%s): divergence %q is not documented in divergences.json", path, i, e.Case, e.Divergence)
		case seen[e.Case]:
			return nil, fmt.Errorf("%s: /%d: %s is listed twice", path, i, e.Case)
		}
		seen[e.Case] = true
		out = append(out, Listed{Difference: Difference{Case: e.Case, Oracle: e.Oracle, Ours: e.IAM2Rego}, Label: e.Divergence})
	}
	return out, nil
}

func readJSON(path string, v any) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	return nil
}
