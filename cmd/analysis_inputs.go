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

// writeIndented prints v as indented JSON.
func writeIndented(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
