package translator

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/iam2rego/iam2rego/schema"
)

// TestParseIsCompileWithoutLowering: ParseDocument and ParseExported give
// the policy, warnings and errors CompileDocument and CompileExported
// give, for every golden document, valid or not.
func TestParseIsCompileWithoutLowering(t *testing.T) {
	dirs, err := filepath.Glob("testdata/golden/*")
	if err != nil || len(dirs) < 20 {
		t.Fatalf("golden documents: %v, %d", err, len(dirs))
	}
	compared := 0
	for _, dir := range dirs {
		data, err := os.ReadFile(filepath.Join(dir, "policy.json"))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := schema.Decode(dir, data)
		if err != nil {
			continue // not JSON: neither reaches a document (counted below)
		}
		compared++
		typ := goldenType(t, dir)
		for _, exported := range []bool{false, true} {
			compile, parse := CompileDocument, ParseDocument
			if exported {
				compile, parse = CompileExported, ParseExported
			}
			c, cerr := compile(dir, typ, doc)
			p, perr := parse(dir, typ, doc)
			if !reflect.DeepEqual(schema.List(cerr), schema.List(perr)) {
				t.Errorf("%s (exported %v): compile errors %v, parse errors %v", dir, exported, cerr, perr)
				continue
			}
			if cerr != nil {
				if p != nil {
					t.Errorf("%s: parse returned a policy with errors", dir)
				}
				continue
			}
			if !reflect.DeepEqual(c.Policy, p.Policy) || !reflect.DeepEqual(c.Warnings, p.Warnings) {
				t.Errorf("%s (exported %v): the parsed policy differs from the compiled one", dir, exported)
			}
		}
	}
	if compared < len(dirs)-2 {
		t.Errorf("only %d of %d golden documents were JSON and compared", compared, len(dirs))
	}
}
