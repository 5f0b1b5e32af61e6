package lint

import (
	"strings"

	"github.com/iam2rego/iam2rego/schema"
)

// holding is what one principal holds: the statements of its identity
// policies and of its permissions boundary.
type holding struct {
	who         string // "role arn:...", or "" for a single policy
	statements  []*stmt
	boundary    []*stmt
	hasBoundary bool
}

// holds returns an Allow statement that gives the action, nil when none
// does, a Deny on every resource without conditions takes it away, or the
// boundary does not allow it. With wild, the Allow must be on a wildcard
// resource.
func (h *holding) holds(action string, wild bool) *stmt {
	if !allowed(h.statements, action, wild) {
		return nil
	}
	if h.hasBoundary && !allowed(h.boundary, action, false) {
		return nil
	}
	for _, s := range h.statements {
		if s.allow() && s.grants(action) && s.reachesAction(action, wild) {
			return s
		}
	}
	return nil
}

// allowed reports whether some Allow of list grants action on resources of
// its service (with wild, on a wildcard) and no unconditional Deny on
// every resource denies it.
func allowed(list []*stmt, action string, wild bool) bool {
	ok := false
	for _, s := range list {
		switch {
		case !s.grants(action):
		case s.allow():
			ok = ok || s.reachesAction(action, wild)
		case s.anyResource && len(s.Conditions) == 0:
			return false
		}
	}
	return ok
}

// checkPaths reports the escalation paths the holding completes: one
// finding for each statement granting iam:PassRole, naming every path it
// completes and the policies that grant the other actions.
func checkPaths(h *holding, d *schema.Diagnostics) {
	var order []*stmt
	completed := map[*stmt][]string{}
	for _, path := range escalationPaths {
		var via []*stmt
		for i, action := range path {
			s := h.holds(action, i == 0)
			if s == nil {
				via = nil
				break
			}
			via = append(via, s)
		}
		if via == nil {
			continue
		}
		parts := make([]string, len(path)-1)
		for i, a := range path[1:] {
			parts[i] = a
			if h.who != "" {
				parts[i] += " (" + via[i+1].label + ")"
			}
		}
		if completed[via[0]] == nil {
			order = append(order, via[0])
		}
		completed[via[0]] = append(completed[via[0]], strings.Join(parts, " + "))
	}
	for _, first := range order {
		who := "this policy grants iam:PassRole"
		if h.who != "" {
			who = h.who + " holds iam:PassRole (" + first.label + ")"
		}
		d.Add(finding(CodeEscalationPath, first.file, first.pointer(first.actionsElement()),
			"privilege escalation: %s with %s: it can run code as any role it may pass", who, strings.Join(completed[first], "; with ")))
	}
}
