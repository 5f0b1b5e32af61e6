package cmd

import (
	"fmt"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/internal/progress"
	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/urfave/cli/v2"
)

// buildFlags are the flags of `iam2rego build` (help/build.txt says what it does).
func buildFlags() []cli.Flag {
	return append([]cli.Flag{
		patternLimitFlag(),
		&cli.StringSliceFlag{Name: "account-details", Usage: "account export `FILE` (repeatable)"},
		&cli.StringFlag{Name: "org", Usage: "organization `FILE` (translator/account/FORMATS.md)"},
		&cli.StringSliceFlag{Name: "resource-policies", Usage: "resource policies `FILE` or DIR (repeatable)"},
		&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "bundle.tar.gz", Usage: "bundle `FILE` to write"},
		&cli.StringFlag{Name: "signing-key", Usage: "sign with this PEM private key `FILE` (RS*, PS*, ES*), or the file holding the HMAC secret (HS*); a path that names no file is an error"},
		&cli.StringFlag{Name: "signing-secret", Usage: "HS* only: the HMAC secret as text, instead of --signing-key FILE (visible to other users in the process list)"},
		&cli.StringFlag{Name: "signing-alg", Value: "RS256", Usage: "RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, HS256, HS384 or HS512"},
		&cli.StringFlag{Name: "signing-key-id", Value: "iam2rego", Usage: "key id (kid) in the signature"},
		&cli.BoolFlag{Name: "warnings", Usage: "list every warning (by default only their number is printed)"},
		&cli.Int64Flag{Name: "max-input-bytes", Value: account.DefaultMaxInputBytes, Usage: "refuse to read more than `N` bytes over all inputs (each file is also bounded by 64 MiB)"},
		&cli.IntFlag{Name: "max-context-value-length", Usage: "the longest request context value (or list member) the bundle accepts, in characters; longer ones deny with an input error (default 65536)"},
		formatFlag("pretty", "json"),
	}, terraformFlags()...)
}

// runBuild is `iam2rego build`.
func runBuild(c *cli.Context) error {
	in, err := buildInputs(c)
	if err != nil {
		return err
	}
	format := formatOf(c)
	signing := bundles.Signing{Key: c.String("signing-key"), Secret: c.String("signing-secret"), Algorithm: c.String("signing-alg"), KeyID: c.String("signing-key-id")}
	sign := signing.Key != "" || signing.Secret != ""
	if sign {
		if err := signing.Check(); err != nil {
			return failed(exitBadData, "%v", err)
		}
	}
	exp, err := loadExport(c, in, format)
	if err != nil {
		return err
	}
	defer limitBuildMemory(exp.InputBytes)()
	bar := progress.New(progress.Terminal(c.App.ErrWriter), "compiling policies", 0)
	res, err := bundles.Build(exp, bundles.Options{
		Progress:         func(done, total int) { bar.Set(int64(done), int64(total)) },
		TextOnly:         true,
		ReleaseDocuments: true, MaxContextValueChars: c.Int("max-context-value-length"),
	})
	bar.Done()
	if err != nil {
		return reportDiagnostics(c.App.Writer, c.App.ErrWriter, diagnosticsOf(err), format)
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
	sum := buildSummary{Output: out, Revision: res.Bundle.Manifest.Revision, Signed: sign, Stats: res.Stats, Warnings: res.Warnings}
	if format == "json" {
		if sum.Warnings == nil {
			sum.Warnings = []*schema.Error{}
		}
		return writeIndented(c.App.Writer, sum)
	}
	if c.Bool("warnings") {
		for _, w := range res.Warnings {
			fmt.Fprintln(c.App.ErrWriter, w.Error())
		}
	} else if n := len(res.Warnings); n > 0 {
		fmt.Fprintf(c.App.ErrWriter, "%d warnings (list them with --warnings)\n", n)
	}
	st := res.Stats
	fmt.Fprintf(c.App.ErrWriter, "wrote %s: revision %s, %d principals, %d policies, %d statements (%d not indexed)\n",
		out, sum.Revision, st.Principals, st.Policies, st.Statements, st.Unindexed)
	return nil
}

// buildSummary is build's --format json output.
type buildSummary struct {
	Output   string `json:"output"`
	Revision string `json:"revision"`
	Signed   bool   `json:"signed"`
	bundles.Stats
	Warnings []*schema.Error `json:"warnings"`
}

// buildInputs reads the input flags and the DIR argument of build.
func buildInputs(c *cli.Context) (account.Inputs, error) {
	in := account.Inputs{
		AccountDetails: c.StringSlice("account-details"),
		Org:            c.String("org"),
		Resources:      c.StringSlice("resource-policies"),
		MaxBytes:       c.Int64("max-input-bytes"),
	}
	if in.MaxBytes <= 0 {
		return in, failed(exitBadData, "--max-input-bytes must be positive")
	}
	switch c.NArg() {
	case 0:
	case 1:
		in.Folder = c.Args().First()
	default:
		return in, failed(exitBadData, "build takes at most one DIR")
	}
	if in.Folder == "" && len(in.AccountDetails) == 0 && c.String("terraform-plan") == "" {
		return in, failed(exitBadData, "build needs --account-details FILE, a folder DIR or --terraform-plan FILE")
	}
	return in, nil
}
