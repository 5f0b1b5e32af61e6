package lint

import (
	"fmt"
	"github.com/iam2rego/iam2rego/analysis/kernel"
	"io"
	"slices"
	"strings"

	"github.com/iam2rego/iam2rego/schema"
)

// MarkdownRows bounds the rows of each Markdown table (a job summary is
// limited in size); the rest are counted.
const MarkdownRows = 100

// WriteMarkdown prints the report as a Markdown summary for a pull
// request comment or a CI job summary ($GITHUB_STEP_SUMMARY): the counts,
// a table of findings per rule, the findings (new ones first when a
// baseline was given), the suppressed findings with their reasons, and
// the input errors.
func WriteMarkdown(w io.Writer, r *Report) error {
	fmt.Fprintf(w, "## iam2rego lint\n\n")
	fmt.Fprintf(w, "**%d findings** (%s) in %d policies", len(r.Findings), countBySeverity(r.Findings), r.Policies)
	if r.Principals > 0 {
		fmt.Fprintf(w, " and %d principals", r.Principals)
	}
	if r.Baseline != nil {
		fmt.Fprintf(w, "; **%d new**, %d in the baseline", r.newCount(), len(r.Findings)-r.newCount())
	}
	fmt.Fprintf(w, "; %d suppressed", len(r.Suppressed))
	if len(r.Errors) > 0 {
		fmt.Fprintf(w, "; **%d input errors**", len(r.Errors))
	}
	fmt.Fprintf(w, ".\n\n")
	if len(r.Findings) > 0 {
		fmt.Fprintf(w, "| rule | severity | findings |\n| --- | --- | --- |\n")
		for _, c := range byRule(r.Findings) {
			fmt.Fprintf(w, "| %s | %s | %d |\n", kernel.MarkdownCode(c.code), c.severity, c.n)
		}
		fmt.Fprintln(w)
		list := slices.Clone(r.Findings)
		slices.SortStableFunc(list, func(a, b *schema.Error) int { return newFirst(r.isNew(a), r.isNew(b)) })
		header := "### Findings\n\n| severity | rule | file | pointer | message |\n| --- | --- | --- | --- | --- |\n"
		mdTable(w, header, len(list), func(i int) string {
			f, sev := list[i], string(list[i].Severity)
			if !r.isNew(f) {
				sev += " (baseline)"
			}
			return fmt.Sprintf("| %s | %s | %s | %s | %s |", sev, kernel.MarkdownCode(f.Code), kernel.MarkdownCode(f.File), kernel.MarkdownCode(pointerOf(f)), kernel.MarkdownCell(f.Message))
		})
	}
	if len(r.Suppressed) > 0 {
		header := "### Suppressed\n\n| rule | file | pointer | reason |\n| --- | --- | --- | --- |\n"
		mdTable(w, header, len(r.Suppressed), func(i int) string {
			s := r.Suppressed[i]
			return fmt.Sprintf("| %s | %s | %s | %s |", kernel.MarkdownCode(s.Finding.Code), kernel.MarkdownCode(s.Finding.File), kernel.MarkdownCode(pointerOf(s.Finding)), kernel.MarkdownCell(s.By.Reason))
		})
	}
	if len(r.Errors) > 0 {
		fmt.Fprintf(w, "### Input errors\n\n")
		for _, e := range r.Errors {
			fmt.Fprintf(w, "- %s at %s: %s (%s)\n", kernel.MarkdownCode(e.File), kernel.MarkdownCode(pointerOf(e)), kernel.MarkdownCell(e.Message), kernel.MarkdownCode(e.Code))
		}
		fmt.Fprintln(w)
	}
	return nil
}

// mdTable prints a table of n rows, at most MarkdownRows of them.
func mdTable(w io.Writer, header string, n int, row func(int) string) {
	fmt.Fprint(w, header)
	for i := 0; i < n; i++ {
		if i == MarkdownRows {
			fmt.Fprintf(w, "\n… and %d more (the JSON and SARIF formats list them all).\n", n-i)
			break
		}
		fmt.Fprintln(w, row(i))
	}
	fmt.Fprintln(w)
}

type ruleCount struct {
	code     string
	severity schema.Severity
	n        int
}

// byRule counts findings per rule and severity, most first.
func byRule(list []*schema.Error) []ruleCount {
	var out []ruleCount
	for _, f := range list {
		i := slices.IndexFunc(out, func(c ruleCount) bool { return c.code == f.Code && c.severity == f.Severity })
		if i < 0 {
			out = append(out, ruleCount{code: f.Code, severity: f.Severity})
			i = len(out) - 1
		}
		out[i].n++
	}
	slices.SortStableFunc(out, func(a, b ruleCount) int {
		if a.n != b.n {
			return b.n - a.n
		}
		return strings.Compare(a.code, b.code)
	})
	return out
}

// newFirst orders a new finding before one in the baseline.
func newFirst(aNew, bNew bool) int {
	switch {
	case aNew == bNew:
		return 0
	case aNew:
		return -1
	}
	return 1
}
