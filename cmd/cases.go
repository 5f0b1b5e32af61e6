package cmd

import (
	"io"

	"github.com/iam2rego/iam2rego/rego/cases"
	"github.com/iam2rego/iam2rego/schema"
	"github.com/urfave/cli/v2"
)

func runOptions(c *cli.Context) cases.Options {
	var opts cases.Options
	if c.Bool("no-rule-indexing") {
		off := false
		opts.RuleIndexing = &off
	}
	return opts
}

func loadAndRun(c *cli.Context, file string) ([]cases.Result, error) {
	list, err := readCases(c.App.Reader, file)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, failed(exitBadData, "%s: no cases: nothing was decided", file)
	}
	results, err := cases.Run(c.Context, list, runOptions(c))
	if err != nil {
		return nil, failed(exitBadData, "%v", err)
	}
	return results, nil
}

func readCases(stdin io.Reader, file string) ([]*cases.Case, error) {
	if file == "-" {
		list, err := cases.Load("<stdin>", stdin)
		if err != nil {
			return nil, failed(exitBadData, "%v", err)
		}
		return list, nil
	}
	f, err := schema.Open(file)
	if err != nil {
		return nil, failed(exitBadData, "%v", err)
	}
	defer f.Close()
	list, err := cases.Load(file, f)
	if err != nil {
		return nil, failed(exitBadData, "%v", err)
	}
	return list, nil
}
