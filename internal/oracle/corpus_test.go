package oracle_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/iam2rego/iam2rego/internal/oracle"
	"github.com/iam2rego/iam2rego/rego/cases"
)

// corpusList is the list of corpus cases on which the oracle's answer
// differs from the case's expect.
var corpusList = filepath.Join(root, "testdata/oracle/expected-differences.json")

// TestOracleCorpus runs every case of the corpus (testdata/cases,
// testdata/demo: hand-written cases whose expect is the AWS answer per
// IAM-SEMANTICS.md) through the oracle. Every case where the oracle's
// answer differs from expect must be listed in expected-differences.json
// with its reason; an entry that no longer differs fails too.
func TestOracleCorpus(t *testing.T) {
	o := needOracle(t)
	files, _ := filepath.Glob(filepath.Join(root, "testdata/cases/*.jsonl"))
	demo, _ := filepath.Glob(filepath.Join(root, "testdata/demo/*.jsonl"))
	files = append(files, demo...)
	if len(files) < 10 {
		t.Fatalf("found only %d corpus files", len(files))
	}
	var all bytes.Buffer
	var keys, expects []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		list, err := cases.Load(f, bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		rows := oracle.Lines(data)
		if len(rows) != len(list) {
			t.Fatalf("%s: %d lines but %d cases", f, len(rows), len(list))
		}
		// A case iam2rego rejects (c.Err, expect "error") goes to the
		// oracle all the same.
		for i, c := range list {
			if c.Expect == "" {
				t.Fatalf("%s: case %s has no expect", c.File, c.IDString())
			}
			keys = append(keys, filepath.Base(f)+"#"+c.IDString())
			expects = append(expects, c.Expect)
			all.Write(rows[i])
			all.WriteByte('\n')
		}
	}
	answers, err := o.Simulate(ctx(t), all.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var observed []oracle.Difference
	ignored := 0
	for i, a := range answers {
		if len(a.IgnoredContextKeys) > 0 {
			ignored++
		}
		if got := a.Outcome(); got != expects[i] {
			observed = append(observed, oracle.Difference{Case: keys[i], Oracle: got, Ours: expects[i]})
		}
	}
	listed, err := oracle.LoadCorpusList(corpusList)
	if err != nil {
		t.Fatal(err)
	}
	v := oracle.Check(observed, listed)
	for _, p := range v.Problems("expect", "testdata/oracle/expected-differences.json") {
		t.Error(p)
	}
	agree := len(answers) - len(observed)
	fmt.Printf("oracle corpus: %d cases in %d files: the oracle agrees with expect on %d (%s); %d listed differences (%s); %d unlisted, %d stale, %d changed; %d cases with context keys the oracle ignores (compared all the same)\n",
		len(answers), len(files), agree, percent(agree, len(answers)), len(v.Matched), v.ByLabel(), len(v.Unlisted), len(v.Stale), len(v.Changed), ignored)
}
