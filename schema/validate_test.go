package schema

import (
	"encoding/json"
	"sync"
	"testing"
)

func TestPolicySchemaAccepts(t *testing.T) {
	tests := map[string]string{
		"minimal":          `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
		"array statement":  `{"Version":"2012-10-17","Id":"x","Statement":[{"Sid":"A","Effect":"Deny","NotAction":["s3:*"],"NotResource":"arn:aws:s3:::b/*"}]}`,
		"principal star":   `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}]}`,
		"principal map":    `{"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":["111111111111","arn:aws:iam::111111111111:root"],"Service":"s3.amazonaws.com"},"Action":"s3:*"}]}`,
		"condition values": `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":true},"NumericLessThan":{"s3:max-keys":10},"StringEquals":{"a":"x","b":["y",1,false]}}}]}`,
		"empty condition":  `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{}}]}`,
		// Values are the translator's business, not the schema's.
		"odd values": `{"Version":"1999","Statement":{"Effect":"allow","Sid":"has space","Action":"nocolon"}}`,
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := DecodeAndValidate(KindPolicy, "p.json", []byte(in)); err != nil {
				t.Errorf("rejected: %v", err)
			}
		})
	}
}

func TestPolicySchemaRejects(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []diag
	}{
		{"not an object", `["Statement"]`, []diag{{CodeSchemaType, ""}}},
		{"unknown top-level member", `{"Statement":{"Effect":"Allow"},"Extra":1}`, []diag{{CodeSchemaUnknown, "/Extra"}}},
		{"member name case", `{"statement":{"Effect":"Allow"}}`,
			[]diag{{CodeSchemaUnknown, "/statement"}, {CodeSchemaRequired, ""}}},
		{"unknown statement member", `{"Statement":[{"Effects":"Allow","Action":"*"}]}`, []diag{{CodeSchemaUnknown, "/Statement/0/Effects"}}},
		{"unknown member of lone statement", `{"Statement":{"Effect":"Allow","Resources":"*"}}`, []diag{{CodeSchemaUnknown, "/Statement/Resources"}}},
		{"statement missing", `{"Version":"2012-10-17"}`, []diag{{CodeSchemaRequired, ""}}},
		{"statement empty array", `{"Statement":[]}`, []diag{{CodeSchemaEmptyArray, "/Statement"}}},
		{"statement string", `{"Statement":"Allow"}`, []diag{{CodeSchemaType, "/Statement"}}},
		{"statement element string", `{"Statement":[{"Effect":"Allow"},"x"]}`, []diag{{CodeSchemaType, "/Statement/1"}}},
		{"empty Action array", `{"Statement":{"Effect":"Allow","Action":[]}}`, []diag{{CodeSchemaEmptyArray, "/Statement/Action"}}},
		{"number as Action", `{"Statement":{"Effect":"Allow","Action":5}}`, []diag{{CodeSchemaType, "/Statement/Action"}}},
		{"number in Resource array", `{"Statement":{"Resource":["a",2]}}`, []diag{{CodeSchemaType, "/Statement/Resource/1"}}},
		{"Effect not a string", `{"Statement":{"Effect":true}}`, []diag{{CodeSchemaType, "/Statement/Effect"}}},
		{"Version not a string", `{"Version":20121017,"Statement":{}}`, []diag{{CodeSchemaType, "/Version"}}},
		{"Principal as number", `{"Statement":{"Principal":1}}`, []diag{{CodeSchemaType, "/Statement/Principal"}}},
		{"Principal value empty array", `{"Statement":{"Principal":{"AWS":[]}}}`, []diag{{CodeSchemaEmptyArray, "/Statement/Principal/AWS"}}},
		{"NotPrincipal value object", `{"Statement":{"NotPrincipal":{"AWS":{"x":"y"}}}}`, []diag{{CodeSchemaType, "/Statement/NotPrincipal/AWS"}}},
		{"Condition not an object", `{"Statement":{"Condition":["x"]}}`, []diag{{CodeSchemaType, "/Statement/Condition"}}},
		{"Condition block not an object", `{"Statement":{"Condition":{"StringEquals":"x"}}}`, []diag{{CodeSchemaType, "/Statement/Condition/StringEquals"}}},
		{"Condition value null", `{"Statement":{"Condition":{"Null":{"aws:TokenIssueTime":null}}}}`,
			[]diag{{CodeSchemaType, "/Statement/Condition/Null/aws:TokenIssueTime"}}},
		{"Condition value object", `{"Statement":{"Condition":{"StringEquals":{"k":{"v":1}}}}}`,
			[]diag{{CodeSchemaType, "/Statement/Condition/StringEquals/k"}}},
		{"Condition value empty array", `{"Statement":{"Condition":{"StringEquals":{"k":[]}}}}`,
			[]diag{{CodeSchemaEmptyArray, "/Statement/Condition/StringEquals/k"}}},
		{"Condition array with null", `{"Statement":{"Condition":{"StringEquals":{"k":["a",null]}}}}`,
			[]diag{{CodeSchemaType, "/Statement/Condition/StringEquals/k/1"}}},
		{"Condition key needing escapes", `{"Statement":{"Condition":{"StringEquals":{"aws:ResourceTag/a~b":{}}}}}`,
			[]diag{{CodeSchemaType, "/Statement/Condition/StringEquals/aws:ResourceTag~1a~0b"}}},
		{"unknown member with odd characters", `{"Statement":{},"a b%2F/c":1}`, []diag{{CodeSchemaUnknown, "/a b%2F~1c"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeAndValidate(KindPolicy, "p.json", []byte(tt.in))
			wantDiags(t, err, "p.json", tt.want...)
		})
	}
}

func TestPolicySchemaReportsAllAtOnce(t *testing.T) {
	in := `{
	  "Version": "2012-10-17",
	  "Foo": 1,
	  "Statement": [
	    {"Effect": "Allow", "Action": 5, "Resource": [], "Bar": true,
	     "Condition": {"StringEquals": {"a": null, "b": {"c": 1}}}},
	    {"Effect": "Deny", "Action": ["s3:*", 7], "Principal": 3, "Effect": "Allow"},
	    "not a statement"
	  ]
	}`
	_, err := DecodeAndValidate(KindPolicy, "p.json", []byte(in))
	wantDiags(t, err, "p.json",
		diag{CodeSchemaUnknown, "/Foo"},
		diag{CodeSchemaType, "/Statement/0/Action"},
		diag{CodeSchemaEmptyArray, "/Statement/0/Resource"},
		diag{CodeSchemaUnknown, "/Statement/0/Bar"},
		diag{CodeSchemaType, "/Statement/0/Condition/StringEquals/a"},
		diag{CodeSchemaType, "/Statement/0/Condition/StringEquals/b"},
		diag{CodeSchemaType, "/Statement/1/Action/1"},
		diag{CodeSchemaType, "/Statement/1/Principal"},
		diag{CodeDuplicateKey, "/Statement/1/Effect"},
		diag{CodeSchemaType, "/Statement/2"},
	)
}

func TestValidateGoValues(t *testing.T) {
	// Validate also takes documents built in Go or decoded by encoding/json.
	var doc any
	if err := json.Unmarshal([]byte(`{"Statement":{"Action":1.5}}`), &doc); err != nil {
		t.Fatal(err)
	}
	wantDiags(t, Validate(KindPolicy, "p.json", doc), "p.json", diag{CodeSchemaType, "/Statement/Action"})
	bad := map[string]any{"Statement": map[string]any{"Action": struct{}{}}}
	wantDiags(t, Validate(KindPolicy, "p.json", bad), "p.json", diag{CodeInternal, ""})
	wantDiags(t, Validate("account", "p.json", doc), "p.json", diag{CodeInternal, ""})
}

func TestValidateConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := `{"Statement":{"Action":5}}`
			if i%2 == 0 {
				in = `{"Statement":{"Action":"*"}}`
			}
			doc, err := Decode("p.json", []byte(in))
			if err != nil {
				t.Error(err)
				return
			}
			err = Validate(KindPolicy, "p.json", doc)
			if (err == nil) != (i%2 == 0) {
				t.Errorf("goroutine %d: err = %v", i, err)
			}
		}()
	}
	wg.Wait()
}

func TestSources(t *testing.T) {
	for _, k := range []Kind{KindPolicy, KindCase} {
		var v any
		if err := json.Unmarshal(Source(k), &v); err != nil {
			t.Errorf("Source(%q) is not JSON: %v", k, err)
		}
	}
	if Source("nope") != nil {
		t.Error("Source of an unknown kind is not nil")
	}
	if _, err := compile(); err != nil {
		t.Fatalf("embedded schemas do not compile: %v", err)
	}
}
