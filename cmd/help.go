package cmd

import (
	"embed"
	"strings"

	"github.com/urfave/cli/v2"
)

// help holds each command's help text, help/<command>.txt: its one-line
// summary, a blank line, then the description `iam2rego CMD --help`
// prints; a first paragraph whose lines start with "iam2rego " is the
// command's synopsis instead of the generated one. Plain text, so that it reads as it prints and is kept true to
// the code like the README.
//
//go:embed help/*.txt
var help embed.FS

// withHelp gives a command the summary and description of its help file.
func withHelp(c *cli.Command) *cli.Command {
	text, err := help.ReadFile("help/" + c.Name + ".txt")
	if err != nil {
		panic("cmd: no help/" + c.Name + ".txt: " + err.Error()) // a build mistake, caught by every test
	}
	usage, desc, _ := strings.Cut(strings.TrimRight(string(text), "\n"), "\n\n")
	if synopsis, rest, ok := strings.Cut(desc, "\n\n"); ok && strings.HasPrefix(synopsis, "iam2rego ") {
		c.UsageText, desc = synopsis, rest
	}
	c.Usage, c.Description = usage, desc
	return c
}
