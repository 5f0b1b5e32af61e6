package cmd

import (
	"fmt"
	"io"

	"github.com/iam2rego/iam2rego/analysis/access"
	"github.com/iam2rego/iam2rego/rego/cases"
	"github.com/urfave/cli/v2"
)

func whoCanCommand() *cli.Command {
	return &cli.Command{
		Name:      "who-can",
		Usage:     "list every principal of a bundle allowed an action on a resource, and who outside it the resource's policy lets in",
		UsageText: "iam2rego who-can --bundle B --action A --resource ARN [--resource-account ID] [--context K=V]... [--format pretty|json]",
		Description: "Decides the request for every user, every role (as its sessions) and every account root of the bundle,\n" +
			"with the same decision as eval --bundle, and lists those allowed with the deciding step and statements.\n" +
			"Then lists the grants of the resource's own policy (a bucket policy for its objects, a role's trust\n" +
			"policy) to principals outside the bundle: other accounts, the public (*), AWS services, federated\n" +
			"providers, each with its statement and condition, as IAM Access Analyzer's external-access findings do.\n" +
			"Exit 0 (also when nobody is allowed), 2 on bad input or when a principal's request could not be decided\n" +
			"(each is listed as \"not decided (deny)\").",
		Flags: append(bundleFlags(),
			&cli.StringFlag{Name: "action", Usage: "service:Action", Required: true},
			&cli.StringFlag{Name: "resource", Usage: "the resource ARN (or *)", Required: true},
			&cli.StringFlag{Name: "resource-account", Usage: "the account owning the resource, when neither its ARN nor the bundle says"},
			&cli.StringSliceFlag{Name: "context", Usage: "a request context key, `KEY=VALUE` (repeatable; a VALUE starting with [ is a JSON array)"},
		),
		Action: func(c *cli.Context) error {
			in, err := analysisInputs(c)
			if err != nil {
				return err
			}
			q := access.Query{Action: c.String("action"), Resource: c.String("resource"), ResourceAccount: c.String("resource-account"), Context: in.context}
			res, err := access.WhoCan(c.Context, in.eng, in.bundle, q)
			if err != nil {
				return failed(exitBadData, "%s: %v", c.String("bundle"), err)
			}
			if in.format == "json" {
				err = writeIndented(c.App.Writer, res)
			} else {
				writeWhoCan(c.App.Writer, res)
			}
			if err == nil && len(res.Errors) > 0 {
				err = failed(exitBadData, "%s: %d of %d principals could not be decided, first %s: %s", c.String("bundle"), len(res.Errors), res.Checked, res.Errors[0].Principal, res.Errors[0].Decision.Error)
			}
			return err
		},
	}
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
