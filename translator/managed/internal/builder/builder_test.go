package builder

import (
	"bytes"
	"strings"
	"testing"
)

const sample = `{"name":"B","arn":"arn:aws:iam::aws:policy/service-role/B","version":"v2","created":"x","updated":"y","document":{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::a<b>&c"}}}
{"name":"A","arn":"arn:aws:iam::aws:policy/A","version":"v1","document":{ "Statement" : [ ], "Version":"2012-10-17"}}
`

func TestBuildEncodeDecode(t *testing.T) {
	entries, err := Build(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Name != "A" || entries[1].Name != "B" {
		t.Fatalf("entries not sorted by ARN: %+v", entries)
	}
	// Compacted, member order kept.
	if got := string(entries[0].Document); got != `{"Statement":[],"Version":"2012-10-17"}` {
		t.Errorf("document = %s", got)
	}
	a, err := Encode(entries)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Encode(entries)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("Encode is not deterministic")
	}
	back, err := Decode(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != 2 || string(back[1].Document) != string(entries[1].Document) || back[1].Version != "v2" {
		t.Errorf("round trip: %+v", back)
	}
	if !strings.Contains(string(back[1].Document), "a<b>&c") {
		t.Errorf("HTML characters escaped: %s", back[1].Document)
	}
}

func TestBuildRejects(t *testing.T) {
	tests := map[string]string{
		"empty":         ``,
		"not json":      `{`,
		"bad arn":       `{"name":"A","arn":"arn:aws:iam::123456789012:policy/A","version":"v1","document":{}}`,
		"name mismatch": `{"name":"B","arn":"arn:aws:iam::aws:policy/A","version":"v1","document":{}}`,
		"bad version":   `{"name":"A","arn":"arn:aws:iam::aws:policy/A","version":"1","document":{}}`,
		"no document":   `{"name":"A","arn":"arn:aws:iam::aws:policy/A","version":"v1"}`,
		"array doc":     `{"name":"A","arn":"arn:aws:iam::aws:policy/A","version":"v1","document":[]}`,
		"dup member":    `{"name":"A","arn":"arn:aws:iam::aws:policy/A","version":"v1","document":{"Statement":[{"Effect":"Allow","Effect":"Deny"}]}}`,
		"dup arn": `{"name":"A","arn":"arn:aws:iam::aws:policy/A","version":"v1","document":{}}
{"name":"A","arn":"arn:aws:iam::aws:policy/A","version":"v2","document":{}}`,
	}
	for name, in := range tests {
		if _, err := Build(strings.NewReader(in)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
