package cmd

import (
	"encoding/json"
	"io"

	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/rego/cases"
	"github.com/iam2rego/iam2rego/schema"
	"github.com/urfave/cli/v2"
)

func evalCommand() *cli.Command {
	return &cli.Command{
		Name:  "eval",
		Usage: "decide neutral-format cases, or requests against a bundle built by `iam2rego build`",
		Description: "With --cases FILE|-: reads neutral-format cases (README.md, \"Case format\") and prints\n" +
			"one {\"id\",\"decision\"} line per case. The distinct policies of all cases are compiled\n" +
			"once into one prepared query. A case that cannot be decided prints {\"id\",\"error\"}; the\n" +
			"exit status is then 2 unless --allow-case-errors is given.\n\n" +
			"With --bundle B: answers --principal/--action/--resource (one request, explained) or\n" +
			"--requests FILE|- (JSON Lines {\"id\",\"principal\",\"action\",\"resource\",\"context\"}) from\n" +
			"the bundle's data: the principal's policies, groups, boundary, tags, account, OU path.\n" +
			"A role ARN as --principal asks what the role's sessions may do.",
		Before: setPatternLimit,
		Flags: append([]cli.Flag{
			patternLimitFlag(),
			&cli.StringFlag{Name: "cases", Usage: "case file, or - for stdin"},
			&cli.StringFlag{Name: "bundle", Usage: "bundle file (.tar.gz) written by iam2rego build"},
			&cli.StringFlag{Name: "principal", Usage: "with --bundle: the caller's ARN (user, role, role session, root, service or \"anonymous\")"},
			&cli.StringFlag{Name: "action", Usage: "with --bundle: service:Action"},
			&cli.StringFlag{Name: "resource", Usage: "with --bundle: the resource ARN (or *)"},
			&cli.StringFlag{Name: "resource-account", Usage: "with --bundle: the account owning the resource, when neither its ARN nor the bundle says"},
			&cli.StringSliceFlag{Name: "context", Usage: "with --bundle: a request context key, `KEY=VALUE` (repeatable; a VALUE starting with [ is a JSON array)"},
			&cli.StringFlag{Name: "requests", Usage: "with --bundle: JSON Lines requests, or - for stdin"},
			&cli.StringFlag{Name: "verification-key", Usage: "with --bundle: require a valid signature, checked with this PEM public key `FILE` (or PEM text), or, for HS*, the file holding the HMAC secret; a path that names no file is an error"},
			&cli.StringFlag{Name: "verification-secret", Usage: "with --bundle, HS* only: the HMAC secret as text, instead of --verification-key FILE (visible to other users in the process list)"},
			&cli.StringFlag{Name: "verification-alg", Value: "RS256", Usage: "with --verification-key: the signing algorithm"},
			&cli.StringFlag{Name: "verification-key-id", Value: "iam2rego", Usage: "with --verification-key: the key id"},
			&cli.BoolFlag{Name: "explain", Usage: "add the deciding step, the reason and the matched statements (policy, Sid or index, effect); always on for a single --bundle request"},
			&cli.StringFlag{Name: "format", Value: "json", Usage: "output format: json (one line per case) or pretty"},
			&cli.BoolFlag{Name: "fail-on-deny", Usage: "exit 1 when a decision is not Allow"},
			&cli.BoolFlag{Name: "allow-case-errors", Usage: "exit 0 even when some cases could not be decided (for differential runs)"},
			&cli.BoolFlag{Name: "no-rule-indexing", Usage: "switch OPA's rule index off (decisions must not change)"},
		}, bundleLimitFlags()...),
		Action: func(c *cli.Context) error {
			format := c.String("format")
			if err := checkFormat(format); err != nil {
				return err
			}
			switch {
			case c.String("bundle") != "" && c.String("cases") != "":
				return failed(exitBadData, "give --cases or --bundle, not both")
			case c.String("bundle") != "":
				return evalBundle(c, format)
			case c.String("cases") == "":
				return failed(exitBadData, "eval needs --cases FILE|- or --bundle FILE")
			}
			results, err := loadAndRun(c, c.String("cases"))
			if err != nil {
				return err
			}
			if format == "pretty" {
				cases.WritePretty(c.App.Writer, results, c.Bool("explain"))
			} else if err := cases.WriteEval(c.App.Writer, results, c.Bool("explain")); err != nil {
				return err
			}
			bad, denied := 0, 0
			for _, r := range results {
				switch r.Outcome() {
				case "error":
					bad++
				case "Allow":
				default:
					denied++
				}
			}
			if bad > 0 && !c.Bool("allow-case-errors") {
				return failed(exitBadData, "%d of %d cases could not be decided (see their \"error\" lines)", bad, len(results))
			}
			if denied > 0 && c.Bool("fail-on-deny") {
				return failed(exitFailed, "")
			}
			return nil
		},
	}
}

// evalBundle answers requests from a bundle's data.
func evalBundle(c *cli.Context, format string) error {
	b, _, err := openBundle(c.String("bundle"), c)
	if err != nil {
		return err
	}
	var opts []rego.Option
	if c.Bool("no-rule-indexing") {
		opts = append(opts, rego.WithRuleIndexing(false))
	}
	eng, err := rego.PrepareBundle(c.Context, b, opts...)
	if err != nil {
		return failed(exitBadData, "%s: %v", c.String("bundle"), err)
	}
	var reqs []cases.BundleRequest
	var errs []error
	explain := c.Bool("explain")
	if file := c.String("requests"); file != "" {
		var r io.Reader = c.App.Reader
		if file != "-" {
			f, err := schema.Open(file)
			if err != nil {
				return failed(exitBadData, "%v", err)
			}
			defer f.Close()
			r = f
		} else {
			file = "<stdin>"
		}
		if reqs, errs, err = cases.LoadRequests(file, r); err != nil {
			return failed(exitBadData, "%v", err)
		}
	} else {
		req, err := requestFromFlags(c)
		if err != nil {
			return err
		}
		reqs, errs, explain = []cases.BundleRequest{req}, []error{nil}, true
	}
	results := make([]cases.RequestResult, len(reqs))
	bad, denied := 0, 0
	for i, req := range reqs {
		results[i] = cases.RequestResult{ID: req.ID, Err: errs[i]}
		if errs[i] == nil {
			results[i].Decision = eng.DecideInput(c.Context, req.Value())
		}
		switch l := results[i].Line(false); {
		case l.Error != "":
			bad++
		case l.Decision != rego.Allow:
			denied++
		}
	}
	if err := cases.WriteRequestResults(c.App.Writer, results, explain, format == "pretty"); err != nil {
		return err
	}
	switch {
	case bad > 0:
		return failed(exitBadData, "%d of %d requests could not be decided", bad, len(results))
	case denied > 0 && c.Bool("fail-on-deny"):
		return failed(exitFailed, "")
	}
	return nil
}

// requestFromFlags builds the single request of --principal/--action/--resource.
func requestFromFlags(c *cli.Context) (cases.BundleRequest, error) {
	var req cases.BundleRequest
	for _, f := range []string{"principal", "action", "resource"} {
		if c.String(f) == "" {
			return req, failed(exitBadData, "--bundle needs --%s (or --requests)", f)
		}
	}
	req.Action = c.String("action")
	req.Principal, _ = json.Marshal(c.String("principal"))
	res := map[string]any{"arn": c.String("resource")}
	if a := c.String("resource-account"); a != "" {
		res["account"] = a
	}
	req.Resource, _ = json.Marshal(res)
	var err error
	req.Context, err = contextFromFlags(c)
	return req, err
}
