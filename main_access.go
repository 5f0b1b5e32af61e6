package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/bundles/access"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/rego/cases"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/urfave/cli/v2"
)

// bundleFlags are the flags every command that reads a bundle takes,
// its size and shape bounds included (openBundle reads them).
func bundleFlags() []cli.Flag {
	return append([]cli.Flag{
		&cli.StringFlag{Name: "bundle", Usage: "bundle file (.tar.gz) written by iam2rego build", Required: true},
		&cli.StringFlag{Name: "verification-key", Usage: "require a valid signature, checked with this PEM public key file (or HMAC secret)"},
		&cli.StringFlag{Name: "verification-alg", Value: "RS256", Usage: "with --verification-key: the signing algorithm"},
		&cli.StringFlag{Name: "verification-key-id", Value: "iam2rego", Usage: "with --verification-key: the key id"},
		&cli.StringFlag{Name: "format", Value: "pretty", Usage: "output format: pretty or json"},
	}, bundleLimitFlags()...)
}

func whoCanCommand() *cli.Command {
	return &cli.Command{
		Name:      "who-can",
		Usage:     "list every principal of a bundle allowed an action on a resource, and who outside it the resource's policy lets in",
		UsageText: "iam2rego who-can (--bundle B | [--account-details F]... [--org F] [--resource-policies F]... [--terraform-plan F]) --action A --resource ARN [--resource-account ID] [--context K=V]... [--format pretty|json]",
		Description: "Decides the request for every user, every role (as its sessions) and every account root of the bundle,\n" +
			"with the same decision as eval --bundle, and lists those allowed with the deciding step and statements.\n" +
			"Then lists the grants of the resource's own policy (a bucket policy for its objects, a role's trust\n" +
			"policy) to principals outside the bundle: other accounts, the public (*), AWS services, federated\n" +
			"providers, each with its statement and condition, as IAM Access Analyzer's external-access findings do.\n" +
			"Instead of --bundle, build inputs (--account-details, --org, --resource-policies) and --terraform-plan\n" +
			"build the bundle in memory: who-can then answers for the account as planned, before apply.\n" +
			"Exit 0 (also when nobody is allowed), 2 on bad input.",
		Flags: append(append(optionalBundle(bundleFlags()),
			&cli.StringSliceFlag{Name: "account-details", Usage: "instead of --bundle: account export `FILE` (repeatable)"},
			&cli.StringFlag{Name: "org", Usage: "with --account-details: organization `FILE`"},
			&cli.StringSliceFlag{Name: "resource-policies", Usage: "with --account-details: resource policies `FILE` or DIR (repeatable)"},
			&cli.StringFlag{Name: "action", Usage: "service:Action", Required: true},
			&cli.StringFlag{Name: "resource", Usage: "the resource ARN (or *)", Required: true},
			&cli.StringFlag{Name: "resource-account", Usage: "the account owning the resource, when neither its ARN nor the bundle says"},
			&cli.StringSliceFlag{Name: "context", Usage: "a request context key, `KEY=VALUE` (repeatable; a VALUE starting with [ is a JSON array)"},
		), terraformFlags()...),
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
				return writeIndented(c.App.Writer, res)
			}
			writeWhoCan(c.App.Writer, res)
			return nil
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
	label := c.String("bundle")
	if label == "" {
		// who-can without --bundle: build one in memory from the inputs.
		in := account.Inputs{AccountDetails: c.StringSlice("account-details"), Org: c.String("org"), Resources: c.StringSlice("resource-policies")}
		if !hasBuildInputs(c, in) {
			return nil, failed(exitBadData, "give --bundle, or build inputs (--account-details, --org, --resource-policies, --terraform-plan)")
		}
		exp, err := loadExport(c, in)
		if err != nil {
			return nil, err
		}
		res, err := bundles.Build(exp, bundles.Options{})
		if err != nil {
			return nil, reportDiagnostics(c.App.Writer, c.App.ErrWriter, diagnosticsOf(err), "pretty")
		}
		a.bundle, label = res.Bundle, "the built bundle"
	} else if c.IsSet("account-details") || c.IsSet("org") || c.IsSet("resource-policies") || c.IsSet("terraform-plan") {
		return nil, failed(exitBadData, "give --bundle or build inputs, not both")
	} else if a.bundle, _, err = openBundle(label, c); err != nil {
		return nil, err
	}
	if a.eng, err = rego.PrepareBundle(c.Context, a.bundle); err != nil {
		return nil, failed(exitBadData, "%s: %v", label, err)
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
