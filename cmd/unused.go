package cmd

import (
	"strconv"
	"strings"
	"time"

	"github.com/iam2rego/iam2rego/analysis/trail"
	"github.com/urfave/cli/v2"
)

// unusedFlags are the flags of `iam2rego unused` (help/unused.txt says what it does).
func unusedFlags() []cli.Flag {
	return append(bundleFlags(),
		&cli.StringFlag{Name: "since", Value: "90d", Usage: "the window's length: `DURATION` in days (90d) or as Go writes durations (36h)"},
		&cli.StringFlag{Name: "now", Usage: "the window's end, RFC 3339 (default: the newest eventTime of the logs)"},
		&cli.StringSliceFlag{Name: "principal", Usage: "report on this user or role `ARN` only (repeatable; default: every user and role)"},
		&cli.StringSliceFlag{Name: "context", Usage: "a request context key assumed when deciding the grants, `KEY=VALUE` (repeatable)"},
	)
}

// runUnused is `iam2rego unused`.
func runUnused(c *cli.Context) error {
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
