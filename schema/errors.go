package schema

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/hashicorp/go-multierror"
)

// Severity says whether a diagnostic stops compilation.
type Severity string

const (
	// SeverityError rejects the input.
	SeverityError Severity = "error"
	// SeverityWarning is reported but does not reject the input.
	SeverityWarning Severity = "warning"
)

// Error is one diagnostic about an input file. Every diagnostic names the
// file, an RFC 6901 JSON pointer into that file, a stable code and a message.
type Error struct {
	Code     string   `json:"code"`
	File     string   `json:"file"`
	Pointer  string   `json:"pointer"`
	Message  string   `json:"message"`
	Severity Severity `json:"severity"`
	// Subject says what a finding is about, for tools that filter
	// findings (lint's suppressions and baseline); nil for diagnostics
	// about the input itself.
	Subject *Subject `json:"subject,omitempty"`
}

// Subject is what a lint finding is about: the policy (its name, ARN or
// file), the principal of a build it was decided for, and the actions and
// resource patterns it names (lower-cased actions).
type Subject struct {
	Policy    string   `json:"policy,omitempty"`
	Principal string   `json:"principal,omitempty"`
	Actions   []string `json:"actions,omitempty"`
	Resources []string `json:"resources,omitempty"`
}

// Error formats the diagnostic on one line: `file: /pointer: message (code)`.
func (e *Error) Error() string {
	ptr := e.Pointer
	if ptr == "" {
		ptr = "/"
	}
	prefix := ""
	if e.Severity == SeverityWarning {
		prefix = "warning: "
	}
	return fmt.Sprintf("%s: %s: %s%s (%s)", printable(e.File), printable(ptr), prefix, printable(e.Message), e.Code)
}

// printable escapes control and other non-printing characters, so that a
// diagnostic stays on one line and hostile input cannot forge another one.
func printable(s string) string {
	clean := true
	for _, r := range s {
		if !unicode.IsPrint(r) && r != ' ' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsPrint(r) || r == ' ' {
			b.WriteRune(r)
			continue
		}
		q := strconv.QuoteRune(r)
		b.WriteString(q[1 : len(q)-1])
	}
	return b.String()
}

// Errorf builds an error diagnostic.
func Errorf(code, file, pointer, format string, args ...any) *Error {
	return &Error{Code: code, File: file, Pointer: pointer, Message: fmt.Sprintf(format, args...), Severity: SeverityError}
}

// Warnf builds a warning diagnostic.
func Warnf(code, file, pointer, format string, args ...any) *Error {
	return &Error{Code: code, File: file, Pointer: pointer, Message: fmt.Sprintf(format, args...), Severity: SeverityWarning}
}

// Diagnostics collects errors and warnings while a stage runs.
type Diagnostics struct {
	list []*Error
}

// Add appends diagnostics; nil entries are ignored.
func (d *Diagnostics) Add(errs ...*Error) {
	for _, e := range errs {
		if e != nil {
			d.list = append(d.list, e)
		}
	}
}

// Merge appends every *Error found in err (a single *Error, a
// *multierror.Error or anything wrapping them). Other errors are kept with
// the code "internal_error".
func (d *Diagnostics) Merge(file string, err error) {
	if err == nil {
		return
	}
	var me *multierror.Error
	if errors.As(err, &me) {
		for _, e := range me.Errors {
			d.Merge(file, e)
		}
		return
	}
	var se *Error
	if errors.As(err, &se) {
		d.Add(se)
		return
	}
	d.Add(Errorf(CodeInternal, file, "", "%v", err))
}

// All returns every diagnostic, sorted by file, pointer, severity and code.
func (d *Diagnostics) All() []*Error {
	out := append([]*Error(nil), d.list...)
	Sort(out)
	return out
}

// Warnings returns the warnings, sorted.
func (d *Diagnostics) Warnings() []*Error {
	var out []*Error
	for _, e := range d.All() {
		if e.Severity == SeverityWarning {
			out = append(out, e)
		}
	}
	return out
}

// HasErrors reports whether any diagnostic is an error.
func (d *Diagnostics) HasErrors() bool {
	for _, e := range d.list {
		if e.Severity != SeverityWarning {
			return true
		}
	}
	return false
}

// Err returns the errors (not the warnings) as one *multierror.Error, or a
// nil error when there are none.
func (d *Diagnostics) Err() error {
	var me *multierror.Error
	for _, e := range d.All() {
		if e.Severity != SeverityWarning {
			me = multierror.Append(me, e)
		}
	}
	if me != nil {
		me.ErrorFormat = formatList
	}
	return me.ErrorOrNil()
}

// Sort orders diagnostics by file, pointer, severity, code and message.
func Sort(list []*Error) {
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Pointer != b.Pointer {
			return a.Pointer < b.Pointer
		}
		if a.Severity != b.Severity {
			return a.Severity < b.Severity
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.Message < b.Message
	})
}

// List extracts the diagnostics held in err, sorted. It returns nil when err
// holds none.
func List(err error) []*Error {
	var d Diagnostics
	if err == nil {
		return nil
	}
	var me *multierror.Error
	var se *Error
	if !errors.As(err, &me) && !errors.As(err, &se) {
		return nil
	}
	d.Merge("", err)
	return d.All()
}

// formatList prints one diagnostic per line, without a header, so that CLI
// output stays one line per problem.
func formatList(errs []error) string {
	lines := make([]string, len(errs))
	for i, e := range errs {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Pointer appends reference tokens to a JSON pointer, escaping "~" and "/"
// as RFC 6901 requires.
func Pointer(base string, tokens ...any) string {
	var b strings.Builder
	b.WriteString(base)
	for _, t := range tokens {
		b.WriteByte('/')
		s := fmt.Sprint(t)
		s = strings.ReplaceAll(s, "~", "~0")
		s = strings.ReplaceAll(s, "/", "~1")
		b.WriteString(s)
	}
	return b.String()
}
