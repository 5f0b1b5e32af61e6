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
		&cli.IntFlag{Name: "max-probes", Value: access.DefaultMaxProbes, Usage: "bound on the requests gathered and decided (`N` > 0); the output says when it cut them short"},
		&cli.StringSliceFlag{Name: "context", Usage: "a request context key, `KEY=VALUE` (repeatable; a VALUE starting with [ is a JSON array)"},
	)
}

// runCan is `iam2rego can`.
func runCan(c *cli.Context) error {
	if n := c.Int("max-probes"); n <= 0 {
		return failed(exitBadData, "--max-probes must be positive, got %d", n)
	}
	return analyse(c, func(in *analysis) (*access.CanResult, error) {
		return access.Can(c.Context, in.eng, in.bundle, c.String("principal"), in.context, c.Int("max-probes"))
	}, writeCan)
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
