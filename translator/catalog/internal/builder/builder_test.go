package builder

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"
)

const sample = `{"meta":{"source":"pkg@1","license":"MIT","updatedAt":"2026-01-01T00:00:00Z",
  "counts":{"services":2,"actions":3,"conditionKeys":3}},
 "globalConditionKeys":[{"key":"aws:SourceIp","type":"IPAddress"},{"key":"aws:SecureTransport","type":"Boolean"}],
 "services":{
  "S3":{"actions":{"GetObject":{"access":"Read","resources":[{"type":"object","required":true,"conditionKeys":["aws:ResourceTag/${TagKey}"]},{"type":"accesspoint"}],"conditionKeys":["s3:prefix"]},
                   "PutObject":{"access":"Write","resources":[{"type":"object"}]}},
        "resourceTypes":{"object":{"arn":"arn:${Partition}:s3:::${BucketName}/${ObjectName}","conditionKeys":["s3:ExistingObjectTag/<key>","S3:prefix"]},
                        "accesspoint":{"arn":"arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}"}},
        "conditionKeys":{"s3:prefix":"String","s3:ExistingObjectTag/<key>":"string"}},
  "iam":{"actions":{"CreateAccessKey":{"access":"Permissions management, Write"}},"conditionKeys":{"iam:PolicyARN":"Arn"}}}}`

func TestBuild(t *testing.T) {
	f, err := Build(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Services["s3"].Actions; len(got) != 2 || got[0] != "getobject" || got[1] != "putobject" {
		t.Errorf("s3 actions = %q", got)
	}
	if got := f.Services["s3"].Access + f.Services["iam"].Access; got != "RWp" {
		t.Errorf("access letters = %q, want RWp", got)
	}
	if got := f.Services["s3"].ActionKeys; len(got) != 2 || strings.Join(got["getobject"], ",") != "s3:existingobjecttag/<key>,s3:prefix" ||
		strings.Join(got["putobject"], ",") != "s3:existingobjecttag/<key>,s3:prefix" || f.Services["iam"].ActionKeys != nil {
		t.Errorf("action keys = %q", got)
	}
	if got := f.Services["s3"].ActionResources["getobject"]; len(got) != 2 || got[0] != (ActionResource{Type: "object", Required: true}) ||
		got[1] != (ActionResource{Type: "accesspoint"}) {
		t.Errorf("getobject resources = %+v", got)
	}
	if got := f.Services["s3"].ResourceTypes["object"]; got != "arn:${Partition}:s3:::${BucketName}/${ObjectName}" {
		t.Errorf("object ARN = %q", got)
	}
	if f.Services["iam"].ActionResources != nil || f.Services["iam"].ResourceTypes != nil {
		t.Errorf("iam resources = %+v", f.Services["iam"])
	}
	if f.Global["aws:SecureTransport"] != "Bool" || f.Services["iam"].Keys["iam:PolicyARN"] != "ARN" ||
		f.Services["s3"].Keys["s3:ExistingObjectTag/<key>"] != "String" {
		t.Errorf("types not normalised: %+v", f)
	}
	a, err := Encode(f)
	if err != nil {
		t.Fatal(err)
	}
	f2, err := Build(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Encode(f2)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("Encode is not deterministic")
	}
	zr, err := gzip.NewReader(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	if !zr.ModTime.IsZero() || zr.Name != "" || zr.Comment != "" || zr.OS != 255 {
		t.Errorf("gzip header not fixed: %+v", zr.Header)
	}
	back, err := Decode(a)
	if err != nil {
		t.Fatal(err)
	}
	if back.Source != "pkg@1" || len(back.Services) != 2 {
		t.Errorf("round trip: %+v", back)
	}
	if !bytes.Contains(decompress(t, a), []byte("<key>")) {
		t.Error("JSON is HTML-escaped")
	}
}

func decompress(t *testing.T, data []byte) []byte {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(zr); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestBuildErrors(t *testing.T) {
	for name, in := range map[string]string{
		"unknown type":     strings.Replace(sample, `"Arn"`, `"Blob"`, 1),
		"dup action":       strings.Replace(sample, `"PutObject"`, `"getobject"`, 1),
		"unknown access":   strings.Replace(sample, `"Read"`, `"Readish"`, 1),
		"dup service":      strings.Replace(sample, `"iam":`, `"s3":`, 1),
		"count mismatch":   strings.Replace(sample, `"actions":3`, `"actions":4`, 1),
		"bad action name":  strings.Replace(sample, `"PutObject"`, `"Put*"`, 1),
		"dup global key":   strings.Replace(sample, `"aws:SecureTransport"`, `"AWS:SOURCEIP"`, 1),
		"not json":         "{",
		"unknown res type": strings.Replace(sample, `{"type":"accesspoint"}`, `{"type":"bucket"}`, 1),
		"bad ARN format":   strings.Replace(sample, `"arn":"arn:${Partition}:s3:${Region}`, `"arn":"${Partition}:s3:${Region}`, 1),
		"type count":       strings.Replace(sample, `"actions":3,`, `"actions":3,"resourceTypes":5,`, 1),
		"no source":        strings.Replace(sample, `"source":"pkg@1"`, `"source":""`, 1),
		"bad global type":  strings.Replace(sample, `"IPAddress"`, `"IPv4"`, 1),
		"dup service keys": strings.Replace(sample, `"s3:prefix":"String"`, `"s3:existingobjecttag/<KEY>":"String"`, 1),
	} {
		if _, err := Build(strings.NewReader(in)); err == nil {
			t.Errorf("%s: Build succeeded", name)
		}
	}
}

func TestNormalizeType(t *testing.T) {
	for in, want := range map[string]string{
		"String": "String", "string": "String", "ARN": "ARN", "Arn": "ARN", "ArrayOfArn": "ArrayOfARN",
		"Boolean": "Bool", "Bool": "Bool", "ArrayOfBool": "ArrayOfBool", "Long": "Numeric",
		"Numeric": "Numeric", "Date": "Date", "IPAddress": "IPAddress", "IpAddress": "IPAddress",
	} {
		if got, ok := NormalizeType(in); !ok || got != want {
			t.Errorf("NormalizeType(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := NormalizeType("Blob"); ok {
		t.Error("NormalizeType accepted Blob")
	}
}
