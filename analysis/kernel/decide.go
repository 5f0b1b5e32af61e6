package kernel

import (
	"bytes"
	"context"
	"encoding/json"
	"runtime"
	"sync"

	"github.com/iam2rego/iam2rego/rego"
)

// Input is the raw input of a request, as a sidecar's client sends it:
// the principal and resource objects, the action and the context, in
// generic JSON values (numbers as json.Number). The policies come from
// the bundle's data, by principal.
func Input(req rego.Request) (map[string]any, error) {
	in := map[string]any{"principal": req.Principal, "action": req.Action, "resource": req.Resource}
	if p := req.Principal; p.Tags == nil && p.FederatedBy == "" && p.RoleARN == "" && p.UserID == "" && p.CanonicalUser == "" {
		// A principal by ARN alone, as eval --bundle --principal sends it
		// (who-can took 1.8x the single decisions with the object form).
		in["principal"] = p.ARN
	}
	if req.Context != nil {
		in["context"] = req.Context
	}
	b, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out map[string]any
	if err := dec.Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}

// Decide answers a request with the engine's one decision path
// (Engine.DecideInput); a request that cannot be put into an input is a
// fail-closed deny.
func Decide(ctx context.Context, eng *rego.Engine, req rego.Request) rego.Decision {
	in, err := Input(req)
	if err != nil {
		return rego.Decision{Decision: rego.ImplicitDeny, Step: "error", Reason: err.Error(), Error: err.Error(), Statements: []rego.Statement{}}
	}
	return eng.DecideInput(ctx, in)
}

// DecideAll decides every request on every core (the engine is safe for
// concurrent use); each answer is the one the same single request gets.
func DecideAll(ctx context.Context, eng *rego.Engine, reqs []rego.Request) []rego.Decision {
	return DecideAllKeeping(ctx, eng, reqs, nil)
}

// DecideAllKeeping is DecideAll where each decision passes through keep
// (one call at a time) before it is stored, when keep is set: what a
// caller drops there (a shared policy's thousand names) is never held for
// every request at once.
func DecideAllKeeping(ctx context.Context, eng *rego.Engine, reqs []rego.Request, keep func(rego.Decision) rego.Decision) []rego.Decision {
	out := make([]rego.Decision, len(reqs))
	workers := min(runtime.GOMAXPROCS(0), len(reqs))
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				d := Decide(ctx, eng, reqs[i])
				if keep != nil {
					mu.Lock()
					d = keep(d)
					mu.Unlock()
				}
				out[i] = d
			}
		}()
	}
	for i := range reqs {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}
