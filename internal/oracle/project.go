package oracle

import (
	"bytes"
	"context"
	"fmt"

	"github.com/iam2rego/iam2rego/rego/cases"
)

// Decided is iam2rego's answer to the cases of one input, as
// `iam2rego eval --cases` gives it.
type Decided struct {
	Cases    []*cases.Case
	Outcomes []string // Allow, ImplicitDeny, ExplicitDeny, or "error"
}

// Decide decides JSON Lines cases the way `iam2rego eval --cases` does
// (rego/cases: every distinct policy compiled once, one prepared engine).
// file names the input in error messages.
func Decide(ctx context.Context, file string, data []byte) (*Decided, error) {
	list, err := cases.Load(file, bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	results, err := cases.Run(ctx, list, cases.Options{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	d := &Decided{Cases: list}
	for _, r := range results {
		d.Outcomes = append(d.Outcomes, r.Outcome())
	}
	return d, nil
}
