package benchmarks_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/iam2rego/iam2rego/benchmarks/gen/accountgen"
	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/open-policy-agent/opa/v1/ast"
	opametrics "github.com/open-policy-agent/opa/v1/metrics"
	opa "github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown/cache"
)

// Knobs (environment variables; cmd/report sets them):
//
//	IAM2REGO_BENCH_SIZES  account sizes of BenchmarkDecide, comma-separated:
//	                      "example" (testdata/example) and principal counts
//	                      (default "example,100,1000,5000")
//	IAM2REGO_BENCH_SEED   generator seed (default 1)
//	IAM2REGO_BENCH_CASES  oracle cases for BenchmarkBatch (default 1000)
//	IAM2REGO_BENCH_DIR    a directory kept between runs for generated accounts
//	                      and built bundles (cmd/report gives one fresh
//	                      directory to its go test runs); by default a
//	                      temporary directory removed at exit
const (
	defaultSizes = "example,100,1000,5000"
	exampleDir   = "../testdata/example"
)

var tmpRoot string

func TestMain(m *testing.M) {
	if dir := os.Getenv("IAM2REGO_BENCH_DIR"); dir != "" {
		tmpRoot = dir
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "iam2rego-bench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	tmpRoot = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func sizes() []string {
	s := os.Getenv("IAM2REGO_BENCH_SIZES")
	if s == "" {
		s = defaultSizes
	}
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func seed() uint64 { return uint64(envInt("IAM2REGO_BENCH_SEED", 1)) }

// fixture is one account size: its input files, its export, the built
// bundle (bytes, as a sidecar downloads it) and its principals ranked by
// statements.
type fixture struct {
	name   string
	inputs account.Inputs
	exp    *account.Export
	bundle []byte
	ranked []accountgen.Principal
}

var (
	fixMu    sync.Mutex
	fixtures = map[string]*fixture{}
	// Prepared engines by size, kept for the whole run: -count repeats
	// every size, and preparing the largest takes seconds.
	engMu   sync.Mutex
	engines = map[string]*rego.Engine{}
)

// gaadSmall is the corpus's real account export.
const gaadSmall = "../../shared/corpus/gaad-small.json"

// inputsFor returns the build inputs of a size, generating the account
// the first time.
func inputsFor(tb testing.TB, size string) account.Inputs {
	tb.Helper()
	if size == "example" {
		return account.Inputs{
			AccountDetails: []string{filepath.Join(exampleDir, "account-details.json")},
			Org:            filepath.Join(exampleDir, "organization.json"),
			Resources:      []string{filepath.Join(exampleDir, "resource-policies.json")},
		}
	}
	if size == "gaad-small" {
		// A real export (../shared/corpus, see its README).
		return account.Inputs{AccountDetails: []string{gaadSmall}}
	}
	n, err := strconv.Atoi(size)
	if err != nil || n < 1 {
		tb.Fatalf("account size %q: want \"example\", \"gaad-small\" or a number of principals", size)
	}
	dir := sizeDir(size)
	if _, err := os.Stat(filepath.Join(dir, "inputs.json")); err == nil {
		var in account.Inputs
		if data, err := os.ReadFile(filepath.Join(dir, "inputs.json")); err == nil && json.Unmarshal(data, &in) == nil {
			return in
		}
	}
	set, err := accountgen.Generate(accountgen.Config{Seed: seed(), Principals: n})
	if err != nil {
		tb.Fatal(err)
	}
	files, err := set.Write(dir)
	if err != nil {
		tb.Fatal(err)
	}
	in := files.Inputs()
	data, _ := json.Marshal(in)
	if err := os.WriteFile(filepath.Join(dir, "inputs.json"), data, 0o644); err != nil {
		tb.Fatal(err)
	}
	return in
}

// sizeDir is where a size's generated files and built bundle live.
func sizeDir(size string) string {
	return filepath.Join(tmpRoot, "seed"+strconv.FormatUint(seed(), 10)+"-"+size)
}

// saveBundle keeps a size's built bundle for later runs sharing tmpRoot.
func saveBundle(size string, data []byte) {
	if err := os.MkdirAll(sizeDir(size), 0o755); err == nil {
		_ = os.WriteFile(filepath.Join(sizeDir(size), "bundle.tar.gz"), data, 0o644)
	}
}

// getFixture loads and builds a size once per process.
func getFixture(tb testing.TB, size string) *fixture {
	tb.Helper()
	fixMu.Lock()
	defer fixMu.Unlock()
	if f := fixtures[size]; f != nil {
		return f
	}
	f := &fixture{name: size, inputs: inputsFor(tb, size)}
	exp, err := account.Load(f.inputs)
	if err != nil {
		tb.Fatalf("%s: account.Load: %v", size, err)
	}
	if f.ranked, err = accountgen.Rank(exp); err != nil {
		tb.Fatal(err)
	}
	f.exp = exp
	// A bundle built by an earlier run sharing tmpRoot (cmd/report's
	// build step) is reused: the inputs are the same.
	if data, err := os.ReadFile(filepath.Join(sizeDir(size), "bundle.tar.gz")); err == nil && size != "example" && size != "gaad-small" {
		f.bundle = data
		fixtures[size] = f
		return f
	}
	res, err := bundles.Build(exp, bundles.Options{})
	if err != nil {
		tb.Fatalf("%s: bundles.Build: %v", size, err)
	}
	if f.bundle, err = bundles.Encode(res.Bundle); err != nil {
		tb.Fatal(err)
	}
	if size != "example" && size != "gaad-small" {
		saveBundle(size, f.bundle)
	}
	fixtures[size] = f
	return f
}

// activate reads bundle bytes and prepares the decision query over them,
// as an OPA sidecar activates a downloaded bundle.
func activate(tb testing.TB, data []byte) *rego.Engine {
	tb.Helper()
	b, err := bundles.Read(bytes.NewReader(data), nil)
	if err != nil {
		tb.Fatal(err)
	}
	eng, err := rego.PrepareBundle(context.Background(), b)
	if err != nil {
		tb.Fatal(err)
	}
	return eng
}

// engineFor returns the prepared engine of a size.
func engineFor(tb testing.TB, f *fixture) *rego.Engine {
	tb.Helper()
	engMu.Lock()
	defer engMu.Unlock()
	if engines[f.name] == nil {
		engines[f.name] = activate(tb, f.bundle)
	}
	return engines[f.name]
}

// --- the allow := true floor -------------------------------------------

// floorQuery is a prepared query over `package floor\nallow := true`,
// evaluated with the options Engine.DecideValue uses.
type floorQuery struct {
	pq  opa.PreparedEvalQuery
	ivc cache.InterQueryValueCache
}

func newFloor(tb testing.TB) *floorQuery {
	tb.Helper()
	ctx := context.Background()
	mod, err := ast.ParseModuleWithOpts("floor.rego", "package floor\nallow := true\n", ast.ParserOptions{RegoVersion: ast.RegoV1})
	if err != nil {
		tb.Fatal(err)
	}
	ivc := cache.NewInterQueryValueCache(ctx, nil)
	pq, err := opa.New(
		opa.Query("data.floor.allow"),
		opa.ParsedModule(mod),
		opa.InterQueryBuiltinValueCache(ivc),
		opa.SetRegoVersion(ast.RegoV1),
	).PrepareForEval(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	return &floorQuery{pq: pq, ivc: ivc}
}

func (f *floorQuery) eval(ctx context.Context, in ast.Value) bool {
	rs, err := f.pq.Eval(ctx,
		opa.EvalParsedInput(in),
		opa.EvalInterQueryBuiltinValueCache(f.ivc),
		opa.EvalRuleIndexing(true),
		opa.EvalMetrics(opametrics.NoOp()),
	)
	return err == nil && len(rs) == 1 && rs[0].Expressions[0].Value == true
}

// sampleFloor times n floor evaluations over the inputs, in turn.
func (f *floorQuery) sample(tb testing.TB, inputs []ast.Value, n int) []time.Duration {
	tb.Helper()
	ctx := context.Background()
	out := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		t0 := time.Now()
		ok := f.eval(ctx, inputs[i%len(inputs)])
		out = append(out, time.Since(t0))
		if !ok {
			tb.Fatal("floor: allow := true did not evaluate to true")
		}
	}
	return out
}

// --- latency samples -----------------------------------------------------

// samples records per-call latencies without allocating in the timed loop.
type samples struct{ d []time.Duration }

const maxSamples = 1 << 18

func newSamples() *samples { return &samples{d: make([]time.Duration, 0, maxSamples)} }

func (s *samples) add(d time.Duration) {
	if len(s.d) < cap(s.d) {
		s.d = append(s.d, d)
	}
}

// percentile returns the nearest-rank percentile p of ds (sorted in place).
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	i := int(math.Ceil(float64(len(ds))*p/100)) - 1
	return ds[min(max(i, 0), len(ds)-1)]
}

// --- requests ---------------------------------------------------------------

// requestMix is the workload of one principal: the same sixteen request
// shapes for every principal of every account size (its team's bucket,
// table, queue, topic, function, key, secret and instances, role passing,
// Bedrock, logs, and two privileged calls that guardrails deny), with the
// context a console or SDK call carries.
func requestMix(p accountgen.Principal, exp *account.Export) []rego.Request {
	acct := p.Account
	find := func(prefix string) *account.ResourcePolicy {
		var first *account.ResourcePolicy
		for _, r := range exp.Resources {
			if r.Account != acct || !strings.HasPrefix(r.ARN, prefix) {
				continue
			}
			if p.Team != "" && r.Tags["team"] == p.Team {
				return r
			}
			if first == nil {
				first = r
			}
		}
		return first
	}
	arnOr := func(prefix, fallback string) string {
		if r := find(prefix); r != nil {
			return r.ARN
		}
		return fallback
	}
	team := p.Team
	if team == "" {
		team = "app"
	}
	bucket := arnOr("arn:aws:s3:::", "arn:aws:s3:::"+team+"-data-"+acct)
	// Generated buckets are acme-<team>-<app>-<account suffix>: the other
	// resources of the request mix are named after the same application.
	app := "orders"
	if rest, ok := strings.CutPrefix(bucket, "arn:aws:s3:::acme-"+team+"-"); ok {
		if i := strings.LastIndexByte(rest, '-'); i > 0 {
			app = rest[:i]
		}
	}
	region := "us-east-1"
	if r := find("arn:aws:lambda:"); r != nil {
		region = strings.Split(r.ARN, ":")[3]
	}
	prefix := func(svc string) string { return "arn:aws:" + svc + ":" + region + ":" + acct + ":" }
	caller := rego.Principal{ARN: p.ARN}
	if p.Kind == "role" {
		caller.ARN = "arn:aws:sts::" + acct + ":assumed-role/" + p.Name + "/bench-session"
	}
	base := map[string]any{
		"aws:SecureTransport":        "true",
		"aws:SourceIp":               "192.0.2.10",
		"aws:RequestedRegion":        region,
		"aws:MultiFactorAuthPresent": "true",
		"aws:MultiFactorAuthAge":     "300",
		"aws:CurrentTime":            "2025-06-02T10:00:00Z",
	}
	ctx := func(extra ...string) map[string]any {
		m := make(map[string]any, len(base)+len(extra)/2)
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i+1 < len(extra); i += 2 {
			m[extra[i]] = extra[i+1]
		}
		return m
	}
	req := func(action, arn string, c map[string]any) rego.Request {
		return rego.Request{Principal: caller, Action: action, Resource: rego.Resource{ARN: arn, Account: acct}, Context: c}
	}
	return []rego.Request{
		req("s3:GetObject", bucket+"/reports/2025/q1.csv", ctx()),
		req("s3:PutObject", bucket+"/uploads/batch-17.json", ctx()),
		req("s3:ListBucket", bucket, ctx("s3:prefix", "reports/")),
		req("dynamodb:GetItem", prefix("dynamodb")+"table/"+team+"-"+app, ctx()),
		req("sqs:SendMessage", arnOr("arn:aws:sqs:", prefix("sqs")+team+"-events"), ctx()),
		req("sns:Publish", arnOr("arn:aws:sns:", prefix("sns")+team+"-alerts"), ctx()),
		req("lambda:InvokeFunction", arnOr("arn:aws:lambda:", prefix("lambda")+"function:"+team), ctx()),
		req("kms:Decrypt", arnOr("arn:aws:kms:", prefix("kms")+"key/00000000-0000-0000-0000-000000000000"), ctx("kms:ViaService", "s3."+region+".amazonaws.com")),
		req("secretsmanager:GetSecretValue", arnOr("arn:aws:secretsmanager:", prefix("secretsmanager")+"secret:"+team+"/db-AbCdEf"), ctx()),
		req("ec2:StartInstances", arnOr("arn:aws:ec2:", prefix("ec2")+"instance/i-0123456789abcdef0"), ctx()),
		req("ec2:DescribeInstances", "*", ctx()),
		req("iam:PassRole", "arn:aws:iam::"+acct+":role/"+team+"-"+app+"-lambda-role", ctx("iam:PassedToService", "lambda.amazonaws.com")),
		req("bedrock:InvokeModel", "arn:aws:bedrock:"+region+"::foundation-model/anthropic.claude-3-haiku-20240307-v1:0", ctx()),
		req("logs:PutLogEvents", prefix("logs")+"log-group:/aws/lambda/"+team+"-"+app+":log-stream:2025/06/02", ctx()),
		req("iam:CreateUser", "arn:aws:iam::"+acct+":user/new-hire", ctx()),
		req("cloudtrail:StopLogging", prefix("cloudtrail")+"trail/organization-trail", ctx()),
	}
}

// inputValue is the raw OPA input of a request in bundle mode, the value
// Engine.Decide builds (and an OPA sidecar receives).
func inputValue(tb testing.TB, r rego.Request) ast.Value {
	tb.Helper()
	in := map[string]any{"principal": r.Principal, "action": r.Action, "resource": r.Resource}
	if r.Context != nil {
		in["context"] = r.Context
	}
	raw, err := json.Marshal(in)
	if err != nil {
		tb.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		tb.Fatal(err)
	}
	v, err := ast.InterfaceToValue(generic)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// --- peak memory -------------------------------------------------------------

// memWatch samples the Go heap while work runs and reads the process's
// peak RSS (VmHWM, reset at start where the kernel allows it).
type memWatch struct {
	stop     chan struct{}
	done     chan struct{}
	peakHeap uint64
	// resetHWM says whether the peak RSS could be reset at the start; when
	// not, it is the peak of the whole process so far.
	resetHWM bool
}

func watchMemory() *memWatch {
	w := &memWatch{stop: make(chan struct{}), done: make(chan struct{})}
	// clear_refs "5" resets the peak RSS to the current RSS (Linux ≥ 4.0).
	w.resetHWM = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	go func() {
		defer close(w.done)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			w.sampleHeap()
			select {
			case <-w.stop:
				return
			case <-t.C:
			}
		}
	}()
	return w
}

// heapSample is read with runtime/metrics, which does not stop the world
// (runtime.ReadMemStats would, every 5 ms).
var heapSample = []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}

func (w *memWatch) sampleHeap() {
	metrics.Read(heapSample)
	if v := heapSample[0].Value; v.Kind() == metrics.KindUint64 && v.Uint64() > w.peakHeap {
		w.peakHeap = v.Uint64()
	}
}

// finish stops sampling and returns the peak heap and peak RSS in bytes;
// peak RSS is 0 when /proc is not available.
func (w *memWatch) finish() (heap, rss uint64) {
	close(w.stop)
	<-w.done
	w.sampleHeap()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return max(w.peakHeap, ms.HeapAlloc), procStatus("VmHWM:")
}

// procStatus reads a "kB" field of /proc/self/status, in bytes.
func procStatus(field string) uint64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// cpuTime is the process's user+system CPU time so far: on a shared
// machine it tells contention (wall time) from work (CPU time).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
