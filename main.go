// Command iam2rego compiles AWS IAM policies to Rego and decides requests
// exactly as AWS IAM would. main.go is the only place that knows about
// flags, stdout and exit codes; every command calls one library function.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/rego/cases"
	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/urfave/cli/v2"
)

// Exit codes, as OPA's CLI uses them.
const (
	exitOK      = 0
	exitFailed  = 1 // failed tests
	exitBadData = 2 // bad input or usage
)

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

func failed(code int, format string, args ...any) error {
	return &exitError{code: code, err: fmt.Errorf(format, args...)}
}

func main() {
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

// run executes the CLI and returns the exit code; tests call it directly.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := newApp(stdin, stdout, stderr)
	err := app.Run(args)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err.Error() != "" {
			fmt.Fprintln(stderr, ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "iam2rego:", err)
	return exitBadData
}

func newApp(stdin io.Reader, stdout, stderr io.Writer) *cli.App {
	return &cli.App{
		Name:           "iam2rego",
		Usage:          "compile AWS IAM policies to Rego and decide requests as AWS would",
		Reader:         stdin,
		Writer:         stdout,
		ErrWriter:      stderr,
		ExitErrHandler: func(*cli.Context, error) {}, // never os.Exit inside the app
		// Repeated flags (--context, --account-details) keep commas:
		// context values and JSON arrays may hold them.
		DisableSliceFlagSeparator: true,
		Commands: []*cli.Command{
			validateCommand(),
			compileCommand(),
			evalCommand(),
			testCommand(),
			buildCommand(),
			inspectCommand(),
			whoCanCommand(),
			canCommand(),
			lintCommand(),
			diffCommand(),
		},
	}
}

func validateCommand() *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "check IAM policy documents (or neutral case files, *.jsonl) and report every problem",
		ArgsUsage: "FILE...",
		Description: "Each policy is checked against the JSON Schema and the IAM rules of its policy type.\n" +
			"Every problem is printed on one line: FILE: /json/pointer: message (code).\n" +
			"Files ending in .jsonl are read as neutral-format cases, one per line.\n" +
			"Exit status: 0 valid (warnings allowed), 2 invalid.",
		Before: setPatternLimit,
		Flags: []cli.Flag{
			patternLimitFlag(),
			&cli.StringFlag{Name: "type", Value: "identity", Usage: "policy type: " + policyTypeList()},
			&cli.StringFlag{Name: "format", Value: "pretty", Usage: "output format: pretty or json"},
		},
		Action: func(c *cli.Context) error {
			typ, err := parsePolicyType(c.String("type"))
			if err != nil {
				return err
			}
			format := c.String("format")
			if err := checkFormat(format); err != nil {
				return err
			}
			if c.NArg() == 0 {
				return failed(exitBadData, "validate needs at least one FILE")
			}
			var all []*schema.Error
			for _, file := range c.Args().Slice() {
				all = append(all, validateFile(c.Context, file, typ)...)
			}
			return reportDiagnostics(c.App.Writer, c.App.ErrWriter, all, format)
		},
	}
}

// validateFile returns the diagnostics (errors and warnings) of one file.
func validateFile(ctx context.Context, file string, typ translator.PolicyType) []*schema.Error {
	data, err := schema.ReadFile(file)
	if err != nil {
		return schema.List(err)
	}
	if strings.HasSuffix(file, ".jsonl") {
		list, err := cases.Load(file, strings.NewReader(string(data)))
		if err != nil {
			return []*schema.Error{schema.Errorf(schema.CodeJSONSyntax, file, "", "%v", err)}
		}
		var out []*schema.Error
		for _, r := range cases.Check(list) {
			out = append(out, r...)
		}
		return out
	}
	return translator.Check(file, typ, data)
}

func reportDiagnostics(stdout, stderr io.Writer, all []*schema.Error, format string) error {
	schema.Sort(all)
	errs := 0
	for _, e := range all {
		if e.Severity == schema.SeverityError {
			errs++
		}
	}
	if format == "json" {
		if all == nil {
			all = []*schema.Error{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(map[string]any{"valid": errs == 0, "diagnostics": all}); err != nil {
			return err
		}
	} else {
		for _, e := range all {
			fmt.Fprintln(stderr, e.Error())
		}
	}
	if errs > 0 {
		return failed(exitBadData, "")
	}
	return nil
}

func compileCommand() *cli.Command {
	return &cli.Command{
		Name:      "compile",
		Usage:     "print the Rego module generated for one IAM policy document",
		ArgsUsage: "FILE",
		Description: "The module's package is iam2rego.policies, which every policy shares; the policy's name is\n" +
			"p<content hash>. Its rules add the statements (policy, effect, index, Sid) that apply to a request\n" +
			"to the partial set data.iam2rego.policies.match, each guarded by `\"p<hash>\" in input.pids`, and\n" +
			"data.iam2rego.policies.p<hash>.statements says it is loaded. Statements that need non-indexed\n" +
			"matching are counted on stderr. Exit status: 0 ok, 2 invalid policy.",
		Before: setPatternLimit,
		Flags: []cli.Flag{
			patternLimitFlag(),
			&cli.StringFlag{Name: "type", Value: "identity", Usage: "policy type: " + policyTypeList()},
		},
		Action: func(c *cli.Context) error {
			typ, err := parsePolicyType(c.String("type"))
			if err != nil {
				return err
			}
			if c.NArg() != 1 {
				return failed(exitBadData, "compile needs exactly one FILE")
			}
			file := c.Args().First()
			data, err := schema.ReadFile(file)
			if err != nil {
				return reportDiagnostics(c.App.Writer, c.App.ErrWriter, schema.List(err), "pretty")
			}
			compiled, err := translator.Compile(file, typ, data)
			if err != nil {
				return reportDiagnostics(c.App.Writer, c.App.ErrWriter, schema.List(err), "pretty")
			}
			for _, w := range compiled.Warnings {
				fmt.Fprintln(c.App.ErrWriter, w.Error())
			}
			src, err := translator.Format(compiled.Module)
			if err != nil {
				return failed(exitBadData, "%s: formatting the module: %v", file, err)
			}
			fmt.Fprintf(c.App.ErrWriter, "%s: %d statements, %d rules, %d not indexed\n", file, compiled.Stats.Statements, compiled.Stats.Rules, compiled.Stats.Unindexed)
			_, err = c.App.Writer.Write(src)
			return err
		},
	}
}

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
			"A role ARN as --principal asks what the role's sessions may do. A bundle whose modules or callers\n" +
			"are not what its documents and records compile to is refused (exit 2), signed or not.",
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

// contextFromFlags reads the repeated --context KEY=VALUE flags (nil when
// there are none); a VALUE starting with [ is a JSON array of strings.
func contextFromFlags(c *cli.Context) (map[string]any, error) {
	var out map[string]any
	for _, kv := range c.StringSlice("context") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, failed(exitBadData, "--context %q must be KEY=VALUE", kv)
		}
		if out == nil {
			out = map[string]any{}
		}
		if strings.HasPrefix(v, "[") {
			var list []string
			if err := json.Unmarshal([]byte(v), &list); err != nil {
				return nil, failed(exitBadData, "--context %s: %q is not a JSON array of strings", k, v)
			}
			out[k] = list
		} else {
			out[k] = v
		}
	}
	return out, nil
}

// openBundle reads a bundle, verifying its signature when a key is given
// and its consistency always (bundles.CheckConsistency).
func openBundle(path string, c *cli.Context) (*bundle.Bundle, bool, error) {
	var v *bundles.Verification
	if key, secret := c.String("verification-key"), c.String("verification-secret"); key != "" || secret != "" {
		v = &bundles.Verification{Key: key, Secret: secret, Algorithm: c.String("verification-alg"), KeyID: c.String("verification-key-id")}
	}
	limits, err := bundleLimits(c)
	if err != nil {
		return nil, false, err
	}
	b, err := bundles.ReadFileWithin(path, v, limits)
	if err != nil {
		return nil, false, failed(exitBadData, "%s: %v", path, unwrapPath(err))
	}
	// Signed or not, the bundle's modules and callers must be what its
	// documents and records compile to: the analyses read the one, the
	// decision the other.
	if err := bundles.CheckConsistency(c.Context, b); err != nil {
		return nil, false, failed(exitBadData, "%s: %v", path, err)
	}
	return b, v != nil, nil
}

func buildCommand() *cli.Command {
	return &cli.Command{
		Name:      "build",
		Usage:     "compile an account export (or a policy folder) into a deterministic, optionally signed OPA bundle",
		ArgsUsage: "[DIR]",
		Description: "Inputs: --account-details FILE (repeatable; the output of `aws iam get-account-authorization-details`),\n" +
			"--org FILE (organization tree with SCPs and RCPs), --resource-policies FILE|DIR (repeatable),\n" +
			"or a folder DIR with an iam2rego.json manifest. AWS managed policies missing from the export\n" +
			"come from an embedded snapshot; the network is never used.\n\n" +
			"Output: a bundle .tar.gz for OPA: .manifest (revision = content hash, roots [\"iam2rego\"],\n" +
			"rego_version 1), iam2rego/policies.rego with the rules of every distinct policy document, the\n" +
			"decision library, and data.json (principals, groups, accounts and OU paths, resources).\n" +
			"The same inputs give the same bytes, in any order (RS* and HS* signatures included; PS* and\n" +
			"ES* are randomised).\n" +
			"The file is written atomically: a failed build leaves any previous bundle untouched.\n" +
			"Inputs are bounded: 64 MiB per file, --max-input-bytes (256 MiB) over all of them.\n" +
			"Exit status: 0 ok, 2 bad input (every problem is listed as FILE: /pointer: message (code)).",
		Before: setPatternLimit,
		Flags: []cli.Flag{
			patternLimitFlag(),
			&cli.StringSliceFlag{Name: "account-details", Usage: "account export `FILE` (repeatable)"},
			&cli.StringFlag{Name: "org", Usage: "organization `FILE` (see README, \"Organization file\")"},
			&cli.StringSliceFlag{Name: "resource-policies", Usage: "resource policies `FILE` or DIR (repeatable)"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "bundle.tar.gz", Usage: "bundle file to write"},
			&cli.StringFlag{Name: "signing-key", Usage: "sign with this PEM private key `FILE` (RS*, PS*, ES*), or the file holding the HMAC secret (HS*); a path that names no file is an error"},
			&cli.StringFlag{Name: "signing-secret", Usage: "HS* only: the HMAC secret as text, instead of --signing-key FILE (visible to other users in the process list)"},
			&cli.StringFlag{Name: "signing-alg", Value: "RS256", Usage: "RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, HS256, HS384 or HS512"},
			&cli.StringFlag{Name: "signing-key-id", Value: "iam2rego", Usage: "key id (kid) in the signature"},
			&cli.BoolFlag{Name: "warnings", Usage: "list every warning (by default only their number is printed)"},
			&cli.Int64Flag{Name: "max-input-bytes", Value: account.DefaultMaxInputBytes, Usage: "refuse to read more than `N` bytes over all inputs (each file is also bounded by 64 MiB)"},
			&cli.IntFlag{Name: "max-context-value-length", Usage: "the longest request context value (or list member) the bundle accepts, in characters; longer ones deny with an input error (default 65536)"},
		},
		Action: func(c *cli.Context) error {
			in := account.Inputs{
				AccountDetails: c.StringSlice("account-details"),
				Org:            c.String("org"),
				Resources:      c.StringSlice("resource-policies"),
				MaxBytes:       c.Int64("max-input-bytes"),
			}
			if in.MaxBytes <= 0 {
				return failed(exitBadData, "--max-input-bytes must be positive")
			}
			switch c.NArg() {
			case 0:
			case 1:
				in.Folder = c.Args().First()
			default:
				return failed(exitBadData, "build takes at most one DIR")
			}
			if in.Folder == "" && len(in.AccountDetails) == 0 {
				return failed(exitBadData, "build needs --account-details FILE or a folder DIR")
			}
			signing := bundles.Signing{Key: c.String("signing-key"), Secret: c.String("signing-secret"), Algorithm: c.String("signing-alg"), KeyID: c.String("signing-key-id")}
			sign := signing.Key != "" || signing.Secret != ""
			if sign {
				if err := signing.Check(); err != nil {
					return failed(exitBadData, "%v", err)
				}
			}
			exp, err := account.Load(in)
			if err != nil {
				return reportDiagnostics(c.App.Writer, c.App.ErrWriter, diagnosticsOf(err), "pretty")
			}
			defer limitBuildMemory(exp.InputBytes)()
			progress := bundles.NewProgress(terminal(c.App.ErrWriter))
			res, err := bundles.Build(exp, bundles.Options{Progress: progress.Update, TextOnly: true, ReleaseDocuments: true, MaxContextValueChars: c.Int("max-context-value-length")})
			progress.Done()
			if err != nil {
				return reportDiagnostics(c.App.Writer, c.App.ErrWriter, diagnosticsOf(err), "pretty")
			}
			if c.Bool("warnings") {
				for _, w := range res.Warnings {
					fmt.Fprintln(c.App.ErrWriter, w.Error())
				}
			} else if n := len(res.Warnings); n > 0 {
				fmt.Fprintf(c.App.ErrWriter, "%d warnings (list them with --warnings)\n", n)
			}
			if sign {
				if err := bundles.Sign(res.Bundle, signing); err != nil {
					return failed(exitBadData, "%v", err)
				}
			}
			out := c.String("output")
			if err := bundles.WriteFile(out, res.Bundle); err != nil {
				return failed(exitBadData, "%s: %v", out, unwrapPath(err))
			}
			st := res.Stats
			fmt.Fprintf(c.App.ErrWriter, "wrote %s: revision %s, %d principals, %d policies, %d statements (%d not indexed)\n",
				out, res.Bundle.Manifest.Revision, st.Principals, st.Policies, st.Statements, st.Unindexed)
			return nil
		},
	}
}

// diagnosticsOf lists the coded diagnostics in err (or wraps err as one).
func diagnosticsOf(err error) []*schema.Error {
	if list := schema.List(err); len(list) > 0 {
		return list
	}
	return []*schema.Error{schema.Errorf(schema.CodeInternal, "", "", "%v", err)}
}

// terminal returns w when it is a terminal (progress output), else nil.
func terminal(w io.Writer) io.Writer {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return w
}

func inspectCommand() *cli.Command {
	return &cli.Command{
		Name:      "inspect",
		Usage:     "show a bundle's revision, roots, counts and signature status",
		ArgsUsage: "BUNDLE",
		Description: "Counts: principals, accounts in the organization, resources, distinct policies,\n" +
			"statements, and statements that need non-indexed matching (with their patterns).\n" +
			"With --verification-key the signature must be present and valid, or the exit status is 2.\n" +
			"Before OPA parses anything, signed or not, the archive is checked against --max-bundle-bytes\n" +
			"(uncompressed), --max-json-depth, --max-json-width and --max-json-elements (data.json,\n" +
			".manifest, .signatures.json); a bundle past one is refused (exit 2), and so is one that is not\n" +
			"self-consistent: its modules and callers must be what its documents and records compile to.",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "verification-key", Usage: "PEM public key `FILE` (or PEM text) the signature must verify with or, for HS*, the file holding the HMAC secret; a path that names no file is an error"},
			&cli.StringFlag{Name: "verification-secret", Usage: "HS* only: the HMAC secret as text, instead of --verification-key FILE (visible to other users in the process list)"},
			&cli.StringFlag{Name: "verification-alg", Value: "RS256", Usage: "the signing algorithm"},
			&cli.StringFlag{Name: "verification-key-id", Value: "iam2rego", Usage: "the key id"},
			&cli.StringFlag{Name: "format", Value: "pretty", Usage: "output format: pretty or json"},
		}, bundleLimitFlags()...),
		Action: func(c *cli.Context) error {
			format := c.String("format")
			if err := checkFormat(format); err != nil {
				return err
			}
			if c.NArg() != 1 {
				return failed(exitBadData, "inspect needs exactly one BUNDLE")
			}
			path := c.Args().First()
			b, verified, err := openBundle(path, c)
			if err != nil {
				return err
			}
			signed, err := bundles.HasSignature(path)
			if err != nil {
				return failed(exitBadData, "%s: %v", path, err)
			}
			return bundles.WriteSummary(c.App.Writer, bundles.Inspect(b, signed, verified), format)
		},
	}
}

func testCommand() *cli.Command {
	return &cli.Command{
		Name:      "test",
		Usage:     "run neutral-format cases that carry \"expect\" and report failures",
		ArgsUsage: "FILE...",
		Description: "Each case's decision (Allow, ImplicitDeny, ExplicitDeny, or \"error\" for a case\n" +
			"whose policies must be rejected) is compared with its \"expect\". Failing cases are\n" +
			"printed with their explanation, then \"N passed, M failed\".\n" +
			"Exit status: 0 all passed, 1 a case failed, 2 unreadable input.",
		Before: setPatternLimit,
		Flags: []cli.Flag{
			patternLimitFlag(),
			&cli.BoolFlag{Name: "no-rule-indexing", Usage: "switch OPA's rule index off"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return failed(exitBadData, "test needs at least one FILE")
			}
			var all []*cases.Case
			for _, file := range c.Args().Slice() {
				list, err := readCases(c.App.Reader, file)
				if err != nil {
					return err
				}
				all = append(all, list...)
			}
			results, err := cases.Run(c.Context, all, runOptions(c))
			if err != nil {
				return failed(exitBadData, "%v", err)
			}
			_, bad := cases.WriteTest(c.App.Writer, results)
			if bad > 0 {
				return failed(exitFailed, "")
			}
			return nil
		},
	}
}

func runOptions(c *cli.Context) cases.Options {
	var opts cases.Options
	if c.Bool("no-rule-indexing") {
		off := false
		opts.RuleIndexing = &off
	}
	return opts
}

func loadAndRun(c *cli.Context, file string) ([]cases.Result, error) {
	list, err := readCases(c.App.Reader, file)
	if err != nil {
		return nil, err
	}
	results, err := cases.Run(c.Context, list, runOptions(c))
	if err != nil {
		return nil, failed(exitBadData, "%v", err)
	}
	return results, nil
}

func readCases(stdin io.Reader, file string) ([]*cases.Case, error) {
	if file == "-" {
		list, err := cases.Load("<stdin>", stdin)
		if err != nil {
			return nil, failed(exitBadData, "%v", err)
		}
		return list, nil
	}
	f, err := schema.Open(file)
	if err != nil {
		return nil, failed(exitBadData, "%v", err)
	}
	defer f.Close()
	list, err := cases.Load(file, f)
	if err != nil {
		return nil, failed(exitBadData, "%v", err)
	}
	return list, nil
}

// checkFormat accepts the two output formats every command offers.
func checkFormat(format string) error {
	if format != "pretty" && format != "json" {
		return failed(exitBadData, "--format must be pretty or json, got %q", format)
	}
	return nil
}

func policyTypeList() string {
	names := make([]string, len(translator.PolicyTypes))
	for i, t := range translator.PolicyTypes {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

func parsePolicyType(s string) (translator.PolicyType, error) {
	for _, t := range translator.PolicyTypes {
		if string(t) == s {
			return t, nil
		}
	}
	return "", failed(exitBadData, "--type must be one of %s, got %q", policyTypeList(), s)
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// patternLimitFlag is --max-pattern-length, for the commands that compile
// policies (translator.MaxPatternChars).
func patternLimitFlag() cli.Flag {
	return &cli.IntFlag{Name: "max-pattern-length", Value: translator.DefaultMaxPatternChars,
		Usage: "the longest wildcard pattern (a policy string with * or ?) in characters; longer ones are input_too_large"}
}

// setPatternLimit applies --max-pattern-length (every run, so that runs in
// one process do not inherit each other's limit).
func setPatternLimit(c *cli.Context) error {
	translator.SetMaxPatternChars(c.Int("max-pattern-length"))
	return nil
}
