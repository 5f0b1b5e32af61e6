package cmd

import (
	"github.com/iam2rego/iam2rego/bundles"
	"github.com/urfave/cli/v2"
)

// inspectFlags are the flags of `iam2rego inspect` (help/inspect.txt says what it does).
func inspectFlags() []cli.Flag {
	return append(append([]cli.Flag{formatFlag("pretty", "json")}, verificationFlags()...), bundleLimitFlags()...)
}

// runInspect is `iam2rego inspect`.
func runInspect(c *cli.Context) error {
	if c.NArg() != 1 {
		return failed(exitBadData, "inspect needs exactly one BUNDLE")
	}
	path := c.Args().First()
	b, verified, err := openBundle(path, c)
	if err != nil {
		return err
	}
	signed, err := bundles.HasSignature(path)
	if err != nil {
		return failed(exitBadData, "%s: %v", path, err)
	}
	return bundles.WriteSummary(c.App.Writer, bundles.Inspect(b, signed, verified), formatOf(c))
}
