package cmd

import (
	"strings"

	"github.com/iam2rego/iam2rego/rego/cases"
	"github.com/urfave/cli/v2"
)

// testFlags are the flags of `iam2rego test` (help/test.txt says what it does).
func testFlags() []cli.Flag {
	return []cli.Flag{patternLimitFlag(), noRuleIndexingFlag(), formatFlag("pretty", "json")}
}

// runTest is `iam2rego test`.
func runTest(c *cli.Context) error {
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
}
