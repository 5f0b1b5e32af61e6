// Command gen writes catalog.json.gz, the embedded AWS service
// authorization catalogue of package catalog, from the corpus snapshot
// iam-actions.json. It is run by "go generate" in translator/catalog:
//
//	go run ./internal/gen -in ../../../shared/corpus/iam-actions.json -out catalog.json.gz
//
// The output is deterministic: re-running on the same input with the same
// Go toolchain gives a byte-identical file.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/iam2rego/iam2rego/translator/catalog/internal/builder"
)

func main() {
	in := flag.String("in", "", "path to iam-actions.json")
	out := flag.String("out", "catalog.json.gz", "output file")
	flag.Parse()
	if *in == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: gen -in iam-actions.json [-out catalog.json.gz]")
		os.Exit(2)
	}
	if err := builder.GenerateFile(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
