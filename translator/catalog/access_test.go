package catalog

import "testing"

func TestLookupLevels(t *testing.T) {
	for _, tc := range []struct {
		action        string
		level         Level
		resourceLevel bool
	}{
		{"s3:GetObject", Read, true},
		{"S3:ListAllMyBuckets", List, false},
		{"iam:PassRole", Write, true},
		{"iam:CreatePolicyVersion", Permissions, true},
		{"s3:PutBucketPolicy", Permissions, true},
		{"ec2:CreateTags", Tagging, true},
		{"cloudwatch:PutMetricData", Write, true},
		{"xray:PutTraceSegments", Write, false},
	} {
		a, ok := Lookup(tc.action)
		if !ok || a.Level != tc.level || a.ResourceLevel != tc.resourceLevel {
			t.Errorf("Lookup(%q) = %+v, %v; want level %q, resource-level %v", tc.action, a, ok, tc.level, tc.resourceLevel)
		}
	}
	for _, bad := range []string{"s3:NoSuchAction", "nosuch:GetObject", "s3", "s3:Get*"} {
		if a, ok := Lookup(bad); ok {
			t.Errorf("Lookup(%q) = %+v, want not found", bad, a)
		}
	}
}

func TestExpand(t *testing.T) {
	has := func(list []Action, name string) bool {
		for _, a := range list {
			if a.Name == name {
				return true
			}
		}
		return false
	}
	iam := Expand("IAM:*")
	if !has(iam, "iam:createpolicyversion") || !has(iam, "iam:passrole") || has(iam, "s3:getobject") {
		t.Errorf("Expand(iam:*) misses or overshoots: %d actions", len(iam))
	}
	puts := Expand("s3:Put*")
	if !has(puts, "s3:putbucketpolicy") || has(puts, "s3:getobject") {
		t.Errorf("Expand(s3:Put*) = %d actions", len(puts))
	}
	if got := Expand("bedrock:InvokeModel*"); len(got) != 2 || !has(got, "bedrock:invokemodelwithresponsestream") {
		t.Errorf("Expand(bedrock:InvokeModel*) = %+v", got)
	}
	if _, n, _ := Counts(); len(Expand("*")) != wantActions {
		t.Errorf("Expand(*) = %d actions, want %d (keys %d)", len(Expand("*")), wantActions, n)
	}
	for _, none := range []string{"nosuch:*", "s3:NoSuch*", "s3"} {
		if got := Expand(none); len(got) != 0 {
			t.Errorf("Expand(%q) = %d actions, want none", none, len(got))
		}
	}
}

func TestSupportsKey(t *testing.T) {
	for _, tc := range []struct {
		action, key      string
		supported, known bool
	}{
		{"s3:ListBucket", "s3:prefix", true, true},
		{"s3:GetObject", "S3:ExistingObjectTag/team", true, true},
		{"s3:GetObject", "s3:prefix", false, true},
		{"s3:GetObject", "aws:SourceIp", true, true},
		{"s3:GetObject", "aws:NoSuchKey", false, true},
		{"iam:PassRole", "iam:PassedToService", true, true},
		{"sts:AssumeRole", "sts:ExternalId", true, true},
		{"s3:NoSuchAction", "s3:prefix", false, false},
		{"nosuch:Get", "s3:prefix", false, false},
	} {
		s, k := SupportsKey(tc.action, tc.key)
		if s != tc.supported || k != tc.known {
			t.Errorf("SupportsKey(%q, %q) = %v, %v; want %v, %v", tc.action, tc.key, s, k, tc.supported, tc.known)
		}
	}
}
