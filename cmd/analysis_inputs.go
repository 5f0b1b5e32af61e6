package cmd

import (
	"encoding/json"
	"io"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/urfave/cli/v2"
)

// analysis is what who-can and can start from: the output format, the
// request context of the flags, and the bundle with its prepared engine.
type analysis struct {
	format  string
	context map[string]any
	bundle  *bundle.Bundle
	eng     *rego.Engine
}

func analysisInputs(c *cli.Context) (*analysis, error) {
	a := &analysis{format: formatOf(c)}
	var err error
	if a.context, err = contextFromFlags(c); err != nil {
		return nil, err
	}
	label := c.String("bundle")
	if label == "" {
		// who-can without --bundle: build one in memory from the inputs.
		in := account.Inputs{AccountDetails: c.StringSlice("account-details"), Org: c.String("org"), Resources: c.StringSlice("resource-policies")}
		if !hasBuildInputs(c, in) {
			return nil, failed(exitBadData, "give --bundle, or build inputs (--account-details, --org, --resource-policies, --terraform-plan)")
		}
		exp, err := loadExport(c, in, a.format)
		if err != nil {
			return nil, err
		}
		res, err := bundles.Build(exp, bundles.Options{})
		if err != nil {
			return nil, reportDiagnostics(c.App.Writer, c.App.ErrWriter, diagnosticsOf(err), a.format)
		}
		a.bundle, label = res.Bundle, "the built bundle"
	} else if c.IsSet("account-details") || c.IsSet("org") || c.IsSet("resource-policies") || c.IsSet("terraform-plan") {
		return nil, failed(exitBadData, "give --bundle or build inputs, not both")
	} else if a.bundle, _, err = openBundle(label, c); err != nil {
		return nil, err
	}
	if a.eng, err = prepareBundle(c, label, a.bundle); err != nil {
		return nil, err
	}
	return a, nil
}

// optionalBundle makes --bundle optional (who-can can build one instead).
func optionalBundle(flags []cli.Flag) []cli.Flag {
	out := make([]cli.Flag, len(flags))
	for i, f := range flags {
		if sf, ok := f.(*cli.StringFlag); ok && sf.Name == "bundle" {
			cp := *sf
			cp.Required = false
			cp.Usage += " (or build one from --account-details, --org, --resource-policies and --terraform-plan)"
			f = &cp
		}
		out[i] = f
	}
	return out
}

// analyse runs an analysis of --bundle (who-can, can) and prints its
// result: as JSON with --format json, else with pretty.
func analyse[R any](c *cli.Context, run func(*analysis) (R, error), pretty func(io.Writer, R)) error {
	in, err := analysisInputs(c)
	if err != nil {
		return err
	}
	res, err := run(in)
	if err != nil {
		return failed(exitBadData, "%s: %v", c.String("bundle"), err)
	}
	if in.format == "json" {
		err = writeIndented(c.App.Writer, res)
	} else {
		pretty(c.App.Writer, res)
	}
	// A request that could not be decided is listed in the output, and
	// fails the command: never read as "not allowed".
	if u, ok := any(res).(interface{ Undecided() error }); ok && err == nil {
		if uerr := u.Undecided(); uerr != nil {
			return failed(exitBadData, "%s: %v", c.String("bundle"), uerr)
		}
	}
	return err
}

// writeIndented prints v as indented JSON.
func writeIndented(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
