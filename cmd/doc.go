// Package cmd is the iam2rego command line: one file per command
// (validate.go, compile.go, eval.go, test.go, build.go, inspect.go,
// whocan.go, can.go, lint.go, diff.go), each parsing its flags and calling
// the package that does the work, and the shared pieces every command
// uses: the app and its exit codes (app.go), flag types and helpers
// (flags.go, bundle_flags.go), diagnostics on stderr (diagnostics.go).
//
// This is the only package that knows about flags, stdout and exit codes.
// The root's main.go calls Run.
package cmd
