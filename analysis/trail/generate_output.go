package trail

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// WriteGeneratedJSON prints the policy, its Terraform and both checks as
// one JSON object.
func WriteGeneratedJSON(w io.Writer, g *Generated) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(g)
}

// WriteGeneratedPretty prints the IAM policy, the Terraform data source,
// and the results of both checks.
func WriteGeneratedPretty(w io.Writer, g *Generated) error {
	fmt.Fprintf(w, "# %s: %d calls AWS did not deny, %d distinct action and resource pairs\n", g.Role, g.Calls, g.Pairs)
	for _, n := range g.Widened {
		fmt.Fprintf(w, "# widened: %s\n", n)
	}
	text, err := json.MarshalIndent(g.Policy, "", "  ")
	if err != nil {
		return err
	}
	w.Write(text)
	fmt.Fprintf(w, "\n\n# Terraform\n%s\n", g.Terraform)
	r := g.Replay
	fmt.Fprintf(w, "# check 1, replay of the role's calls against a bundle using this policy: %d would break, %d agree, %d fidelity gaps, %d not compared\n",
		r.WouldBreak, r.Agree, r.FidelityGaps, r.NotCompared)
	for _, b := range r.Breaks {
		fmt.Fprintf(w, "#   would break: %s ×%d (%s: %s), first %s\n", b.Action, b.Count, b.Step, b.Reason, b.First)
	}
	d := g.Diff
	fmt.Fprintf(w, "# check 2, diff against the role's current policies: %d added, %d removed\n", len(d.Added), len(d.Removed))
	for _, a := range d.Added {
		fmt.Fprintf(w, "#   ADDED %s on %s%s\n", a.Action, a.Resource, contextSuffix(a.Context))
	}
	for i, a := range d.Removed {
		if i == 10 {
			fmt.Fprintf(w, "#   and %d more removed (--format json lists them)\n", len(d.Removed)-10)
			break
		}
		fmt.Fprintf(w, "#   removed %s on %s%s\n", a.Action, a.Resource, contextSuffix(a.Context))
	}
	if g.OK() {
		fmt.Fprintln(w, "# both checks hold")
	} else {
		fmt.Fprintln(w, "# a check FAILED")
	}
	return nil
}

func contextSuffix(ctx map[string]any) string {
	if len(ctx) == 0 {
		return ""
	}
	parts := []string{}
	for _, k := range sortedKeys(ctx) {
		parts = append(parts, fmt.Sprintf("%s=%v", k, ctx[k]))
	}
	return " with " + strings.Join(parts, ", ")
}
