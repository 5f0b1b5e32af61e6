// Command gen writes policies.jsonl.gz, the embedded AWS managed policy
// snapshot of package managed, from the corpus file managed-policies.jsonl.
// It is run by "go generate" in translator/managed:
//
//	go run ./internal/gen -in ../../../shared/corpus/managed-policies.jsonl -out policies.jsonl.gz
//
// The output is deterministic: re-running on the same input with the same
// Go toolchain gives a byte-identical file.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/iam2rego/iam2rego/translator/managed/internal/builder"
)

func main() {
	in := flag.String("in", "", "path to managed-policies.jsonl")
	out := flag.String("out", "policies.jsonl.gz", "output file")
	flag.Parse()
	if *in == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: gen -in managed-policies.jsonl [-out policies.jsonl.gz]")
		os.Exit(2)
	}
	if err := builder.GenerateFile(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
