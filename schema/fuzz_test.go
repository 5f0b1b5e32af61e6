package schema

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// fuzzKinds are the schemas FuzzDecode validates against; the fuzzer picks
// one with its second argument.
var fuzzKinds = []Kind{KindPolicy, KindCase, KindGAAD, KindOrg, KindResources, KindFolder, KindTerraformPlan}

// fuzzSeeds reads the seeds of FuzzDecode from the repository's testdata:
// every golden policy, every case line, the example account, and the
// account packages' fixtures, each with the kind it is.
func fuzzSeeds(tb testing.TB) map[string]Kind {
	tb.Helper()
	out := map[string]Kind{}
	glob := func(pattern string, kind Kind) {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			if data, err := os.ReadFile(f); err == nil {
				out[string(data)] = kind
			}
		}
	}
	glob("../translator/testdata/golden/*/policy.json", KindPolicy)
	glob("../translator/account/testdata/folder/policies/*.json", KindPolicy)
	glob("../testdata/invalid/policy-*.json", KindPolicy)
	glob("../testdata/example/account-details.json", KindGAAD)
	glob("../translator/account/testdata/folder-as-gaad.json", KindGAAD)
	glob("../testdata/example/organization.json", KindOrg)
	glob("../testdata/example/resource-policies.json", KindResources)
	glob("../translator/account/testdata/folder/iam2rego.json", KindFolder)
	files, _ := filepath.Glob("../testdata/cases/*.jsonl")
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
		for sc.Scan() {
			if line := bytes.TrimSpace(sc.Bytes()); len(line) > 0 {
				out[string(line)] = KindCase
			}
		}
		fh.Close()
	}
	// Shapes the corpus lacks: deep nesting, duplicate keys, trailing data,
	// escapes, numbers at the edges.
	out[strings.Repeat("[", MaxDepth+2)+strings.Repeat("]", MaxDepth+2)] = KindPolicy
	out[`{"Statement":[],"Statement":{}}`] = KindPolicy
	out[`{} {}`] = KindPolicy
	out[`{"a\u0000b":"\ud800","c":1e999,"d":-0.0}`] = KindCase
	return out
}

func kindByte(k Kind) byte {
	for i, x := range fuzzKinds {
		if x == k {
			return byte(i)
		}
	}
	return 0
}

// FuzzDecode: Decode and DecodeAndValidate never panic. Every failure is a
// list of coded diagnostics naming the file, with RFC 6901 pointers and
// no internal_error. Decode and DecodeAndValidate agree on syntax: when
// Decode fails, DecodeAndValidate fails too, and a syntax error returns no
// value. A decoded value re-encodes to JSON that decodes to the same
// value, and no value nests deeper than MaxDepth.
func FuzzDecode(f *testing.F) {
	for data, kind := range fuzzSeeds(f) {
		f.Add([]byte(data), kindByte(kind))
	}
	// Compile the schemas once before fuzzing starts.
	if _, err := compile(); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte, k byte) {
		const file = "fuzz.json"
		kind := fuzzKinds[int(k)%len(fuzzKinds)]
		v, decErr := Decode(file, data)
		checkDiagnostics(t, decErr, file)
		w, valErr := DecodeAndValidate(kind, file, data)
		checkDiagnostics(t, valErr, file)
		if decErr != nil && valErr == nil {
			t.Fatalf("Decode fails (%v) but DecodeAndValidate(%s) accepts", decErr, kind)
		}
		if w == nil && valErr == nil {
			t.Fatalf("DecodeAndValidate returned neither a value nor an error")
		}
		if w != nil && hasCode(valErr, CodeJSONSyntax) {
			t.Fatalf("a syntax error came with a value: %v", valErr)
		}
		if decErr != nil {
			return
		}
		if d := depth(v); d > MaxDepth+1 {
			t.Fatalf("decoded a value %d levels deep (MaxDepth %d)", d, MaxDepth)
		}
		if !reflect.DeepEqual(v, w) {
			t.Fatalf("Decode and DecodeAndValidate decoded different values")
		}
		text, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("re-encoding the decoded value: %v", err)
		}
		again, err := Decode(file, text)
		if err != nil {
			t.Fatalf("the re-encoded value does not decode: %v\n%s", err, text)
		}
		if !reflect.DeepEqual(v, again) {
			t.Fatalf("decode → encode → decode changed the value:\n%#v\n%#v", v, again)
		}
		for _, e := range List(valErr) {
			if e.Code == CodeSchemaUnknown || e.Code == CodeSchemaType || e.Code == CodeSchemaPattern || e.Code == CodeSchemaEnum {
				if _, ok := lookupPointer(v, e.Pointer); !ok {
					t.Fatalf("%s diagnostic at %q, which is not in the document", e.Code, e.Pointer)
				}
			}
		}
	})
}

func hasCode(err error, code string) bool {
	for _, e := range List(err) {
		if e.Code == code {
			return true
		}
	}
	return false
}

// checkDiagnostics: err is nil or holds only coded, located diagnostics.
func checkDiagnostics(t *testing.T, err error, file string) {
	t.Helper()
	if err == nil {
		return
	}
	list := List(err)
	if len(list) == 0 {
		t.Fatalf("an error without diagnostics: %v", err)
	}
	for _, e := range list {
		if e.Code == "" || e.Code == CodeInternal || e.File != file || e.Message == "" || e.Severity != SeverityError {
			t.Fatalf("bad diagnostic %#v", e)
		}
		if e.Pointer != "" && !strings.HasPrefix(e.Pointer, "/") {
			t.Fatalf("pointer %q is not an RFC 6901 pointer", e.Pointer)
		}
		if i := strings.IndexFunc(e.Error(), isControl); i >= 0 {
			t.Fatalf("a diagnostic holds a control character, so it can span several lines or forge another one: %q", e.Error())
		}
	}
}

// isControl: C0 and C1 controls, DEL and the Unicode line and paragraph
// separators, none of which may appear inside a one-line diagnostic.
func isControl(r rune) bool {
	return r < 0x20 || r >= 0x7f && r < 0xa0 || r == 0x2028 || r == 0x2029
}

func depth(v any) int {
	switch x := v.(type) {
	case map[string]any:
		d := 0
		for _, e := range x {
			d = max(d, depth(e))
		}
		return d + 1
	case []any:
		d := 0
		for _, e := range x {
			d = max(d, depth(e))
		}
		return d + 1
	}
	return 0
}

// lookupPointer resolves an RFC 6901 pointer in decoded JSON.
func lookupPointer(v any, ptr string) (any, bool) {
	if ptr == "" {
		return v, true
	}
	toks := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	for i, t := range toks {
		t = strings.ReplaceAll(t, "~1", "/")
		toks[i] = strings.ReplaceAll(t, "~0", "~")
	}
	return lookup(v, toks)
}
