package translator_test

import (
	"testing"

	"github.com/iam2rego/iam2rego/translator"
)

func TestMayMatch(t *testing.T) {
	c, err := translator.Compile("p.json", translator.Identity, []byte(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["s3:Get*","ec2:Describe?nstances","iam:PassRole"],"Resource":[
			"arn:aws:s3:::b/home/${aws:username}/*","arn:aws:ec2:*:*:instance/*","arn:aws:s3:::b/a?c","*"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	st := c.Policy.Statements[0]
	actions := map[string]bool{"s3:GetObject": true, "S3:GETOBJECT": true, "s3:PutObject": false, "ec2:DescribeInstances": true, "ec2:DescribeXInstances": false, "iam:passrole": true, "iam:PassRoles": false}
	for a, want := range actions {
		got := false
		for _, p := range st.Actions {
			got = got || p.MayMatch(a)
		}
		if got != want {
			t.Errorf("%s: MayMatch %v, want %v", a, got, want)
		}
	}
	resources := []struct {
		pattern int
		arn     string
		want    bool
	}{
		{0, "arn:aws:s3:::b/home/alice/x", true}, // a variable matches any text
		{0, "arn:aws:s3:::b/other/x", false},
		{1, "arn:aws:ec2:us-east-1:111111111111:instance/i-1", true},
		{1, "arn:aws:ec2:us-east-1:111111111111:volume/v-1", false},
		{2, "arn:aws:s3:::b/abc", true},
		{2, "arn:aws:s3:::b/abbc", false},
		{3, "anything", true},
	}
	for _, r := range resources {
		if got := st.Resources[r.pattern].MayMatch(r.arn); got != r.want {
			t.Errorf("%s against %s: MayMatch %v, want %v", st.Resources[r.pattern].Raw, r.arn, got, r.want)
		}
	}
}
