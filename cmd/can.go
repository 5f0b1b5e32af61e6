package cmd

import (
	"fmt"
	"io"
	"strings"

	"github.com/iam2rego/iam2rego/analysis/access"
	"github.com/urfave/cli/v2"
)

func canCommand() *cli.Command {
	return &cli.Command{
		Name:      "can",
		Usage:     "list which actions a principal of a bundle is allowed, on which resources",
		UsageText: "iam2rego can --bundle B --principal ARN [--context K=V]... [--max-probes N] [--format pretty|json]",
		Description: "For a user or role of the bundle, decides every catalogue action that an Allow statement of its\n" +
			"identity policies, or of a resource policy in the bundle naming it or its account, can match, on the\n" +
			"resources those statements can match: the resources the bundle knows, \"*\", and one witness ARN for\n" +
			"every other pattern (wildcards and policy variables become \"x\", a \"*\" region us-east-1, a \"*\"\n" +
			"account the principal's own). Lists the allowed ones. The decision is eval --bundle's.\n" +
			"At most --max-probes requests are gathered and decided; the output says when the bound cut them short.\n" +
			"Exit 0, 2 on bad input or when a request could not be decided (each is listed as \"not decided (deny)\").",
		Flags: append(bundleFlags(),
			&cli.StringFlag{Name: "principal", Usage: "the user or role ARN", Required: true},
			&cli.IntFlag{Name: "max-probes", Value: access.DefaultMaxProbes, Usage: "bound on the requests gathered and decided (`N` > 0); the output says when it cut them short"},
			&cli.StringSliceFlag{Name: "context", Usage: "a request context key, `KEY=VALUE` (repeatable; a VALUE starting with [ is a JSON array)"},
		),
		Action: func(c *cli.Context) error {
			if n := c.Int("max-probes"); n <= 0 {
				return failed(exitBadData, "--max-probes must be positive, got %d", n)
			}
			in, err := analysisInputs(c)
			if err != nil {
				return err
			}
			res, err := access.Can(c.Context, in.eng, in.bundle, c.String("principal"), in.context, c.Int("max-probes"))
			if err != nil {
				return failed(exitBadData, "%s: %v", c.String("bundle"), err)
			}
			if in.format == "json" {
				err = writeIndented(c.App.Writer, res)
			} else {
				writeCan(c.App.Writer, res)
			}
			if err == nil && len(res.Errors) > 0 {
				e := res.Errors[0]
				err = failed(exitBadData, "%s: %d of %d requests could not be decided, first %s on %s: %s", c.String("bundle"), len(res.Errors), res.Checked, e.Action, e.Resource, e.Decision.Error)
			}
			return err
		},
	}
}

// writeCan prints one block per resource: the actions allowed on it.
func writeCan(w io.Writer, res *access.CanResult) {
	if len(res.Errors) > 0 {
		fmt.Fprintf(w, "%s: %d allowed and %d not decided (deny) of %d requests\n", res.Principal, len(res.Allowed), len(res.Errors), res.Checked)
	} else {
		fmt.Fprintf(w, "%s: %d allowed of %d requests decided\n", res.Principal, len(res.Allowed), res.Checked)
	}
	if res.Truncated {
		fmt.Fprintf(w, "incomplete: only the first %d candidate requests were decided; raise --max-probes\n", res.MaxProbes)
	}
	for i := 0; i < len(res.Allowed); {
		a := res.Allowed[i]
		var actions []string
		for ; i < len(res.Allowed) && res.Allowed[i].Resource == a.Resource; i++ {
			actions = append(actions, res.Allowed[i].Action)
		}
		where := a.Resource
		if a.Pattern != "" {
			where = fmt.Sprintf("%s (for %s)", a.Resource, a.Pattern)
		}
		fmt.Fprintf(w, "  %s: %d actions\n    %s\n", where, len(actions), strings.Join(actions, ", "))
	}
	for _, e := range res.Errors {
		fmt.Fprintf(w, "  %s on %s: not decided (deny): %s\n", e.Action, e.Resource, e.Decision.Error)
	}
}
