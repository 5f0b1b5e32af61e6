// Command gen writes a generated organization (package accountgen) to a
// directory, in the formats `iam2rego build` reads:
//
//	go run ./benchmarks/gen -seed 1 -principals 5000 -out DIR
//	./bin/iam2rego build $(cat DIR/build-args) -o bundle.tar.gz
//
// The same flags always write the same bytes.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/iam2rego/iam2rego/benchmarks/gen/accountgen"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	seed := fs.Uint64("seed", 1, "random seed; the same seed and sizes give the same files")
	principals := fs.Int("principals", 100, "IAM users and roles over all member accounts")
	accounts := fs.Int("accounts", 0, "member accounts holding them (0: one per started thousand principals)")
	coverage := fs.Float64("coverage", 0, "share of the 1,594 AWS managed policies attached somewhere (0: principals/5000, at most 1)")
	omit := fs.Bool("omit-aws-managed", false, "leave AWS managed policies out of the exports' Policies lists (resolved from iam2rego's snapshot)")
	out := fs.String("out", "", "output directory (required)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: gen -seed N -principals N [-accounts N] [-coverage F] [-omit-aws-managed] -out DIR")
		return 2
	}
	set, err := accountgen.Generate(accountgen.Config{Seed: *seed, Principals: *principals, Accounts: *accounts, Coverage: *coverage, OmitAWSManaged: *omit})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	files, err := set.Write(*out)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	args = files.Args()
	if err := os.WriteFile(*out+"/build-args", []byte(strings.Join(args, " ")+"\n"), 0o644); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	stmts := make([]int, len(set.Principals))
	for i, p := range set.Principals {
		stmts[i] = p.Statements
	}
	sort.Ints(stmts)
	fmt.Fprintf(stdout, "%d principals in %d accounts, %d AWS managed policies attached; statements per principal: median %d, p99 %d, max %d\n",
		len(set.Principals), len(set.Accounts), len(set.AttachedAWSManaged()), stmts[len(stmts)/2], stmts[(len(stmts)*99+99)/100-1], stmts[len(stmts)-1])
	fmt.Fprintf(stdout, "wrote %s\nbuild with: iam2rego build %s -o bundle.tar.gz\n", *out, strings.Join(args, " "))
	return 0
}
