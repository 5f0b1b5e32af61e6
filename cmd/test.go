package cmd

import (
	"github.com/iam2rego/iam2rego/rego/cases"
	"github.com/urfave/cli/v2"
)

func testCommand() *cli.Command {
	return withHelp(&cli.Command{
		Name:      "test",
		ArgsUsage: "FILE...",
		Before:    setPatternLimit,
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
	})
}
