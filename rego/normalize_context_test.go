package rego

import (
	"context"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/translator/catalog"
	opa "github.com/open-policy-agent/opa/v1/rego"
)

// TestGlobalKeyTypes keeps the global key tables equal: the catalogue's
// global aws: keys (tag keys aside, checked by prefix), the Go twin and
// lib/context_checks.rego.
func TestGlobalKeyTypes(t *testing.T) {
	want := map[string]string{}
	for k, typ := range catalog.GlobalKeys() {
		if strings.HasPrefix(k, "aws:") && !strings.HasSuffix(k, "/tag-key") {
			want[k] = typ
		}
	}
	if len(want) < 40 {
		t.Fatalf("only %d global aws: keys in the catalogue", len(want))
	}
	for k, typ := range want {
		if globalKeyTypes[k] != typ {
			t.Errorf("%s: catalogue %q, Go %q", k, typ, globalKeyTypes[k])
		}
	}
	for k := range globalKeyTypes {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: in the Go table, not in the catalogue", k)
		}
	}
	mods, err := libraryModules()
	if err != nil {
		t.Fatal(err)
	}
	opts := []func(*opa.Rego){opa.Query("x := data.iam2rego.lib.global_key_types")}
	for _, m := range mods {
		opts = append(opts, opa.ParsedModule(m))
	}
	rs, err := opa.New(opts...).Eval(context.Background())
	if err != nil || len(rs) != 1 {
		t.Fatalf("%v %v", rs, err)
	}
	got, _ := rs[0].Bindings["x"].(map[string]any)
	if len(got) != len(want) {
		t.Errorf("Rego table has %d keys, catalogue %d", len(got), len(want))
	}
	for k, typ := range want {
		if got[k] != typ {
			t.Errorf("%s: catalogue %q, Rego %v", k, typ, got[k])
		}
	}
}

// TestContextValueProblem pins the Go twin's answers; the corpus
// (testdata/cases/extra-malformed-context.jsonl) and CheckNormalization
// compare it with the Rego.
func TestContextValueProblem(t *testing.T) {
	for _, tc := range []struct {
		key  string
		v    any
		want string
	}{
		{"aws:requestedregion", []any{"eu-west-1"}, "list"},
		{"aws:requestedregion", []any{}, "list"},
		{"aws:requestedregion", "eu-west-1", ""},
		{"aws:sourceip", "not-an-ip", "ip"},
		{"aws:sourceip", " 8.8.8.8", "ip"},
		{"aws:sourceip", "2001:db8::1", ""},
		{"aws:securetransport", "maybe", "bool"},
		{"aws:securetransport", true, ""},
		{"aws:multifactorauthage", " 7200", "number"},
		{"aws:currenttime", "garbage", "date"},
		{"aws:currenttime", "2029-02-29", "date"},
		{"aws:currenttime", "2028-02-29T10:00Z", ""},
		{"aws:tagkeys", "env", "scalar"},
		{"aws:tagkeys", []any{"env"}, ""},
		{"aws:principaltag/team", []any{"red"}, "list"},
		{"custom:k", map[string]any{"a": "b"}, "shape"},
		{"custom:k", []any{"a", nil}, "shape"},
		{"custom:k", []any{"a"}, ""},
		{"custom:k", nil, ""},
	} {
		got := contextValueProblem(tc.key, tc.v)
		if want := kindProblems[tc.want]; got != want {
			t.Errorf("%s = %#v: got %q, want %q", tc.key, tc.v, got, want)
		}
	}
}
