package main

import (
	"github.com/iam2rego/iam2rego/bundles"
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
