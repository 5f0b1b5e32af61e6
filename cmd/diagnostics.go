package cmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/iam2rego/iam2rego/schema"
)

func reportDiagnostics(stdout, stderr io.Writer, all []*schema.Error, format string) error {
	schema.Sort(all)
	errs := 0
	for _, e := range all {
		if e.Severity == schema.SeverityError {
			errs++
		}
	}
	if format == "json" {
		if all == nil {
			all = []*schema.Error{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(map[string]any{"valid": errs == 0, "diagnostics": all}); err != nil {
			return err
		}
	} else {
		for _, e := range all {
			fmt.Fprintln(stderr, e.Error())
		}
	}
	if errs > 0 {
		return failed(exitBadData, "")
	}
	return nil
}

// diagnosticsOf lists the coded diagnostics in err (or wraps err as one).
func diagnosticsOf(err error) []*schema.Error {
	if list := schema.List(err); len(list) > 0 {
		return list
	}
	return []*schema.Error{schema.Errorf(schema.CodeInternal, "", "", "%v", err)}
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
