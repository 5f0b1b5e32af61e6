// Command sidecar is `make bench-sidecar`: a bounded load test of stock OPA
// sidecars serving iam2rego bundles on loopback. It stops by itself.
//
// It builds the OPA pinned in go.mod, starts a bundle server on 127.0.0.1
// and three OPA sidecars polling it, each serving one signed bundle:
//
//   - floor: `allow := true`, asked POST /v1/data/iam2rego/authz/allow;
//   - genai: the GenAI example account (testdata/example), asked
//     POST /v1/data/iam2rego/authz/decision with testdata/example/requests.jsonl;
//   - large: a generated account of -principals users and roles (a
//     GAAD-shaped export with AWS managed policies from translator/managed,
//     SCPs and RCPs), asked /decision with a mix of 2,000 requests.
//
// The floor gets the large account's request bodies, so that the JSON it
// reads is the same. For each target, -clients keep-alive clients send
// requests back to back for -duration, after a -warmup; the targets take
// turns, -rounds times. Every figure is printed with its ratio to the
// floor measured in the same run.
//
// Run from the module root: go run ./benchmarks/sidecar [flags].
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/iam2rego/iam2rego/benchmarks/gen/accountgen"
	"github.com/iam2rego/iam2rego/internal/sidecar"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/rego/cases"
	"github.com/open-policy-agent/opa/v1/bundle"
	opa "github.com/open-policy-agent/opa/v1/rego"
)

type options struct {
	duration, warmup time.Duration
	clients, rounds  int
	principals       int
	bar              float64
	enforce          bool
}

func main() {
	var o options
	flag.DurationVar(&o.duration, "duration", 5*time.Second, "measured time per target and round")
	flag.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured load before each measurement")
	flag.IntVar(&o.clients, "clients", 8, "concurrent keep-alive clients")
	flag.IntVar(&o.rounds, "rounds", 2, "times each target is measured, in turns")
	flag.IntVar(&o.principals, "principals", 5000, "users and roles in the generated account")
	flag.Float64Var(&o.bar, "bar", 0.50, "the bar (issue 12): large-account throughput ÷ floor throughput")
	flag.BoolVar(&o.enforce, "enforce", false, "exit 1 when the bar is missed")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	met, err := run(ctx, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench-sidecar:", err)
		os.Exit(2)
	}
	if !met && o.enforce {
		os.Exit(1)
	}
}

// target is one sidecar under load.
type target struct {
	name, label string
	path        string   // /v1/data/...
	bodies      [][]byte // request bodies, used in turn
	opa         *sidecar.OPA
	ready       time.Duration // from start to the bundle's activation
	runs        []result
}

type result struct {
	n, errors int
	elapsed   time.Duration
	latencies []time.Duration
}

func run(ctx context.Context, o options) (bool, error) {
	start := time.Now()
	tmp, err := os.MkdirTemp("", "iam2rego-bench-sidecar-")
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(tmp)
	step := func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "[%5.1fs] %s\n", time.Since(start).Seconds(), fmt.Sprintf(format, args...))
	}
	step("building the pinned OPA")
	bin, err := sidecar.BuildOPA(ctx, tmp)
	if err != nil {
		return false, err
	}
	key, err := sidecar.NewRSAKey()
	if err != nil {
		return false, err
	}

	step("building the bundles (generating %d principals)", o.principals)
	floor, err := sidecar.FloorBundle()
	if err != nil {
		return false, err
	}
	exp, err := sidecar.LoadExample(".", nil)
	if err != nil {
		return false, fmt.Errorf("run from the module root: %w", err)
	}
	genai, _, err := sidecar.Build(exp, nil)
	if err != nil {
		return false, err
	}
	gen, err := accountgen.GenerateAccount(accountgen.GenOptions{Principals: o.principals, Seed: 1})
	if err != nil {
		return false, err
	}
	lexp, err := gen.Export(tmp)
	if err != nil {
		return false, err
	}
	large, _, err := sidecar.Build(lexp, nil)
	if err != nil {
		return false, err
	}
	genaiBodies, err := exampleBodies()
	if err != nil {
		return false, err
	}
	var largeBodies [][]byte
	for _, in := range gen.Requests {
		b, err := json.Marshal(map[string]any{"input": in})
		if err != nil {
			return false, err
		}
		largeBodies = append(largeBodies, b)
	}
	targets := []*target{
		{name: "floor", label: "floor: allow := true (/authz/allow)", path: "/v1/data/iam2rego/authz/allow", bodies: largeBodies},
		{name: "genai", label: "GenAI example (/authz/decision)", path: "/v1/data/iam2rego/authz/decision", bodies: genaiBodies},
		{name: "large", label: fmt.Sprintf("generated, %d principals (/authz/decision)", o.principals), path: "/v1/data/iam2rego/authz/decision", bodies: largeBodies},
	}
	built := map[string]*bundle.Bundle{"floor": floor, "genai": genai, "large": large}
	for _, name := range []string{"genai", "large"} {
		m := built[name].Manifest.Metadata
		step("  %s: %v principals, %v policies, %v statements (%v not indexed)", name, m["principals"], m["policies"], m["statements"], m["unindexed_statements"])
	}

	srv, err := sidecar.NewBundleServer()
	if err != nil {
		return false, err
	}
	defer srv.Close()
	for _, t := range targets {
		data, err := sidecar.Encode(built[t.name], key)
		if err != nil {
			return false, err
		}
		srv.Publish("/bundles/"+t.name+".tar.gz", data)
		step("  %s bundle: %d bytes, signed", t.name, len(data))
	}

	step("starting %d OPA sidecars on 127.0.0.1", len(targets))
	var wg sync.WaitGroup
	errs := make([]error, len(targets))
	for i, t := range targets {
		dir := filepath.Join(tmp, t.name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return false, err
		}
		cfg := sidecar.Config{ServiceURL: srv.URL(), Resource: "bundles/" + t.name + ".tar.gz", MinDelay: 60, MaxDelay: 120, PublicKeyPEM: key.PublicPEM}
		path := filepath.Join(dir, "config.json")
		if err := cfg.Write(path); err != nil {
			return false, err
		}
		// As examples/sidecar recommends: the store returns AST values on
		// read, so a decision plan's reads of bundle data cost no conversion.
		p, err := sidecar.Start(ctx, sidecar.Options{Bin: bin, ConfigFile: path, Dir: dir, LogLevel: "error", Args: []string{"--optimize-store-for-read-speed"}})
		if err != nil {
			return false, err
		}
		defer p.Stop()
		t.opa = p
		wg.Add(1)
		go func() {
			defer wg.Done()
			t0 := time.Now()
			rctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
			defer cancel()
			errs[i] = p.WaitReady(rctx)
			t.ready = time.Since(t0)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return false, err
	}
	for _, t := range targets {
		step("  %s active after %v (OPA RSS %s)", t.name, t.ready.Round(10*time.Millisecond), rss(t.opa.PID()))
	}
	if err := checkAnswers(ctx, targets[2], gen); err != nil {
		return false, err
	}
	for _, t := range targets[:2] {
		if err := checkAnswers(ctx, t, nil); err != nil {
			return false, err
		}
	}

	step("in-process evaluation (one goroutine, 2s each) for comparison")
	inproc, err := inProcess(ctx, built, gen, 2*time.Second)
	if err != nil {
		return false, err
	}

	load0 := loadavg()
	for r := 0; r < o.rounds; r++ {
		for _, t := range targets {
			step("round %d/%d: %s, %d clients, %v", r+1, o.rounds, t.name, o.clients, o.duration)
			t.runs = append(t.runs, measure(ctx, t, o))
		}
	}
	load1 := loadavg()
	for _, t := range targets {
		t.opa.Stop()
	}

	// Report.
	fmt.Printf("\nbench-sidecar: stock OPA sidecars (OPA %s, pinned in go.mod) on 127.0.0.1, signed bundles polled from a loopback bundle server\n", opaVersion(bin))
	fmt.Printf("command: go run ./benchmarks/sidecar -duration %v -warmup %v -clients %d -rounds %d -principals %d   (make bench-sidecar)\n",
		o.duration, o.warmup, o.clients, o.rounds, o.principals)
	fmt.Printf("machine: %d CPUs, GOMAXPROCS %d (load generator and sidecars share them); load average %s before, %s after\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), load0, load1)
	fmt.Printf("each target: %d keep-alive clients, %d × %v measured (after %v warm-up each), targets in turns\n\n", o.clients, o.rounds, o.duration, o.warmup)
	fmt.Printf("%-48s %10s %10s %10s %11s %10s %10s %7s\n", "target", "req/s", "p50", "p99", "req/s÷floor", "p50÷floor", "p99÷floor", "errors")
	f := summarise(targets[0])
	var largeRatio float64
	for _, t := range targets {
		s := summarise(t)
		ratio := s.rps / f.rps
		if t.name == "large" {
			largeRatio = ratio
		}
		fmt.Printf("%-48s %10.0f %10s %10s %10.1f%% %9.1f× %9.1f× %7d\n", t.label, s.rps, fmtDur(s.p50), fmtDur(s.p99),
			100*ratio, float64(s.p50)/float64(f.p50), float64(s.p99)/float64(f.p99), s.errors)
	}
	for _, t := range targets {
		var per []string
		for _, r := range t.runs {
			per = append(per, fmt.Sprintf("%.0f", float64(r.n)/r.elapsed.Seconds()))
		}
		fmt.Printf("  %s req/s per round: %s\n", t.name, strings.Join(per, ", "))
	}
	fmt.Printf("\nin-process, one goroutine (rego.PrepareBundle + DecideInput; the floor: a prepared query of allow := true):\n")
	for _, t := range targets {
		fmt.Printf("  %-46s %10s/decision  %7.1f× floor\n", t.name, fmtDur(inproc[t.name]), float64(inproc[t.name])/float64(inproc["floor"]))
	}
	met := largeRatio >= o.bar
	verdict := "MET"
	if !met {
		verdict = "MISSED"
	}
	fmt.Printf("\nbar: throughput with %d principals ≥ %.0f%% of the floor: %.1f%% — %s\n", o.principals, 100*o.bar, 100*largeRatio, verdict)
	fmt.Printf("(total %v)\n", time.Since(start).Round(time.Second))
	return met, nil
}

type summary struct {
	rps      float64
	p50, p99 time.Duration
	errors   int
}

func summarise(t *target) summary {
	var all []time.Duration
	var n, errs int
	var elapsed time.Duration
	for _, r := range t.runs {
		all = append(all, r.latencies...)
		n += r.n
		errs += r.errors
		elapsed += r.elapsed
	}
	slices.Sort(all)
	s := summary{rps: float64(n) / elapsed.Seconds(), errors: errs}
	if len(all) > 0 {
		s.p50 = all[len(all)*50/100]
		s.p99 = all[min(len(all)-1, len(all)*99/100)]
	}
	return s
}

// measure runs o.clients clients against t for o.warmup (discarded) and
// then o.duration.
func measure(ctx context.Context, t *target, o options) result {
	tr := &http.Transport{MaxIdleConnsPerHost: o.clients, MaxConnsPerHost: o.clients, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	url := t.opa.URL + t.path
	var mu sync.Mutex
	var res result
	warmEnd := time.Now().Add(o.warmup)
	end := warmEnd.Add(o.duration)
	var wg sync.WaitGroup
	for c := 0; c < o.clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make([]time.Duration, 0, 1<<16)
			errs := 0
			buf := make([]byte, 0, 4096)
			for i := c * 7919; ; i++ {
				t0 := time.Now()
				if t0.After(end) || ctx.Err() != nil {
					break
				}
				ok := post(ctx, client, url, t.bodies[i%len(t.bodies)], &buf)
				d := time.Since(t0)
				if t0.Before(warmEnd) {
					continue
				}
				if !ok {
					errs++
				}
				lat = append(lat, d)
			}
			mu.Lock()
			res.latencies = append(res.latencies, lat...)
			res.n += len(lat)
			res.errors += errs
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = o.duration
	return res
}

// post sends one request and reads the whole answer; ok means a 200 with
// a result.
func post(ctx context.Context, client *http.Client, url string, body []byte, buf *[]byte) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	b := bytes.NewBuffer((*buf)[:0])
	_, err = io.Copy(b, resp.Body)
	*buf = b.Bytes()
	return err == nil && resp.StatusCode == http.StatusOK && bytes.Contains(*buf, []byte(`"result"`))
}

// checkAnswers asks each distinct request once: every answer must be a
// decision (no input errors); with gen, the generated requests must get
// the decisions they were written for (the first 200 of them).
func checkAnswers(ctx context.Context, t *target, gen *accountgen.Generated) error {
	n := len(t.bodies)
	if gen != nil {
		n = 200
	}
	counts := map[string]int{}
	for i := 0; i < n; i++ {
		var in struct {
			Input any `json:"input"`
		}
		if err := json.Unmarshal(t.bodies[i], &in); err != nil {
			return err
		}
		resp, err := t.opa.Query(ctx, strings.TrimPrefix(t.path, "/v1/data/"), in.Input, "")
		if err != nil {
			return err
		}
		if t.name == "floor" {
			if string(resp.Result) != "true" {
				return fmt.Errorf("floor answered %s", resp.Result)
			}
			continue
		}
		var d struct{ Decision, Error string }
		if err := json.Unmarshal(resp.Result, &d); err != nil {
			return fmt.Errorf("%s request %d: %s: %w", t.name, i, resp.Result, err)
		}
		if d.Error != "" {
			return fmt.Errorf("%s request %d: %s", t.name, i, d.Error)
		}
		if gen != nil && d.Decision != gen.Expected[i] {
			return fmt.Errorf("%s request %d: %s, written to be %s", t.name, i, d.Decision, gen.Expected[i])
		}
		counts[d.Decision]++
	}
	if t.name != "floor" {
		fmt.Fprintf(os.Stderr, "         %s: %d requests checked: %v\n", t.name, n, counts)
	}
	return nil
}

func exampleBodies() ([][]byte, error) {
	f, err := os.Open(sidecar.ExampleRequests)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	reqs, errs, err := cases.LoadRequests(sidecar.ExampleRequests, f)
	if err != nil {
		return nil, err
	}
	var out [][]byte
	for i, r := range reqs {
		if errs[i] != nil {
			return nil, errs[i]
		}
		b, err := json.Marshal(map[string]any{"input": r.Value()})
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

func fmtDur(d time.Duration) string {
	switch {
	case d >= time.Millisecond:
		return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.0fµs", float64(d)/float64(time.Microsecond))
	}
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func rss(pid int) string {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "?"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}

func opaVersion(bin string) string {
	out, err := execOutput(bin, "version")
	if err != nil {
		return "?"
	}
	for _, l := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(l, "Version: "); ok {
			return v
		}
	}
	return "?"
}

func execOutput(bin string, args ...string) (string, error) {
	out, err := exec.Command(bin, args...).Output()
	return string(out), err
}

// inProcess measures the decision in-process, without HTTP: what each
// sidecar request costs in evaluation alone.
func inProcess(ctx context.Context, built map[string]*bundle.Bundle, gen *accountgen.Generated, d time.Duration) (map[string]time.Duration, error) {
	out := map[string]time.Duration{}
	pq, err := opa.New(opa.Query("data.iam2rego.authz.allow"), opa.ParsedBundle("floor", built["floor"])).PrepareForEval(ctx)
	if err != nil {
		return nil, err
	}
	in := gen.Requests
	out["floor"] = loop(d, func(i int) {
		_, _ = pq.Eval(ctx, opa.EvalInput(in[i%len(in)]))
	})
	bodies, err := exampleBodies()
	if err != nil {
		return nil, err
	}
	var example []map[string]any
	for _, b := range bodies {
		var v struct {
			Input map[string]any `json:"input"`
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		example = append(example, v.Input)
	}
	for name, reqs := range map[string][]map[string]any{"genai": example, "large": in} {
		eng, err := rego.PrepareBundle(ctx, built[name])
		if err != nil {
			return nil, err
		}
		out[name] = loop(d, func(i int) { eng.DecideInput(ctx, reqs[i%len(reqs)]) })
	}
	return out, nil
}

// loop calls f(0), f(1), … for about d (after a collection and 500
// unmeasured calls) and returns the mean time per call.
func loop(d time.Duration, f func(int)) time.Duration {
	for i := 0; i < 500; i++ {
		f(i)
	}
	runtime.GC()
	start := time.Now()
	n := 0
	for time.Since(start) < d {
		f(n)
		n++
	}
	return time.Since(start) / time.Duration(n)
}
