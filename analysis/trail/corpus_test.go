package trail

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExampleCorpus replays the hand-checked records of the example
// account: every decision and verdict is the one expected.jsonl gives
// (checked by hand against the policies), every disagreement with AWS's
// logged outcome is explained there, and every unmapped record has its
// reason.
func TestExampleCorpus(t *testing.T) {
	_, eng := example(t)
	type line struct {
		Where, Action, AWS, Decision, Verdict, Unmapped, Why string
	}
	f, err := os.Open(filepath.Join(corpusDir, "expected.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]line{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		if l.Why == "" {
			t.Errorf("%s: no explanation", l.Where)
		}
		want[l.Where] = l
	}
	seen := 0
	sum, err := Replay(context.Background(), eng, Source{Paths: []string{corpusLogs}}, func(ev *Event) error {
		where, _ := filepath.Rel(corpusLogs, strings.SplitN(ev.Where, "#", 2)[0])
		if i := strings.Index(ev.Where, "#"); i >= 0 {
			where += ev.Where[i:]
		} else if j := strings.LastIndex(ev.Where, ":"); j >= 0 {
			where, _ = filepath.Rel(corpusLogs, ev.Where[:j])
			where += ev.Where[j:]
		}
		w, ok := want[where]
		if !ok {
			t.Errorf("%s: not in expected.jsonl", where)
			return nil
		}
		seen++
		switch {
		case ev.Problem != nil:
			t.Errorf("%s: unreadable: %v", where, ev.Problem)
		case ev.Unmapped != nil:
			if ev.Unmapped.Reason != w.Unmapped {
				t.Errorf("%s: unmapped %s, want %+v", where, ev.Unmapped.Reason, w)
			}
		default:
			got := line{Where: where, Action: ev.Call.Action, AWS: string(ev.Call.AWS), Decision: ev.Decision.Decision.Decision, Verdict: ev.Decision.Verdict, Why: w.Why}
			if got != w {
				t.Errorf("%s:\n got %+v\nwant %+v", where, got, w)
			}
			if got.Verdict != Agree && got.Verdict != NotCompared && !strings.HasPrefix(w.Why, "EXPLAINED DISAGREEMENT") {
				t.Errorf("%s: a disagreement (%s) that expected.jsonl does not explain", where, got.Verdict)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen != len(want) {
		t.Errorf("replayed %d records, expected.jsonl has %d", seen, len(want))
	}
	if sum.Files != 3 || sum.WouldBreak != 1 || sum.FidelityGaps != 1 || sum.Agree != 17 || sum.Unmapped["unmappable_identity"] != 1 {
		t.Errorf("summary %+v", sum)
	}
	// The explained would-break names the context the log lacks.
	if len(sum.Breaks) != 1 || !strings.Contains(strings.Join(sum.Breaks[0].Missing, " "), "aws:SourceArn") {
		t.Errorf("would-break groups %+v do not name aws:SourceArn", sum.Breaks)
	}
}
