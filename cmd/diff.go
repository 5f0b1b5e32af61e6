package cmd

import (
	"fmt"
	"os"
	"strings"

	"github.com/iam2rego/iam2rego/analysis/diff"
	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/iam2rego/iam2rego/translator/terraform"
	"github.com/urfave/cli/v2"
)

// diffFlags are the flags of `iam2rego diff` (help/diff.txt says what it does).
func diffFlags() []cli.Flag {
	side := func(which string) []cli.Flag {
		return []cli.Flag{
			&cli.StringSliceFlag{Name: which + "-account-details", Usage: "build " + which + " from this account export `FILE` (repeatable) instead of an argument"},
			&cli.StringFlag{Name: which + "-org", Usage: "with --" + which + "-account-details: the organization `FILE`"},
			&cli.StringSliceFlag{Name: which + "-resource-policies", Usage: "with --" + which + "-account-details: resource policies `FILE` or DIR (repeatable)"},
		}
	}
	flags := []cli.Flag{
		formatFlag("pretty", "json", "sarif", "markdown"),
		&cli.StringFlag{Name: "terraform-plan", Usage: "NEW is OLD's build inputs (or the --new-* ones) with this Terraform plan applied (`FILE`: terraform show -json output); with no OLD, OLD is the plan's prior state"},
		&cli.BoolFlag{Name: "terraform-allow-unknown", Usage: "with --terraform-plan: let --fail-on-new-access pass over planned values known only after apply (they are still listed)"},
		&cli.BoolFlag{Name: "fail-on-new-access", Usage: "exit 1 when NEW grants access OLD did not (or when the probe bound cut the diff short)"},
		&cli.IntFlag{Name: "max-probes", Value: diff.DefaultMaxProbes, Usage: "bound on the requests decided (`N` > 0, each on both sides); the time, memory and output of a diff stop with it"},
	}
	flags = append(flags, verificationFlags()...)
	return append(append(flags, side("old")...), side("new")...)
}

// runDiff is `iam2rego diff`.
func runDiff(c *cli.Context) error {
	format := formatOf(c)
	if n := c.Int("max-probes"); n <= 0 {
		return failed(exitBadData, "--max-probes must be positive, got %d", n)
	}
	args := c.Args().Slice()
	// Every input of both sides is checked before either side is loaded
	// (which takes seconds): a named pipe as NEW is refused at once, not
	// after OLD is read.
	inputs := append([]string{c.String("verification-key"), c.String("old-org"), c.String("new-org"), c.String("terraform-plan")}, args...)
	for _, f := range []string{"old-account-details", "new-account-details", "old-resource-policies", "new-resource-policies"} {
		inputs = append(inputs, c.StringSlice(f)...)
	}
	if err := checkInputKinds(inputs...); err != nil {
		return err
	}
	var sides [2]*diff.Side
	var unknown []*schema.Error
	if plan := c.String("terraform-plan"); plan != "" {
		var err error
		if sides, unknown, err = loadPlanSides(c, plan, args); err != nil {
			return err
		}
		args = nil
	} else if c.Bool("terraform-allow-unknown") {
		return failed(exitBadData, "--terraform-allow-unknown needs --terraform-plan")
	}
	for i, which := range []string{"old", "new"} {
		if sides[i] != nil {
			continue
		}
		s, rest, err := loadDiffSide(c, which, args)
		if err != nil {
			return err
		}
		sides[i], args = s, rest
	}
	if len(args) > 0 {
		return failed(exitBadData, "diff takes OLD and NEW, got %d more arguments", len(args))
	}
	rep, err := diff.Run(c.Context, sides[0], sides[1], diff.Options{MaxProbes: c.Int("max-probes")})
	if err != nil {
		return failed(exitBadData, "%v", err)
	}
	rep.Unknown = unknown
	switch format {
	case "json":
		err = diff.WriteJSON(c.App.Writer, rep)
	case "sarif":
		err = diff.WriteSARIF(c.App.Writer, rep, "")
	case "markdown":
		err = diff.WriteMarkdown(c.App.Writer, rep)
	default:
		err = diff.WritePretty(c.App.Writer, rep)
	}
	if err != nil {
		return err
	}
	guard := c.Bool("fail-on-new-access")
	blocked := guard && len(unknown) > 0 && !c.Bool("terraform-allow-unknown")
	if blocked {
		for _, u := range unknown {
			fmt.Fprintln(c.App.ErrWriter, u.Error())
		}
	}
	switch {
	case rep.Stats.Undecided > 0:
		return failed(exitBadData, "%d probes could not be decided, first: %s", rep.Stats.Undecided, rep.Errors[0])
	case guard && len(rep.Added) > 0:
		return failed(exitFailed, "%d new accesses", len(rep.Added))
	case guard && rep.Stats.Truncated:
		return failed(exitFailed, "the probe bound %d was hit: the diff is incomplete", rep.Stats.MaxProbes)
	case blocked:
		return failed(exitFailed, "%d planned values are known only after apply, so the new access cannot be checked (--terraform-allow-unknown passes them)", len(unknown))
	}
	return nil
}

// loadDiffSide loads OLD or NEW: from its --old-*/--new-* build flags, or
// from the next argument (a bundle file or a policy folder).
func loadDiffSide(c *cli.Context, which string, args []string) (*diff.Side, []string, error) {
	in := account.Inputs{
		AccountDetails: c.StringSlice(which + "-account-details"),
		Org:            c.String(which + "-org"),
		Resources:      c.StringSlice(which + "-resource-policies"),
	}
	if len(in.AccountDetails) == 0 {
		if in.Org != "" || len(in.Resources) > 0 {
			return nil, nil, failed(exitBadData, "--%s-org and --%s-resource-policies need --%s-account-details", which, which, which)
		}
		if len(args) == 0 {
			return nil, nil, failed(exitBadData, "diff needs OLD and NEW (bundle files or policy folders)")
		}
		v := verificationOf(c)
		if st, err := os.Stat(args[0]); v != nil && err == nil && st.IsDir() {
			return nil, nil, failed(exitBadData, "%s: --verification-key checks bundle signatures, and %s is a policy folder, which has none; diff the bundles built from it", args[0], strings.ToUpper(which))
		}
		s, err := diff.Load(c.Context, args[0], v)
		if err != nil {
			return nil, nil, diffInputError(c, err)
		}
		return s, args[1:], nil
	}
	if verificationOf(c) != nil {
		return nil, nil, failed(exitBadData, "--verification-key checks bundle signatures, and --%s-account-details builds %s from inputs, which have none; diff the bundles built from them", which, strings.ToUpper(which))
	}
	s, err := diff.LoadInputs(c.Context, strings.Join(in.AccountDetails, ","), in)
	if err != nil {
		return nil, nil, diffInputError(c, err)
	}
	return s, args, nil
}

// diffInputError prints coded diagnostics one per line (exit 2), or the
// error itself.
func diffInputError(c *cli.Context, err error) error {
	if list := diagnosticsOf(err); len(list) > 0 && list[0].Code != "internal_error" {
		return reportDiagnostics(c.App.Writer, c.App.ErrWriter, list, "pretty")
	}
	return failed(exitBadData, "%v", err)
}

// loadPlanSides loads OLD and NEW for --terraform-plan. With OLD given
// as build inputs (--old-* flags or a folder argument), or with no OLD at
// all, OLD is those inputs with the plan's prior state laid over them
// (what Terraform refreshed is the account now) and NEW the same inputs
// with the plan applied: the diff shows what the plan changes. A bundle
// OLD is taken as it is, and NEW is then the --new-* inputs with the plan.
// It also returns the plan's unknown values.
func loadPlanSides(c *cli.Context, plan string, args []string) ([2]*diff.Side, []*schema.Error, error) {
	var sides [2]*diff.Side
	inputs := func(which string) account.Inputs {
		return account.Inputs{AccountDetails: c.StringSlice(which + "-account-details"), Org: c.String(which + "-org"), Resources: c.StringSlice(which + "-resource-policies")}
	}
	oldIn, newIn := inputs("old"), inputs("new")
	if (oldIn.Org != "" || len(oldIn.Resources) > 0) && len(oldIn.AccountDetails) == 0 {
		return sides, nil, failed(exitBadData, "--old-org and --old-resource-policies need --old-account-details")
	}
	if (newIn.Org != "" || len(newIn.Resources) > 0) && len(newIn.AccountDetails) == 0 {
		return sides, nil, failed(exitBadData, "--new-org and --new-resource-policies need --new-account-details")
	}
	oldLabel := strings.Join(oldIn.AccountDetails, ",")
	if len(args) > 0 {
		if len(oldIn.AccountDetails) > 0 {
			return sides, nil, failed(exitBadData, "give OLD as --old-account-details or as an argument, not both")
		}
		if st, err := os.Stat(args[0]); err == nil && st.IsDir() {
			oldIn, oldLabel = account.Inputs{Folder: args[0]}, args[0]
		} else {
			s, _, err := loadDiffSide(c, "old", args)
			if err != nil {
				return sides, nil, err
			}
			sides[0] = s
			if len(newIn.AccountDetails) == 0 {
				return sides, nil, failed(exitBadData, "--terraform-plan cannot extend the bundle %s: give OLD as build inputs (--old-account-details …, or a folder) or NEW's with --new-account-details", args[0])
			}
		}
		args = args[1:]
	}
	if len(args) > 0 {
		return sides, nil, failed(exitBadData, "with --terraform-plan NEW is the plan applied to OLD's inputs: give OLD only (got %d more arguments)", len(args))
	}
	newBase, newLabel := oldIn, oldLabel
	if len(newIn.AccountDetails) > 0 {
		newBase, newLabel = newIn, strings.Join(newIn.AccountDetails, ",")
	}
	join := func(label, what string) string {
		if label == "" {
			return what
		}
		return label + " + " + what
	}
	if sides[0] == nil {
		res, err := terraform.Load(oldIn, plan, terraform.Prior)
		if err != nil {
			return sides, nil, diffInputError(c, err)
		}
		if sides[0], err = diff.LoadExport(c.Context, join(oldLabel, plan+" (prior state)"), res.Export); err != nil {
			return sides, nil, diffInputError(c, err)
		}
	}
	res, err := terraform.Load(newBase, plan, terraform.Planned)
	if err != nil {
		return sides, nil, diffInputError(c, err)
	}
	if sides[1], err = diff.LoadExport(c.Context, join(newLabel, plan), res.Export); err != nil {
		return sides, nil, diffInputError(c, err)
	}
	return sides, res.Unknown, nil
}
