package cmd

import (
	"fmt"
	"slices"
	"strings"

	"github.com/iam2rego/iam2rego/analysis/lint"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/urfave/cli/v2"
)

// lintFlags are the flags of `iam2rego lint` (help/lint.txt says what it does).
func lintFlags() []cli.Flag {
	return append([]cli.Flag{
		&cli.StringSliceFlag{Name: "account-details", Usage: "account export `FILE` (repeatable)"},
		&cli.StringFlag{Name: "org", Usage: "organization `FILE`"},
		&cli.StringSliceFlag{Name: "resource-policies", Usage: "resource policies `FILE` or DIR (repeatable)"},
		typeFlag(""),
		formatFlag(lint.Formats...),
		&cli.StringFlag{Name: "fail-on", Value: "error", Usage: "exit 1 when a finding has this severity or a higher one: " + strings.Join(lint.Severities, ", ")},
		&cli.StringFlag{Name: "config", Usage: "lint configuration `FILE` (JSON): severity overrides, optional rules, suppressions"},
		&cli.StringSliceFlag{Name: "enable", Usage: "run an optional `RULE` (repeatable)"},
		&cli.StringFlag{Name: "baseline", Usage: "baseline `FILE`: only findings not in it count for --fail-on"},
		&cli.StringFlag{Name: "write-baseline", Usage: "write the findings to baseline `FILE`, and judge this run against it"},
		&cli.BoolFlag{Name: "show-suppressed", Usage: "list the suppressed findings too (pretty format)"},
	}, terraformFlags()...)
}

// runLint is `iam2rego lint`.
func runLint(c *cli.Context) error {
	in := lint.Inputs{
		Build: account.Inputs{AccountDetails: c.StringSlice("account-details"), Org: c.String("org"), Resources: c.StringSlice("resource-policies")},
		Paths: c.Args().Slice(),
	}
	if t := c.String("type"); t != "" {
		typ, err := parsePolicyType(t)
		if err != nil {
			return err
		}
		in.Type = typ
	}
	format, failOn := formatOf(c), c.String("fail-on")
	if !slices.Contains(lint.Severities, failOn) {
		return failed(exitBadData, "--fail-on must be one of %s, got %q", strings.Join(lint.Severities, ", "), failOn)
	}
	if len(in.Paths) == 0 && !hasBuildInputs(c, in.Build) {
		return failed(exitBadData, "lint needs a FILE, DIR or managed policy, or build inputs (--account-details, --org, --resource-policies, --terraform-plan)")
	}
	if c.String("terraform-plan") != "" || c.Bool("terraform-allow-unknown") {
		// The plan applies to the build inputs: read them with it.
		exp, err := loadExport(c, in.Build, "pretty")
		if err != nil {
			return err
		}
		in.Build, in.Export = account.Inputs{}, exp
	}
	settings, err := loadLintSettings(c)
	if err != nil {
		return err
	}
	in.Enable = settings.enable
	rep := lint.Run(in)
	if err := settings.apply(rep); err != nil {
		return err
	}
	if format == "pretty" {
		err = lint.WritePretty(c.App.Writer, rep, c.Bool("show-suppressed"))
	} else {
		err = lint.Write(c.App.Writer, rep, format, "")
	}
	if err != nil {
		return err
	}
	for _, e := range rep.Errors {
		fmt.Fprintln(c.App.ErrWriter, e.Error())
	}
	switch {
	case len(rep.Errors) > 0:
		return failed(exitBadData, "")
	case lint.Fails(rep, failOn):
		return failed(exitFailed, "")
	}
	return nil
}

// ruleList is lint --help's table of rules: code, severity and what each
// reports (analysis/lint's Rules, the same text as SARIF's rule table),
// with the optional rules marked.
func ruleList() string {
	var b strings.Builder
	for _, r := range lint.Rules {
		optional := ""
		if r.Optional() {
			optional = " (optional: --enable " + r.Code + ")"
		}
		fmt.Fprintf(&b, "   %-29s %-8s %s%s\n", r.Code, r.Severity, r.Short, optional)
	}
	return strings.TrimSuffix(b.String(), "\n")
}
