package cmd

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/iam2rego/iam2rego/internal/progress"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/rego/cases"
	"github.com/iam2rego/iam2rego/schema"
	"github.com/urfave/cli/v2"
)

// evalFlags are the flags of `iam2rego eval` (help/eval.txt says what it does).
func evalFlags() []cli.Flag {
	return append(append([]cli.Flag{
		patternLimitFlag(),
		&cli.StringFlag{Name: "cases", Usage: "case `FILE`, or - for stdin"},
		&cli.StringFlag{Name: "bundle", Usage: "bundle `FILE` (.tar.gz) written by iam2rego build"},
		&cli.StringFlag{Name: "principal", Usage: "with --bundle: the caller's ARN (user, role, role session, root, service or \"anonymous\")"},
		&cli.StringFlag{Name: "action", Usage: "with --bundle: service:Action"},
		&cli.StringFlag{Name: "resource", Usage: "with --bundle: the resource ARN (or *)"},
		&cli.StringFlag{Name: "resource-account", Usage: "with --bundle: the account owning the resource, when neither its ARN nor the bundle says"},
		&cli.StringSliceFlag{Name: "context", Usage: "with --bundle: a request context key, `KEY=VALUE` (repeatable; a VALUE starting with [ is a JSON array)"},
		&cli.StringFlag{Name: "requests", Usage: "with --bundle: JSON Lines requests `FILE`, or - for stdin"},
		&cli.BoolFlag{Name: "explain", Usage: "add the deciding step, the reason and the matched statements (policy, Sid or index, effect); always on for a single --bundle request"},
		formatFlag("pretty", "json"),
		&cli.BoolFlag{Name: "fail-on-deny", Usage: "exit 1 when a decision is not Allow"},
		&cli.BoolFlag{Name: "allow-case-errors", Usage: "exit 0 even when some cases could not be decided (for differential runs)"},
		noRuleIndexingFlag(),
	}, verificationFlags()...), bundleLimitFlags()...)
}

// runEval is `iam2rego eval`.
func runEval(c *cli.Context) error {
	// --requests is read after the bundle is checked and prepared: its
	// kind is checked first, so that a named pipe fails at once.
	if err := checkInputKinds(c.String("bundle"), c.String("requests"), c.String("cases"), c.String("verification-key")); err != nil {
		return err
	}
	switch {
	case c.String("bundle") != "" && c.String("cases") != "":
		return failed(exitBadData, "give --cases or --bundle, not both")
	case c.String("bundle") != "":
		return evalBundle(c, formatOf(c))
	case c.String("cases") == "":
		return failed(exitBadData, "eval needs --cases FILE|- or --bundle FILE")
	}
	return evalCases(c, formatOf(c))
}

// evalCases decides the cases of --cases.
func evalCases(c *cli.Context, format string) error {
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
		return failed(exitBadData, "%d of %d cases could not be decided (see their errors)", bad, len(results))
	}
	if denied > 0 && c.Bool("fail-on-deny") {
		return failed(exitFailed, "")
	}
	return nil
}

// evalBundle answers requests from a bundle's data.
func evalBundle(c *cli.Context, format string) error {
	var reqs []cases.BundleRequest
	var errs []error
	single := c.String("requests") == ""
	if single {
		req, err := requestFromFlags(c)
		if err != nil {
			return err
		}
		reqs, errs = []cases.BundleRequest{req}, []error{nil}
	} else {
		var err error
		if reqs, errs, err = readRequests(c, c.String("requests")); err != nil {
			return err
		}
	}
	path := c.String("bundle")
	b, _, err := openBundle(path, c)
	if err != nil {
		return err
	}
	var opts []rego.Option
	if c.Bool("no-rule-indexing") {
		opts = append(opts, rego.WithRuleIndexing(false))
	}
	eng, err := prepareBundle(c, path, b, opts...)
	if err != nil {
		return err
	}
	bar := progress.New(progress.Terminal(c.App.ErrWriter), "deciding requests", int64(len(reqs)))
	results, bad, denied := cases.DecideRequests(c.Context, eng, reqs, errs, func(done, total int) { bar.Set(int64(done), int64(total)) })
	bar.Done()
	if single && bad > 0 {
		return failed(exitBadData, "iam2rego eval: %s", flagWords.Replace(results[0].Line(false).Error))
	}
	if err := cases.WriteRequestResults(c.App.Writer, results, c.Bool("explain") || single, format == "pretty"); err != nil {
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

// flagWords names, in the error of a single request, the flags that set
// the input fields the decision library names.
var flagWords = strings.NewReplacer(
	"input.action", "--action",
	"input.principal.arn", "--principal",
	"input.resource.arn", "--resource",
	"input.context", "--context",
	"give resource.account", "give --resource-account",
	"principal arn:", "--principal arn:",
)

// readRequests reads the JSON Lines requests of --requests FILE|-.
func readRequests(c *cli.Context, file string) ([]cases.BundleRequest, []error, error) {
	var r io.Reader = c.App.Reader
	if file != "-" {
		f, err := schema.Open(file)
		if err != nil {
			return nil, nil, failed(exitBadData, "%v", err)
		}
		defer f.Close()
		r = f
	} else {
		file = "<stdin>"
	}
	reqs, errs, err := cases.LoadRequests(file, r)
	if err != nil {
		return nil, nil, failed(exitBadData, "%v", err)
	}
	if len(reqs) == 0 {
		return nil, nil, failed(exitBadData, "%s: no requests: nothing was decided", file)
	}
	return reqs, errs, nil
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
