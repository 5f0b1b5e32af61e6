package layout_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"reflect"
	"testing"

	"github.com/iam2rego/iam2rego/internal/testbundle"

	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/layout"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/open-policy-agent/opa/v1/bundle"
)

// dataJSON builds a bundle and returns its data.json as written.
func dataJSON(t *testing.T, in account.Inputs) []byte {
	t.Helper()
	archive, err := bundles.Encode(testbundle.Build(t, in, bundles.Options{MaxContextValueChars: 1000}))
	if err != nil {
		t.Fatal(err)
	}
	gz, err := gzip.NewReader(bytes.NewReader(archive))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err != nil {
			t.Fatalf("no data.json in the bundle: %v", err)
		}
		if h.Name == "/data.json" || h.Name == "data.json" {
			b, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
}

func generic(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestDataJSONRoundTrips: a built bundle's data.json decodes into Data
// with no member left over, and encodes back to the same JSON.
func TestDataJSONRoundTrips(t *testing.T) {
	generated := testbundle.Generated(t, 5, 200)
	for name, in := range map[string]account.Inputs{
		"example":   testbundle.ExampleInputs(),
		"generated": generated,
	} {
		t.Run(name, func(t *testing.T) {
			raw := dataJSON(t, in)
			var file struct {
				Data layout.Data `json:"iam2rego"`
			}
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&file); err != nil {
				t.Fatalf("data.json does not decode into layout.Data: %v", err)
			}
			d := file.Data
			if len(d.Principals) == 0 || len(d.Callers) != len(d.Principals) || len(d.Documents) == 0 || d.Meta.Principals != len(d.Principals) || d.Limits == nil {
				t.Fatalf("decoded data is missing records: %d principals, %d callers, %d documents, meta %+v", len(d.Principals), len(d.Callers), len(d.Documents), d.Meta)
			}
			again, err := json.Marshal(file)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(generic(t, raw), generic(t, again)) {
				t.Errorf("data.json does not encode back to itself:\n%.2000s\n---\n%.2000s", raw, again)
			}
		})
	}
}

// TestFromBundle: the typed data of a built bundle, and an error for a
// bundle iam2rego did not write.
func TestFromBundle(t *testing.T) {
	d, err := layout.FromBundle(testbundle.Example(t))
	if err != nil || len(d.Principals) != 5 || d.Organization == nil || d.Organization.ManagementAccount != "999999999999" {
		t.Fatalf("FromBundle: %v, %+v", err, d)
	}
	alice := d.Callers["arn:aws:iam::111111111111:user/developers/alice"]
	if alice == nil || alice.Principal.Name == nil || *alice.Principal.Name != "alice" || alice.Principal.RoleName != nil {
		t.Errorf("alice's caller: %+v", alice)
	}
	if _, err := layout.FromBundle(&bundle.Bundle{Data: map[string]any{}}); err == nil {
		t.Error("a bundle without data.iam2rego gave no error")
	}
}
