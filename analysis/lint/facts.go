package lint

import (
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/iam2rego/iam2rego/translator"
	"github.com/iam2rego/iam2rego/translator/catalog"
)

// allActions is the whole catalogue, sorted by name, shared read-only.
var allActions = sync.OnceValue(func() []catalog.Action {
	list := catalog.Expand("*")
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	return list
})

// stmt is a statement with what lint derives from it once: the catalogued
// actions it matches (wildcards expanded; for NotAction, every other
// action) and how broad its resources are.
type stmt struct {
	*translator.Statement
	file, base string // the document's file and pointer prefix
	label      string // the document, for messages about combinations
	doc        string // the document's content name (the bundle's policy name)
	// The statement matches the catalogued actions in listed, or (with
	// NotAction) every action but those; all is "Action": "*" or
	// "NotAction": "*". Large sets stay implicit, so that a statement
	// costs no more than its own patterns.
	listed map[string]catalog.Action
	all    bool
	// anyResource: "Resource": "*" or NotResource (every resource but a
	// few).
	anyResource bool
}

func newStmt(st *translator.Statement, file, base, label string) *stmt {
	s := &stmt{Statement: st, file: file, base: base, label: label, listed: map[string]catalog.Action{}}
	for _, a := range st.Actions {
		if a.Raw == "*" {
			s.all = true
			continue
		}
		for _, x := range catalog.Expand(a.Raw) {
			s.listed[x.Name] = x
		}
	}
	s.anyResource = st.NotResource
	for _, r := range st.Resources {
		s.anyResource = s.anyResource || r.Raw == "*"
	}
	return s
}

func (s *stmt) allow() bool { return s.Effect == translator.Allow }

// grants reports whether the statement matches an action (lower-cased).
func (s *stmt) grants(action string) bool {
	if s.all {
		return !s.NotAction
	}
	_, ok := s.listed[action]
	return ok != s.NotAction
}

// count is the number of catalogued actions the statement matches.
func (s *stmt) count() int {
	switch {
	case s.all && s.NotAction:
		return 0
	case s.all:
		return len(allActions())
	case s.NotAction:
		return len(allActions()) - len(s.listed)
	}
	return len(s.listed)
}

// pointer is a JSON pointer into the file: the document's prefix and the
// statement's pointer (or that of one of its elements).
func (s *stmt) pointer(elem string) string {
	if elem == "" {
		return s.base + s.Pointer
	}
	return s.base + s.Pointer + "/" + elem
}

// actionsElement is "Action" or "NotAction".
func (s *stmt) actionsElement() string {
	if s.NotAction {
		return "NotAction"
	}
	return "Action"
}

// resourceElement is "Resource" or "NotResource".
func (s *stmt) resourceElement() string {
	if s.NotResource {
		return "NotResource"
	}
	return "Resource"
}

// matching returns the sorted names of the statement's actions for which
// keep is true.
func (s *stmt) matching(keep func(catalog.Action) bool) []string {
	var out []string
	if s.all || s.NotAction {
		for _, a := range allActions() {
			if s.grants(a.Name) && keep(a) {
				out = append(out, a.Name)
			}
		}
		return out
	}
	for n, a := range s.listed {
		if keep(a) {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// among returns the names of list that the statement matches.
func (s *stmt) among(list []string) []string {
	var out []string
	for _, n := range list {
		if s.grants(n) {
			out = append(out, n)
		}
	}
	return out
}

// names lists actions for a message: at most five, then "and N more".
func names(list []string) string {
	const most = 5
	if len(list) <= most {
		return strings.Join(list, ", ")
	}
	return strings.Join(list[:most], ", ") + " and " + strconv.Itoa(len(list)-most) + " more"
}
