package cmd

import (
	"strconv"
	"strings"
	"time"

	"github.com/iam2rego/iam2rego/analysis/trail"
	"github.com/urfave/cli/v2"
)

func unusedCommand() *cli.Command {
	return &cli.Command{
		Name:      "unused",
		Usage:     "list, per principal of a bundle, the granted services and actions CloudTrail logs show unused",
		UsageText: "iam2rego unused --bundle B [--since 90d] [--now TIME] [--principal ARN]... [--context K=V]... [--format pretty|json] LOG|DIR|-...",
		Description: "Reads the logs as replay does and counts, per user and role, the calls AWS did not deny (a session\n" +
			"counts for its role, a federated user for the user who federated). Then decides, as `iam2rego can` does,\n" +
			"which catalogue actions each user and role of the bundle is granted (with the --context values), and\n" +
			"lists, as IAM Access Analyzer's unused-access findings do: principals with no call in the window\n" +
			"(unused), granted services and actions not used in it, and the last use of the others. The window ends\n" +
			"at --now (default: the newest event of the logs) and starts --since before it, on the hour.\n" +
			"Exit status: 0 done, 2 bad usage, an unreadable bundle, or logs of which not one record could be read.",
		Flags: append(bundleFlags(),
			&cli.StringFlag{Name: "since", Value: "90d", Usage: "the window's length: `DURATION` in days (90d) or as Go writes durations (36h)"},
			&cli.StringFlag{Name: "now", Usage: "the window's end, RFC 3339 (default: the newest eventTime of the logs)"},
			&cli.StringSliceFlag{Name: "principal", Usage: "report on this user or role `ARN` only (repeatable; default: every user and role)"},
			&cli.StringSliceFlag{Name: "context", Usage: "a request context key assumed when deciding the grants, `KEY=VALUE` (repeatable)"},
		),
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return failed(exitBadData, "unused needs at least one LOG, DIR or -")
			}
			opts := trail.UnusedOptions{Principals: c.StringSlice("principal")}
			var err error
			if opts.Since, err = parseWindow(c.String("since")); err != nil {
				return err
			}
			if s := c.String("now"); s != "" {
				if opts.Now, err = time.Parse(time.RFC3339, s); err != nil {
					return failed(exitBadData, "--now %q is not an RFC 3339 time", s)
				}
			}
			if opts.Context, err = contextFromFlags(c); err != nil {
				return err
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
			rep, err := trail.Unused(c.Context, eng, b, trail.Source{Paths: c.Args().Slice(), Stdin: c.App.Reader}, opts)
			if err != nil {
				return failed(exitBadData, "%v", err)
			}
			if rep.Summary.NothingRead() {
				return failed(exitBadData, "no CloudTrail record could be read from %d files (%s)", rep.Summary.Files, problemText(rep.Summary.Unreadable))
			}
			if formatOf(c) == "json" {
				return trail.WriteUnusedJSON(c.App.Writer, rep)
			}
			return trail.WriteUnusedPretty(c.App.Writer, rep)
		},
	}
}

// parseWindow reads --since: N followed by d (days), or a Go duration.
func parseWindow(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n > 0 {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	} else if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return d, nil
	}
	return 0, failed(exitBadData, "--since %q must be a positive number of days (90d) or a duration (36h)", s)
}
