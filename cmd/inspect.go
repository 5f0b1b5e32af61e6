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
			".manifest, .signatures.json); a bundle past one is refused (exit 2).",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "verification-key", Usage: "PEM public key `FILE` (or PEM text) the signature must verify with or, for HS*, the file holding the HMAC secret; a path that names no file is an error"},
			&cli.StringFlag{Name: "verification-secret", Usage: "HS* only: the HMAC secret as text, instead of --verification-key FILE (visible to other users in the process list)"},
			&cli.StringFlag{Name: "verification-alg", Value: "RS256", Usage: "the signing algorithm"},
			&cli.StringFlag{Name: "verification-key-id", Value: "iam2rego", Usage: "the key id"},
			&cli.StringFlag{Name: "format", Value: "pretty", Usage: "output format: pretty or json"},
		}, bundleLimitFlags()...),
		Action: func(c *cli.Context) error {
			format := c.String("format")
			if err := checkFormat(format); err != nil {
				return err
			}
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
			return bundles.WriteSummary(c.App.Writer, bundles.Inspect(b, signed, verified), format)
		},
	}
}
