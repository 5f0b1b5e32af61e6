package account

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/iam2rego/iam2rego/schema"
)

const bucketPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`

func TestReadResourcesFile(t *testing.T) {
	dir := writeFiles(t, map[string]string{"r.json": `{"resources":[
		{"arn":"arn:aws:s3:::b","account":"111111111111","tags":{"env":"prod"},"policy":` + bucketPolicy + `},
		{"arn":"arn:aws:s3:::b/report.csv","account":"111111111111","tags":{"class":"secret"}},
		{"arn":"arn:aws:s3:us-east-1:111111111111:accesspoint/ap","account":"111111111111","policy":` + quote(encodeStrict(bucketPolicy)) + `},
		{"arn":"arn:aws:sqs:us-east-1:111111111111:q","account":"111111111111"}]}`})
	path := filepath.Join(dir, "r.json")
	list, err := ReadResources(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 4 {
		t.Fatalf("%d resources", len(list))
	}
	b := list[0]
	if b.ARN != "arn:aws:s3:::b" || b.Account != "111111111111" || b.Tags["env"] != "prod" || b.Policy == nil ||
		b.Policy.File != path || b.Policy.Pointer != "/resources/0/policy" {
		t.Errorf("bucket = %+v", b)
	}
	if o := list[1]; o.Policy != nil || o.Tags["class"] != "secret" {
		t.Errorf("object = %+v", o)
	}
	if ap := list[2]; ap.Policy == nil || canon(t, ap.Policy.Value) != canon(t, mustDecode(t, bucketPolicy)) {
		t.Errorf("access point = %+v", ap)
	}
	if q := list[3]; q.Policy != nil || q.Tags != nil {
		t.Errorf("queue = %+v", q)
	}
}

func TestReadResourcesDir(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"b.json":          `{"resources":[{"arn":"arn:aws:s3:::second","account":"111111111111"}]}`,
		"a.json":          `{"resources":[{"arn":"arn:aws:s3:::first","account":"111111111111","policy":` + bucketPolicy + `}]}`,
		"notes.txt":       `not JSON`,
		"sub/c.json":      `{"resources":[{"arn":"arn:aws:s3:::nested","account":"111111111111"}]}`,
		"empty.json":      `{"resources":[]}`,
		"z.json.disabled": `{`,
	})
	list, err := ReadResources(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ARN != "arn:aws:s3:::first" || list[1].ARN != "arn:aws:s3:::second" {
		t.Fatalf("resources = %+v", list)
	}
	if f := list[0].Policy.File; f != filepath.Join(dir, "a.json") {
		t.Errorf("file %q", f)
	}
	// An empty directory has no resources and no error.
	if list, err := ReadResources(t.TempDir()); err != nil || len(list) != 0 {
		t.Errorf("empty dir: %v, %v", list, err)
	}
}

func TestReadResourcesRejects(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.json": `{"resources":[
			{"arn":"arn:aws:s3:::b","account":"111111111111","policy":` + bucketPolicy + `},
			{"arn":"arn:aws:s3:::b/key","account":"111111111111","policy":` + bucketPolicy + `},
			{"arn":"arn:aws:sqs:us-east-1:222222222222:q","account":"111111111111"},
			{"arn":"arn:aws:s3:::c","account":"1111"},
			{"arn":"s3://bucket","account":"111111111111"},
			{"arn":"arn:aws:s3:::d","account":"111111111111","policy":"%7B%22Statement"},
			{"arn":"arn:aws:s3:::e","account":"111111111111","tags":{"k":1},"extra":true},
			{"account":"111111111111"}]}`,
		"b.json": `{"resources":[{"arn":"arn:aws:s3:::b","account":"111111111111"}],"version":1}`,
		"c.json": `{"resources":`,
	})
	a, b, c := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json"), filepath.Join(dir, "c.json")
	_, err := ReadResources(dir)
	wantFileDiags(t, err,
		fdiag{a, schema.CodeInvalidResource, "/resources/1/policy"},
		fdiag{a, schema.CodeAccountMismatch, "/resources/2/account"},
		fdiag{a, schema.CodeSchemaPattern, "/resources/3/account"},
		fdiag{a, schema.CodeSchemaPattern, "/resources/4/arn"},
		fdiag{a, schema.CodeJSONSyntax, "/resources/5/policy"},
		fdiag{a, schema.CodeSchemaType, "/resources/6/tags/k"},
		fdiag{a, schema.CodeSchemaUnknown, "/resources/6/extra"},
		fdiag{a, schema.CodeSchemaRequired, "/resources/7"},
		fdiag{b, schema.CodeDuplicateResource, "/resources/0/arn"},
		fdiag{b, schema.CodeSchemaUnknown, "/version"},
		fdiag{c, schema.CodeJSONSyntax, ""},
	)

	missing := filepath.Join(dir, "missing.json")
	_, err = ReadResources(missing)
	wantDiags(t, err, missing, diag{schema.CodeJSONSyntax, ""})

	if err := os.WriteFile(filepath.Join(dir, "top.json"), []byte(`[]`), 0o644); err != nil {
		t.Fatal(err)
	}
	top := filepath.Join(dir, "top.json")
	_, err = ReadResources(top)
	wantDiags(t, err, top, diag{schema.CodeSchemaType, ""})
}
