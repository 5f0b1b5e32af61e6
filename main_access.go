package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/iam2rego/iam2rego/bundles/access"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/rego/cases"
	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/urfave/cli/v2"
)

// bundleFlags are the flags every command that reads a bundle takes,
// its size and shape bounds included (openBundle reads them).
func bundleFlags() []cli.Flag {
	return append([]cli.Flag{
		&cli.StringFlag{Name: "bundle", Usage: "bundle file (.tar.gz) written by iam2rego build", Required: true},
		&cli.StringFlag{Name: "verification-key", Usage: "require a valid signature, checked with this PEM public key `FILE` (or PEM text), or, for HS*, the file holding the HMAC secret"},
		&cli.StringFlag{Name: "verification-secret", Usage: "HS* only: the HMAC secret as text, instead of --verification-key FILE (visible to other users in the process list)"},
		&cli.StringFlag{Name: "verification-alg", Value: "RS256", Usage: "with --verification-key: the signing algorithm"},
		&cli.StringFlag{Name: "verification-key-id", Value: "iam2rego", Usage: "with --verification-key: the key id"},
		&cli.StringFlag{Name: "format", Value: "pretty", Usage: "output format: pretty or json"},
	}, bundleLimitFlags()...)
}

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

// analysis is what who-can and can start from: the output format, the
// request context of the flags, and the bundle with its prepared engine.
type analysis struct {
	format  string
	context map[string]any
	bundle  *bundle.Bundle
	eng     *rego.Engine
}

func analysisInputs(c *cli.Context) (*analysis, error) {
	a := &analysis{format: c.String("format")}
	if err := checkFormat(a.format); err != nil {
		return nil, err
	}
	var err error
	if a.context, err = contextFromFlags(c); err != nil {
		return nil, err
	}
	if a.bundle, _, err = openBundle(c.String("bundle"), c); err != nil {
		return nil, err
	}
	if a.eng, err = rego.PrepareBundle(c.Context, a.bundle); err != nil {
		return nil, failed(exitBadData, "%s: %v", c.String("bundle"), err)
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

func canCommand() *cli.Command {
	return &cli.Command{
		Name:      "can",
		Usage:     "list which actions a principal of a bundle is allowed, on which resources",
		UsageText: "iam2rego can --bundle B --principal ARN [--context K=V]... [--format pretty|json]",
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
