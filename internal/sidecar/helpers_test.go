package sidecar_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/internal/sidecar"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/rego/cases"
	"github.com/open-policy-agent/opa/v1/bundle"
)

// root is the module root, relative to this package.
const root = "../.."

const decisionPath = "iam2rego/authz/decision"

var (
	opaOnce sync.Once
	opaDir  string
	opaBin  string
	opaErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if opaDir != "" {
		os.RemoveAll(opaDir)
	}
	os.Exit(code)
}

// opaBinary builds the OPA pinned in go.mod once per test run, into a
// directory removed when the run ends.
func opaBinary(t testing.TB) string {
	t.Helper()
	opaOnce.Do(func() {
		opaDir, opaErr = os.MkdirTemp("", "iam2rego-sidecar-opa-")
		if opaErr != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		opaBin, opaErr = sidecar.BuildOPA(ctx, opaDir)
	})
	if opaErr != nil {
		t.Fatal(opaErr)
	}
	return opaBin
}

var keyPair = sync.OnceValues(sidecar.NewRSAKey)

func testKey(t testing.TB) *sidecar.KeyPair {
	t.Helper()
	k, err := keyPair()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// env is one sidecar under test: its bundle server and its OPA.
type env struct {
	srv *sidecar.BundleServer
	opa *sidecar.OPA
	cfg sidecar.Config
}

// startSidecar publishes initial, starts OPA with cfg pointed at a new
// bundle server, and waits until the bundle is activated. Everything is
// stopped when the test ends; OPA's log is printed if the test failed.
func startSidecar(t testing.TB, ctx context.Context, cfg sidecar.Config, initial []byte) *env {
	t.Helper()
	srv, err := sidecar.NewBundleServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	srv.Publish(sidecar.BundlePath, initial)
	cfg.ServiceURL = srv.URL()
	dir := t.TempDir()
	path := filepath.Join(dir, "opa-config.json")
	if err := cfg.Write(path); err != nil {
		t.Fatal(err)
	}
	return startOPA(t, ctx, srv, cfg, sidecar.Options{Bin: opaBinary(t), ConfigFile: path, Dir: dir})
}

func startOPA(t testing.TB, ctx context.Context, srv *sidecar.BundleServer, cfg sidecar.Config, o sidecar.Options) *env {
	t.Helper()
	p, err := sidecar.Start(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Stop)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("OPA log:\n%s", p.Logs())
		}
	})
	rctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := p.WaitReady(rctx); err != nil {
		t.Fatal(err)
	}
	return &env{srv: srv, opa: p, cfg: cfg}
}

// testContext bounds a test: every request and wait inside it ends by
// the deadline.
func testContext(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// request is one request of testdata/example/requests.jsonl.
type request struct {
	id    string
	input map[string]any
}

func loadRequests(t testing.TB) []request {
	t.Helper()
	f, err := os.Open(filepath.Join(root, sidecar.ExampleRequests))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	reqs, errs, err := cases.LoadRequests(sidecar.ExampleRequests, f)
	if err != nil {
		t.Fatal(err)
	}
	var out []request
	for i, r := range reqs {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		out = append(out, request{id: fmt.Sprint(r.ID), input: r.Value()})
	}
	if len(out) == 0 {
		t.Fatal("no requests")
	}
	return out
}

// revision is one signed bundle of the example account, as served and as
// decided in-process.
type revision struct {
	bundle *bundle.Bundle // unsigned, as built
	signed []byte         // the served bytes: signed with testKey
	etag   string
	eng    *rego.Engine // prepared over the served bytes, read back and verified
}

func (r *revision) id() string { return r.bundle.Manifest.Revision }

// example holds the GenAI example account in two revisions: rev2 widens
// genai-kb-read-docs from docs/* to the whole bucket, which flips
// kb-reads-hr from ImplicitDeny to Allow.
type example struct {
	rev1, rev2 *revision
	requests   []request
	flipped    string // the request id rev2 decides differently
}

const (
	rev1Resource = `"Resource": "arn:aws:s3:::genai-kb-docs/docs/*"`
	rev2Resource = `"Resource": "arn:aws:s3:::genai-kb-docs/*"`
)

var exampleOnce = sync.OnceValues(func() (*example, error) {
	key, err := keyPair()
	if err != nil {
		return nil, err
	}
	ex := &example{}
	build := func(patch func([]byte) []byte) (*revision, error) {
		exp, err := sidecar.LoadExample(root, patch)
		if err != nil {
			return nil, err
		}
		b, data, err := sidecar.Build(exp, key)
		if err != nil {
			return nil, err
		}
		read, err := bundles.Read(bytes.NewReader(data), &bundles.Verification{Key: key.PublicPEM, KeyID: sidecar.KeyID})
		if err != nil {
			return nil, fmt.Errorf("reading the signed bundle back: %w", err)
		}
		eng, err := rego.PrepareBundle(context.Background(), read)
		if err != nil {
			return nil, err
		}
		return &revision{bundle: b, signed: data, etag: sidecar.ETag(data), eng: eng}, nil
	}
	if ex.rev1, err = build(nil); err != nil {
		return nil, err
	}
	var patchErr error
	ex.rev2, err = build(func(b []byte) []byte {
		if n := bytes.Count(b, []byte(rev1Resource)); n != 1 {
			patchErr = fmt.Errorf("%s appears %d times in the example account, want once", rev1Resource, n)
		}
		return bytes.Replace(b, []byte(rev1Resource), []byte(rev2Resource), 1)
	})
	if err != nil {
		return nil, err
	}
	if patchErr != nil {
		return nil, patchErr
	}
	return ex, nil
})

func loadExample(t testing.TB) *example {
	t.Helper()
	ex, err := exampleOnce()
	if err != nil {
		t.Fatal(err)
	}
	cp := *ex
	cp.requests = loadRequests(t)
	// The revisions must differ on exactly one request, or the hot-reload
	// test proves nothing.
	ctx := context.Background()
	var flipped []string
	for _, r := range cp.requests {
		if cp.rev1.eng.DecideInput(ctx, r.input).Decision != cp.rev2.eng.DecideInput(ctx, r.input).Decision {
			flipped = append(flipped, r.id)
		}
	}
	if len(flipped) != 1 || flipped[0] != "kb-reads-hr" {
		t.Fatalf("revision 2 changes the decisions of %v, want exactly [kb-reads-hr]", flipped)
	}
	cp.flipped = flipped[0]
	if cp.rev1.id() == cp.rev2.id() {
		t.Fatal("the two revisions have the same revision string")
	}
	return &cp
}

// restDecide asks the sidecar for the decision over REST.
func restDecide(t testing.TB, ctx context.Context, p *sidecar.OPA, input any) rego.Decision {
	t.Helper()
	resp, err := p.Query(ctx, decisionPath, input, "")
	if err != nil {
		t.Fatal(err)
	}
	return decodeDecision(t, resp.Result)
}

// decodeDecision reads a decision object into the engine's type
// (statements never nil), without the engine's fail-closed rewriting, so
// that any difference shows.
func decodeDecision(t testing.TB, raw json.RawMessage) rego.Decision {
	t.Helper()
	if len(raw) == 0 {
		t.Fatal("the decision is undefined")
	}
	var d rego.Decision
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatalf("decoding the decision %s: %v", raw, err)
	}
	if d.Statements == nil {
		d.Statements = []rego.Statement{}
	}
	return d
}

// diff describes how two decisions differ, or "" when they are equal in
// every field (decision, allow, step, reason, statements, error).
func diff(got, want rego.Decision) string {
	if reflect.DeepEqual(got, want) {
		return ""
	}
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	return fmt.Sprintf("\n got: %s\nwant: %s", g, w)
}

// checkAll asks the sidecar for every request and compares with eng.
func checkAll(t testing.TB, ctx context.Context, p *sidecar.OPA, eng *rego.Engine, reqs []request, label string) {
	t.Helper()
	for _, r := range reqs {
		got := restDecide(t, ctx, p, r.input)
		want := eng.DecideInput(ctx, r.input)
		if d := diff(got, want); d != "" {
			t.Errorf("%s: %s: REST and in-process differ:%s", label, r.id, d)
		}
	}
}

// waitLog waits until OPA has logged a line whose msg contains every
// substring.
func waitLog(ctx context.Context, p *sidecar.OPA, substrs ...string) (string, error) {
	for {
		for _, l := range p.LogLines(substrs[0]) {
			line, _ := json.Marshal(l)
			ok := true
			for _, s := range substrs[1:] {
				ok = ok && strings.Contains(string(line), s)
			}
			if ok {
				return string(line), nil
			}
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("no OPA log line with %q: %w", substrs, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}
