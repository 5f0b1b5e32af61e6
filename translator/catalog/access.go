package catalog

import (
	"errors"
	"strings"
)

var errCorrupt = errors.New("service actions unsorted or access levels missing")

// Level is an action's access level, as the AWS service authorization
// reference gives it. Actions the reference lists as "Tagging, Write" or
// "Permissions management, Write" have the more specific level.
type Level string

// The access levels.
const (
	Read        Level = "Read"
	List        Level = "List"
	Write       Level = "Write"
	Tagging     Level = "Tagging"
	Permissions Level = "Permissions management"
)

var levelOf = map[byte]Level{'R': Read, 'L': List, 'W': Write, 'T': Tagging, 'P': Permissions}

// Action is one catalogued action.
type Action struct {
	// Name is "service:action", lower-cased.
	Name  string
	Level Level
	// ResourceLevel is false when the action names no resource type, so
	// that a policy can only grant it on "Resource": "*".
	ResourceLevel bool
}

// Lookup returns the catalogued action (case-insensitive; no wildcards).
func Lookup(action string) (Action, bool) {
	svc, name, ok := strings.Cut(lowerASCII(action), ":")
	if !ok {
		return Action{}, false
	}
	s, ok := load().services[svc]
	if !ok {
		return Action{}, false
	}
	i, ok := s.set[name]
	if !ok {
		return Action{}, false
	}
	return s.action(svc, i), true
}

func (s *service) action(prefix string, i int) Action {
	l := s.access[i]
	upper := l &^ ('a' - 'A')
	return Action{Name: prefix + ":" + s.actions[i], Level: levelOf[upper], ResourceLevel: l == upper}
}

// Expand returns every catalogued action that the IAM action pattern
// matches ("*", "service:*", "service:Get*", "service:*Object?"), in
// service then name order. A pattern that matches nothing, or names an
// unknown service, gives none.
func Expand(pattern string) []Action {
	c := load()
	p := lowerASCII(pattern)
	var out []Action
	if p == "*" {
		for _, pre := range c.prefixes {
			s := c.services[pre]
			for i := range s.actions {
				out = append(out, s.action(pre, i))
			}
		}
		return out
	}
	svc, name, ok := strings.Cut(p, ":")
	if !ok {
		return nil
	}
	for _, pre := range c.prefixes {
		if pre != svc && !(hasWildcard(svc) && wildMatch(svc, pre)) {
			continue
		}
		s := c.services[pre]
		for i, a := range s.actions {
			if wildMatch(name, a) {
				out = append(out, s.action(pre, i))
			}
		}
	}
	return out
}

// SupportsKey reports whether a condition key can be present in the
// request context of an action: every global key (aws:...) that the
// catalogue knows, and the service keys the reference lists for the action
// or its resource types (templated keys such as
// s3:ExistingObjectTag/<key> match any filled-in key). known is false when
// the action is not in the catalogue: then nothing can be said.
func SupportsKey(action, key string) (supported, known bool) {
	svc, name, ok := strings.Cut(lowerASCII(action), ":")
	if !ok {
		return false, false
	}
	s, ok := load().services[svc]
	if !ok {
		return false, false
	}
	if _, ok := s.set[name]; !ok {
		return false, false
	}
	k := lowerASCII(key)
	if strings.HasPrefix(k, "aws:") {
		_, ok := ConditionKeyType(k)
		return ok, true
	}
	for _, ak := range s.keys[name] {
		if ak == k {
			return true, true
		}
		if lits, ok := templateLiterals(ak); ok {
			t := keyTemplate{lits: lits}
			if t.match(k) {
				return true, true
			}
		}
	}
	return false, true
}
