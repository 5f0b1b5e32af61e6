package cmd

import (
	"context"
	"strings"

	"github.com/iam2rego/iam2rego/rego/cases"
	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/urfave/cli/v2"
)

// validateFlags are the flags of `iam2rego validate` (help/validate.txt says what it does).
func validateFlags() []cli.Flag {
	return []cli.Flag{patternLimitFlag(), typeFlag("identity"), formatFlag("pretty", "json")}
}

// runValidate is `iam2rego validate`.
func runValidate(c *cli.Context) error {
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
