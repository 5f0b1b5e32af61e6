package catalog

import (
	"strings"
	"testing"
)

func TestResourceTypes(t *testing.T) {
	types, known := ResourceTypes("IAM:putRolePolicy")
	if !known || len(types) != 1 || types[0] != (ResourceType{Name: "role", ARN: "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}", Required: true}) {
		t.Errorf("iam:PutRolePolicy: %+v, %v", types, known)
	}
	if types, known := ResourceTypes("s3:ListAllMyBuckets"); !known || len(types) != 0 {
		t.Errorf("s3:ListAllMyBuckets: %+v, %v", types, known)
	}
	if _, known := ResourceTypes("s3:NoSuchAction"); known {
		t.Error("s3:NoSuchAction known")
	}
	if _, known := ResourceTypes("s3:Get*"); known {
		t.Error("a pattern is known")
	}
	// ec2:RunInstances has required and optional types.
	types, _ = ResourceTypes("ec2:RunInstances")
	var req, opt int
	for _, rt := range types {
		if rt.Required {
			req++
		} else {
			opt++
		}
	}
	if req == 0 || opt == 0 {
		t.Errorf("ec2:RunInstances: %d required, %d optional types", req, opt)
	}
}

func TestFitsResourceType(t *testing.T) {
	for _, c := range []struct {
		action, arn string
		fits        bool
	}{
		{"iam:PutRolePolicy", "arn:aws:iam::111111111111:group/checkout-dev-*", false},
		{"iam:PutGroupPolicy", "arn:aws:iam::111111111111:group/checkout-dev-*", true},
		{"iam:PutRolePolicy", "arn:aws:iam::111111111111:role/app/*", true},
		{"iam:PutRolePolicy", "arn:aws:iam::*:role/x", true},
		{"iam:PutRolePolicy", "arn:aws:iam::111111111111:*", true},
		{"iam:PutRolePolicy", "arn:aws:iam::111111111111:user/*", false},
		{"iam:PutRolePolicy", "arn:aws:s3:::role/x", false},
		{"iam:PutRolePolicy", "arn:aws:iam:us-east-1:111111111111:role/x", false},
		{"ssm:SendCommand", "arn:aws:ssm:*::document/AWS-RunShellScript", true},
		{"ssm:SendCommand", "arn:aws:ssm:*:*:session/*", false},
		{"s3:ListBucket", "arn:aws:s3:::bucket", true},
		{"s3:GetObject", "arn:aws:s3:::bucket", false},
		{"s3:GetObject", "arn:aws:s3:::bucket/*", true},
		{"s3:ListBucket", "arn:aws:s3:::bucket/*", false}, // bucket names hold no "/"
		{"s3:ListBucket", "arn:aws:s3:::*/*", true},       // accesspoint/* with the region and account left empty
		{"s3:ListBucket", "arn:aws:s3:::b*", true},
		{"s3:GetObject", "arn:aws:s3:::*", true},
		{"s3:ListBucket", "arn:aws:s3:::*", true},
		{"s3:GetObject", "arn:aws:s3:::b*", true},
		{"s3:GetObject", "arn:aws:s3:::bucket?", false},
		{"s3:GetObject", "arn:aws:s3:::bucket/${aws:username}", true},
		{"s3:GetObject", "arn:aws:s3:::${aws:PrincipalTag/bucket}", true},
		{"s3:ListBucket", "arn:aws:s3:::home-${aws:username}", true},
		{"s3:GetObject", "arn:aws:s3:::*/*", true},
		{"s3:GetObject", "arn:aws:s3:us-east-1:111111111111:accesspoint/ap/object/k", true},
		{"s3:GetObject", "arn:aws:s3:*", true},
		{"s3:GetObject", "arn:aws:s3", false},
		{"s3:GetObject", "arn:aws:*", true},
		{"s3:GetObject", "arn:*", true},
		{"s3:GetObject", "ARN:AWS:S3:::Bucket/Key", true},
		{"s3:GetObject", "bucket/key", false},
		{"s3:ListAllMyBuckets", "*", true},
		{"s3:ListAllMyBuckets", "arn:aws:s3:::*", false},
		{"s3:ListAllMyBuckets", "arn:aws:s3:::bucket", false},
		{"iam:PassRole", "*", true},
		{"ec2:RunInstances", "arn:aws:ec2:*:*:subnet/*", true},
		{"ec2:RunInstances", "arn:aws:ec2:*::image/ami-1", true},
		{"ec2:RunInstances", "arn:aws:s3:::b", false},
		{"ec2:TerminateInstances", "arn:aws:ec2:*:*:instance/*", true},
		{"ec2:TerminateInstances", "arn:aws:ec2:*:*:volume/*", false},
		{"dynamodb:GetItem", "arn:aws:dynamodb:*:*:table/t", true},
		{"dynamodb:GetItem", "arn:aws:dynamodb:*:*:table/t/index/*", true},
		{"lambda:InvokeFunction", "arn:aws:lambda:*:*:function:f:*", true},
		{"lambda:InvokeFunction", "arn:aws:lambda:us-east-1:1:function:f", true},
		{"apigateway:DELETE", "arn:aws:apigateway:us-east-1::/restapis/a1/authorizers/x", true}, // the second of two formats
		{"logs:PutLogEvents", "arn:aws:logs:*:*:log-group:/aws/x:*", true},
	} {
		fits, known := FitsResourceType(c.action, c.arn)
		if !known || fits != c.fits {
			t.Errorf("FitsResourceType(%q, %q) = %v, %v; want %v, true", c.action, c.arn, fits, known, c.fits)
		}
	}
	if _, known := FitsResourceType("s3:Nope", "*"); known {
		t.Error("unknown action known")
	}
}

func TestWildIntersect(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"", "", true},
		{"abc", "abc", true},
		{"abc", "abd", false},
		{"a*", "*b", true},
		{"a*c", "ab?", true},
		{"a*c", "ab?d", false},
		{"?*/?*", "bucket", false},
		{"?*/?*", "*", true},
		{"?*/?*", "b*k", true},
		{"?*/?*", "b/*", true},
		{"?*/?*", "/k", false},
		{"role/?*", "group/x-*", false},
		{"group/?*", "group/x-*", true},
		{"?*", "", false},
		{"*", "", true},
		{"a?c", "a*", true},
		{"a??", "a?", false},
		{"**", "x", true},
		{"\x01\x02", "b/*", false},
		{"\x01\x02", "b*", true},
		{"\x01\x02", "*", true},
		{"\x01\x02", "?", true},
		{"\x01\x02", "/", false},
		{"\x01\x02/?*", "b*/k", true},
		{"\x01\x02/?*", "*/*", true},
		{"\x02x", "*/x", false},
		{"\x02", "", true},
	} {
		if got := wildIntersect(c.a, c.b); got != c.want {
			t.Errorf("wildIntersect(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
		if got := wildIntersect(c.b, c.a); got != c.want {
			t.Errorf("wildIntersect(%q, %q) = %v, want %v", c.b, c.a, got, c.want)
		}
	}
}

func BenchmarkFitsResourceType(b *testing.B) {
	load()
	b.ReportAllocs()
	for b.Loop() {
		if fits, _ := FitsResourceType("iam:PutRolePolicy", "arn:aws:iam::111111111111:group/checkout-dev-*"); fits {
			b.Fatal("fits")
		}
	}
}

// TestEveryFormatFitsItsActions fills every placeholder of every resource
// type's ARN format with a sample value and requires the resulting ARN to
// fit each action naming that type, and "*" to fit every action.
func TestEveryFormatFitsItsActions(t *testing.T) {
	n := 0
	for _, a := range AllActions() {
		types, known := ResourceTypes(a)
		if !known {
			t.Fatalf("%s unknown", a)
		}
		if fits, _ := FitsResourceType(a, "*"); !fits {
			t.Errorf("%s does not fit *", a)
		}
		for _, rt := range types {
			for _, f := range strings.Split(rt.ARN, ", ") {
				arn := replaceVars(f, func(string) string { return "x1" })
				if fits, _ := FitsResourceType(a, arn); !fits {
					t.Errorf("%s does not fit %s (from %s)", a, arn, rt.ARN)
				}
			}
			n++
		}
	}
	if n < 20000 {
		t.Errorf("only %d action resource types", n)
	}
}
