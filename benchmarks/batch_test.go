package benchmarks_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/iam2rego/iam2rego/rego/cases"
)

// Batch `eval --cases` throughput against the oracle (iam-simulate, run by
// ../shared/oracle/bench.mjs in its own node process) on the same
// generated cases, in the same run. One iteration is what `iam2rego eval
// --cases FILE` does after reading the file: parse the cases, compile
// their distinct policies once, prepare one query, decide every case.
//
// Metrics: cases/s (ours), oracle-cases/s (bench.mjs's median of five
// in-process passes, after a warm-up pass), x-oracle (ours ÷ oracle),
// agree-% (our decisions equal to the oracle's, over the cases it
// decided) and compile-share (the part of a pass spent compiling
// policies, cases.Check).
//
// It needs node and the oracle installed in its cache
// (${IAM_ORACLE_DIR:-~/.cache/iam2rego-oracle}); when the cache is
// missing it runs ../shared/oracle/compare once to install it, and skips
// when that is not possible.

const oracleSeed = "7"

type oracleBench struct {
	Cases                 int     `json:"cases"`
	Errors                int     `json:"errors"`
	MeanStatementsPerCase float64 `json:"meanStatementsPerCase"`
	Runs                  []int   `json:"runs"`
	MedianDecisionsPerSec float64 `json:"medianDecisionsPerSec"`
	Node                  string  `json:"node"`
}

func oracleDir() string {
	if d := os.Getenv("IAM_ORACLE_DIR"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "iam2rego-oracle")
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".cache", "iam2rego-oracle")
}

// oracle returns the oracle's cache directory, installing it when needed,
// or skips the benchmark.
func oracle(b *testing.B) string {
	if _, err := exec.LookPath("node"); err != nil {
		b.Skip("node is not installed: the oracle throughput cannot be measured (install Node 18+)")
	}
	dir := oracleDir()
	ready := func() bool {
		_, err := os.Stat(filepath.Join(dir, "node_modules", "@cloud-copilot", "iam-simulate", "package.json"))
		_, err2 := os.Stat(filepath.Join(dir, "bench.mjs"))
		return err == nil && err2 == nil
	}
	if !ready() {
		compare := filepath.Join("..", "..", "shared", "oracle", "compare")
		if out, err := exec.Command(compare, "--n", "1", "--", "true").CombinedOutput(); err != nil || !ready() {
			b.Skipf("the oracle is not installed in %s and %s could not install it (%v): %s", dir, compare, err, bytes.TrimSpace(out))
		}
	}
	return dir
}

func node(b *testing.B, dir string, stdin []byte, args ...string) []byte {
	cmd := exec.Command("node", args...)
	cmd.Dir = dir
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("node %v: %v: %s", args, err, stderr.Bytes())
	}
	return out
}

func BenchmarkBatch(b *testing.B) {
	dir := oracle(b)
	n := envInt("IAM2REGO_BENCH_CASES", 1000)
	file := filepath.Join(tmpRoot, "oracle-cases-"+oracleSeed+"-"+strconv.Itoa(n)+".jsonl")
	data, err := os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) {
		data = node(b, dir, nil, "gen.mjs", "--seed", oracleSeed, "--n", strconv.Itoa(n))
		if err := os.WriteFile(file, data, 0o644); err != nil {
			b.Fatal(err)
		}
	} else if err != nil {
		b.Fatal(err)
	}

	// The oracle: its decisions, then its throughput on the same file.
	oracleDecision := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(node(b, dir, data, "simulate.mjs")))
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var l struct {
			ID       any
			Decision string
		}
		if json.Unmarshal(sc.Bytes(), &l) == nil && l.Decision != "" {
			oracleDecision[idString(l.ID)] = l.Decision
		}
	}
	var ob oracleBench
	if err := json.Unmarshal(node(b, dir, nil, "bench.mjs", file), &ob); err != nil || ob.MedianDecisionsPerSec <= 0 {
		b.Fatalf("bench.mjs: %v %+v", err, ob)
	}

	// Ours, once outside the loop: the decisions every iteration must
	// repeat, agreement with the oracle and the compile share.
	ctx := context.Background()
	run := func() []cases.Result {
		list, err := cases.Load(file, bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		res, err := cases.Run(ctx, list, cases.Options{})
		if err != nil {
			b.Fatal(err)
		}
		return res
	}
	t0 := time.Now()
	first := run()
	tRun := time.Since(t0)
	want := make([]string, len(first))
	agree, compared := 0, 0
	for i, r := range first {
		want[i] = r.Outcome()
		if o, ok := oracleDecision[r.Case.IDString()]; ok {
			compared++
			if o == want[i] {
				agree++
			}
		}
	}
	list, _ := cases.Load(file, bytes.NewReader(data))
	t0 = time.Now()
	cases.Check(list)
	compileShare := time.Since(t0).Seconds() / tRun.Seconds()
	b.Logf("%d cases (%.1f statements each), oracle %s: %.0f decisions/s (runs %v)", len(first), ob.MeanStatementsPerCase, ob.Node, ob.MedianDecisionsPerSec, ob.Runs)

	b.ReportAllocs()
	for b.Loop() {
		res := run()
		if len(res) != len(want) {
			b.Fatalf("%d results for %d cases", len(res), len(want))
		}
		for i, r := range res {
			if o := r.Outcome(); o != want[i] {
				b.Fatalf("case %s: %s, first run %s", r.Case.IDString(), o, want[i])
			}
		}
	}
	perSec := float64(len(want)) * float64(b.N) / b.Elapsed().Seconds()
	b.ReportMetric(perSec, "cases/s")
	b.ReportMetric(ob.MedianDecisionsPerSec, "oracle-cases/s")
	b.ReportMetric(perSec/ob.MedianDecisionsPerSec, "x-oracle")
	if compared > 0 {
		b.ReportMetric(100*float64(agree)/float64(compared), "agree-%")
	}
	b.ReportMetric(compileShare, "compile-share")
}

func idString(id any) string {
	switch v := id.(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		raw, _ := json.Marshal(v)
		return string(raw)
	}
}
