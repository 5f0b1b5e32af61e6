package cmd

import (
	"github.com/iam2rego/iam2rego/analysis/trail"
	"github.com/urfave/cli/v2"
)

// replayFlags are the flags of `iam2rego replay` (help/replay.txt says what it does).
func replayFlags() []cli.Flag {
	flags := []cli.Flag{
		&cli.StringFlag{Name: "bundle", Usage: "bundle `FILE` (.tar.gz) written by iam2rego build", Required: true},
		formatFlag("pretty", "json", "sarif"),
		&cli.StringFlag{Name: "calls", Value: trail.CallsAll, Usage: "the calls to print: all, disagreements or none (the summary is always printed)"},
		&cli.BoolFlag{Name: "fail-on-break", Usage: "exit 1 when a call AWS allowed would be denied by the bundle"},
	}
	return append(append(flags, verificationFlags()...), bundleLimitFlags()...)
}

// runReplay is `iam2rego replay`.
func runReplay(c *cli.Context) error {
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
	sum, err := trail.Replay(c.Context, eng, trail.Source{Paths: c.Args().Slice(), Stdin: c.App.Reader}, out.Event)
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
}
