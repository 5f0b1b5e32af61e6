package cmd

import (
	"github.com/iam2rego/iam2rego/analysis/trail"
	"github.com/urfave/cli/v2"
)

func replayCommand() *cli.Command {
	return &cli.Command{
		Name:      "replay",
		Usage:     "decide every call of CloudTrail logs against a bundle and compare with what AWS logged",
		UsageText: "iam2rego replay --bundle B [--format pretty|json|sarif] [--calls all|disagreements|none] [--fail-on-break] LOG|DIR|-...",
		Description: "LOGS are CloudTrail log files ({\"Records\": [...]}, gzip or not), folders of them (regular files, in\n" +
			"lexical order; symbolic links inside are reported, not followed), JSON Lines from CloudTrail Lake or\n" +
			"Athena, or - for stdin. They are streamed, never loaded whole. Each call is mapped to the request IAM\n" +
			"decided (action, principal, resource, global condition keys: README.md, \"replay\") and decided with\n" +
			"the bundle on every core, as eval --bundle decides it. Verdicts: agree; would-break (AWS allowed it,\n" +
			"the bundle denies it or cannot decide it); fidelity-gap (AWS denied it with AccessDenied or a variant,\n" +
			"the bundle allows it; the context the log lacks is listed); not-compared (AWS logged another error).\n" +
			"Records that cannot be mapped and parts of files that cannot be read are counted by reason.\n" +
			"Exit status: 0 done, 1 a call would break with --fail-on-break, 2 bad usage, an unreadable bundle,\n" +
			"or logs of which not one record could be read.",
		Flags: append(append([]cli.Flag{
			&cli.StringFlag{Name: "bundle", Usage: "bundle `FILE` (.tar.gz) written by iam2rego build", Required: true},
			formatFlag("pretty", "json", "sarif"),
			&cli.StringFlag{Name: "calls", Value: trail.CallsAll, Usage: "the calls to print: all, disagreements or none (the summary is always printed)"},
			&cli.BoolFlag{Name: "fail-on-break", Usage: "exit 1 when a call AWS allowed would be denied by the bundle"},
		}, verificationFlags()...), bundleLimitFlags()...),
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return failed(exitBadData, "replay needs at least one LOG, DIR or -")
			}
			out, err := trail.NewReplayWriter(c.App.Writer, formatOf(c), c.String("calls"))
			if err != nil {
				return failed(exitBadData, "%v", err)
			}
			path := c.String("bundle")
			b, _, err := openBundle(path, c)
			if err != nil {
				return err
			}
			eng, err := prepareBundle(c, path, b)
			if err != nil {
				return err
			}
			src := trail.Source{Paths: c.Args().Slice(), Stdin: c.App.Reader}
			sum, err := trail.Replay(c.Context, eng, src, out.Event)
			if err != nil {
				return failed(exitBadData, "%v", err)
			}
			if err := out.Summary(sum); err != nil {
				return err
			}
			switch {
			case sum.NothingRead():
				return failed(exitBadData, "no CloudTrail record could be read from %d files (%s)", sum.Files, problemText(sum.Unreadable))
			case c.Bool("fail-on-break") && sum.WouldBreak > 0:
				return failed(exitFailed, "%d calls would break", sum.WouldBreak)
			}
			return nil
		},
	}
}
