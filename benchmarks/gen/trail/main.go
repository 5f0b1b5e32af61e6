// Command trail writes a realistic CloudTrail stream for an account (package
// trailgen) to stdout or a file, in constant memory:
//
//	go run ./benchmarks/gen -seed 1 -principals 5000 -out /tmp/acct
//	go run ./benchmarks/gen/trail $(cat /tmp/acct/build-args) -bytes 1GB -out /tmp/trail.jsonl
//	iam2rego replay --bundle bundle.tar.gz --calls none /tmp/trail.jsonl
//
// It takes the account as `iam2rego build` does (--account-details,
// --org, --resource-policies). The same flags always write the same bytes.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/iam2rego/iam2rego/benchmarks/gen/trailgen"
	"github.com/iam2rego/iam2rego/translator/account"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(s string) error { *l = append(*l, s); return nil }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("trail", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var details, resources list
	fs.Var(&details, "account-details", "account export `FILE` (repeatable)")
	fs.Var(&resources, "resource-policies", "resource policies `FILE` or DIR (repeatable)")
	org := fs.String("org", "", "organization `FILE`")
	seed := fs.Uint64("seed", 1, "random seed")
	records := fs.Int("records", 0, "records to write")
	size := fs.String("bytes", "", "write at least this much: N, NKB, NMB or NGB")
	format := fs.String("format", "jsonl", "jsonl (CloudTrail Lake/Athena) or log ({\"Records\": [...]})")
	out := fs.String("out", "-", "output file, - for stdout")
	response := fs.Int("response-bytes", 0, "give each call a responseElements of about `N` bytes (Describe/List results)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	n, err := parseSize(*size)
	if err != nil || len(details) == 0 || (*records <= 0 && n <= 0) || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: trail --account-details FILE... [--org FILE] [--resource-policies FILE]... (-records N | -bytes SIZE) [-format jsonl|log] [-out FILE]")
		return 2
	}
	exp, err := account.Load(account.Inputs{AccountDetails: details, Org: *org, Resources: resources, MaxBytes: account.DefaultMaxInputBytes})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	w := stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		defer f.Close()
		w = f
	}
	st, err := trailgen.Write(w, exp, trailgen.Config{Seed: *seed, Records: *records, Bytes: n, Format: *format, ResponseBytes: *response})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	fmt.Fprintf(stderr, "wrote %d records (%d denied, %d not API calls), %d bytes\n", st.Records, st.Denied, st.Other, st.Bytes)
	return 0
}

func parseSize(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}} {
		if v, ok := strings.CutSuffix(strings.ToUpper(s), u.suffix); ok {
			s, mult = v, u.m
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return n * mult, nil
}
