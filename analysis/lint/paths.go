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
	extra         []*method // the resource exposures (candidates), once
	extraDone     bool
}

// candidates are the methods decided for the holding: the catalogue's,
// and one resource exposure per permissions-management action its Allow
// statements grant on every resource (stmt.exposed).
func (h *holding) candidates() []*method {
	if !h.extraDone {
		h.extraDone = true
		var acts []string
		for _, s := range h.statements {
			acts = append(acts, s.exposed()...)
		}
		for _, a := range uniqueSorted(acts) {
			h.extra = append(h.extra, &method{ID: "exposure-" + a, Code: CodeResourceExposure, Name: "change who may use any resource",
				Source: srcExposure, Steps: []step{{Action: a, Every: true}}})
		}
	}
	out := make([]*method, 0, len(methods)+len(h.extra))
	for i := range methods {
		out = append(out, &methods[i])
	}
	return append(out, h.extra...)
}

// sources says where the holding's documents were read, by content
// name: its own copy of a text other holders (or files) share.
func (h *holding) sources() map[string]source {
	out := map[string]source{}
	for _, list := range [][]*stmt{h.statements, h.boundary} {
		for _, s := range list {
			if _, seen := out[s.doc]; !seen && s.doc != "" {
				out[s.doc] = source{file: s.file, base: s.base, label: s.label}
			}
		}
	}
	return out
}

// mayTake reports whether every step of a method may be allowed: some
// Allow matches its action (on a wildcard or every resource, for a step
// on another's resource), the boundary matches it, and no Deny on every
// resource ("Resource": "*", not NotResource) without conditions does. Conditions, resource types and
// policy variables are left to the engine: this only skips the requests
// that cannot be allowed.
func (h *holding) mayTake(m *method) bool {
	for _, s := range m.Steps {
		if !h.mayHold(s) {
			return false
		}
	}
	return true
}

func (h *holding) mayHold(st step) bool {
	if !mayAllow(h.statements, st) {
		return false
	}
	return !h.hasBoundary || mayAllow(h.boundary, step{Action: st.Action})
}

// mayAllow reports whether an Allow of list matches the step's action
// (on "*", NotResource or a pattern with a wildcard in its resource part
// for a step on another's resource; a pattern whose resource part is
// only wildcards for a step on every resource) and no Deny on every
// resource ("Resource": "*", not NotResource) without conditions does.
func mayAllow(list []*stmt, st step) bool {
	ok := false
	for _, s := range list {
		switch {
		case !s.grants(st.Action):
		case s.allow():
			wide := s.anyResource || !s.HasResource
			ok = ok || wide || (st.Every && s.everyResource()) || (!st.Every && (!st.Other || st.Self || s.wildResource()))
		case s.anyResource && !s.NotResource && len(s.Conditions) == 0:
			return false
		}
	}
	return ok
}

// everyResource reports a resource pattern whose resource part is only
// wildcards.
func (s *stmt) everyResource() bool {
	for _, r := range s.Resources {
		if everyName(r.Raw) {
			return true
		}
	}
	return false
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
