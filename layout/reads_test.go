package layout_test

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/layout"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/open-policy-agent/opa/v1/ast"
)

// TestLibraryReadsExistInLayout: every reference of the Rego library into
// bundle data (data.iam2rego.<record>...) names a member of layout.Data:
// struct members by their JSON name, maps by any key. A field the library
// reads that the build does not write (or writes under another name) fails
// here, not as an undefined rule at request time.
func TestLibraryReadsExistInLayout(t *testing.T) {
	rules := map[string]bool{"lib": true, "policies": true, "authz": true}
	checked := map[string]bool{}
	for name, src := range rego.LibraryFiles() {
		m, err := ast.ParseModuleWithOpts(name, string(src), ast.ParserOptions{RegoVersion: ast.RegoV1})
		if err != nil {
			t.Fatal(err)
		}
		ast.WalkRefs(m, func(r ast.Ref) bool {
			if len(r) < 3 || !r[0].Equal(ast.DefaultRootDocument) || !r[1].Equal(ast.StringTerm(layout.Root)) {
				return false
			}
			head, ok := r[2].Value.(ast.String)
			if !ok || rules[string(head)] {
				return false
			}
			if err := walkType(reflect.TypeOf(layout.Data{}), r[2:]); err != nil {
				t.Errorf("%s: %v: %v", name, r, err)
			}
			checked[r.String()] = true
			return false
		})
	}
	// The walk itself tells a missing member from a present one.
	if walkType(reflect.TypeOf(layout.Data{}), ast.MustParseRef("data.callers[x].plan.nope")[1:]) == nil {
		t.Error("a member layout.Data lacks was found")
	}
	if err := walkType(reflect.TypeOf(layout.Data{}), ast.MustParseRef("data.callers[x].plan.src[p]")[1:]); err != nil {
		t.Errorf("a member layout.Data has was not found: %v", err)
	}
	t.Logf("%d references into bundle data", len(checked))
	if len(checked) < 15 {
		names := make([]string, 0, len(checked))
		for n := range checked {
			names = append(names, n)
		}
		sort.Strings(names)
		t.Errorf("only %d references into bundle data were found: %v", len(checked), names)
	}
}

// walkType follows a reference's terms through a Go type: a string term
// selects a struct member by its JSON name or a map value; any other term
// (a variable, a rule's value) selects a map value or a slice element.
func walkType(t reflect.Type, ref ast.Ref) error {
	for _, term := range ref {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Struct:
			s, ok := term.Value.(ast.String)
			if !ok {
				return &missing{t, term.String()}
			}
			f, ok := fieldByJSON(t, string(s))
			if !ok {
				return &missing{t, string(s)}
			}
			t = f
		case reflect.Map, reflect.Slice:
			t = t.Elem()
		case reflect.Interface:
			return nil // free-form JSON (context values, tags)
		default:
			return &missing{t, term.String()}
		}
	}
	return nil
}

func fieldByJSON(t reflect.Type, name string) (reflect.Type, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == name {
			return f.Type, true
		}
	}
	return nil, false
}

type missing struct {
	t    reflect.Type
	name string
}

func (m *missing) Error() string { return m.t.String() + " has no member " + m.name }
