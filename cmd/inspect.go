package cmd

import (
	"github.com/iam2rego/iam2rego/bundles"
	"github.com/urfave/cli/v2"
)

func inspectCommand() *cli.Command {
	return withHelp(&cli.Command{
		Name:      "inspect",
		ArgsUsage: "BUNDLE",
		Flags:     append(append([]cli.Flag{formatFlag("pretty", "json")}, verificationFlags()...), bundleLimitFlags()...),
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
	})
}
