package oracle_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/internal/oracle"
)

// randomSets are the fixed-seed random cases of the check: the oracle's
// safe profile (constructs whose AWS meaning is documented; the bar of
// the conformance runs is 99.8% there) and its edge profile (also
// constructs the oracle is known to get wrong), so that the list of
// differences is exercised on every run.
var randomSets = []oracle.Set{
	{Name: "safe", Profile: "safe", Seed: 18, N: 2000},
	{Name: "edge", Profile: "edge", Seed: 1818, N: 1000},
}

var (
	randomList  = filepath.Join(root, "testdata/oracle/random-differences.json")
	divergences = filepath.Join(root, "testdata/oracle/divergences.json")
	classifier  = filepath.Join(root, "testdata/oracle/classify.mjs")
)

// TestOracleRandom draws the random sets with the oracle's generator and
// decides them with the oracle and with iam2rego (as `eval --cases`).
// Every difference must be listed in random-differences.json with the
// documented divergence that explains it, and classify.mjs must confirm
// that divergence (removing the construct makes both agree, or AWS
// rejects the policy too). Unlisted, changed and stale entries fail.
func TestOracleRandom(t *testing.T) {
	o := needOracle(t)
	divs, err := oracle.LoadDivergences(divergences)
	if err != nil {
		t.Fatal(err)
	}
	listed, err := oracle.LoadRandomList(randomList, divs)
	if err != nil {
		t.Fatal(err)
	}
	var observed []oracle.Difference
	var mismatches []oracle.Mismatch
	agree := map[string]int{}
	for _, s := range randomSets {
		data, err := o.Generate(ctx(t), s)
		if err != nil {
			t.Fatal(err)
		}
		type simulated struct {
			answers []oracle.Answer
			err     error
		}
		done := make(chan simulated, 1)
		go func() {
			a, err := o.Simulate(ctx(t), data)
			done <- simulated{a, err}
		}()
		ours, err := oracle.Decide(ctx(t), s.Name+".jsonl", data)
		sim := <-done
		if err != nil {
			t.Fatal(err)
		}
		if sim.err != nil {
			t.Fatal(sim.err)
		}
		rows := oracle.Lines(data)
		if len(ours.Outcomes) != len(rows) || len(sim.answers) != len(rows) {
			t.Fatalf("%s: %d cases, %d decided by iam2rego, %d by the oracle", s, len(rows), len(ours.Outcomes), len(sim.answers))
		}
		for i, a := range sim.answers {
			id := ours.Cases[i].IDString()
			if fmt.Sprint(a.ID) != id {
				t.Fatalf("%s: line %d: the oracle answered %v, the case is %s", s, i+1, a.ID, id)
			}
			if a.Outcome() == ours.Outcomes[i] {
				agree[s.Name]++
				continue
			}
			d := oracle.Difference{Case: s.Name + "#" + id, Oracle: a.Outcome(), Ours: ours.Outcomes[i]}
			observed = append(observed, d)
			mismatches = append(mismatches, oracle.Mismatch{ID: d.Case, Oracle: d.Oracle, Project: d.Ours, Case: rows[i]})
		}
	}
	v := oracle.Check(observed, listed)

	// Confirm every observed difference's divergence with classify.mjs,
	// and suggest one for the unlisted.
	labels := map[string][]string{}
	if len(mismatches) > 0 {
		if labels, err = o.Classify(ctx(t), classifier, iam2regoBinary(t), withCaseIDs(mismatches)); err != nil {
			t.Fatal(err)
		}
	}
	var rows []any
	for _, m := range mismatches {
		rows = append(rows, map[string]any{"case": m.ID, "oracle": m.Oracle, "iam2rego": m.Project, "classified": labels[m.ID]})
	}
	writeJSONLines(t, filepath.Join(outDir(t), "random-differences.jsonl"), rows)
	for _, l := range v.Matched {
		if !contains(labels[l.Case], l.Label) {
			t.Errorf("%s: listed as %s, but classify.mjs explains it by %v", l.Case, l.Label, orNone(labels[l.Case]))
		}
	}
	for _, p := range v.Problems("iam2rego", "testdata/oracle/random-differences.json") {
		t.Error(p)
	}
	if len(v.Unlisted) > 0 {
		var add []string
		for _, d := range v.Unlisted {
			e, _ := json.Marshal(oracle.RandomEntry{Case: d.Case, Oracle: d.Oracle, IAM2Rego: d.Ours, Divergence: strings.Join(orNone(labels[d.Case]), "+")})
			add = append(add, "  "+string(e))
		}
		t.Errorf("entries for the unlisted differences, with classify.mjs's explanation, once each is checked against IAM-SEMANTICS.md:\n%s", strings.Join(add, ",\n"))
	}

	for _, s := range randomSets {
		var mine []oracle.Listed
		for _, l := range v.Matched {
			if strings.HasPrefix(l.Case, s.Name+"#") {
				mine = append(mine, l)
			}
		}
		sub := oracle.Verdict{Matched: mine}
		fmt.Printf("oracle random %s: iam2rego and the oracle agree on %d (%s); %d listed differences%s\n",
			s, agree[s.Name], percent(agree[s.Name], s.N), len(mine), parenthesised(sub.ByLabel()))
	}
	fmt.Printf("oracle random: %d differences, %d listed and confirmed by classify.mjs, %d unlisted, %d stale, %d changed\n",
		len(observed), len(v.Matched), len(v.Unlisted), len(v.Stale), len(v.Changed))
}

// withCaseIDs gives each mismatch's case the id the list uses, so that
// classify.mjs reports it under that id.
func withCaseIDs(ms []oracle.Mismatch) []oracle.Mismatch {
	out := make([]oracle.Mismatch, len(ms))
	for i, m := range ms {
		var c map[string]any
		if json.Unmarshal(m.Case, &c) == nil {
			c["id"] = m.ID
			m.Case, _ = json.Marshal(c)
		}
		out[i] = m
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func orNone(l []string) []string {
	if len(l) == 0 {
		return []string{"UNEXPLAINED"}
	}
	out := append([]string(nil), l...)
	sort.Strings(out)
	return out
}

func parenthesised(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}
