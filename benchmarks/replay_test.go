package benchmarks_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/iam2rego/iam2rego/analysis/cloudtrail"
	"github.com/iam2rego/iam2rego/analysis/trail"
	"github.com/iam2rego/iam2rego/benchmarks/gen/trailgen"
	"github.com/iam2rego/iam2rego/rego"
)

// BenchmarkReplay measures issue 21's throughput bar: `iam2rego replay`
// (read the generated CloudTrail stream from a file, map each record,
// decide on every core, compare, print JSON Lines to io.Discard) against
// in-process decisions of the same requests (the mapped inputs, built
// before the clock starts, decided with Engine.DecideInput on every
// core), both in the same iteration. The bar: replay ≥ 0.5× the
// decisions' throughput.
//
// Knobs: IAM2REGO_BENCH_SIZES (default "example,1000" here), and
// IAM2REGO_BENCH_TRAIL_RECORDS (default 20000) records per account.
//
// Metrics: replay/decide (throughput ratio), replay-calls/s, decide-calls/s,
// calls (mapped records decided per pass).
func BenchmarkReplay(b *testing.B) {
	list := sizes()
	if os.Getenv("IAM2REGO_BENCH_SIZES") == "" {
		list = []string{"example", "1000"}
	}
	for _, size := range list {
		b.Run("account="+size, func(b *testing.B) {
			f := getFixture(b, size)
			eng := engineFor(b, f)
			var stream bytes.Buffer
			if _, err := trailgen.Write(&stream, f.exp, trailgen.Config{Seed: seed(), Records: envInt("IAM2REGO_BENCH_TRAIL_RECORDS", 20000)}); err != nil {
				b.Fatal(err)
			}
			path := filepath.Join(b.TempDir(), "trail.jsonl")
			if err := os.WriteFile(path, stream.Bytes(), 0o644); err != nil {
				b.Fatal(err)
			}
			// The same requests, mapped before the clock starts.
			var inputs []map[string]any
			rd := &cloudtrail.Reader{Stdin: bytes.NewReader(stream.Bytes()), Emit: func(it cloudtrail.Item) error {
				if c, _ := cloudtrail.Map(it); c != nil {
					inputs = append(inputs, c.Input())
				}
				return nil
			}}
			if err := rd.Read([]string{"-"}); err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			var replayTime, decideTime time.Duration
			for b.Loop() {
				t0 := time.Now()
				allowed := decideAll(ctx, eng, inputs)
				decideTime += time.Since(t0)

				t0 = time.Now()
				w, err := trail.NewReplayWriter(io.Discard, "json", trail.CallsAll)
				if err != nil {
					b.Fatal(err)
				}
				sum, err := trail.Replay(ctx, eng, trail.Source{Paths: []string{path}}, w.Event)
				if err != nil {
					b.Fatal(err)
				}
				if err := w.Summary(sum); err != nil {
					b.Fatal(err)
				}
				replayTime += time.Since(t0)
				if sum.Calls != len(inputs) {
					b.Fatalf("replay decided %d calls, the inputs are %d", sum.Calls, len(inputs))
				}
				if got := sum.Agree + sum.WouldBreak + sum.FidelityGaps + sum.NotCompared; got != sum.Calls {
					b.Fatalf("verdicts %d of %d calls", got, sum.Calls)
				}
				if allowed == 0 || sum.Agree == 0 {
					b.Fatalf("nothing allowed (%d) or agreed (%+v): the stream does not fit the account", allowed, sum)
				}
			}
			n := float64(b.N * len(inputs))
			b.ReportMetric(decideTime.Seconds()/replayTime.Seconds(), "replay/decide")
			b.ReportMetric(n/replayTime.Seconds(), "replay-calls/s")
			b.ReportMetric(n/decideTime.Seconds(), "decide-calls/s")
			b.ReportMetric(float64(len(inputs)), "calls")
		})
	}
}

// decideAll decides every input on every core with DecideInput and
// counts the allowed ones.
func decideAll(ctx context.Context, eng interface {
	DecideInput(context.Context, map[string]any) rego.Decision
}, inputs []map[string]any) int {
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	next := make(chan int, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 0
			for i := range next {
				if eng.DecideInput(ctx, inputs[i]).Allow {
					n++
				}
			}
			mu.Lock()
			allowed += n
			mu.Unlock()
		}()
	}
	for i := range inputs {
		next <- i
	}
	close(next)
	wg.Wait()
	return allowed
}
