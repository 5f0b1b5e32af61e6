package kernel

import "testing"

func TestWitness(t *testing.T) {
	for _, tc := range []struct{ pattern, action, want string }{
		{"arn:aws:s3:::b/a/*", "s3:GetObject", "arn:aws:s3:::b/a/x"},
		{"arn:aws:s3:::b/a?c", "s3:GetObject", "arn:aws:s3:::b/axc"},
		{"*", "s3:GetObject", "arn:aws:s3:::iam2rego-witness"},
		{"*", "iam:PassRole", "arn:aws:iam::111111111111:iam2rego-witness"},
		{"*", "sqs:SendMessage", "arn:aws:sqs:us-east-1:111111111111:iam2rego-witness"},
		{"arn:aws:bedrock:*::foundation-model/*", "bedrock:InvokeModel", "arn:aws:bedrock:us-east-1::foundation-model/x"},
		{"arn:*:lambda:*:*:function:f", "lambda:InvokeFunction", "arn:aws:lambda:us-east-1:111111111111:function:f"},
		{"arn:aws:s3:::b/home/${aws:username}/*", "s3:GetObject", "arn:aws:s3:::b/home/alice/x"},
		{"arn:aws:s3:::b/${aws:PrincipalTag/team, 'none'}/${aws:SourceIdentity}", "s3:GetObject", "arn:aws:s3:::b/none/x"},
		{"arn:aws:iam::111111111111:role/r", "sts:AssumeRole", "arn:aws:iam::111111111111:role/r"},
		{"arn:aws:sqs:us-east-1:111111111111:q", "s3:GetObject", ""}, // another service
		{"not-an-arn", "s3:GetObject", ""},
		{"arn:aws-cn:s3:::b/*", "s3:GetObject", "arn:aws-cn:s3:::b/x"},
		{"arn:aws:*:*:*:*", "sqs:SendMessage", "arn:aws:sqs:us-east-1:111111111111:x"},
	} {
		if got := Witness(tc.pattern, tc.action, "111111111111", map[string]string{"aws:username": "alice"}); got != tc.want {
			t.Errorf("Witness(%q, %q) = %q, want %q", tc.pattern, tc.action, got, tc.want)
		}
	}
}
