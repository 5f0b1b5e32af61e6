// Command report runs the benchmarks of ./benchmarks and prints their
// figures as a table: each figure a ratio to the `allow := true` floor
// measured in the same benchmark, to the oracle measured in the same run,
// or to its budget, with its bar and the command that produced it.
//
//	go run ./benchmarks/cmd/report           # make bench: every size, 2,000 calls
//	go run ./benchmarks/cmd/report -check    # fail (exit 1) when a figure misses its bar
//	go run ./benchmarks/cmd/report -short -check   # make bench-check: example and 5,000 only,
//	                                               # decisions measured three times (medians)
//	go run ./benchmarks/cmd/report -count 3  # medians of three runs of every benchmark
//
// The bars are issue 6's; each can be changed with an environment variable:
//
//	BENCH_MAX_P50_FLOOR=4        Decide p50, median principal of the largest account, × floor
//	BENCH_MAX_GROWTH=1.3         that p50 ÷ the same at the example account (both × floor)
//	BENCH_MAX_ALLOCS_GROWTH=1.05 allocs/op, largest ÷ example (median principal)
//	BENCH_MIN_ORACLE=100         batch eval --cases throughput ÷ the oracle's
//	BENCH_MAX_BUILD_S=30         compile and bundle, 5,000 principals and all managed policies
//	BENCH_MAX_RSS_MIB=2048       peak RSS of the build and of the activation
//	BENCH_MAX_PREPARE_S=5        rego.PrepareBundle of that bundle
//	BENCH_BUDGET_CLOCK=cpu       hold the two time budgets against CPU time, not wall time
//
// Run it from the module root. Exit status: 0 ok, 1 a bar missed (with
// -check) or a benchmark failed, 2 bad usage.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// step is one `go test -bench` command.
type step struct {
	name  string
	env   []string
	bench string
	time  string
	count int
}

func (s step) args() []string {
	return []string{"test", "-run", "^$", "-bench", s.bench, "-benchtime", s.time, "-count", strconv.Itoa(max(s.count, 1)), "-timeout", "60m", "./benchmarks"}
}

func (s step) String() string {
	var b strings.Builder
	for _, e := range s.env {
		b.WriteString(e + " ")
	}
	b.WriteString("go")
	for _, a := range s.args() {
		if strings.ContainsAny(a, "^$|()*? ") {
			a = "'" + a + "'"
		}
		b.WriteString(" " + a)
	}
	return b.String()
}

// result is one benchmark: its metrics by unit (the median over -count
// runs), and which step ran it.
type result struct {
	metrics map[string]float64
	runs    map[string][]float64
	step    int
}

func (r *result) add(m map[string]float64) {
	for unit, v := range m {
		r.runs[unit] = append(r.runs[unit], v)
		vs := append([]float64(nil), r.runs[unit]...)
		sort.Float64s(vs)
		med := vs[len(vs)/2]
		if len(vs)%2 == 0 {
			med = (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2
		}
		r.metrics[unit] = med
	}
}

type bar struct {
	env  string
	def  float64
	max  bool // the figure must stay at or below the bar (else at or above)
	unit string
}

var bars = map[string]*bar{
	"p50":     {"BENCH_MAX_P50_FLOOR", 4, true, "× floor"},
	"growth":  {"BENCH_MAX_GROWTH", 1.3, true, "×"},
	"allocs":  {"BENCH_MAX_ALLOCS_GROWTH", 1.05, true, "×"},
	"oracle":  {"BENCH_MIN_ORACLE", 100, false, "× oracle"},
	"build":   {"BENCH_MAX_BUILD_S", 30, true, "s"},
	"rss":     {"BENCH_MAX_RSS_MIB", 2048, true, "MiB"},
	"prepare": {"BENCH_MAX_PREPARE_S", 5, true, "s"},
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	short := fs.Bool("short", false, "the short run of make bench-check: sizes example and 5000, fewer calls and cases")
	check := fs.Bool("check", false, "exit 1 when a figure misses its bar")
	quiet := fs.Bool("q", false, "do not echo go test's output to stderr")
	goBin := fs.String("go", "go", "the go command")
	count := fs.Int("count", 1, "run each benchmark this many times and report the median of each figure (a noisy machine)")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *count < 1 {
		return 2
	}
	limits := map[string]float64{}
	for k, b := range bars {
		limits[k] = b.def
		if v := os.Getenv(b.env); v != "" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f <= 0 {
				fmt.Fprintf(stderr, "report: %s=%q is not a positive number\n", b.env, v)
				return 2
			}
			limits[k] = f
		}
	}
	sizes, calls, cases, batchRuns := "example,100,1000,5000", "2000x", "1000", "3x"
	build := "^BenchmarkBuild$"
	decide := "^Benchmark(Floor|Decide|DecideValue)$"
	if *short {
		sizes, calls, cases, batchRuns = "example,5000", "1000x", "300", "1x"
		build = "^BenchmarkBuild$/^input=account-5000$"
		decide = "^Benchmark(Floor|Decide)$"
	}
	steps := []step{
		{name: "build", bench: build, time: "1x"},
		{name: "decide", env: []string{"IAM2REGO_BENCH_SIZES=" + sizes}, bench: decide, time: calls},
		{name: "batch", env: []string{"IAM2REGO_BENCH_CASES=" + cases}, bench: "^BenchmarkBatch$", time: batchRuns},
	}
	if !*short {
		steps = append(steps, step{name: "shapes", bench: "^BenchmarkShape$", time: "1000x"})
	}
	for i := range steps {
		steps[i].count = *count
	}
	if *short && *count == 1 {
		// The gate: decisions are cheap to repeat, and the median of three
		// runs keeps a busy machine from failing (or passing) it.
		steps[1].count = 3
	}
	// The steps share generated accounts and built bundles through one
	// directory, so that the 5,000-principal account is built once.
	dir, err := os.MkdirTemp("", "iam2rego-bench-")
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	results := map[string]*result{}
	skipped := map[string]string{}
	failed := false
	for i, s := range steps {
		fmt.Fprintf(stderr, "[%d] %s\n", i+1, s)
		if err := runStep(*goBin, dir, s, i, results, skipped, stderr, *quiet); err != nil {
			fmt.Fprintf(stderr, "report: [%d] failed: %v\n", i+1, err)
			failed = true
		}
	}

	t := &table{}
	get := func(name, unit string) (float64, int, bool) {
		r := results[name]
		if r == nil {
			return 0, 0, false
		}
		v, ok := r.metrics[unit]
		return v, r.step, ok
	}
	// Decision latency.
	sizeList := strings.Split(sizes, ",")
	largest := ""
	for _, s := range sizeList {
		if s != "example" {
			largest = s
		}
	}
	t.section("Decide (in-process, bundle data), each × the p50 of `allow := true` measured in the same benchmark")
	if v, st, ok := get("BenchmarkFloor", "floor-ns"); ok {
		p99, _, _ := get("BenchmarkFloor", "p99/floor")
		t.row(fmt.Sprintf("floor: allow := true, p50 %.1f µs; p99", v/1000), p99, "× floor", "", st, "BenchmarkFloor")
	}
	for _, size := range sizeList {
		for _, who := range []string{"median", "p99"} {
			name := "BenchmarkDecide/account=" + size + "/principal=" + who
			stmts, _, _ := get(name, "stmts")
			label := fmt.Sprintf("account %s, %s principal (%.0f statements)", size, who, stmts)
			for _, q := range []string{"p50", "p99"} {
				if v, st, ok := get(name, q+"/floor"); ok {
					t.row("Decide "+q+", "+label, v, "× floor", "", st, name)
				}
			}
			if v, st, ok := get(name, "allocs/op"); ok {
				t.row("  allocs/op", v, "allocs", "", st, name)
			}
		}
		name := "BenchmarkDecideValue/account=" + size + "/principal=median"
		if v, st, ok := get(name, "p50/floor"); ok {
			t.row("DecideValue p50 (prebuilt input value), account "+size+", median", v, "× floor", "", st, name)
		}
	}
	// Bars on decisions.
	big := "BenchmarkDecide/account=" + largest + "/principal=median"
	ex := "BenchmarkDecide/account=example/principal=median"
	t.section("Bars")
	if v, st, ok := get(big, "p50/floor"); ok {
		t.bar("Decide p50, median principal, account "+largest, v, limits, "p50", st, big)
	} else {
		t.missing("Decide p50, median principal, largest account", "p50", limits, skipped["BenchmarkDecide"])
	}
	// Growth compares the calls themselves (same process, same run);
	// dividing each by its own floor first would add the floor's noise.
	pl, st1, ok1 := get(big, "p50-ns")
	pe, _, ok2 := get(ex, "p50-ns")
	if ok1 && ok2 {
		t.bar(fmt.Sprintf("growth: Decide p50 account %s ÷ example (median principals; %.0f ÷ %.0f µs)", largest, pl/1000, pe/1000), pl/pe, limits, "growth", st1, big+" ÷ "+ex)
	} else {
		t.missing("growth of Decide p50", "growth", limits, "")
	}
	al, st2, ok1 := get(big, "allocs/op")
	ae, _, ok2 := get(ex, "allocs/op")
	if ok1 && ok2 {
		t.bar(fmt.Sprintf("growth: allocs/op account %s ÷ example (%.0f ÷ %.0f)", largest, al, ae), al/ae, limits, "allocs", st2, big+" ÷ "+ex)
	} else {
		t.missing("growth of allocs/op", "allocs", limits, "")
	}
	if v, st, ok := get("BenchmarkBatch", "x-oracle"); ok {
		ours, _, _ := get("BenchmarkBatch", "cases/s")
		theirs, _, _ := get("BenchmarkBatch", "oracle-cases/s")
		agree, _, _ := get("BenchmarkBatch", "agree-%")
		t.bar(fmt.Sprintf("batch eval --cases: %.0f cases/s ÷ oracle %.0f/s (agree %.1f%%)", ours, theirs, agree), v, limits, "oracle", st, "BenchmarkBatch")
	} else {
		t.missing("batch eval --cases ÷ oracle", "oracle", limits, skipped["BenchmarkBatch"])
	}
	acct := "BenchmarkBuild/input=account-5000"
	// BENCH_BUDGET_CLOCK=cpu holds the time budgets against CPU time
	// instead of wall time, for a machine shared with other jobs.
	clock, other := "", "CPU"
	if os.Getenv("BENCH_BUDGET_CLOCK") == "cpu" {
		clock, other = "-cpu", "wall"
	}
	if v, st, ok := get(acct, "build"+clock+"-s"); ok {
		alt, _, _ := get(acct, map[string]string{"": "build-cpu-s", "-cpu": "build-s"}[clock])
		t.bar(fmt.Sprintf("build: 5,000 principals + 1,594 managed, compile and bundle (%s %.1f s)", other, alt), v, limits, "build", st, acct)
		rss, _, _ := get(acct, "build-rss-MiB")
		arss, _, _ := get(acct, "activate-rss-MiB")
		t.bar(fmt.Sprintf("build: peak RSS (build %.0f MiB, activation %.0f MiB)", rss, arss), max(rss, arss), limits, "rss", st, acct)
		prep, _, _ := get(acct, "prepare"+clock+"-s")
		alt, _, _ = get(acct, map[string]string{"": "prepare-cpu-s", "-cpu": "prepare-s"}[clock])
		read, _, _ := get(acct, "read-s")
		t.bar(fmt.Sprintf("build: activation, rego.PrepareBundle (%s %.1f s; reading the bundle %.1f s more)", other, alt, read), prep, limits, "prepare", st, acct)
	} else {
		t.missing("build budget", "build", limits, skipped["BenchmarkBuild"])
	}
	if r := results["BenchmarkBuild/input=managed-1594"]; r != nil {
		t.section("All 1,594 AWS managed policies alone")
		m := r.metrics
		t.row(fmt.Sprintf("translate %.1f s, build %.1f s (CPU %.1f s), read %.1f s, prepare %.1f s (CPU %.1f s); peak heap %.0f / %.0f MiB (build / activation); build + prepare",
			m["translate-s"], m["build-s"], m["build-cpu-s"], m["read-s"], m["prepare-s"], m["prepare-cpu-s"], m["build-heap-MiB"], m["activate-heap-MiB"]),
			m["build-s"]+m["prepare-s"], "s", "", r.step, "BenchmarkBuild/input=managed-1594")
	}

	if results["BenchmarkShape/shape=exact/statements=1"] != nil {
		t.section("What makes a policy slow: one policy of 1 or 100 statements of a shape, none granting the request (p50 × floor)")
		for _, sh := range []string{"exact", "prefix-wildcard", "inner-wildcard", "policy-variable", "not-action", "not-resource", "five-conditions"} {
			one, st, ok1 := get("BenchmarkShape/shape="+sh+"/statements=1", "p50/floor")
			hundred, _, ok2 := get("BenchmarkShape/shape="+sh+"/statements=100", "p50/floor")
			if ok1 && ok2 {
				t.row(fmt.Sprintf("%s: 1 statement %s, 100 statements %s; growth", sh, format(one), format(hundred)), hundred/one, "×", "", st, "BenchmarkShape/shape="+sh)
			}
		}
	}

	t.print(stdout)
	fmt.Fprintln(stdout, "\nCommands (run from the module root):")
	for i, s := range steps {
		fmt.Fprintf(stdout, "  [%d] %s\n", i+1, s)
	}
	if failed {
		return 1
	}
	if *check && t.missed > 0 {
		fmt.Fprintf(stdout, "\n%d figure(s) missed their bar (bars: BENCH_MAX_* / BENCH_MIN_* environment variables).\n", t.missed)
		return 1
	}
	return 0
}

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(-\d+)?\s+(\d+)\s+(.*)$`)

// runStep runs one go test command and collects its benchmark lines.
func runStep(goBin, dir string, s step, idx int, results map[string]*result, skipped map[string]string, stderr io.Writer, quiet bool) error {
	cmd := exec.Command(goBin, s.args()...)
	cmd.Env = append(append(os.Environ(), s.env...), "IAM2REGO_BENCH_DIR="+dir)
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	lastSkip := ""
	for sc.Scan() {
		line := sc.Text()
		if !quiet {
			fmt.Fprintln(stderr, line)
		}
		if rest, ok := strings.CutPrefix(line, "--- SKIP: "); ok {
			lastSkip = strings.Fields(rest)[0]
			lastSkip = regexp.MustCompile(`-\d+$`).ReplaceAllString(lastSkip, "")
			continue
		}
		if lastSkip != "" && strings.HasPrefix(line, "    ") {
			skipped[lastSkip] = strings.TrimSpace(line)
			lastSkip = ""
			continue
		}
		if name, metrics, ok := parseLine(line); ok {
			if results[name] == nil {
				results[name] = &result{metrics: map[string]float64{}, runs: map[string][]float64{}, step: idx + 1}
			}
			results[name].add(metrics)
		}
	}
	return cmd.Wait()
}

// parseLine reads a benchmark result line: the name without its
// GOMAXPROCS suffix, and every "value unit" pair (ns/op, allocs/op and
// the b.ReportMetric figures).
func parseLine(line string) (string, map[string]float64, bool) {
	m := benchLine.FindStringSubmatch(line)
	if m == nil {
		return "", nil, false
	}
	metrics := map[string]float64{}
	f := strings.Fields(m[4])
	for i := 0; i+1 < len(f); i += 2 {
		if v, err := strconv.ParseFloat(f[i], 64); err == nil {
			metrics[f[i+1]] = v
		}
	}
	return m[1], metrics, true
}

// table collects rows and prints them aligned.
type table struct {
	rows   [][]string
	missed int
}

func (t *table) section(title string) { t.rows = append(t.rows, []string{"#", title}) }

func (t *table) row(label string, v float64, unit, barText string, step int, bench string) {
	t.rows = append(t.rows, []string{label, format(v) + " " + unit, barText, "", fmt.Sprintf("[%d] %s", step, bench)})
}

func (t *table) bar(label string, v float64, limits map[string]float64, key string, step int, bench string) {
	b := bars[key]
	lim := limits[key]
	ok := v <= lim
	rel := "≤"
	if !b.max {
		ok, rel = v >= lim, "≥"
	}
	status := "ok"
	if !ok {
		status = "MISSED"
		t.missed++
	}
	t.rows = append(t.rows, []string{label, format(v) + " " + b.unit, rel + " " + format(lim) + " (" + b.env + ")", status, fmt.Sprintf("[%d] %s", step, bench)})
}

func (t *table) missing(label, key string, limits map[string]float64, why string) {
	if why == "" {
		why = "no figure"
	}
	b := bars[key]
	t.rows = append(t.rows, []string{label, "-", "(" + b.env + " " + format(limits[key]) + ")", "SKIPPED", why})
}

func format(v float64) string {
	switch {
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

func (t *table) print(w io.Writer) {
	width := make([]int, 5)
	for _, r := range t.rows {
		if r[0] == "#" {
			continue
		}
		for i, c := range r {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	header := []string{"figure", "value", "bar", "", "produced by"}
	rows := append([][]string{header}, t.rows...)
	for _, r := range rows {
		if r[0] == "#" {
			fmt.Fprintf(w, "\n%s\n", r[1])
			continue
		}
		var b strings.Builder
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", width[i]-len([]rune(c))+2))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}
