package bundles_test

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"sync"
	"testing"

	"github.com/iam2rego/iam2rego/internal/testbundle"

	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/rego/cases"
)

// TestConcurrentDecideOverBundle: one engine prepared over a bundle
// (rego.PrepareBundle, as `eval --bundle` and embedding services use it)
// answers many goroutines at once exactly as it answers them one by one.
// The requests mix every outcome: Allow, ImplicitDeny, ExplicitDeny and
// fail-closed errors. Run it with -race.
func TestConcurrentDecideOverBundle(t *testing.T) {
	b := testbundle.Example(t)
	ctx := context.Background()
	eng, err := rego.PrepareBundle(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	fh, err := os.Open("../testdata/example/requests.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	reqs, _, err := cases.LoadRequests("requests.jsonl", fh)
	fh.Close()
	if err != nil {
		t.Fatal(err)
	}
	var inputs []map[string]any
	for _, r := range reqs {
		inputs = append(inputs, r.Value())
	}
	// Requests that fail closed, and ones that vary tags and context, so
	// that the shared caches see different keys at the same time.
	inputs = append(inputs,
		map[string]any{"principal": "arn:aws:iam::111111111111:role/nobody", "action": "s3:GetObject", "resource": "arn:aws:s3:::genai-kb-docs/a"},
		map[string]any{"principal": fcRole, "action": "not an action", "resource": fcHaiku},
		map[string]any{"principal": map[string]any{"arn": fcRole, "tags": map[string]any{"team": "a", "TEAM": "b"}}, "action": "bedrock:InvokeModel", "resource": fcHaiku},
	)
	for i := 0; i < 8; i++ {
		in := fcRequest()
		in["context"] = map[string]any{"aws:RequestedRegion": []string{"us-east-1", "eu-west-1"}[i%2], "aws:SourceIp": fmt.Sprintf("203.0.113.%d", i)}
		inputs = append(inputs, in)
	}
	want := make([]rego.Decision, len(inputs))
	kinds := map[string]bool{}
	for i, in := range inputs {
		want[i] = eng.DecideInput(ctx, in)
		kinds[want[i].Decision] = true
		if want[i].Error != "" {
			kinds["error"] = true
		}
	}
	for _, k := range []string{rego.Allow, rego.ImplicitDeny, rego.ExplicitDeny, "error"} {
		if !kinds[k] {
			t.Fatalf("the requests give no %s; the test would not be mixed", k)
		}
	}
	goroutines, per := 16, 40
	if testing.Short() {
		per = 10
	}
	var wg sync.WaitGroup
	errs := make(chan string, goroutines*per)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < per; i++ {
				n := (g*13 + i*7) % len(inputs)
				if got := eng.DecideInput(ctx, inputs[n]); !reflect.DeepEqual(got, want[n]) {
					errs <- fmt.Sprintf("goroutine %d, request %d: got %+v, want %+v", g, n, got, want[n])
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	n := 0
	for e := range errs {
		if n < 5 {
			t.Error(e)
		}
		n++
	}
	if n > 0 {
		t.Errorf("%d of %d concurrent decisions differ from the sequential ones", n, goroutines*per)
	}
}
