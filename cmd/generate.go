package cmd

import (
	"github.com/iam2rego/iam2rego/analysis/trail"
	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/urfave/cli/v2"
)

// generateFlags are the flags of `iam2rego generate` (help/generate.txt says what it does).
func generateFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "role", Usage: "the role `ARN`", Required: true},
		&cli.StringSliceFlag{Name: "account-details", Usage: "account export `FILE` (repeatable, required), as for build"},
		&cli.StringFlag{Name: "org", Usage: "organization `FILE`, as for build"},
		&cli.StringSliceFlag{Name: "resource-policies", Usage: "resource policies `FILE` or DIR (repeatable), as for build"},
		formatFlag("pretty", "json"),
	}
}

// runGenerate is `iam2rego generate`.
func runGenerate(c *cli.Context) error {
	if c.NArg() == 0 {
		return failed(exitBadData, "generate needs at least one LOG or DIR")
	}
	if len(c.StringSlice("account-details")) == 0 {
		return failed(exitBadData, "generate needs --account-details FILE (the account the role is in)")
	}
	in := account.Inputs{AccountDetails: c.StringSlice("account-details"), Org: c.String("org"), Resources: c.StringSlice("resource-policies"), MaxBytes: account.DefaultMaxInputBytes}
	g, err := trail.Generate(c.Context, c.String("role"), in, trail.Source{Paths: c.Args().Slice()})
	if err != nil {
		if list := diagnosticsOf(err); len(list) > 1 || list[0].Code != schema.CodeInternal {
			return reportDiagnostics(c.App.Writer, c.App.ErrWriter, list, "pretty")
		}
		return failed(exitBadData, "%v", err)
	}
	if formatOf(c) == "json" {
		err = trail.WriteGeneratedJSON(c.App.Writer, g)
	} else {
		err = trail.WriteGeneratedPretty(c.App.Writer, g)
	}
	if err != nil {
		return err
	}
	if !g.OK() {
		return failed(exitFailed, "the generated policy fails a check: %d calls would break, %d accesses added", g.Replay.WouldBreak, len(g.Diff.Added))
	}
	return nil
}
