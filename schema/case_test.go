package schema

import "testing"

// Cases in the shape of shared/oracle/README.md (gen.mjs output plus
// iam2rego's extensions).
var validCases = map[string]string{
	"readme example": `{"id":"s7-0",
	  "principal":{"arn":"arn:aws:sts::111122223333:assumed-role/app/sess-1","tags":{"team":"red"}},
	  "action":"s3:GetObject",
	  "resource":{"arn":"arn:aws:s3:::data-bucket/home/alice/notes.txt","account":"111122223333",
	    "policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::data-bucket/*"}]},
	    "tags":{"team":"red"}},
	  "context":{"aws:SourceIp":"10.1.2.3","aws:TagKeys":["team","env"]},
	  "identityPolicies":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}],
	  "permissionBoundary":{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}},
	  "sessionPolicy":{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}},
	  "scps":[[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}],[]],
	  "rcps":[[{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}}]],
	  "meta":{"seed":7,"profile":"safe","features":["cross-account","notaction"]}}`,
	"minimal, integer id": `{"id":3,"principal":{"arn":"arn:aws:iam::111111111111:user/alice"},"action":"sqs:SendMessage",
	  "resource":{"arn":"arn:aws:sqs:us-east-1:111111111111:q","account":"111111111111"}}`,
	"extensions": `{"id":"ext-1","description":"federated user, management account","expect":"ImplicitDeny",
	  "organization":{"managementAccount":"222222222222"},
	  "principal":{"arn":"arn:aws:sts::111111111111:federated-user/bob","federatedBy":"arn:aws:iam::111111111111:user/bob"},
	  "action":"s3:ListBucket","resource":{"arn":"arn:aws:s3:::b","account":"111111111111"},
	  "context":{"aws:MultiFactorAuthPresent":true,"aws:EpochTime":1700000000,"aws:TagKeys":[]},"scps":[[]]}`,
	"anonymous, expect error": `{"id":"anon","expect":"error","principal":{"arn":"anonymous"},"action":"s3:GetObject",
	  "resource":{"arn":"arn:aws:s3:::b/k","account":"111111111111","policy":{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}}}}`,
}

func TestCaseSchemaAccepts(t *testing.T) {
	for name, in := range validCases {
		t.Run(name, func(t *testing.T) {
			if _, err := DecodeAndValidate(KindCase, "cases.jsonl", []byte(in)); err != nil {
				t.Errorf("rejected: %v", err)
			}
		})
	}
}

func TestCaseSchemaRejects(t *testing.T) {
	const principal = `"principal":{"arn":"arn:aws:iam::111111111111:user/a"}`
	const rest = principal + `,"action":"s3:GetObject","resource":{"arn":"arn:aws:s3:::b","account":"111111111111"}`
	tests := []struct {
		name string
		in   string
		want []diag
	}{
		{"unknown top-level member", `{"id":1,` + rest + `,"expected":"Allow"}`, []diag{{CodeSchemaUnknown, "/expected"}}},
		{"two unknown members", `{"id":1,` + rest + `,"a":1,"b":2}`, []diag{{CodeSchemaUnknown, "/a"}, {CodeSchemaUnknown, "/b"}}},
		{"bad expect value", `{"id":1,` + rest + `,"expect":"allow"}`, []diag{{CodeSchemaEnum, "/expect"}}},
		{"expect Deny", `{"id":1,` + rest + `,"expect":"Deny"}`, []diag{{CodeSchemaEnum, "/expect"}}},
		{"expect not a string", `{"id":1,` + rest + `,"expect":true}`, []diag{{CodeSchemaType, "/expect"}}},
		{"missing required members", `{"principal":{}}`, []diag{
			{CodeSchemaRequired, ""}, {CodeSchemaRequired, ""}, {CodeSchemaRequired, ""}, {CodeSchemaRequired, "/principal"}}},
		{"fractional id", `{"id":1.5,` + rest + `}`, []diag{{CodeSchemaType, "/id"}}},
		{"account not 12 digits", `{"id":1,` + principal + `,"action":"a:b","resource":{"arn":"x","account":"1234"}}`,
			[]diag{{CodeSchemaPattern, "/resource/account"}}},
		{"unknown principal member", `{"id":1,"principal":{"arn":"a","tag":{}},"action":"a:b","resource":{"arn":"x","account":"111111111111"}}`,
			[]diag{{CodeSchemaUnknown, "/principal/tag"}}},
		{"tag value not a string", `{"id":1,"principal":{"arn":"a","tags":{"n":1}},"action":"a:b","resource":{"arn":"x","account":"111111111111"}}`,
			[]diag{{CodeSchemaType, "/principal/tags/n"}}},
		{"context value null", `{"id":1,` + rest + `,"context":{"k":null,"m":[{}]}}`,
			[]diag{{CodeSchemaType, "/context/k"}, {CodeSchemaType, "/context/m/0"}}},
		{"scps not nested", `{"id":1,` + rest + `,"scps":[{"Statement":{}}]}`, []diag{{CodeSchemaType, "/scps/0"}}},
		{"policy errors relative to the case", `{"id":1,` + principal + `,"action":"a:b",
		  "resource":{"arn":"x","account":"111111111111","policy":{"Statement":{"Action":[]}}},
		  "identityPolicies":[{"Statement":{"Effect":"Allow"}},{"Statement":[],"Foo":1}],
		  "permissionBoundary":{"Statement":{"Condition":{"Bool":{"k":null}}}},
		  "sessionPolicy":{},
		  "rcps":[[{"Statement":{"Principal":5}}]]}`, []diag{
			{CodeSchemaEmptyArray, "/resource/policy/Statement/Action"},
			{CodeSchemaEmptyArray, "/identityPolicies/1/Statement"},
			{CodeSchemaUnknown, "/identityPolicies/1/Foo"},
			{CodeSchemaType, "/permissionBoundary/Statement/Condition/Bool/k"},
			{CodeSchemaRequired, "/sessionPolicy"},
			{CodeSchemaType, "/rcps/0/0/Statement/Principal"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeAndValidate(KindCase, "cases.jsonl", []byte(tt.in))
			wantDiags(t, err, "cases.jsonl", tt.want...)
		})
	}
}
