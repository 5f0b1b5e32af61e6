package cmd

import (
	"fmt"

	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/iam2rego/iam2rego/translator/terraform"
	"github.com/urfave/cli/v2"
)

// terraformFlags are the flags of build, lint and who-can that apply a
// Terraform plan on top of their build inputs (diff has its own: the
// plan goes on its NEW side).
func terraformFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "terraform-plan", Usage: "apply this Terraform plan (`FILE`: terraform show -json output) on top of the build inputs; with none, the plan alone is the account"},
		&cli.BoolFlag{Name: "terraform-allow-unknown", Usage: "with --terraform-plan: go on when planned policies or attachments are known only after apply (they are left out and listed as warnings)"},
	}
}

// loadExport reads the build inputs and, with --terraform-plan, applies
// the plan; problems are reported in the command's format. Values the plan knows only after apply stop the command
// (exit 2, each listed as FILE: /pointer: message (terraform_unknown))
// unless --terraform-allow-unknown, which lists them as warnings.
func loadExport(c *cli.Context, in account.Inputs, format string) (*account.Export, error) {
	plan := c.String("terraform-plan")
	if plan == "" {
		if c.Bool("terraform-allow-unknown") {
			return nil, failed(exitBadData, "--terraform-allow-unknown needs --terraform-plan")
		}
		exp, err := account.Load(in)
		if err != nil {
			return nil, reportDiagnostics(c.App.Writer, c.App.ErrWriter, diagnosticsOf(err), format)
		}
		return exp, nil
	}
	res, err := terraform.Load(in, plan, terraform.Planned)
	if err != nil {
		return nil, reportDiagnostics(c.App.Writer, c.App.ErrWriter, diagnosticsOf(err), format)
	}
	if len(res.Unknown) > 0 && !c.Bool("terraform-allow-unknown") {
		return nil, reportDiagnostics(c.App.Writer, c.App.ErrWriter, res.Unknown, format)
	}
	for _, u := range res.Unknown {
		w := *u
		w.Severity = schema.SeverityWarning
		fmt.Fprintln(c.App.ErrWriter, w.Error())
	}
	return res.Export, nil
}

// hasBuildInputs says whether any build input or a plan was given.
func hasBuildInputs(c *cli.Context, in account.Inputs) bool {
	return in.Folder != "" || len(in.AccountDetails) > 0 || in.Org != "" || len(in.Resources) > 0 || c.String("terraform-plan") != ""
}
