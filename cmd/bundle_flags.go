package cmd

import (
	"os"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/internal/progress"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/schema"
	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/urfave/cli/v2"
)

// verificationFlags are the signature flags of every command that reads
// bundles (inspect, eval, who-can, can, diff); verificationOf reads them.
func verificationFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "verification-key", Usage: "require a valid signature, checked with this PEM public key `FILE` (or PEM text) or, for HS*, the file holding the HMAC secret; a path that names no file is an error"},
		&cli.StringFlag{Name: "verification-secret", Usage: "HS* only: the HMAC secret as text, instead of --verification-key FILE (visible to other users in the process list)"},
		&cli.StringFlag{Name: "verification-alg", Value: "RS256", Usage: "with --verification-key: the signing algorithm"},
		&cli.StringFlag{Name: "verification-key-id", Value: "iam2rego", Usage: "with --verification-key: the key id"},
	}
}

// verificationOf is the verification the flags ask for (nil: none).
func verificationOf(c *cli.Context) *bundles.Verification {
	key, secret := c.String("verification-key"), c.String("verification-secret")
	if key == "" && secret == "" {
		return nil
	}
	return &bundles.Verification{Key: key, Secret: secret, Algorithm: c.String("verification-alg"), KeyID: c.String("verification-key-id")}
}

// bundleLimitFlags bound what reading a bundle may cost: checked on the
// archive before OPA parses it, signed or not.
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

// bundleFlags are the flags of the commands that decide over one bundle
// (who-can, can): --bundle, its signature and its bounds, --format.
func bundleFlags() []cli.Flag {
	flags := []cli.Flag{
		&cli.StringFlag{Name: "bundle", Usage: "bundle `FILE` (.tar.gz) written by iam2rego build", Required: true},
		formatFlag("pretty", "json"),
	}
	return append(append(flags, verificationFlags()...), bundleLimitFlags()...)
}

// openBundle reads a bundle within the limit flags, verifying its
// signature when the flags give a key and its consistency always
// (bundles.CheckConsistency), with a progress bar on a terminal.
func openBundle(path string, c *cli.Context) (b *bundle.Bundle, verified bool, err error) {
	v := verificationOf(c)
	limits, err := bundleLimits(c)
	if err != nil {
		return nil, false, err
	}
	bar := progress.New(progress.Terminal(c.App.ErrWriter), "reading "+path, 0)
	b, err = bundles.ReadFileReporting(path, v, limits, bar.Set)
	bar.Done()
	if err != nil {
		return nil, false, failed(exitBadData, "%s: %v", path, unwrapPath(err))
	}
	// Signed or not, the bundle's modules and callers must be what its
	// documents and records compile to: the analyses read the one, the
	// decision the other.
	bar = progress.New(progress.Terminal(c.App.ErrWriter), "checking "+path, 0)
	err = bundles.CheckConsistency(c.Context, b)
	bar.Done()
	if err != nil {
		return nil, false, failed(exitBadData, "%s: %v", path, err)
	}
	return b, v != nil, nil
}

// prepareBundle compiles a bundle's policies into the engine every
// analysis decides with, with a spinner on a terminal.
func prepareBundle(c *cli.Context, path string, b *bundle.Bundle, opts ...rego.Option) (*rego.Engine, error) {
	bar := progress.New(progress.Terminal(c.App.ErrWriter), "compiling the policies of "+path, 0)
	eng, err := rego.PrepareBundle(c.Context, b, opts...)
	bar.Done()
	if err != nil {
		return nil, failed(exitBadData, "%s: %v", path, err)
	}
	return eng, nil
}

// checkInputKinds refuses, before anything is read, an input that exists
// but is neither a regular file nor a folder (a named pipe, a device, a
// socket). Names that do not exist, or are not files (a PEM key given as
// text), are left to the readers, which say what they expected.
func checkInputKinds(paths ...string) error {
	for _, p := range paths {
		if p == "" {
			continue
		}
		st, err := os.Stat(p)
		if err != nil || st.Mode().IsRegular() || st.IsDir() {
			continue
		}
		return failed(exitBadData, "%s: %v", p, schema.NotRegularError{Mode: st.Mode()})
	}
	return nil
}
