package bundles_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/bundles"
)

const alice = "arn:aws:iam::111111111111:user/developers/alice"

// editData rewrites data.json of an archive through edit (data.iam2rego
// as generic JSON).
func editData(t *testing.T, archive []byte, edit func(d map[string]any)) []byte {
	t.Helper()
	return retar(t, archive, func(name string, data []byte) []byte {
		if name != "data.json" {
			return data
		}
		var top map[string]any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&top); err != nil {
			t.Fatal(err)
		}
		edit(top[bundles.Root].(map[string]any))
		out, err := json.Marshal(top)
		if err != nil {
			t.Fatal(err)
		}
		return out
	})
}

func editModule(t *testing.T, archive []byte, module string, edit func([]byte) []byte) []byte {
	t.Helper()
	found := false
	out := retar(t, archive, func(name string, data []byte) []byte {
		if "/"+name == module {
			found = true
			return edit(data)
		}
		return data
	})
	if !found {
		t.Fatalf("no module %s", module)
	}
	return out
}

func objectAt(v any, path ...string) map[string]any {
	for _, k := range path {
		v = v.(map[string]any)[k]
	}
	return v.(map[string]any)
}

// TestConsistencyRefusesEditedBundles: a bundle as built is
// self-consistent; one whose modules or callers are not what its
// documents and records compile to is refused, with a message naming the
// part that differs.
func TestConsistencyRefusesEditedBundles(t *testing.T) {
	good := buildBytes(t, exampleInputs(exampleDir))
	b, err := bundles.Read(bytes.NewReader(good), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := bundles.CheckConsistency(t.Context(), b); err != nil {
		t.Fatalf("the bundle as built: %v", err)
	}
	d := dataOf(t, good)
	wide := `{"Statement":[{"Action":"*","Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"}`
	// A document alice does not hold, in name order (the same every run),
	// and not wide itself: the example's FullAWSAccess SCP is wide, and
	// replacing it with wide edits nothing (the test failed when a map's
	// order picked it).
	other := ""
	for _, n := range slices.Sorted(maps.Keys(d.Documents)) {
		if !containsString(d.Principals[alice].Identity, n) && d.Documents[n] != wide {
			other = n
			break
		}
	}
	for name, c := range map[string]struct {
		archive []byte
		want    string
	}{
		"a policy added to a caller": {editData(t, good, func(d map[string]any) {
			p := objectAt(d, "callers", alice, "policies")
			p["identity"] = append(p["identity"].([]any), other)
		}), `data.iam2rego.callers["` + alice + `"].policies differs from what its records compile to`},
		"a caller dropped": {editData(t, good, func(d map[string]any) {
			delete(objectAt(d, "callers"), alice)
		}), `data.iam2rego.callers["` + alice + `"] is missing`},
		"a caller added": {editData(t, good, func(d map[string]any) {
			objectAt(d, "callers")["arn:aws:iam::111111111111:user/mallory"] = objectAt(d, "callers", alice)
		}), "belongs to no principal"},
		"callers missing": {editData(t, good, func(d map[string]any) { delete(d, "callers") }), "callers is missing"},
		"a policy added to a principal record only": {editData(t, good, func(d map[string]any) {
			p := objectAt(d, "principals", alice)
			p["identity"] = append(p["identity"].([]any), other)
		}), `data.iam2rego.callers["` + alice + `"]`},
		"a rule added to the policies module": {editModule(t, good, bundles.PoliciesModule, func(src []byte) []byte {
			return append(src, "\nmatch contains {\"effect\": \"Allow\", \"index\": 0, \"policy\": \"x\"}\n"...)
		}), "module /iam2rego/policies.rego differs from what data.iam2rego.documents compile to"},
		"a document replaced": {editData(t, good, func(d map[string]any) {
			objectAt(d, "documents")[other] = wide
		}), "is not the document named " + other},
		"a document added": {editData(t, good, func(d map[string]any) {
			objectAt(d, "documents")["p6b1b0a5d2c1f3e4a5b6c7d8e"] = wide
		}), "is not the document named"},
		"a document null": {editData(t, good, func(d map[string]any) {
			objectAt(d, "documents")[other] = nil
		}), "is not a string"},
		"a document not JSON": {editData(t, good, func(d map[string]any) {
			objectAt(d, "documents")[other] = "{not json"
		}), "is not a JSON document"},
		"documents null":  {editData(t, good, func(d map[string]any) { d["documents"] = nil }), "documents is missing or not an object"},
		"principals null": {editData(t, good, func(d map[string]any) { d["principals"] = nil }), "principals is not an object"},
		"an account null": {editData(t, good, func(d map[string]any) {
			objectAt(d, "accounts")["111111111111"] = nil
		}), `accounts["111111111111"] is not an object`},
		"a resource null": {editData(t, good, func(d map[string]any) {
			for arn := range objectAt(d, "resources") {
				objectAt(d, "resources")[arn] = nil
				break
			}
		}), "is not an object"},
		"plan data edited": {editData(t, good, func(d map[string]any) {
			d["plan"] = map[string]any{}
		}), "data.iam2rego.plan"},
		"plan data missing": {editData(t, good, func(d map[string]any) { delete(d, "plan") }), "data.iam2rego.plan is missing"},
		"a library module edited": {editModule(t, good, "/iam2rego/lib/decide.rego", func(src []byte) []byte {
			return append(src, "\n# edited\n"...)
		}), "differs from this iam2rego's decision library"},
	} {
		t.Run(name, func(t *testing.T) {
			b, err := bundles.Read(bytes.NewReader(c.archive), nil)
			if err != nil {
				t.Fatalf("the edited bundle does not even read: %v", err)
			}
			err = bundles.CheckConsistency(t.Context(), b)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("CheckConsistency: %v\nwant an error with %q", err, c.want)
			}
		})
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
