package cmd

import (
	"fmt"
	"io"

	"github.com/iam2rego/iam2rego/analysis/access"
	"github.com/iam2rego/iam2rego/rego/cases"
	"github.com/urfave/cli/v2"
)

// whoCanFlags are the flags of `iam2rego who-can` (help/who-can.txt says what it does).
func whoCanFlags() []cli.Flag {
	return append(append(optionalBundle(bundleFlags()),
		&cli.StringSliceFlag{Name: "account-details", Usage: "instead of --bundle: account export `FILE` (repeatable)"},
		&cli.StringFlag{Name: "org", Usage: "with --account-details: organization `FILE`"},
		&cli.StringSliceFlag{Name: "resource-policies", Usage: "with --account-details: resource policies `FILE` or DIR (repeatable)"},
		&cli.StringFlag{Name: "action", Usage: "service:Action", Required: true},
		&cli.StringFlag{Name: "resource", Usage: "the resource ARN (or *)", Required: true},
		&cli.StringFlag{Name: "resource-account", Usage: "the account owning the resource, when neither its ARN nor the bundle says"},
		&cli.StringSliceFlag{Name: "context", Usage: "a request context key, `KEY=VALUE` (repeatable; a VALUE starting with [ is a JSON array)"},
	), terraformFlags()...)
}

// runWhoCan is `iam2rego who-can`.
func runWhoCan(c *cli.Context) error {
	return analyse(c, func(in *analysis) (*access.WhoCanResult, error) {
		q := access.Query{Action: c.String("action"), Resource: c.String("resource"), ResourceAccount: c.String("resource-account"), Context: in.context}
		return access.WhoCan(c.Context, in.eng, in.bundle, q)
	}, writeWhoCan)
}

func writeWhoCan(w io.Writer, res *access.WhoCanResult) {
	q := res.Query
	fmt.Fprintf(w, "%s on %s: %d of %d principals of the bundle are allowed\n", q.Action, q.Resource, len(res.Allowed), res.Checked)
	for _, g := range res.Allowed {
		fmt.Fprintf(w, "  %s (%s)\n    %s\n", g.Principal, g.Kind, indent(cases.BundleExplain(g.Decision).Describe()))
	}
	for _, g := range res.Errors {
		fmt.Fprintf(w, "  %s (%s): not decided (deny): %s\n", g.Principal, g.Kind, g.Decision.Error)
	}
	if len(res.External) == 0 {
		fmt.Fprintln(w, "outside the bundle: the resource's policy lets nobody in")
		return
	}
	fmt.Fprintf(w, "outside the bundle: the resource's policy lets in %d\n", len(res.External))
	for _, e := range res.External {
		stmt := fmt.Sprintf("statement %d", e.Index)
		if e.Sid != "" {
			stmt = fmt.Sprintf("Sid %q", e.Sid)
		}
		name := e.Policy
		if len(e.Names) > 0 {
			name = e.Names[0]
		}
		fmt.Fprintf(w, "  %s %s\n    Allow %s of %s", e.Kind, e.Who, stmt, name)
		if len(e.Condition) > 0 {
			fmt.Fprintf(w, ", when %s", e.Condition)
		}
		fmt.Fprintln(w)
	}
}

// indent shifts the continuation lines of a Describe text under its item.
func indent(s string) string {
	out := []byte{}
	for i := 0; i < len(s); i++ {
		out = append(out, s[i])
		if s[i] == '\n' {
			out = append(out, ' ', ' ')
		}
	}
	return string(out)
}
