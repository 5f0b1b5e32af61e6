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
		UsageText: "iam2rego can --bundle B --principal ARN [--context K=V]... [--format pretty|json]",
		Description: "For a user or role of the bundle, decides every catalogue action that an Allow statement of its\n" +
			"identity policies, or of a resource policy in the bundle naming it or its account, can match, on the\n" +
			"resources those statements can match: the resources the bundle knows, \"*\", and one witness ARN for\n" +
			"every other pattern (wildcards and policy variables become \"x\", a \"*\" region us-east-1, a \"*\"\n" +
			"account the principal's own). Lists the allowed ones. The decision is eval --bundle's.",
		Flags: append(bundleFlags(),
			&cli.StringFlag{Name: "principal", Usage: "the user or role ARN", Required: true},
			&cli.StringSliceFlag{Name: "context", Usage: "a request context key, `KEY=VALUE` (repeatable; a VALUE starting with [ is a JSON array)"},
		),
		Action: func(c *cli.Context) error {
			in, err := analysisInputs(c)
			if err != nil {
				return err
			}
			res, err := access.Can(c.Context, in.eng, in.bundle, c.String("principal"), in.context)
			if err != nil {
				return failed(exitBadData, "%s: %v", c.String("bundle"), err)
			}
			if in.format == "json" {
				return writeIndented(c.App.Writer, res)
			}
			writeCan(c.App.Writer, res)
			return nil
		},
	}
}

// writeCan prints one block per resource: the actions allowed on it.
func writeCan(w io.Writer, res *access.CanResult) {
	fmt.Fprintf(w, "%s: %d allowed of %d requests decided\n", res.Principal, len(res.Allowed), res.Checked)
	if res.Truncated {
		fmt.Fprintf(w, "(only the first %d candidate requests were decided)\n", access.MaxProbes)
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
}
