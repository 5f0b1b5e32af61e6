package cmd

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

// Exit codes, as OPA's CLI uses them; exitCodes is their table in
// `iam2rego --help` (README.md, "Exit codes", says the same).
const (
	exitOK      = 0
	exitFailed  = 1 // failed tests, denials with --fail-on-deny, findings, new access
	exitBadData = 2 // bad input or usage
)

const exitCodes = `EXIT STATUS:
   0  done: a valid policy (warnings allowed), a written or inspected bundle, every case or
      request decided (whatever the decision), every test passed
   1  test: a case failed; eval --fail-on-deny: a decision was not Allow; lint: a finding at or
      above --fail-on (not suppressed, not in --baseline); diff --fail-on-new-access: new access, the probe bound was hit, or a
      planned value known only after apply (unless --terraform-allow-unknown); replay
      --fail-on-break: a call AWS allowed would be denied; generate: a check failed
   2  bad input or usage: an error diagnostic, an unreadable file, a bundle whose signature does
      not verify, a case or request that could not be decided, logs of which not one record
      could be read, a planned value known only after apply for build, lint or who-can (unless
      --terraform-allow-unknown), an unknown command or flag
`

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

func failed(code int, format string, args ...any) error {
	return &exitError{code: code, err: fmt.Errorf(format, args...)}
}

// Run executes the CLI on args (args[0] is the program name) and returns
// the exit code; main and the tests call it.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
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
	app := &cli.App{
		Name:           "iam2rego",
		Usage:          "compile AWS IAM policies to Rego and decide requests as AWS would",
		Version:        version(),
		Reader:         stdin,
		Writer:         stdout,
		ErrWriter:      stderr,
		ExitErrHandler: func(*cli.Context, error) {}, // never os.Exit inside the app
		// Repeated flags (--context, --account-details) keep commas:
		// context values and JSON arrays may hold them.
		DisableSliceFlagSeparator: true,
		CustomAppHelpTemplate:     cli.AppHelpTemplate + "\n" + exitCodes,
		OnUsageError:              usageError,
		Action:                    unknownCommand,
		// One row per command: its name, arguments, flags and action,
		// each in the command's own file; its help in help/NAME.txt.
		Commands: []*cli.Command{
			command("validate", "FILE...", validateFlags(), runValidate),
			command("compile", "FILE", compileFlags(), runCompile),
			command("eval", "", evalFlags(), runEval),
			command("test", "FILE...", testFlags(), runTest),
			command("build", "[DIR]", buildFlags(), runBuild),
			command("inspect", "BUNDLE", inspectFlags(), runInspect),
			command("who-can", "", whoCanFlags(), runWhoCan),
			command("can", "", canFlags(), runCan),
			command("lint", "[FILE|DIR|MANAGED-POLICY]...", lintFlags(), runLint),
			command("diff", "OLD NEW", diffFlags(), runDiff),
			command("replay", "LOG|DIR|-...", replayFlags(), runReplay),
			command("unused", "LOG|DIR|-...", unusedFlags(), runUnused),
			command("generate", "LOG|DIR...", generateFlags(), runGenerate),
		},
	}
	for _, c := range app.Commands {
		if c.Name == "lint" {
			c.Description += "\n\nRULES:\n" + ruleList()
		}
	}
	return app
}

// command assembles a command: its help (withHelp), its usage errors and
// argument checks (usageError, checkArgs), and --max-pattern-length
// applied before it runs when it compiles policies.
func command(name, args string, flags []cli.Flag, action cli.ActionFunc) *cli.Command {
	c := withHelp(&cli.Command{Name: name, ArgsUsage: args, Flags: flags, Action: action, OnUsageError: usageError})
	var before cli.BeforeFunc
	for _, f := range flags {
		if slices.Contains(f.Names(), patternLimitName) {
			before = setPatternLimit
		}
	}
	c.Before = checkArgs(requiredFlags(c), before)
	return c
}

// requiredFlags takes the Required mark off a command's flags and returns
// their names: checkArgs checks them instead, since urfave/cli prints
// the whole help when one is missing.
func requiredFlags(c *cli.Command) []string {
	var names []string
	for _, f := range c.Flags {
		if sf, ok := f.(*cli.StringFlag); ok && sf.Required {
			sf.Required = false
			sf.Usage += " (required)"
			names = append(names, "--"+sf.Name)
		}
	}
	return names
}

// unknownCommand is the app's action: without a command it prints the
// help; anything else is a command it does not have.
func unknownCommand(c *cli.Context) error {
	if c.NArg() == 0 {
		return cli.ShowAppHelp(c)
	}
	name := c.Args().First()
	return failed(exitBadData, "iam2rego: no command %q. %s (iam2rego --help lists the commands)", name, cli.SuggestCommand(c.App.Commands, name))
}

var (
	undefinedFlag = regexp.MustCompile(`^flag provided but not defined: -+(.*)$`)
	invalidValue  = regexp.MustCompile(`^invalid (?:value|boolean value) "(?:.*)" for flag -+([a-z0-9-]+): (.*)$`)
)

// usageError turns a flag the command does not have, or a value its flag
// refuses, into one line on stderr with a hint (exit 2), instead of
// urfave/cli's error and whole help on stdout.
func usageError(c *cli.Context, err error, _ bool) error {
	name := c.App.Name
	if c.Command != nil && c.Command.Name != "" && c.Command.Name != c.App.Name {
		name += " " + c.Command.Name
	}
	msg := err.Error()
	if m := undefinedFlag.FindStringSubmatch(msg); m != nil {
		var flags []cli.Flag
		if c.Command != nil {
			flags = c.Command.Flags
		}
		hint := ""
		if s := cli.SuggestFlag(flags, m[1], false); s != "" {
			hint = fmt.Sprintf(" Did you mean %s?", s)
		}
		return failed(exitBadData, "%s: no flag --%s.%s (%s --help lists the flags)", name, m[1], hint, name)
	}
	if m := invalidValue.FindStringSubmatch(msg); m != nil {
		msg = "--" + m[1] + " " + m[2]
	}
	return failed(exitBadData, "%s: %s (%s --help)", name, msg, name)
}

// checkArgs runs before a command's own Before: it refuses a missing
// required flag, and a flag written after a file name (urfave/cli stops
// reading flags at the first argument, so it would be taken for a file).
func checkArgs(required []string, before cli.BeforeFunc) cli.BeforeFunc {
	return func(c *cli.Context) error {
		var missing []string
		for _, name := range required {
			if !c.IsSet(strings.TrimPrefix(name, "--")) {
				missing = append(missing, name)
			}
		}
		if len(missing) > 0 {
			return failed(exitBadData, "iam2rego %s needs %s (iam2rego %s --help)", c.Command.Name, andList(missing), c.Command.Name)
		}
		args := c.Args().Slice()
		for i, a := range args {
			if i > 0 && len(a) > 1 && strings.HasPrefix(a, "-") {
				return failed(exitBadData, "iam2rego %s: %s comes after %s: put flags before the file names (a file whose name starts with - can be given as ./%s)",
					c.Command.Name, a, args[0], a)
			}
		}
		if before != nil {
			return before(c)
		}
		return nil
	}
}
