package sidecar_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/iam2rego/iam2rego/internal/sidecar"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/bundle"
)

// signedConfig requires bundles signed by testKey and polls every
// min–max seconds.
func signedConfig(t testing.TB, min, max int) sidecar.Config {
	return sidecar.Config{MinDelay: min, MaxDelay: max, PublicKeyPEM: testKey(t).PublicPEM, Prometheus: true}
}

// Every request of testdata/example/requests.jsonl, decided by a stock OPA
// sidecar from the signed example bundle, equals the in-process decision
// over the same bytes: decision, allow, step, reason and statements.
func TestExampleRequestsOverREST(t *testing.T) {
	t.Parallel()
	ctx := testContext(t, 2*time.Minute)
	ex := loadExample(t)
	e := startSidecar(t, ctx, signedConfig(t, 1, 2), ex.rev1.signed)
	checkAll(t, ctx, e.opa, ex.rev1.eng, ex.requests, "revision 1")
	bs, err := e.opa.ActiveBundles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := bs[sidecar.BundleName]; got.Manifest.Revision != ex.rev1.id() || got.ETag != ex.rev1.etag {
		t.Errorf("active bundle %+v, want revision %s with ETag %s", got, ex.rev1.id(), ex.rev1.etag)
	}
	// The allow entry point agrees with the decision.
	for _, r := range ex.requests {
		resp, err := e.opa.Query(ctx, "iam2rego/authz/allow", r.input, "")
		if err != nil {
			t.Fatal(err)
		}
		want := ex.rev1.eng.DecideInput(ctx, r.input).Allow
		if got := string(resp.Result); got != fmt.Sprint(want) {
			t.Errorf("%s: allow = %s, want %v", r.id, got, want)
		}
	}
}

// Revision 2 is activated within the polling interval, without a
// restart: the decisions follow it, and the status (system bundles,
// decision provenance, Prometheus metrics) names the new revision.
func TestHotReload(t *testing.T) {
	t.Parallel()
	ctx := testContext(t, 2*time.Minute)
	ex := loadExample(t)
	const minDelay, maxDelay = 1, 2
	e := startSidecar(t, ctx, signedConfig(t, minDelay, maxDelay), ex.rev1.signed)
	checkAll(t, ctx, e.opa, ex.rev1.eng, ex.requests, "revision 1")
	// The sidecar polls: wait for one 304 so that the next poll is a
	// regular one, then publish.
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for e.srv.NotModified(ex.rev1.etag) == 0 {
		select {
		case <-wctx.Done():
			t.Fatal("the sidecar never polled the unchanged bundle")
		case <-time.After(20 * time.Millisecond):
		}
	}
	published := time.Now()
	e.srv.Publish(sidecar.BundlePath, ex.rev2.signed)
	// Activation takes one polling interval, plus the download and
	// compilation of a small bundle: how long is BenchmarkHotReload's bar
	// (beside parallel OPA servers and under -race, a time bar would say
	// more about the machine). Here the new revision must come, within
	// the test's context.
	if err := e.opa.WaitRevision(ctx, sidecar.BundleName, ex.rev2.id()); err != nil {
		t.Fatalf("revision 2 never became active: %v", err)
	}
	took := time.Since(published)
	t.Logf("revision 2 active %v after publishing (polling every %d–%d s)", took.Round(time.Millisecond), minDelay, maxDelay)
	checkAll(t, ctx, e.opa, ex.rev2.eng, ex.requests, "revision 2")
	for _, r := range ex.requests {
		if r.id != ex.flipped {
			continue
		}
		resp, err := e.opa.Query(ctx, decisionPath, r.input, "provenance=true")
		if err != nil {
			t.Fatal(err)
		}
		if d := decodeDecision(t, resp.Result); d.Decision != rego.Allow {
			t.Errorf("%s under revision 2: %s, want Allow", r.id, d.Decision)
		}
		if resp.Provenance == nil || resp.Provenance.Bundles[sidecar.BundleName].Revision != ex.rev2.id() {
			t.Errorf("decision provenance %+v, want revision %s", resp.Provenance, ex.rev2.id())
		}
	}
	bs, err := e.opa.ActiveBundles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := bs[sidecar.BundleName].ETag; got != ex.rev2.etag {
		t.Errorf("active ETag %s, want %s", got, ex.rev2.etag)
	}
	metrics, err := e.opa.Get(ctx, "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf(`last_success_bundle_activation{active_revision=%q,name=%q}`, ex.rev2.id(), sidecar.BundleName)
	if !strings.Contains(string(metrics), want) {
		t.Errorf("/metrics lacks %s:\n%s", want, grepLines(string(metrics), "bundle"))
	}
	if _, err := waitLog(ctx, e.opa, "Bundle loaded and activated successfully"); err != nil {
		t.Error(err)
	}
}

func grepLines(s, substr string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, substr) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// badBundle is a bundle the sidecar must refuse, and what OPA logs when
// it does.
type badBundle struct {
	name string
	data []byte
	log  []string // substrings of one log line
}

func badBundles(t *testing.T, ex *example) []badBundle {
	key := testKey(t)
	sign := func(b *bundle.Bundle) []byte {
		data, err := sidecar.Encode(b, key)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	// Each bad bundle is revision 2 made bad: had the sidecar taken it,
	// the revision and the kb-reads-hr decision would change.
	withModule := func(rev, path, src string) *bundle.Bundle {
		cp := *ex.rev2.bundle
		cp.Manifest.Revision = rev
		m, err := ast.ParseModuleWithOpts(path, src, ast.ParserOptions{RegoVersion: ast.RegoV1})
		if err != nil {
			t.Fatal(err)
		}
		cp.Modules = append(append([]bundle.ModuleFile(nil), cp.Modules...), bundle.ModuleFile{URL: path, Path: path, Raw: []byte(src), Parsed: m})
		return &cp
	}
	garbage := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range garbage {
		garbage[i] = byte(rng.UintN(256))
	}
	return []badBundle{
		{"garbage", garbage, []string{"Bundle load failed", "gzip"}},
		{"tampered", tamper(t, ex.rev2.signed), []string{"Bundle load failed", "digest mismatch"}},
		{"unsigned", mustEncode(t, ex.rev2.bundle), []string{"Bundle load failed", "missing .signatures.json"}},
		{"compile-error", sign(withModule("compile-error", "/iam2rego/broken/broken.rego",
			"package iam2rego.broken\n\nallow if { x }\n")), []string{"Bundle activation failed", "unsafe"}},
		{"outside-roots", sign(withModule("outside-roots", "/other/policy.rego",
			"package other\n\nallow := true\n")), []string{"Bundle load failed", "roots"}},
	}
}

func mustEncode(t *testing.T, b *bundle.Bundle) []byte {
	data, err := sidecar.Encode(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// A garbage, tampered, unsigned, uncompilable or out-of-roots bundle never
// replaces the last good one: after several polls of the bad bundle the
// sidecar still serves revision 1, with the same ETag and the same
// decisions, /health?bundles stays 200 — and the next good revision is
// still taken.
func TestBadBundlesKeepLastGood(t *testing.T) {
	t.Parallel()
	ex := loadExample(t)
	for _, bad := range badBundles(t, ex) {
		t.Run(bad.name, func(t *testing.T) {
			t.Parallel()
			ctx := testContext(t, 2*time.Minute)
			e := startSidecar(t, ctx, signedConfig(t, 1, 1), ex.rev1.signed)
			checkAll(t, ctx, e.opa, ex.rev1.eng, ex.requests, "before")
			badTag := e.srv.Publish(sidecar.BundlePath, bad.data)
			wctx, cancel := context.WithTimeout(ctx, 45*time.Second)
			defer cancel()
			// OPA re-downloads a refused bundle on every poll (its ETag
			// goes back to the last good one): three downloads are three
			// polls that refused it.
			if err := e.srv.WaitServed(wctx, badTag, 3); err != nil {
				t.Fatal(err)
			}
			line, err := waitLog(wctx, e.opa, bad.log...)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("OPA: %s", line)
			bs, err := e.opa.ActiveBundles(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got := bs[sidecar.BundleName]; got.Manifest.Revision != ex.rev1.id() || got.ETag != ex.rev1.etag {
				t.Fatalf("active bundle is revision %q with ETag %s, want the last good %q with %s",
					got.Manifest.Revision, got.ETag, ex.rev1.id(), ex.rev1.etag)
			}
			checkAll(t, ctx, e.opa, ex.rev1.eng, ex.requests, "after "+bad.name)
			if _, err := e.opa.Get(ctx, "/health?bundles"); err != nil {
				t.Errorf("/health?bundles: %v", err)
			}
			if n := activations(e.opa); n != 1 {
				t.Errorf("%d activations logged, want 1", n)
			}
			// Still alive: the next good revision is activated.
			e.srv.Publish(sidecar.BundlePath, ex.rev2.signed)
			if err := e.opa.WaitRevision(wctx, sidecar.BundleName, ex.rev2.id()); err != nil {
				t.Fatal(err)
			}
			checkAll(t, ctx, e.opa, ex.rev2.eng, ex.requests, "recovered")
		})
	}
}

func activations(p *sidecar.OPA) int {
	return len(p.LogLines("Bundle loaded and activated successfully"))
}

// tamper changes one byte of one policy file inside a signed bundle, after
// signing: the quoted "genai-kb-docs/" resource prefix becomes
// "genai-kb-docz/".
func tamper(t *testing.T, signed []byte) []byte {
	t.Helper()
	files, err := untar(signed)
	if err != nil {
		t.Fatal(err)
	}
	changed := ""
	for i := range files {
		f := &files[i]
		if !strings.HasSuffix(f.name, ".rego") || !strings.HasSuffix(f.name, "/policies.rego") {
			continue
		}
		if j := strings.Index(string(f.data), `"arn:aws:s3:::genai-kb-docs/"`); j >= 0 {
			f.data[j+len(`"arn:aws:s3:::genai-kb-doc`)] = 'z'
			changed = f.name
			break
		}
	}
	if changed == "" {
		t.Fatal("no policy file with the genai-kb-docs/ prefix to tamper with")
	}
	out, err := retar(files)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("tampered with %s", changed)
	return out
}

// Clients send requests as AWS writes them: actions in any letter case,
// principals as plain ARNs (a role's ARN with its path, or the STS
// assumed-role ARN of a session), resources as plain ARN strings, context
// keys in any case. The sidecar decides them exactly like the normalised
// form, and like the in-process engine.
func TestRawClientInput(t *testing.T) {
	t.Parallel()
	ctx := testContext(t, 2*time.Minute)
	ex := loadExample(t)
	e := startSidecar(t, ctx, signedConfig(t, 1, 2), ex.rev1.signed)
	const acct = "111111111111"
	kbRole := "arn:aws:iam::" + acct + ":role/service-role/genai-kb-role"
	kbSession := "arn:aws:sts::" + acct + ":assumed-role/genai-kb-role/bedrock-ingestion-7f3a"
	invokeRole := "arn:aws:iam::" + acct + ":role/service-role/genai-invoke-role"
	invokeSession := "arn:aws:sts::" + acct + ":assumed-role/genai-invoke-role/genai-chat-handler"
	alice := "arn:aws:iam::" + acct + ":user/developers/alice"
	haiku := "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
	opus := "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-opus-20240229-v1:0"
	type variant struct {
		principal any
		action    string
		resource  any
		context   map[string]any
	}
	groups := []struct {
		name       string
		normalised variant
		want       string
		raw        []variant
	}{
		{"kb-reads-docs", variant{map[string]any{"arn": kbRole}, "s3:GetObject",
			map[string]any{"arn": "arn:aws:s3:::genai-kb-docs/docs/handbook.pdf", "account": acct}, map[string]any{"aws:SecureTransport": "true"}},
			rego.Allow, []variant{
				{kbRole, "S3:GETOBJECT", "arn:aws:s3:::genai-kb-docs/docs/handbook.pdf", map[string]any{"aws:SecureTransport": "true"}},
				{kbRole, "s3:getobject", "arn:aws:s3:::genai-kb-docs/docs/handbook.pdf", map[string]any{"AWS:SECURETRANSPORT": "true"}},
				{kbSession, "S3:GetObject", "arn:aws:s3:::genai-kb-docs/docs/handbook.pdf", map[string]any{"aws:securetransport": "true"}},
				{map[string]any{"arn": kbSession}, "s3:GETOBJECT", map[string]any{"arn": "arn:aws:s3:::genai-kb-docs/docs/handbook.pdf"}, map[string]any{"aws:SecureTransport": true}},
			}},
		{"kb-reads-over-http", variant{map[string]any{"arn": kbRole}, "s3:GetObject",
			map[string]any{"arn": "arn:aws:s3:::genai-kb-docs/docs/handbook.pdf", "account": acct}, map[string]any{"aws:SecureTransport": "false"}},
			rego.ExplicitDeny, []variant{
				{kbSession, "S3:GETOBJECT", "arn:aws:s3:::genai-kb-docs/docs/handbook.pdf", map[string]any{"Aws:SecureTransport": false}},
			}},
		{"invoke-haiku", variant{map[string]any{"arn": invokeRole}, "bedrock:InvokeModel",
			map[string]any{"arn": haiku, "account": acct}, map[string]any{"aws:RequestedRegion": "us-east-1"}},
			rego.Allow, []variant{
				{invokeSession, "BEDROCK:INVOKEMODEL", map[string]any{"arn": haiku, "account": acct}, map[string]any{"AWS:RequestedRegion": "us-east-1"}},
				{invokeRole, "Bedrock:invokeModel", map[string]any{"arn": haiku, "account": acct}, map[string]any{"aws:requestedregion": "us-east-1"}},
			}},
		{"invoke-opus", variant{map[string]any{"arn": invokeRole}, "bedrock:InvokeModel",
			map[string]any{"arn": opus, "account": acct}, map[string]any{"aws:RequestedRegion": "us-east-1"}},
			rego.ImplicitDeny, []variant{
				{invokeSession, "bedrock:invokemodel", map[string]any{"arn": opus, "account": acct}, map[string]any{"aws:RequestedRegion": "us-east-1"}},
			}},
		{"alice-deletes-without-mfa", variant{map[string]any{"arn": alice}, "s3:DeleteObject",
			map[string]any{"arn": "arn:aws:s3:::genai-kb-docs/home/alice/draft.txt", "account": acct}, map[string]any{"aws:SecureTransport": "true"}},
			rego.ExplicitDeny, []variant{
				{alice, "S3:DELETEOBJECT", "arn:aws:s3:::genai-kb-docs/home/alice/draft.txt", map[string]any{"aws:SecureTransport": "true"}},
			}},
	}
	input := func(v variant) map[string]any {
		m := map[string]any{"principal": v.principal, "action": v.action, "resource": v.resource}
		if v.context != nil {
			m["context"] = v.context
		}
		return m
	}
	for _, g := range groups {
		want := restDecide(t, ctx, e.opa, input(g.normalised))
		if want.Decision != g.want || want.Error != "" {
			t.Fatalf("%s (normalised form): %s (%s), want %s", g.name, want.Decision, want.Reason, g.want)
		}
		if d := diff(want, ex.rev1.eng.DecideInput(ctx, input(g.normalised))); d != "" {
			t.Errorf("%s (normalised form): REST and in-process differ:%s", g.name, d)
		}
		for i, v := range g.raw {
			in := input(v)
			got := restDecide(t, ctx, e.opa, in)
			// The reason quotes the action as the client wrote it; all
			// else must be identical.
			if !strings.EqualFold(got.Reason, want.Reason) {
				t.Errorf("%s raw #%d %v: reason %q, want %q (up to case)", g.name, i, in, got.Reason, want.Reason)
			}
			got.Reason = want.Reason
			if d := diff(got, want); d != "" {
				t.Errorf("%s raw #%d %v: differs from the normalised form:%s", g.name, i, in, d)
			}
			if d := diff(restDecide(t, ctx, e.opa, in), ex.rev1.eng.DecideInput(ctx, in)); d != "" {
				t.Errorf("%s raw #%d: REST and in-process differ:%s", g.name, i, d)
			}
		}
	}
}

var etagRe = regexp.MustCompile(`^"[0-9a-f]{32}"$`)

// The bundle server speaks OPA's polling protocol: ETags, 304 on
// If-None-Match, application/gzip.
func TestBundleServerETags(t *testing.T) {
	t.Parallel()
	srv, err := sidecar.NewBundleServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if !strings.HasPrefix(srv.URL(), "http://127.0.0.1:") {
		t.Fatalf("server at %s, want 127.0.0.1", srv.URL())
	}
	tag := srv.Publish(sidecar.BundlePath, []byte("one"))
	if !etagRe.MatchString(tag) {
		t.Fatalf("ETag %s", tag)
	}
	get := func(inm string) (int, string, string) {
		t.Helper()
		code, etag, ctype, err := httpGet(srv.URL()+sidecar.BundlePath, inm)
		if err != nil {
			t.Fatal(err)
		}
		return code, etag, ctype
	}
	if code, etag, ctype := get(""); code != 200 || etag != tag || ctype != "application/gzip" {
		t.Errorf("GET: %d %s %s", code, etag, ctype)
	}
	if code, _, _ := get(tag); code != 304 {
		t.Errorf("GET If-None-Match current: %d, want 304", code)
	}
	if code, _, _ := get(`"old", ` + tag); code != 304 {
		t.Errorf("GET If-None-Match list: %d, want 304", code)
	}
	tag2 := srv.Publish(sidecar.BundlePath, []byte("two"))
	if code, etag, _ := get(tag); code != 200 || etag != tag2 {
		t.Errorf("GET after publish: %d %s", code, etag)
	}
	if srv.Served(tag) != 1 || srv.Served(tag2) != 1 || srv.NotModified(tag) != 2 {
		t.Errorf("counts: served %d/%d, 304s %d", srv.Served(tag), srv.Served(tag2), srv.NotModified(tag))
	}
	if code, _, _, _ := httpGet(srv.URL()+"/bundles/other.tar.gz", ""); code != 404 {
		t.Errorf("unknown bundle: %d", code)
	}
}
