package cmd

import (
	"fmt"
	"io"
	"strings"

	"github.com/iam2rego/iam2rego/analysis/access"
	"github.com/urfave/cli/v2"
)

// canFlags are the flags of `iam2rego can` (help/can.txt says what it does).
func canFlags() []cli.Flag {
	return append(bundleFlags(),
		&cli.StringFlag{Name: "principal", Usage: "the user or role ARN", Required: true},
		&cli.StringSliceFlag{Name: "context", Usage: "a request context key, `KEY=VALUE` (repeatable; a VALUE starting with [ is a JSON array)"},
	)
}

// runCan is `iam2rego can`.
func runCan(c *cli.Context) error {
	return analyse(c, func(in *analysis) (*access.CanResult, error) {
		return access.Can(c.Context, in.eng, in.bundle, c.String("principal"), in.context)
	}, writeCan)
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
