package diff

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
)

// WriteJSON prints the report as one indented JSON object.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WritePretty prints the new access, then the removed access, one line
// per (principal, action, resource) with its context and statements, and
// a summary line.
func WritePretty(w io.Writer, r *Report) error {
	section := func(title string, list []Access) {
		fmt.Fprintf(w, "%s (%d):\n", title, len(list))
		for _, a := range list {
			outside := ""
			if a.External != "" {
				outside = " (" + a.External + ", outside the account)"
			}
			fmt.Fprintf(w, "  %s%s  %s  %s%s%s\n", a.Principal, outside, a.Action, a.Resource, contextText(a.Context), tagText(a.ResourceTags))
			for _, g := range a.Statements {
				fmt.Fprintf(w, "      %s\n", g.describe())
			}
		}
	}
	section("new access", r.Added)
	section("removed access", r.Removed)
	if len(r.Policies) > 0 {
		fmt.Fprintf(w, "policies named above by their first %d uses or places (%d):\n", maxListed, len(r.Policies))
		for _, name := range slices.Sorted(maps.Keys(r.Policies)) {
			u := r.Policies[name]
			fmt.Fprintf(w, "  %s: %d uses: %s\n", name, len(u.Names), strings.Join(u.Names, ", "))
			for _, s := range u.Sources {
				fmt.Fprintf(w, "      read at %s: %s\n", s.File, s.Pointer)
			}
		}
	}
	if len(r.Unknown) > 0 {
		fmt.Fprintf(w, "known only after apply, left out of NEW (%d):\n", len(r.Unknown))
		for _, u := range r.Unknown {
			fmt.Fprintf(w, "  %s\n", u.Error())
		}
	}
	s := r.Stats
	fmt.Fprintf(w, "%d principals (%d unchanged), %d actions (%d with the same statements, %d decided as their class), %d probes (bound %d)\n",
		s.Principals, s.Unchanged, s.Actions, s.SameStatements, s.Represented, s.Probes, s.MaxProbes)
	if s.Truncated {
		fmt.Fprintf(w, "incomplete: the probe bound %d was hit; raise --max-probes\n", s.MaxProbes)
	}
	return nil
}

// describe names a statement: Sid or index, policy, where it is used and
// where it was read.
func (g Grant) describe() string {
	id := fmt.Sprintf("statement %d", g.Index)
	if g.Sid != "" {
		id = fmt.Sprintf("Sid %q", g.Sid)
	}
	where := g.Policy
	if len(g.Names) > 0 {
		where = strings.Join(g.Names, ", ")
	}
	if g.Uses > len(g.Names) {
		where += fmt.Sprintf(" and %d more uses of %s", g.Uses-len(g.Names), g.Policy)
	}
	out := fmt.Sprintf("%s %s of %s (%s)", g.Effect, id, where, g.Type)
	for _, s := range g.Sources {
		out += fmt.Sprintf(" at %s: %s", s.File, s.Pointer)
	}
	if g.SourceCount > len(g.Sources) {
		out += fmt.Sprintf(" and %d more places", g.SourceCount-len(g.Sources))
	}
	return out
}

func contextText(c map[string]any) string {
	if len(c) == 0 {
		return ""
	}
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		v, _ := json.Marshal(c[k])
		parts[i] = k + "=" + string(v)
	}
	return "  with " + strings.Join(parts, " ")
}

func tagText(tags map[string]string) string {
	if len(tags) == 0 {
		return ""
	}
	parts := []string{}
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		parts = append(parts, k+"="+tags[k])
	}
	return "  tagged " + strings.Join(parts, " ")
}
