package cmd

import (
	"encoding/json"
	"io"

	"github.com/iam2rego/iam2rego/rego"
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
	path := c.String("bundle")
	if a.bundle, _, err = openBundle(path, c); err != nil {
		return nil, err
	}
	if a.eng, err = prepareBundle(c, path, a.bundle); err != nil {
		return nil, err
	}
	return a, nil
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
