package cmd

import (
	"context"
	"strings"

	"github.com/iam2rego/iam2rego/rego/cases"
	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/urfave/cli/v2"
)

func validateCommand() *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "check IAM policy documents (or neutral case files, *.jsonl) and report every problem",
		ArgsUsage: "FILE...",
		Description: "Each policy is checked against the JSON Schema and the IAM rules of its policy type.\n" +
			"Every problem is printed on one line: FILE: /json/pointer: message (code).\n" +
			"Files ending in .jsonl are read as neutral-format cases, one per line.\n" +
			"Exit status: 0 valid (warnings allowed), 2 invalid.",
		Before: setPatternLimit,
		Flags: []cli.Flag{
			patternLimitFlag(),
			&cli.StringFlag{Name: "type", Value: "identity", Usage: "policy type: " + policyTypeList()},
			formatFlag("pretty", "json"),
		},
		Action: func(c *cli.Context) error {
			typ, err := parsePolicyType(c.String("type"))
			if err != nil {
				return err
			}
			format := formatOf(c)
			if c.NArg() == 0 {
				return failed(exitBadData, "validate needs at least one FILE")
			}
			var all []*schema.Error
			for _, file := range c.Args().Slice() {
				all = append(all, validateFile(c.Context, file, typ)...)
			}
			return reportDiagnostics(c.App.Writer, c.App.ErrWriter, all, format)
		},
	}
}

// validateFile returns the diagnostics (errors and warnings) of one file.
func validateFile(ctx context.Context, file string, typ translator.PolicyType) []*schema.Error {
	data, err := schema.ReadFile(file)
	if err != nil {
		return schema.List(err)
	}
	if strings.HasSuffix(file, ".jsonl") {
		list, err := cases.Load(file, strings.NewReader(string(data)))
		if err != nil {
			return []*schema.Error{schema.Errorf(schema.CodeJSONSyntax, file, "", "%v", err)}
		}
		var out []*schema.Error
		for _, r := range cases.Check(list) {
			out = append(out, r...)
		}
		return out
	}
	return translator.Check(file, typ, data)
}
