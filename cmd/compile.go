package cmd

import (
	"fmt"

	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/urfave/cli/v2"
)

func compileCommand() *cli.Command {
	return &cli.Command{
		Name:      "compile",
		Usage:     "print the Rego module generated for one IAM policy document",
		ArgsUsage: "FILE",
		Description: "The module's package is iam2rego.policies, which every policy shares; the policy's name is\n" +
			"p<content hash>. Its rules add the statements (policy, effect, index, Sid) that apply to a request\n" +
			"to the partial set data.iam2rego.policies.match, each guarded by `\"p<hash>\" in input.pids`, and\n" +
			"data.iam2rego.policies.p<hash>.statements says it is loaded. Statements that need non-indexed\n" +
			"matching are counted on stderr (--format json: one object on stdout with the module and the\n" +
			"counts). Exit status: 0 ok, 2 invalid policy.",
		Before: setPatternLimit,
		Flags: []cli.Flag{
			patternLimitFlag(),
			&cli.StringFlag{Name: "type", Value: "identity", Usage: "policy type: " + policyTypeList()},
			formatFlag("rego", "json"),
		},
		Action: func(c *cli.Context) error {
			typ, err := parsePolicyType(c.String("type"))
			if err != nil {
				return err
			}
			if c.NArg() != 1 {
				return failed(exitBadData, "compile needs exactly one FILE")
			}
			format := formatOf(c)
			file := c.Args().First()
			data, err := schema.ReadFile(file)
			if err != nil {
				return reportDiagnostics(c.App.Writer, c.App.ErrWriter, schema.List(err), format)
			}
			compiled, err := translator.Compile(file, typ, data)
			if err != nil {
				return reportDiagnostics(c.App.Writer, c.App.ErrWriter, schema.List(err), format)
			}
			src, err := translator.Format(compiled.Module)
			if err != nil {
				return failed(exitBadData, "%s: formatting the module: %v", file, err)
			}
			st := compiled.Stats
			if format == "json" {
				warnings := compiled.Warnings
				if warnings == nil {
					warnings = []*schema.Error{}
				}
				return writeIndented(c.App.Writer, compileOutput{File: file, Statements: st.Statements, Rules: st.Rules,
					Unindexed: st.Unindexed, Warnings: warnings, Module: string(src)})
			}
			for _, w := range compiled.Warnings {
				fmt.Fprintln(c.App.ErrWriter, w.Error())
			}
			fmt.Fprintf(c.App.ErrWriter, "%s: %d statements, %d rules, %d not indexed\n", file, st.Statements, st.Rules, st.Unindexed)
			_, err = c.App.Writer.Write(src)
			return err
		},
	}
}

// compileOutput is compile's --format json output.
type compileOutput struct {
	File       string          `json:"file"`
	Statements int             `json:"statements"`
	Rules      int             `json:"rules"`
	Unindexed  int             `json:"unindexed_statements"`
	Warnings   []*schema.Error `json:"warnings"`
	Module     string          `json:"module"`
}
