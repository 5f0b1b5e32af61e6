package sidecar

import (
	"encoding/json"
	"os"
)

// BundleName is the name the sidecar configs here give the iam2rego
// bundle: it appears in /v1/data/system/bundles, the status API and
// decision logs.
const BundleName = "iam2rego"

// BundlePath is where the bundle servers here publish it.
const BundlePath = "/bundles/iam2rego.tar.gz"

// KeyID names the signing key in OPA's config (keys.<id>) and in the
// bundle signature's "kid" (bundles.Signing.KeyID).
const KeyID = "iam2rego"

// Config is the part of an OPA sidecar config that iam2rego cares about
// (OPA-NOTES.md §2.3). examples/sidecar/opa-config.yaml is the same
// config written by hand, for deployment.
type Config struct {
	ServiceURL string // the bundle server, e.g. http://127.0.0.1:PORT
	Resource   string // the bundle's path under ServiceURL (default BundlePath)
	// MinDelay and MaxDelay bound the polling interval, in seconds
	// (OPA's defaults are 60 and 120).
	MinDelay, MaxDelay int
	// PublicKeyPEM, when set, requires every bundle to be signed by it
	// (bundles.<name>.signing.keyid and keys.<KeyID>).
	PublicKeyPEM string
	// Prometheus exposes the status plugin's bundle metrics on /metrics
	// (last_success_bundle_activation{active_revision}, …).
	Prometheus bool
}

// JSON renders the config. OPA reads YAML, and JSON is YAML.
func (c Config) JSON() []byte {
	res := c.Resource
	if res == "" {
		res = BundlePath
	}
	b := map[string]any{
		"service":  "bundles",
		"resource": res,
		"polling": map[string]any{
			"min_delay_seconds": c.MinDelay,
			"max_delay_seconds": c.MaxDelay,
		},
	}
	cfg := map[string]any{
		"services": map[string]any{"bundles": map[string]any{"url": c.ServiceURL}},
		"bundles":  map[string]any{BundleName: b},
	}
	if c.PublicKeyPEM != "" {
		b["signing"] = map[string]any{"keyid": KeyID}
		cfg["keys"] = map[string]any{KeyID: map[string]any{"algorithm": "RS256", "key": c.PublicKeyPEM}}
	}
	if c.Prometheus {
		cfg["status"] = map[string]any{"prometheus": true}
	}
	out, _ := json.MarshalIndent(cfg, "", "  ")
	return out
}

// Write writes the config to path.
func (c Config) Write(path string) error {
	return os.WriteFile(path, c.JSON(), 0o600)
}
