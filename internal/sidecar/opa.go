package sidecar

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// OPAModule is the package path of the OPA CLI that go.mod pins with its
// `tool` directive; `go build` of it gives the same OPA as `go tool opa`.
const OPAModule = "github.com/open-policy-agent/opa"

// BuildOPA builds the pinned OPA CLI into dir and returns the binary's
// path. It must run inside the iam2rego module (a test's working
// directory, or the module root for `go run`). The first build takes
// 30–60 s; the Go build cache makes later ones take a few seconds.
func BuildOPA(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "opa")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, OPAModule)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build %s: %v\n%s", OPAModule, err, out)
	}
	return bin, nil
}

// Options start one OPA server.
type Options struct {
	Bin        string   // the OPA binary (BuildOPA)
	ConfigFile string   // --config-file; "" for none
	Set        []string // --set KEY=VALUE overrides
	SetFile    []string // --set-file KEY=PATH overrides
	Dir        string   // working directory (""= the current one)
	Env        []string // extra environment variables, KEY=VALUE
	Args       []string // extra flags for `opa run`
	// LogLevel is OPA's --log-level (default "info": bundle activations
	// and failures are logged, decisions are not).
	LogLevel string
}

// OPA is a running `opa run --server` process on 127.0.0.1.
type OPA struct {
	URL    string // http://127.0.0.1:PORT
	cmd    *exec.Cmd
	logs   *syncBuffer
	exited chan struct{}
	err    error // the process's exit status, once exited is closed
	client *http.Client
	stop   sync.Once
}

// Start runs `opa run --server --addr 127.0.0.1:PORT --skip-version-check`
// on a free port and waits until the server answers HTTP (not until
// bundles are activated: see WaitReady). Stop it with Stop; it is also
// stopped (SIGTERM, then SIGKILL) when ctx is done, and on Linux when this
// process dies.
func Start(ctx context.Context, o Options) (*OPA, error) {
	var last error
	for attempt := 0; attempt < 5; attempt++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		p, err := start(ctx, o, port)
		if err == nil {
			return p, nil
		}
		last = err
		if !strings.Contains(err.Error(), "address already in use") {
			break
		}
	}
	return nil, last
}

func start(ctx context.Context, o Options, port int) (*OPA, error) {
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	level := o.LogLevel
	if level == "" {
		level = "info"
	}
	args := []string{"run", "--server", "--addr", addr, "--skip-version-check",
		"--log-level", level, "--log-format", "json", "--shutdown-grace-period", "2"}
	if o.ConfigFile != "" {
		args = append(args, "--config-file", o.ConfigFile)
	}
	for _, s := range o.Set {
		args = append(args, "--set", s)
	}
	for _, s := range o.SetFile {
		args = append(args, "--set-file", s)
	}
	args = append(args, o.Args...)
	cmd := exec.CommandContext(ctx, o.Bin, args...)
	cmd.Dir = o.Dir
	cmd.Env = append(os.Environ(), o.Env...)
	logs := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	setDeathSignal(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", o.Bin, err)
	}
	p := &OPA{
		URL:    "http://" + addr,
		cmd:    cmd,
		logs:   logs,
		exited: make(chan struct{}),
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}},
	}
	go func() {
		p.err = cmd.Wait()
		close(p.exited)
	}()
	// Wait for the listener: any HTTP answer from /health will do.
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case <-p.exited:
			return nil, fmt.Errorf("opa exited before serving (%v): %s", p.err, logs.String())
		default:
		}
		rctx, cancel := context.WithTimeout(ctx, time.Second)
		req, _ := http.NewRequestWithContext(rctx, http.MethodGet, p.URL+"/health", nil)
		resp, err := p.client.Do(req)
		cancel()
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return p, nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			p.Stop()
			return nil, fmt.Errorf("opa did not serve on %s: %v\n%s", addr, err, logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop ends the process: SIGTERM, then SIGKILL after 10 s. It returns
// once the process has exited; calling it again is harmless.
func (p *OPA) Stop() {
	p.stop.Do(func() {
		p.client.CloseIdleConnections()
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(10 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
	})
}

// Exited reports whether the process has ended.
func (p *OPA) Exited() bool {
	select {
	case <-p.exited:
		return true
	default:
		return false
	}
}

// PID is the process id.
func (p *OPA) PID() int { return p.cmd.Process.Pid }

// Logs returns everything OPA wrote so far (JSON log lines).
func (p *OPA) Logs() string { return p.logs.String() }

// Client is the keep-alive HTTP client used for this server.
func (p *OPA) Client() *http.Client { return p.client }

// WaitReady waits until GET /health?bundles answers 200: every configured
// bundle has been activated once. (It stays 200 afterwards whatever
// happens to later revisions; watch freshness with ActiveBundles.)
func (p *OPA) WaitReady(ctx context.Context) error {
	for {
		code, _, err := p.get(ctx, "/health?bundles")
		if err == nil && code == http.StatusOK {
			return nil
		}
		select {
		case <-p.exited:
			return fmt.Errorf("opa exited (%v): %s", p.err, p.Logs())
		case <-ctx.Done():
			return fmt.Errorf("waiting for /health?bundles (last: %d %v): %w\n%s", code, err, ctx.Err(), p.Logs())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (p *OPA) get(ctx context.Context, path string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL+path, nil)
	if err != nil {
		return 0, nil, err
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// Get fetches a path (such as /metrics) and returns the body of a 200.
func (p *OPA) Get(ctx context.Context, path string) ([]byte, error) {
	code, body, err := p.get(ctx, path)
	if err != nil {
		return nil, err
	}
	if code != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %d %s", path, code, body)
	}
	return body, nil
}

// Response is OPA's answer to POST /v1/data/{path}.
type Response struct {
	// Result is the value, or nil when the document is undefined.
	Result     json.RawMessage `json:"result"`
	Provenance *struct {
		Version string `json:"version"`
		Bundles map[string]struct {
			Revision string `json:"revision"`
		} `json:"bundles"`
	} `json:"provenance"`
}

// Query POSTs {"input": input} to /v1/data/{path} (path like
// "iam2rego/authz/decision"); query is an optional raw query string such
// as "provenance=true".
func (p *OPA) Query(ctx context.Context, path string, input any, query string) (*Response, error) {
	body, err := json.Marshal(map[string]any{"input": input})
	if err != nil {
		return nil, err
	}
	u := p.URL + "/v1/data/" + strings.TrimPrefix(path, "/")
	if query != "" {
		u += "?" + query
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("POST %s: %d %s", u, resp.StatusCode, raw)
	}
	var r Response
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("POST %s: %w: %s", u, err, raw)
	}
	return &r, nil
}

// ActiveBundle is what GET /v1/data/system/bundles reports about one
// activated bundle.
type ActiveBundle struct {
	ETag     string `json:"etag"`
	Manifest struct {
		Revision string         `json:"revision"`
		Roots    []string       `json:"roots"`
		Metadata map[string]any `json:"metadata"`
	} `json:"manifest"`
}

// ActiveBundles returns the activated bundles by name: their revision
// and the ETag they were downloaded with.
func (p *OPA) ActiveBundles(ctx context.Context) (map[string]ActiveBundle, error) {
	body, err := p.Get(ctx, "/v1/data/system/bundles")
	if err != nil {
		return nil, err
	}
	var r struct {
		Result map[string]ActiveBundle `json:"result"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, err
	}
	return r.Result, nil
}

// WaitRevision polls ActiveBundles until bundle name has the revision.
func (p *OPA) WaitRevision(ctx context.Context, name, revision string) error {
	var last string
	for {
		if bs, err := p.ActiveBundles(ctx); err == nil {
			last = bs[name].Manifest.Revision
			if last == revision {
				return nil
			}
		}
		select {
		case <-p.exited:
			return fmt.Errorf("opa exited (%v)", p.err)
		case <-ctx.Done():
			return fmt.Errorf("bundle %s still at revision %q, want %q: %w", name, last, revision, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// freePort asks the kernel for a free TCP port on 127.0.0.1. Another
// process could take it before OPA binds it; Start then retries.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// syncBuffer is a bytes.Buffer safe for concurrent writes and reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 16<<20 {
		return len(p), nil // enough logs to diagnose anything
	}
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// LogLines returns OPA's JSON log lines whose "msg" contains substr.
func (p *OPA) LogLines(substr string) []map[string]any {
	var out []map[string]any
	for _, line := range strings.Split(p.Logs(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) != nil {
			continue
		}
		if msg, _ := m["msg"].(string); strings.Contains(msg, substr) {
			out = append(out, m)
		}
	}
	return out
}
