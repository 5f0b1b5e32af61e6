package arn

import "testing"

func TestParseAndString(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want ARN
		ok   bool
	}{
		{"arn:aws:iam::111111111111:role/service-role/r", ARN{"aws", "iam", "", "111111111111", "role/service-role/r"}, true},
		{"arn:aws-cn:s3:::bucket/a:b/c", ARN{"aws-cn", "s3", "", "", "bucket/a:b/c"}, true},
		{"arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f:1", ARN{"aws-us-gov", "lambda", "us-gov-west-1", "123456789012", "function:f:1"}, true},
		{"arn:*:s3:::b/*", ARN{"*", "s3", "", "", "b/*"}, true},
		{"arn:aws:bedrock:us-east-1::foundation-model/m:0", ARN{"aws", "bedrock", "us-east-1", "", "foundation-model/m:0"}, true},
		{"arn:aws:iam::1", ARN{}, false},
		{"*", ARN{}, false},
		{"ARN:aws:s3:::b", ARN{}, false},
		{"", ARN{}, false},
	} {
		got, ok := Parse(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
		if ok && got.String() != tc.in {
			t.Errorf("Parse(%q).String() = %q", tc.in, got.String())
		}
	}
}

func TestBuildersArePartitionAware(t *testing.T) {
	if got := IAM("aws-cn", "111111111111", "policy/team/p").String(); got != "arn:aws-cn:iam::111111111111:policy/team/p" {
		t.Errorf("IAM = %q", got)
	}
	if got := Root("aws-us-gov", "222222222222").String(); got != "arn:aws-us-gov:iam::222222222222:root" {
		t.Errorf("Root = %q", got)
	}
	for _, p := range Partitions {
		if !KnownPartition(p) {
			t.Errorf("KnownPartition(%q) = false", p)
		}
	}
	if KnownPartition("aws-moon") || KnownPartition("") {
		t.Error("KnownPartition accepts what is no partition")
	}
}

func TestHelpers(t *testing.T) {
	if Account("arn:aws:iam::111111111111:user/a") != "111111111111" || Account("arn:aws:s3:::b") != "" || Account("x") != "" {
		t.Error("Account")
	}
	if Service("arn:aws:sqs:us-east-1:1:q") != "sqs" || Service("sqs") != "" {
		t.Error("Service")
	}
	for s, want := range map[string]bool{
		"arn:aws:iam::111111111111:role/r":           true,
		"arn:aws-cn:iam::111111111111:role/path/r":   true,
		"arn:aws:iam::111111111111:user/role/x":      false,
		"arn:aws:sts::111111111111:assumed-role/r/s": false,
		"xarn:aws:iam::111111111111:role/r":          false,
		"role/r":                                     false,
	} {
		if IsRole(s) != want {
			t.Errorf("IsRole(%q) = %v", s, !want)
		}
	}
	for s, want := range map[string]string{
		"arn:aws:s3:::b/k/x":                            "arn:aws:s3:::b",
		"arn:aws-cn:s3:::b/k":                           "arn:aws-cn:s3:::b",
		"arn:aws:s3:::b":                                "",
		"arn:aws:sqs:us-east-1:1:q/x":                   "",
		"arn:aws:s3:us-east-1:1:accesspoint/a/object/k": "",
	} {
		got, ok := Bucket(s)
		if got != want || ok != (want != "") {
			t.Errorf("Bucket(%q) = %q, %v; want %q", s, got, ok, want)
		}
	}
}
