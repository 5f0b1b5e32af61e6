package schema

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDecodeDuplicateKeys(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []diag
	}{
		{"top level", `{"Version":"2012-10-17","Version":"2008-10-17","Statement":[]}`,
			[]diag{{CodeDuplicateKey, "/Version"}}},
		{"in statement", `{"Statement":[{"Effect":"Allow"},{"Effect":"Allow","Effect":"Deny"}]}`,
			[]diag{{CodeDuplicateKey, "/Statement/1/Effect"}}},
		{"condition operator twice", `{"Statement":{"Condition":{"StringEquals":{"a":"1"},"StringEquals":{"b":"2"}}}}`,
			[]diag{{CodeDuplicateKey, "/Statement/Condition/StringEquals"}}},
		{"escaped pointer", `{"a/b":{"c~d":1,"c~d":2}}`,
			[]diag{{CodeDuplicateKey, "/a~1b/c~0d"}}},
		{"several at once", `{"a":1,"a":2,"b":{"x":1,"x":2,"x":3}}`,
			[]diag{{CodeDuplicateKey, "/a"}, {CodeDuplicateKey, "/b/x"}, {CodeDuplicateKey, "/b/x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := Decode("p.json", []byte(tt.in))
			if v != nil {
				t.Errorf("Decode returned a value with an error: %v", v)
			}
			wantDiags(t, err, "p.json", tt.want...)
		})
	}
}

func TestDecodeSyntax(t *testing.T) {
	deep := strings.Repeat("[", MaxDepth+5) + strings.Repeat("]", MaxDepth+5)
	tests := []struct {
		name    string
		in      string
		ptr     string
		wantPos string // "line L, column C" expected in the message; "" to skip
	}{
		{"missing comma", "{\n  \"a\": 1\n  \"b\": 2\n}", "", "line 3, column 3"},
		{"bad literal", `{"a": tru}`, "", "line 1"},
		{"unterminated", "{\"a\": [1, 2", "", ""},
		{"empty input", "", "", ""},
		{"trailing value", `{"a":1} {"b":2}`, "", "line 1"},
		{"trailing garbage", "{\"a\":1}\n]", "", "line 2"},
		{"non-string key", `{1: 2}`, "", ""},
		{"depth limit", deep, "/" + strings.TrimSuffix(strings.Repeat("0/", MaxDepth+1), "/"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode("p.json", []byte(tt.in))
			wantDiags(t, err, "p.json", diag{CodeJSONSyntax, tt.ptr})
			if tt.wantPos != "" && err != nil && !strings.Contains(err.Error(), tt.wantPos) {
				t.Errorf("error %q does not give the position %q", err, tt.wantPos)
			}
		})
	}
}

func TestDecodeValues(t *testing.T) {
	v, err := Decode("p.json", []byte(`{"n": 10.50, "b": true, "s": "x", "z": null, "a": [1, "2"]}`))
	if err != nil {
		t.Fatal(err)
	}
	m := v.(map[string]any)
	if n, ok := m["n"].(json.Number); !ok || n.String() != "10.50" {
		t.Errorf("n = %#v, want json.Number 10.50", m["n"])
	}
	if m["b"] != true || m["s"] != "x" || m["z"] != nil || len(m["a"].([]any)) != 2 {
		t.Errorf("decoded %#v", m)
	}
	// Exactly MaxDepth nested arrays are fine.
	ok := strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth)
	if _, err := Decode("p.json", []byte(ok)); err != nil {
		t.Errorf("depth %d rejected: %v", MaxDepth, err)
	}
}
