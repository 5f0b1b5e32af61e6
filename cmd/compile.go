package cmd

import (
	"fmt"

	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/urfave/cli/v2"
)

// compileFlags are the flags of `iam2rego compile` (help/compile.txt says what it does).
func compileFlags() []cli.Flag {
	return []cli.Flag{patternLimitFlag(), typeFlag("identity"), formatFlag("rego", "json")}
}

// runCompile is `iam2rego compile`.
func runCompile(c *cli.Context) error {
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
