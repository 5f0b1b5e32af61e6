package cmd

import (
	"github.com/iam2rego/iam2rego/bundles"
	"github.com/urfave/cli/v2"
)

func inspectCommand() *cli.Command {
	return &cli.Command{
		Name:      "inspect",
		Usage:     "show a bundle's revision, roots, counts and signature status",
		ArgsUsage: "BUNDLE",
		Description: "Counts: principals, accounts in the organization, resources, distinct policies,\n" +
			"statements, and statements that need non-indexed matching (with their patterns).\n" +
			"With --verification-key the signature must be present and valid, or the exit status is 2.\n" +
			"Before OPA parses anything, signed or not, the archive is checked against --max-bundle-bytes\n" +
			"(uncompressed), --max-json-depth, --max-json-width and --max-json-elements (data.json,\n" +
			".manifest, .signatures.json); a bundle past one is refused (exit 2), and so is one that is not\n" +
			"self-consistent: its modules and callers must be what its documents and records compile to.",
		Flags: append(append([]cli.Flag{formatFlag("pretty", "json")}, verificationFlags()...), bundleLimitFlags()...),
		Action: func(c *cli.Context) error {
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
		},
	}
}
