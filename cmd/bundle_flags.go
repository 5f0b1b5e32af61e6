package cmd

import (
	"github.com/iam2rego/iam2rego/bundles"
	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/urfave/cli/v2"
)

// bundleLimitFlags bound what reading a bundle may cost (inspect, eval
// --bundle): checked on the archive before OPA parses it, signed or not.
func bundleLimitFlags() []cli.Flag {
	d := bundles.DefaultArchiveLimits
	return []cli.Flag{
		&cli.Int64Flag{Name: "max-bundle-bytes", Value: d.TotalBytes, Usage: "refuse a bundle whose files hold more than `N` bytes in all, uncompressed"},
		&cli.IntFlag{Name: "max-json-depth", Value: d.JSONDepth, Usage: "refuse a bundle whose JSON (data.json, .manifest, .signatures.json) nests arrays and objects more than `N` deep"},
		&cli.Int64Flag{Name: "max-json-width", Value: d.JSONWidth, Usage: "refuse a bundle with a JSON array or object of more than `N` elements"},
		&cli.Int64Flag{Name: "max-json-elements", Value: d.JSONElements, Usage: "refuse a bundle whose JSON has more than `N` array elements and object members in all"},
	}
}

// bundleLimits reads the flags of bundleLimitFlags.
func bundleLimits(c *cli.Context) (bundles.ArchiveLimits, error) {
	l := bundles.DefaultArchiveLimits
	l.TotalBytes = c.Int64("max-bundle-bytes")
	l.MemberBytes = l.TotalBytes
	l.JSONDepth = c.Int("max-json-depth")
	l.JSONWidth = c.Int64("max-json-width")
	l.JSONElements = c.Int64("max-json-elements")
	if l.TotalBytes <= 0 || l.JSONDepth <= 0 || l.JSONWidth <= 0 || l.JSONElements <= 0 {
		return l, failed(exitBadData, "--max-bundle-bytes, --max-json-depth, --max-json-width and --max-json-elements must be positive")
	}
	return l, nil
}

// openBundle reads a bundle, verifying its signature when a key is given.
func openBundle(path string, c *cli.Context) (*bundle.Bundle, bool, error) {
	var v *bundles.Verification
	if key, secret := c.String("verification-key"), c.String("verification-secret"); key != "" || secret != "" {
		v = &bundles.Verification{Key: key, Secret: secret, Algorithm: c.String("verification-alg"), KeyID: c.String("verification-key-id")}
	}
	limits, err := bundleLimits(c)
	if err != nil {
		return nil, false, err
	}
	b, err := bundles.ReadFileWithin(path, v, limits)
	if err != nil {
		return nil, false, failed(exitBadData, "%s: %v", path, unwrapPath(err))
	}
	return b, v != nil, nil
}

// bundleFlags are the flags every command that reads a bundle takes,
// its size and shape bounds included (openBundle reads them).
func bundleFlags() []cli.Flag {
	return append([]cli.Flag{
		&cli.StringFlag{Name: "bundle", Usage: "bundle file (.tar.gz) written by iam2rego build", Required: true},
		&cli.StringFlag{Name: "verification-key", Usage: "require a valid signature, checked with this PEM public key file (or HMAC secret)"},
		&cli.StringFlag{Name: "verification-alg", Value: "RS256", Usage: "with --verification-key: the signing algorithm"},
		&cli.StringFlag{Name: "verification-key-id", Value: "iam2rego", Usage: "with --verification-key: the key id"},
		&cli.StringFlag{Name: "format", Value: "pretty", Usage: "output format: pretty or json"},
	}, bundleLimitFlags()...)
}
