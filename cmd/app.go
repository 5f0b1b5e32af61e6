package cmd

import (
	"errors"
	"fmt"
	"io"

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
