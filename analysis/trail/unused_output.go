package trail

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// WriteUnusedJSON prints the report as indented JSON.
func WriteUnusedJSON(w io.Writer, r *UnusedReport) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteUnusedPretty prints one block per principal: unused as a whole, or
// its unused services and actions and the last use of the others.
func WriteUnusedPretty(w io.Writer, r *UnusedReport) error {
	fmt.Fprintf(w, "window %s to %s; %d calls read from %d files (%d records unmapped)\n", r.WindowStart, r.WindowEnd, r.Summary.Calls, r.Summary.Files, r.Summary.Records-r.Summary.Calls)
	for _, p := range r.Principals {
		last := "never in the logs"
		if p.LastActivity != "" {
			last = "last activity " + p.LastActivity
		}
		state := ""
		if p.Unused {
			state = ", UNUSED in the window"
		}
		fmt.Fprintf(w, "%s (%s): %d actions granted, %s%s\n", p.Principal, p.Kind, p.Granted, last, state)
		for _, s := range p.Services {
			used := len(s.UsedActions)
			switch {
			case s.Unused && s.LastAccessed == "":
				fmt.Fprintf(w, "  %s: unused, never accessed: %s\n", s.Service, listText(s.UnusedActions))
			case s.Unused:
				fmt.Fprintf(w, "  %s: unused in the window, last accessed %s\n", s.Service, s.LastAccessed)
			default:
				before := countUsedBefore(s)
				fmt.Fprintf(w, "  %s: last accessed %s; %d of %d actions used in the window\n", s.Service, s.LastAccessed, used-before, used+len(s.UnusedActions)-before)
				for _, a := range s.UsedActions {
					fmt.Fprintf(w, "    used   %s: last %s, %d calls in the window\n", a.Action, a.LastAccessed, a.Calls)
				}
				if len(s.UnusedActions) > 0 {
					fmt.Fprintf(w, "    unused %s\n", listText(s.UnusedActions))
				}
			}
		}
		for _, a := range p.UsedBeyondGrants {
			fmt.Fprintf(w, "  also used, not among the grants decided: %s, last %s, %d calls in the window\n", a.Action, a.LastAccessed, a.Calls)
		}
		if p.Truncated {
			fmt.Fprintln(w, "  (the granted actions were cut at access.MaxProbes requests)")
		}
	}
	return nil
}

// countUsedBefore counts the actions listed both as used (before the
// window) and unused (in it).
func countUsedBefore(s ServiceUsage) int {
	n := 0
	for _, a := range s.UsedActions {
		if a.Calls == 0 {
			n++
		}
	}
	return n
}

// maxListed bounds the actions a pretty line names; --format json lists
// them all.
const maxListed = 8

func listText(list []string) string {
	if len(list) <= maxListed {
		return strings.Join(list, ", ")
	}
	return fmt.Sprintf("%s and %d more (--format json lists them)", strings.Join(list[:maxListed], ", "), len(list)-maxListed)
}
