package cmd

import (
	"github.com/iam2rego/iam2rego/analysis/trail"
	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/urfave/cli/v2"
)

func generateCommand() *cli.Command {
	return &cli.Command{
		Name:      "generate",
		Usage:     "write a least-privilege policy for a role from its CloudTrail calls, and check it by replay and diff",
		UsageText: "iam2rego generate --role ARN --account-details FILE... [--org FILE] [--resource-policies FILE|DIR]... [--format pretty|json] LOG|DIR...",
		Description: "Reads the role's calls AWS did not deny (its sessions' calls) and writes an identity policy that allows exactly\n" +
			"them: per service, the logged actions on the logged resources, each statement keeping the Condition of\n" +
			"the current statement that allows the calls (decided against today's bundle). S3 object keys are\n" +
			"widened to their folder (docs/*) where the logs show two keys or more in it, unless that adds access.\n" +
			"Printed as IAM JSON and as a Terraform aws_iam_policy_document, then checked: the account is built again\n" +
			"with the policy as the role's only identity policy (its boundary stays), the role's calls are replayed\n" +
			"against it (none may break) and it is diffed with today's account (removals only). The logs are read\n" +
			"twice: give files or folders, not -.\n" +
			"Exit status: 0 both checks hold, 1 a check failed, 2 bad usage or input.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "role", Usage: "the role `ARN`", Required: true},
			&cli.StringSliceFlag{Name: "account-details", Usage: "account export `FILE` (repeatable), as for build", Required: true},
			&cli.StringFlag{Name: "org", Usage: "organization `FILE`, as for build"},
			&cli.StringSliceFlag{Name: "resource-policies", Usage: "resource policies `FILE` or DIR (repeatable), as for build"},
			formatFlag("pretty", "json"),
		},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return failed(exitBadData, "generate needs at least one LOG or DIR")
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
		},
	}
}
