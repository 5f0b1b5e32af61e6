package translator

import (
	"testing"

	"github.com/iam2rego/iam2rego/schema"
)

// TestCompileDiagnostics checks the coded errors of the decode and check
// passes (IAM-SEMANTICS.md §1): code and pointer, never message text.
func TestCompileDiagnostics(t *testing.T) {
	tests := []struct {
		note string
		typ  PolicyType
		doc  string
		want []diagnostic
	}{
		{"effect missing", Identity, `{"Version":"2012-10-17","Statement":[{"Action":"s3:GetObject","Resource":"*"}]}`,
			[]diagnostic{{schema.CodeElementRequired, "/Statement/0"}}},
		{"duplicate Effect key", Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]}`,
			[]diagnostic{{schema.CodeDuplicateKey, "/Statement/0/Effect"}}},
		{"Action and NotAction", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","NotAction":"s3:PutObject","Resource":"*"}}`,
			[]diagnostic{{schema.CodeConflictingElements, "/Statement/NotAction"}}},
		{"no Resource in identity", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject"}}`,
			[]diagnostic{{schema.CodeElementRequired, "/Statement"}}},
		{"bad version", Identity, `{"Version":"2012-10-18","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`,
			[]diagnostic{{schema.CodeInvalidVersion, "/Version"}}},
		{"SCP needs 2012-10-17", SCP, `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
			[]diagnostic{{schema.CodeInvalidVersion, "/Version"}}},
		{"NotPrincipal with Allow", Resource, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"111111111111"},"Action":"s3:GetObject"}}`,
			[]diagnostic{{schema.CodeUnsupportedEffect, "/Statement/NotPrincipal"}}},
		{"NotPrincipal in a trust policy", Trust, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"111111111111"},"Action":"sts:AssumeRole"}}`,
			[]diagnostic{{schema.CodeElementNotAllowed, "/Statement/NotPrincipal"}}},
		{"no Principal in a resource policy", Resource, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject"}}`,
			[]diagnostic{{schema.CodeElementRequired, "/Statement"}}},
		{"partial wildcard principal", Resource, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111111111111:assumed-role/App/*"},"Action":"s3:GetObject"}}`,
			[]diagnostic{{schema.CodeInvalidPrincipal, "/Statement/Principal/AWS"}}},
		{"group principal", Resource, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":["111111111111","arn:aws:iam::111111111111:group/g"]},"Action":"s3:GetObject"}}`,
			[]diagnostic{{schema.CodeInvalidPrincipal, "/Statement/Principal/AWS/1"}}},
		{"RCP Allow", RCP, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}`,
			[]diagnostic{{schema.CodeUnsupportedEffect, "/Statement/Effect"}}},
		{"RCP NotAction and named principal", RCP, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":{"AWS":"111111111111"},"NotAction":"s3:*","Resource":"*"}}`,
			[]diagnostic{{schema.CodeInvalidPrincipal, "/Statement/Principal"}, {schema.CodeElementNotAllowed, "/Statement/NotAction"}}},
		{"ForAllValues:Null", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ForAllValues:Null":{"aws:TagKeys":"true"}}}}`,
			[]diagnostic{{schema.CodeInvalidOperator, "/Statement/Condition/ForAllValues:Null"}}},
		{"NullIfExists", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"NullIfExists":{"aws:TagKeys":"true"}}}}`,
			[]diagnostic{{schema.CodeInvalidOperator, "/Statement/Condition/NullIfExists"}}},
		{"unknown operator", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEqualz":{"aws:username":"a"}}}}`,
			[]diagnostic{{schema.CodeUnknownOperator, "/Statement/Condition/StringEqualz"}}},
		{"IfExists twice", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEqualsIfExistsIfExists":{"aws:username":"a"}}}}`,
			[]diagnostic{{schema.CodeUnknownOperator, "/Statement/Condition/StringEqualsIfExistsIfExists"}}},
		{"qualifiers in the wrong order", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ForAnyValue:ForAllValues:StringEquals":{"aws:TagKeys":"a"}}}}`,
			[]diagnostic{{schema.CodeUnknownOperator, "/Statement/Condition/ForAnyValue:ForAllValues:StringEquals"}}},
		{"condition key without a colon", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"username":"a"}}}}`,
			[]diagnostic{{schema.CodeInvalidConditionKey, "/Statement/Condition/StringEquals/username"}}},
		{"variable in a condition key", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/${aws:username}":"a"}}}}`,
			[]diagnostic{{schema.CodeVariableNotAllowed, "/Statement/Condition/StringEquals/aws:PrincipalTag~1${aws:username}"}}},
		{"variable in a principal", Resource, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/${aws:username}"},"Action":"s3:GetObject"}}`,
			[]diagnostic{{schema.CodeVariableNotAllowed, "/Statement/Principal/AWS"}}},
		{"bad values of each family", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{
			"DateLessThan":{"aws:CurrentTime":"tomorrow"},
			"Bool":{"aws:SecureTransport":"yes"},
			"BinaryEquals":{"dynamodb:Attributes":"!!"},
			"IpAddress":{"aws:SourceIp":"10.0.0.0/33"},
			"Null":{"aws:TokenIssueTime":"maybe"},
			"IpAddressIfExists":{"aws:VpcSourceIp":"${aws:username}"}}}}`,
			[]diagnostic{
				{schema.CodeInvalidConditionVal, "/Statement/Condition/BinaryEquals/dynamodb:Attributes"},
				{schema.CodeInvalidConditionVal, "/Statement/Condition/Bool/aws:SecureTransport"},
				{schema.CodeInvalidConditionVal, "/Statement/Condition/DateLessThan/aws:CurrentTime"},
				{schema.CodeInvalidConditionVal, "/Statement/Condition/IpAddress/aws:SourceIp"},
				{schema.CodeVariableNotAllowed, "/Statement/Condition/IpAddressIfExists/aws:VpcSourceIp"},
				{schema.CodeInvalidConditionVal, "/Statement/Condition/Null/aws:TokenIssueTime"},
			}},
		{"invalid actions", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3*","*:Get*","s3:Get:Object","s3:","s3 :Get"],"Resource":"*"}}`,
			[]diagnostic{
				{schema.CodeInvalidAction, "/Statement/Action/0"},
				{schema.CodeInvalidAction, "/Statement/Action/1"},
				{schema.CodeInvalidAction, "/Statement/Action/2"},
				{schema.CodeInvalidAction, "/Statement/Action/3"},
				{schema.CodeInvalidAction, "/Statement/Action/4"},
			}},
		{"null condition value", Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:username":null}}}}`,
			[]diagnostic{{schema.CodeSchemaType, "/Statement/Condition/StringEquals/aws:username"}}},
	}
	for _, tt := range tests {
		t.Run(tt.note, func(t *testing.T) {
			_, err := Compile("policy.json", tt.typ, []byte(tt.doc))
			got := diagnosticsOf(err)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v\n%v", got, tt.want, err)
			}
			for _, w := range tt.want {
				if !hasDiagnostic(err, w.code, w.ptr) {
					t.Errorf("missing %v; got %v\n%v", w, got, err)
				}
			}
		})
	}
}

// TestCompileSuccessIsUntypedNil: a successful Compile returns a nil error
// interface, not a typed nil *multierror.Error (STYLE-ANCHORS.md §5).
func TestCompileSuccessIsUntypedNil(t *testing.T) {
	c, err := Compile("policy.json", Resource, []byte(`{"Version":"2012-10-17","Statement":[
		{"Sid":"A","Effect":"Allow","Principal":"*","Action":"s3:GetObject"},
		{"Sid":"A","Effect":"Allow","Principal":"*","Action":"s3:PutObject"}]}`))
	if err != nil {
		t.Fatalf("err = %#v, want nil", err)
	}
	// A duplicate Sid is only a warning in a service's resource policy.
	found := false
	for _, w := range c.Warnings {
		if w.Code == schema.CodeDuplicateSid && w.Pointer == "/Statement/1/Sid" && w.Severity == schema.SeverityWarning {
			found = true
		}
	}
	if !found {
		t.Errorf("want a duplicate_sid warning at /Statement/1/Sid, got %v", c.Warnings)
	}
}

// TestCompileReportsSchemaAndSemanticErrors: DESIGN.md asks for every
// error at once. translate.go Compile means to add the semantic errors to
// the schema errors ("add the semantic errors too"), but
// schema.DecodeAndValidate returns a nil document whenever it fails, so
// the `if doc != nil` branch never runs.
func TestCompileReportsSchemaAndSemanticErrors(t *testing.T) {
	doc := `{"Version":"2012-10-17","Foo":1,"Statement":[{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}]}`
	_, err := Compile("policy.json", Identity, []byte(doc))
	if !hasDiagnostic(err, schema.CodeSchemaUnknown, "/Foo") {
		t.Fatalf("want schema_unknown_member at /Foo, got %v", diagnosticsOf(err))
	}
	if !hasDiagnostic(err, schema.CodeInvalidEffect, "/Statement/0/Effect") {
		t.Errorf("BUG translator/translate.go Compile: with a schema error present, the semantic error invalid_effect at "+
			"/Statement/0/Effect is not reported (schema.DecodeAndValidate returns doc == nil on error, so the "+
			"`if doc != nil { decodePolicy(...) }` branch is dead); got only %v", diagnosticsOf(err))
	}
}

// TestOperatorDoubleQualifier: an operator takes at most one set
// qualifier (§1.5). parseOperator strips "ForAllValues:" and then
// "ForAnyValue:" in one loop, so "ForAllValues:ForAnyValue:StringEquals"
// is accepted and silently evaluated as ForAnyValue:StringEquals.
func TestOperatorDoubleQualifier(t *testing.T) {
	for _, op := range []string{"ForAllValues:ForAnyValue:StringEquals", "ForAllValues:ForAllValues:StringEquals", "ForAnyValue:ForAnyValue:StringEquals"} {
		doc := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"` + op + `":{"aws:TagKeys":"a"}}}}`
		c, err := Compile("policy.json", Identity, []byte(doc))
		if err == nil {
			cond := c.Policy.Statements[0].Conditions[0]
			t.Errorf("BUG translator/operators.go parseOperator: %q is accepted (as qualifier %q, base %q); want unknown_operator at /Statement/Condition/%s",
				op, cond.Qualifier, cond.Base, op)
			continue
		}
		if !hasDiagnostic(err, schema.CodeUnknownOperator, "/Statement/Condition/"+op) {
			t.Errorf("%q: want unknown_operator, got %v", op, diagnosticsOf(err))
		}
	}
}

func TestParseOperator(t *testing.T) {
	tests := []struct {
		name      string
		base      string
		negated   bool
		qualifier string
		ifExists  bool
	}{
		{"StringEquals", "StringEquals", false, "", false},
		{"StringNotEqualsIfExists", "StringEquals", true, "", true},
		{"ForAllValues:StringNotLike", "StringLike", true, "ForAllValues", false},
		{"ForAnyValue:StringLikeIfExists", "StringLike", false, "ForAnyValue", true},
		{"ArnEquals", "ArnLike", false, "", false},
		{"ArnNotEquals", "ArnLike", true, "", false},
		{"NotIpAddress", "IpAddress", true, "", false},
		{"DateNotEquals", "DateEquals", true, "", false},
		{"NumericNotEqualsIfExists", "NumericEquals", true, "", true},
		{"BoolIfExists", "Bool", false, "", true},
	}
	for _, tt := range tests {
		op, _, ok := parseOperator(tt.name)
		if !ok || op.spec.base != tt.base || op.spec.negated != tt.negated || op.qualifier != tt.qualifier || op.ifExists != tt.ifExists {
			t.Errorf("parseOperator(%q) = %+v, %v", tt.name, op, ok)
		}
	}
	for name, hint := range map[string]string{
		"stringEquals":                    "StringEquals",
		"forallvalues:stringlikeifexists": "ForAllValues:StringLikeIfExists",
		"Foo":                             "",
		"IfExists":                        "",
	} {
		_, got, ok := parseOperator(name)
		if ok || got != hint {
			t.Errorf("parseOperator(%q): ok=%v hint %q, want hint %q", name, ok, got, hint)
		}
	}
}

// TestProviderClaimKeysCompile: the condition keys of web identity trust
// policies name the provider's host, and for EKS its path
// (oidc.eks.REGION.amazonaws.com/id/ID:sub, as the EKS user guide's IRSA
// trust policy writes it): they compile, and keep their spelling.
func TestProviderClaimKeysCompile(t *testing.T) {
	for _, key := range []string{
		"oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub",
		"token.actions.githubusercontent.com:sub",
		"github.com/enterprises/acme:actor",
		"app_id.example.com:aud",
	} {
		doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111111111111:oidc-provider/x"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"` + key + `":"v"}}}]}`
		c, err := Compile("trust.json", Resource, []byte(doc))
		if err != nil {
			t.Errorf("%s: %v", key, err)
			continue
		}
		if got := c.Policy.Statements[0].Conditions[0].RawKey; got != key {
			t.Errorf("%s: compiled as %q", key, got)
		}
	}
}
