package sidecar_test

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iam2rego/iam2rego/internal/sidecar"
	"github.com/open-policy-agent/opa/v1/config"
	"github.com/open-policy-agent/opa/v1/keys"
	"github.com/open-policy-agent/opa/v1/plugins/bundle"
	"github.com/open-policy-agent/opa/v1/util"
)

const exampleConfig = root + "/examples/sidecar/opa-config.yaml"

// examples/sidecar/opa-config.yaml is what its README says: OPA's own
// parsers accept it, it polls one bundle named iam2rego from one service,
// requires signatures by the RS256 key "iam2rego", persists the bundle and
// exposes bundle status on /metrics.
func TestExampleConfigParses(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	var generic map[string]any
	if err := util.Unmarshal(raw, &generic); err != nil {
		t.Fatalf("YAML: %v", err)
	}
	// The public key comes from a file (--set-file keys.iam2rego.key=…),
	// as the README deploys it; set it as OPA's override would.
	k, _ := generic["keys"].(map[string]any)[sidecar.KeyID].(map[string]any)
	if k == nil {
		t.Fatalf("keys.%s missing", sidecar.KeyID)
	}
	k["key"] = testKey(t).PublicPEM
	asJSON, err := json.Marshal(generic)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.ParseConfig(asJSON, "test")
	if err != nil {
		t.Fatalf("OPA config: %v", err)
	}
	var services map[string]struct {
		URL string `json:"url"`
	}
	if err := json.Unmarshal(cfg.Services, &services); err != nil || len(services) != 1 || !strings.HasPrefix(services["bundles"].URL, "https://") {
		t.Errorf("services: %s (%v)", cfg.Services, err)
	}
	ks, err := keys.ParseKeysConfig(cfg.Keys)
	if err != nil {
		t.Fatalf("keys: %v", err)
	}
	if k := ks[sidecar.KeyID]; k == nil || k.Algorithm != "RS256" {
		t.Errorf("keys: %s, want %s with RS256", cfg.Keys, sidecar.KeyID)
	}
	bcfg, err := bundle.NewConfigBuilder().WithBytes(cfg.Bundles).WithServices([]string{"bundles"}).WithKeyConfigs(ks).Parse()
	if err != nil {
		t.Fatalf("bundles: %v", err)
	}
	b := bcfg.Bundles[sidecar.BundleName]
	switch {
	case len(bcfg.Bundles) != 1 || b == nil:
		t.Fatalf("bundles: %s, want one named %s", cfg.Bundles, sidecar.BundleName)
	case b.Service != "bundles" || "/"+b.Resource != sidecar.BundlePath:
		t.Errorf("bundle %s from %s/%s, want bundles%s", sidecar.BundleName, b.Service, b.Resource, sidecar.BundlePath)
	case b.Signing == nil || b.Signing.KeyID != sidecar.KeyID:
		t.Errorf("signing %+v, want keyid %s", b.Signing, sidecar.KeyID)
	case !b.Persist:
		t.Error("persist is off")
	case b.Polling.MinDelaySeconds == nil || b.Polling.MaxDelaySeconds == nil || *b.Polling.MaxDelaySeconds < *b.Polling.MinDelaySeconds:
		t.Errorf("polling %+v", b.Polling)
	}
	if !strings.Contains(string(cfg.Status), `"prometheus":true`) {
		t.Errorf("status: %s, want prometheus", cfg.Status)
	}
}

// OPA started with the example config (only the bundle server URL, the
// public key file, the polling delays and the persistence directory
// overridden) serves the signed example bundle; the example Go client
// gets its decisions; and a restarted sidecar serves the persisted
// bundle while the bundle server is down.
func TestExampleConfigRuns(t *testing.T) {
	t.Parallel()
	ctx := testContext(t, 3*time.Minute)
	ex := loadExample(t)
	key := testKey(t)
	dir := t.TempDir()
	configFile, err := filepath.Abs(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	pub := filepath.Join(dir, "iam2rego.pub.pem")
	if err := os.WriteFile(pub, []byte(key.PublicPEM), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := sidecar.NewBundleServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	srv.Publish(sidecar.BundlePath, ex.rev1.signed)
	persist := filepath.Join(dir, "persist")
	opts := sidecar.Options{
		Bin:        opaBinary(t),
		ConfigFile: configFile,
		Set: []string{
			"services.bundles.url=" + srv.URL(),
			"bundles.iam2rego.polling.min_delay_seconds=1",
			"bundles.iam2rego.polling.max_delay_seconds=2",
			"persistence_directory=" + persist,
		},
		SetFile: []string{"keys.iam2rego.key=" + pub},
		Dir:     dir,
	}
	e := startOPA(t, ctx, srv, sidecar.Config{}, opts)
	checkAll(t, ctx, e.opa, ex.rev1.eng, ex.requests, "example config")

	client := filepath.Join(dir, "client")
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", client, "../../examples/sidecar/client").CombinedOutput(); err != nil {
		t.Fatalf("building the example client: %v\n%s", err, out)
	}
	run := func(args ...string) (string, int) {
		t.Helper()
		cmd := exec.CommandContext(ctx, client, append([]string{"-opa", e.opa.URL}, args...)...)
		out, err := cmd.Output()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return string(out), exit.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return string(out), 0
	}
	out, code := run("-principal", "arn:aws:sts::111111111111:assumed-role/genai-kb-role/ingest",
		"-action", "S3:GetObject", "-resource", "arn:aws:s3:::genai-kb-docs/docs/handbook.pdf", "-context", "aws:SecureTransport=true")
	if code != 0 || !strings.HasPrefix(out, "Allow (step identity, bundle revision "+ex.rev1.id()+")") || !strings.Contains(out, `Allow "ReadDocs" of genai-kb-read-docs`) {
		t.Errorf("client, allowed request: exit %d\n%s", code, out)
	}
	out, code = run("-json", "-principal", "arn:aws:iam::111111111111:role/service-role/genai-kb-role",
		"-action", "s3:GetObject", "-resource", "arn:aws:s3:::genai-kb-docs/hr/salaries.csv", "-context", "aws:SecureTransport=true")
	var d struct {
		Decision, Step, Revision string
		Allow                    bool
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil || code != 1 || d.Decision != "ImplicitDeny" || d.Allow || d.Revision != ex.rev1.id() {
		t.Errorf("client -json, denied request: exit %d, %+v (%v)\n%s", code, d, err, out)
	}

	// persist: true keeps the last activated bundle on disk; a restarted
	// sidecar serves it with the bundle server gone.
	e.opa.Stop()
	srv.Close()
	files, _ := filepath.Glob(filepath.Join(persist, "bundles", sidecar.BundleName, "*"))
	if len(files) == 0 {
		t.Fatalf("nothing persisted under %s", persist)
	}
	e2 := startOPA(t, ctx, srv, sidecar.Config{}, opts)
	checkAll(t, ctx, e2.opa, ex.rev1.eng, ex.requests, "restarted from the persisted bundle")
	if bs, err := e2.opa.ActiveBundles(ctx); err != nil || bs[sidecar.BundleName].Manifest.Revision != ex.rev1.id() {
		t.Errorf("restarted sidecar: %+v (%v), want revision %s", bs, err, ex.rev1.id())
	}
}
