package lint

// holding is what one principal holds: the statements of its identity
// policies and of its permissions boundary. It says cheaply which methods
// cannot apply (mayTake); the engine decides the others (decide.go).
type holding struct {
	who    string // "role arn:...", or "" for a policy linted on its own
	arn    string // the principal of the bundle the engine decides for
	policy string // the label of a policy linted on its own
	// file and pointer locate the holder's policy linted on its own
	// (where a finding goes when no statement is cited).
	file, pointer string
	statements    []*stmt
	boundary      []*stmt
	hasBoundary   bool
}

// mayTake reports whether every step of a method may be allowed: some
// Allow matches its action (on a wildcard or every resource, for a step
// on another's resource), the boundary matches it, and no Deny on every
// resource without conditions does. Conditions, resource types and
// policy variables are left to the engine: this only skips the requests
// that cannot be allowed.
func (h *holding) mayTake(m *method) bool {
	for _, s := range m.Steps {
		if !h.mayHold(s.Action, s.Other) {
			return false
		}
	}
	return true
}

func (h *holding) mayHold(action string, other bool) bool {
	if !mayAllow(h.statements, action, other) {
		return false
	}
	return !h.hasBoundary || mayAllow(h.boundary, action, false)
}

// mayAllow reports whether an Allow of list matches the action (with
// other, on "*", NotResource or a pattern with a wildcard in its
// resource part) and no Deny on every resource without conditions does.
func mayAllow(list []*stmt, action string, other bool) bool {
	ok := false
	for _, s := range list {
		switch {
		case !s.grants(action):
		case s.allow():
			ok = ok || !other || s.anyResource || !s.HasResource || s.wildResource()
		case s.anyResource && len(s.Conditions) == 0:
			return false
		}
	}
	return ok
}

// wildResource reports a resource pattern with a wildcard in its
// resource part.
func (s *stmt) wildResource() bool {
	for _, r := range s.Resources {
		if wildName(r.Raw) {
			return true
		}
	}
	return false
}
