// Command iam2rego compiles AWS IAM policies to Rego and decides requests
// exactly as AWS IAM would. The commands live in package cmd, one file
// per command.
package main

import (
	"os"

	"github.com/iam2rego/iam2rego/cmd"
)

func main() {
	os.Exit(cmd.Run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}
