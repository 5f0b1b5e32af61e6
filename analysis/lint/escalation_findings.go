package lint

import (
	"maps"
	"slices"
	"strings"

	"github.com/iam2rego/iam2rego/schema"
)

// escalationFindings reports a holder's escalations: one finding per
// code and statement that allows the first step, listing the methods it
// starts (for escalations, each step's action with the pinned context and,
// in a build, the policy the engine cites; for the other codes, the
// actions). The requests themselves are in Report.Escalations.
func (r *runner) escalationFindings(h *holding, found []Escalation) {
	type group struct {
		at    Cited
		lines []string
		acts  []string
		res   []string
		code  string
	}
	var order []string
	groups := map[string]*group{}
	for _, e := range found {
		first := e.Steps[0]
		at := Cited{Policy: h.policy}
		if len(first.Statements) > 0 {
			at = first.Statements[0]
		}
		key := e.Code + "\x00" + at.File + "\x00" + at.Pointer
		g := groups[key]
		if g == nil {
			g = &group{at: at, code: e.Code}
			groups[key] = g
			order = append(order, key)
		}
		parts := make([]string, len(e.Steps))
		for i, s := range e.Steps {
			parts[i] = s.Action
			if c := s.Context; len(c) > 0 && i == 0 {
				for _, k := range sortedKeys(c) {
					if v, ok := c[k].(string); ok && (strings.EqualFold(k, "iam:PassedToService") || strings.EqualFold(k, "iam:PolicyARN")) {
						parts[i] += " with " + k + "=" + v
					}
				}
			}
			if h.who != "" && len(s.Statements) > 0 {
				parts[i] += " (" + s.Statements[0].Policy + ")"
			}
			g.acts = append(g.acts, s.Action)
			g.res = append(g.res, s.Resource)
		}
		// One request authorised on two resources (ssm:SendCommand on an
		// instance and a document) is one part.
		parts = slices.Compact(parts)
		if e.Code == CodeEscalationPath || e.Code == CodePrivilegeEscalation {
			g.lines = append(g.lines, e.Method+" ("+strings.Join(parts, " + ")+")")
		} else {
			g.lines = append(g.lines, strings.Join(parts, " + "))
		}
	}
	for _, key := range order {
		g := groups[key]
		who := "this policy"
		if h.who != "" {
			who = h.who
		}
		verb := map[string]string{
			CodePrivilegeEscalation: "can escalate privileges",
			CodeEscalationPath:      "can escalate privileges",
			CodeCredentialsExposure: "can obtain credentials",
			CodeDataExfiltration:    "can read data on every resource",
			CodeResourceExposure:    "can change who may use every resource",
		}[g.code]
		file, ptr := g.at.File, g.at.Pointer
		if s := r.stmtAt[file+"\x00"+ptr]; s != nil {
			ptr = s.pointer(s.actionsElement())
		}
		if file == "" {
			file, ptr = h.file, h.pointer
		}
		e := finding(g.code, file, ptr, "%s %s (decided by the engine): %s", who, verb, names(g.lines))
		e.Subject = &schema.Subject{Policy: g.at.Policy, Principal: h.subjectPrincipal(), Actions: uniqueSorted(g.acts), Resources: uniqueSorted(g.res)}
		r.findings.Add(e)
	}
}

// subjectPrincipal is the principal a finding is about: a build's user or
// role, none for a policy linted on its own.
func (h *holding) subjectPrincipal() string {
	if h.who == "" {
		return ""
	}
	return h.arn
}

func sortedKeys(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }

func uniqueSorted(list []string) []string {
	out := slices.Clone(list)
	slices.Sort(out)
	return slices.Compact(out)
}
