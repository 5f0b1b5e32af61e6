package cmd

import (
	"strings"

	"github.com/iam2rego/iam2rego/rego/cases"
	"github.com/urfave/cli/v2"
)

func testCommand() *cli.Command {
	return &cli.Command{
		Name:      "test",
		Usage:     "run neutral-format cases that carry \"expect\" and report failures",
		ArgsUsage: "FILE...",
		Description: "Each case's decision (Allow, ImplicitDeny, ExplicitDeny, or \"error\" for a case\n" +
			"whose policies must be rejected) is compared with its \"expect\". Failing cases are\n" +
			"printed with their explanation, then \"N passed, M failed\" (--format json: one object,\n" +
			"{\"passed\", \"failed\", \"failures\"}). Exit status: 0 all passed, 1 a case failed, 2 unreadable input.",
		Before: setPatternLimit,
		Flags: []cli.Flag{
			patternLimitFlag(),
			&cli.BoolFlag{Name: "no-rule-indexing", Usage: "switch OPA's rule index off"},
			formatFlag("pretty", "json"),
		},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return failed(exitBadData, "test needs at least one FILE")
			}
			var all []*cases.Case
			for _, file := range c.Args().Slice() {
				list, err := readCases(c.App.Reader, file)
				if err != nil {
					return err
				}
				all = append(all, list...)
			}
			if len(all) == 0 {
				// A test run of nothing passes nothing: never "0 failed".
				return failed(exitBadData, "%s: no cases: nothing was tested", strings.Join(c.Args().Slice(), ", "))
			}
			results, err := cases.Run(c.Context, all, runOptions(c))
			if err != nil {
				return failed(exitBadData, "%v", err)
			}
			rep := cases.Test(results)
			if formatOf(c) == "json" {
				if err := rep.WriteJSON(c.App.Writer); err != nil {
					return err
				}
			} else {
				rep.WritePretty(c.App.Writer)
			}
			if rep.Failed > 0 {
				return failed(exitFailed, "")
			}
			return nil
		},
	}
}
