package diff

import (
	"fmt"
	"github.com/iam2rego/iam2rego/analysis/kernel"
	"io"
	"strings"
)

// MarkdownRows bounds the rows of each Markdown table (a job summary is
// limited in size); the rest are counted.
const MarkdownRows = 100

// WriteMarkdown prints the report as a Markdown summary for a pull
// request or a CI job summary ($GITHUB_STEP_SUMMARY): counts, then a
// table of the new access with the statements that grant it, what a
// Terraform plan leaves unknown until apply, and the removed access.
func WriteMarkdown(w io.Writer, r *Report) error {
	fmt.Fprintf(w, "## iam2rego diff\n\n")
	fmt.Fprintf(w, "%s: **%d new access**, %d removed", kernel.MarkdownCode(r.Old+" → "+r.New), len(r.Added), len(r.Removed))
	if len(r.Unknown) > 0 {
		fmt.Fprintf(w, ", **%d values known only after apply**", len(r.Unknown))
	}
	fmt.Fprintf(w, ".\n\n")
	table := func(title string, list []Access) {
		if len(list) == 0 {
			return
		}
		fmt.Fprintf(w, "### %s\n\n| principal | action | resource | context | granted by |\n| --- | --- | --- | --- | --- |\n", title)
		for i, a := range list {
			if i == MarkdownRows {
				fmt.Fprintf(w, "\n… and %d more (the JSON and SARIF formats list them all).\n", len(list)-i)
				break
			}
			who := kernel.MarkdownCode(a.Principal)
			if a.External != "" {
				who += " (" + a.External + ", outside the account)"
			}
			grants := make([]string, len(a.Statements))
			for i, g := range a.Statements {
				grants[i] = kernel.MarkdownCell(g.describe())
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", who, kernel.MarkdownCode(a.Action), kernel.MarkdownCode(a.Resource),
				kernel.MarkdownCell(strings.TrimPrefix(contextText(a.Context), "  with ")), strings.Join(grants, "<br>"))
		}
		fmt.Fprintln(w)
	}
	table("New access", r.Added)
	if len(r.Unknown) > 0 {
		fmt.Fprintf(w, "### Known only after apply\n\nThese planned changes are left out of NEW; no guard passes over them.\n\n")
		for _, u := range r.Unknown {
			fmt.Fprintf(w, "- %s at %s: %s\n", kernel.MarkdownCode(u.File), kernel.MarkdownCode(u.Pointer), kernel.MarkdownCell(u.Message))
		}
		fmt.Fprintln(w)
	}
	table("Removed access", r.Removed)
	s := r.Stats
	fmt.Fprintf(w, "<sub>%d principals (%d unchanged), %d actions, %d probes (bound %d)", s.Principals, s.Unchanged, s.Actions, s.Probes, s.MaxProbes)
	if s.Truncated {
		fmt.Fprintf(w, "; **incomplete: the probe bound was hit**")
	}
	fmt.Fprintf(w, "</sub>\n")
	return nil
}
