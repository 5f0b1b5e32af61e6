package lint

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iam2rego/iam2rego/analysis/access"
	"github.com/iam2rego/iam2rego/benchmarks/gen/accountgen"
	"github.com/iam2rego/iam2rego/bundles"
	"github.com/iam2rego/iam2rego/rego"
	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/iam2rego/iam2rego/translator/catalog"
	"github.com/open-policy-agent/opa/v1/bundle"
)

// lintPolicy lints one identity policy text on its own.
func lintPolicy(t *testing.T, text string) *Report {
	t.Helper()
	f := filepath.Join(t.TempDir(), "policy.json")
	if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	r := Run(Inputs{Paths: []string{f}})
	if len(r.Errors) > 0 {
		t.Fatalf("input errors: %v", r.Errors)
	}
	return r
}

// methodsFound lists the methods of a report's escalations.
func methodsFound(r *Report) []string {
	var out []string
	for _, e := range r.Escalations {
		out = append(out, e.Method)
	}
	return out
}

// The false findings of issue 20, gone because the engine decides: each
// policy is checked with a twin that differs in the one point that
// matters and is found, so that the test cannot pass by finding nothing.
func TestEscalationIsDecidedNotRead(t *testing.T) {
	for _, tc := range []struct {
		name, policy, method string
		found                bool
	}{
		{"PutRolePolicy on groups is no role escalation",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PutRolePolicy","Resource":"arn:aws:iam::111111111111:group/checkout-dev-*"}]}`,
			"iam-putrolepolicy", false},
		{"PutRolePolicy on roles is",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PutRolePolicy","Resource":"arn:aws:iam::111111111111:role/checkout-dev-*"}]}`,
			"iam-putrolepolicy", true},
		{"AttachRolePolicy limited to one read-only managed policy",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:AttachRolePolicy","Resource":"*","Condition":{"ArnEquals":{"iam:PolicyARN":"arn:aws:iam::aws:policy/ReadOnlyAccess"}}}]}`,
			"iam-attachrolepolicy", false},
		{"AttachRolePolicy limited to a pattern AdministratorAccess fits",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:AttachRolePolicy","Resource":"*","Condition":{"ArnLike":{"iam:PolicyARN":"arn:aws:iam::aws:policy/*"}}}]}`,
			"iam-attachrolepolicy", true},
		{"AttachRolePolicy of anything but AdministratorAccess (IAMFullAccess is attachable)",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:AttachRolePolicy","Resource":"*","Condition":{"ArnNotEquals":{"iam:PolicyARN":"arn:aws:iam::aws:policy/AdministratorAccess"}}}]}`,
			"iam-attachrolepolicy", true},
		{"a condition no request meets (aws:CalledVia is a service principal)",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:CalledVia":"lambda"}}}]}`,
			"iam-createaccesskey", false},
		{"a condition a request meets",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:CalledVia":"cloudformation.amazonaws.com"}}}]}`,
			"iam-createaccesskey", true},
		{"CreateAccessKey on the holder's own user",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"arn:aws:iam::*:user/${aws:username}"}]}`,
			"iam-createaccesskey", false},
		{"PassRole only to services that run no code of the holder's",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":["application-autoscaling.amazonaws.com","dax.amazonaws.com"]}}},{"Effect":"Allow","Action":["lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"}]}`,
			"passrole-lambda-invoke", false},
		{"PassRole to Lambda",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":["lambda.amazonaws.com","dax.amazonaws.com"]}}},{"Effect":"Allow","Action":["lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"}]}`,
			"passrole-lambda-invoke", true},
		{"an action with no resource type, granted only on an ARN",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:PassRole","lambda:CreateFunction"],"Resource":"arn:aws:*:*:111111111111:*"},{"Effect":"Allow","Action":"lambda:CreateEventSourceMapping","Resource":"arn:aws:lambda:*:111111111111:*"}]}`,
			"passrole-lambda-eventsource", false},
		{"EC2 user data on the account's instances",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:ModifyInstanceAttribute","ec2:StopInstances","ec2:StartInstances"],"Resource":"arn:aws:ec2:*:111111111111:instance/*"}]}`,
			"ec2-userdata", true},
		{"EC2 user data without StartInstances",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:ModifyInstanceAttribute","ec2:StopInstances"],"Resource":"arn:aws:ec2:*:111111111111:instance/*"}]}`,
			"ec2-userdata", false},
		{"launch template versions",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:CreateLaunchTemplateVersion","ec2:ModifyLaunchTemplate"],"Resource":"*"}]}`,
			"ec2-launchtemplate", true},
		{"CloudFormation change sets on existing stacks",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["cloudformation:CreateChangeSet","cloudformation:ExecuteChangeSet"],"Resource":"arn:aws:cloudformation:*:111111111111:stack/*"}]}`,
			"cloudformation-changeset", true},
		{"change sets limited to one named stack",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["cloudformation:CreateChangeSet","cloudformation:ExecuteChangeSet"],"Resource":"arn:aws:cloudformation:us-east-1:111111111111:stack/app/0a1b2c3d"}]}`,
			"cloudformation-changeset", false},
		{"ECR tokens are credentials",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:GetAuthorizationToken","Resource":"*"}]}`,
			"credentials-ecr:getauthorizationtoken", true},
		{"a key of another service, never in the action's requests",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:CreateAccessKey","ec2:RunInstances"],"Resource":"*","Condition":{"StringEquals":{"ec2:InstanceType":"t3.micro"}}}]}`,
			"iam-createaccesskey", false},
		{"the same key under IfExists",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:CreateAccessKey","ec2:RunInstances"],"Resource":"*","Condition":{"StringEqualsIfExists":{"ec2:InstanceType":"t3.micro"}}}]}`,
			"iam-createaccesskey", true},
		{"a key set on any service's requests (Lambda credentials)",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*","Condition":{"ArnLike":{"lambda:SourceFunctionArn":"arn:aws:lambda:*:*:function:rotate"}}}]}`,
			"iam-createaccesskey", true},
		{"SendCommand on documents alone runs nothing on an instance",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:SendCommand","Resource":["arn:aws:ssm:*:*:document/*"]}]}`,
			"ssm-sendcommand", false},
		{"SendCommand on instances and documents",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:SendCommand","Resource":["arn:aws:ssm:*:*:document/*","arn:aws:ec2:*:*:instance/*"]}]}`,
			"ssm-sendcommand", true},
		{"SendCommand on managed instances and documents",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:SendCommand","Resource":["arn:aws:ssm:*:*:managed-instance/*","arn:aws:ssm:*::document/AWS-RunShellScript"]}]}`,
			"ssm-sendcommand", true},
		{"SendCommand on instances alone (the document is authorised too)",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:SendCommand","Resource":["arn:aws:ec2:*:*:instance/*"]}]}`,
			"ssm-sendcommand", false},
		{"SendCommand on everything of SSM (managed instances and documents)",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:SendCommand","Resource":"arn:aws:ssm:*:*:*"}]}`,
			"ssm-sendcommand", true},
		{"a read limited by the object's tags (attribute-based)",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"s3:ExistingObjectTag/classification":"public"}}}]}`,
			"exfiltration-s3:getobject", false},
		{"the same read limited by the request's TLS",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}`,
			"exfiltration-s3:getobject", true},
		{"SendCommand on instances with a tag (attribute-based: which instances carry it is not known)",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:SendCommand","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringEquals":{"ssm:resourceTag/team":"ops"}}}]}`,
			"ssm-sendcommand", false},
		{"a grant to holders with a principal tag (the holder carries the tags the policy reads)",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/role":"admin"}}}]}`,
			"iam-createaccesskey", true},
		{"users named after the holder's team tag",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"arn:aws:iam::*:user/${aws:PrincipalTag/team}-*"}]}`,
			"iam-createaccesskey", true},
		{"a grant to holders with a tag, denied to holders with another value",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*","Condition":{"StringLike":{"aws:PrincipalTag/team":"*"}}},{"Effect":"Deny","Action":"iam:CreateAccessKey","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"x"}}}]}`,
			"iam-createaccesskey", true},
		{"denied to holders with any value of the tag the grant needs",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"ops"}}},{"Effect":"Deny","Action":"iam:CreateAccessKey","Resource":"*","Condition":{"StringLike":{"aws:PrincipalTag/team":"*"}}}]}`,
			"iam-createaccesskey", false},
		{"a guardrail for everyone but admins spares admins",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*"},{"Effect":"Deny","Action":"iam:CreateAccessKey","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/role":"admin"}}}]}`,
			"iam-createaccesskey", true},
		{"a guardrail that denies untagged holders (Null true)",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Null":{"aws:PrincipalTag/team":"true"}}}]}`,
			"iam-createaccesskey", true},
		{"a grant to tagged holders (Null false)",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*","Condition":{"Null":{"aws:PrincipalTag/team":"false"}}}]}`,
			"iam-createaccesskey", true},
		{"a grant to any team, a guardrail sparing ops",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*","Condition":{"StringLike":{"aws:PrincipalTag/team":"*"}}},{"Effect":"Deny","Action":"iam:CreateAccessKey","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"ops"}}}]}`,
			"iam-createaccesskey", true},
		{"a grant to two teams, a guardrail sparing the second",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":["dev","admin"]}}},{"Effect":"Deny","Action":"iam:CreateAccessKey","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"admin"}}}]}`,
			"iam-createaccesskey", true},
		{"a grant to holders with a boolean tag",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*","Condition":{"Bool":{"aws:PrincipalTag/admin":"true"}}}]}`,
			"iam-createaccesskey", true},
		{"a variable with a default names the tag",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"arn:aws:iam::*:user/${aws:PrincipalTag/team, 'none'}-*"},{"Effect":"Deny","Action":"iam:CreateAccessKey","Resource":"arn:aws:iam::*:user/none-*"}]}`,
			"iam-createaccesskey", true},
		{"a guardrail on a tag spares untagged holders",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*"},{"Effect":"Deny","Action":"iam:CreateAccessKey","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/contractor":"true"}}}]}`,
			"iam-createaccesskey", true},
		{"writing one's own inline policy",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PutUserPolicy","Resource":"arn:aws:iam::111111111111:user/${aws:username}"}]}`,
			"iam-putuserpolicy", true},
		{"attaching AdministratorAccess to oneself",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:AttachUserPolicy","Resource":"arn:aws:iam::111111111111:user/${aws:username}"}]}`,
			"iam-attachuserpolicy", true},
		{"a region guardrail denies IAM, whose requests are in us-east-1",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"eu-west-1"}}}]}`,
			"iam-createaccesskey", false},
		{"a region guardrail that spares us-east-1",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-west-1","us-east-1"]}}}]}`,
			"iam-createaccesskey", true},
		{"a grant to calls a service makes for a resource (aws:SourceArn): no user or role request",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:lambda:*:111111111111:function:x"}}}]}`,
			"iam-createaccesskey", false},
		{"a grant that has expired",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}}]}`,
			"iam-createaccesskey", false},
		{"a grant until 2099",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2099-01-01T00:00:00Z"}}}]}`,
			"iam-createaccesskey", true},
		{"one named secret, on \"*\" by its SecretId: not every secret",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringEquals":{"secretsmanager:SecretId":"arn:aws:secretsmanager:us-east-1:111111111111:secret:app-db-AbCdEf"}}}]}`,
			"exfiltration-secretsmanager:getsecretvalue", false},
		{"every secret",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`,
			"exfiltration-secretsmanager:getsecretvalue", true},
		{"held in the account its ARNs name most, whatever the statements' order",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:us-east-1:999999999999:key/abcd"},{"Effect":"Allow","Action":["iam:PassRole","lambda:CreateFunction","lambda:InvokeFunction"],"Resource":["arn:aws:iam::111111111111:role/app-*","arn:aws:lambda:us-east-1:111111111111:function:app-*"]}]}`,
			"passrole-lambda-invoke", true},
		{"held in the account a data perimeter names",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:ResourceAccount":"111111111111"}}}]}`,
			"iam-createaccesskey", true},
		{"RunInstances on instances alone (the image, subnet, interface and group are authorised too)",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*:111111111111:instance/*"},{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111111111111:role/ec2-*"}]}`,
			"passrole-ec2", false},
		{"RunInstances on every resource it needs",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:RunInstances","Resource":["arn:aws:ec2:*:111111111111:instance/*","arn:aws:ec2:*::image/*","arn:aws:ec2:*:111111111111:subnet/*","arn:aws:ec2:*:111111111111:network-interface/*","arn:aws:ec2:*:111111111111:security-group/*"]},{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111111111111:role/ec2-*"}]}`,
			"passrole-ec2", true},
		{"stacks named by a prefix (the stack ARN's id follows the name)",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cloudformation:UpdateStack","Resource":"arn:aws:cloudformation:us-east-1:111111111111:stack/dev-*"}]}`,
			"cloudformation-updatestack", true},
		{"task definitions named by a prefix (the revision follows the family)",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecs:RegisterTaskDefinition","ecs:RunTask"],"Resource":"arn:aws:ecs:*:111111111111:task-definition/app-*"},{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111111111111:role/app-*"}]}`,
			"passrole-ecs-runtask", true},
		{"a role passed to Lambda is attached to no EC2 instance (iam:AssociatedResourceArn)",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111111111111:role/app-*","Condition":{"StringEquals":{"iam:PassedToService":["ec2.amazonaws.com","lambda.amazonaws.com"]},"ArnLike":{"iam:AssociatedResourceARN":"arn:aws:ec2:us-east-1:111111111111:instance/*"}}},{"Effect":"Allow","Action":["lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"}]}`,
			"passrole-lambda-invoke", false},
		{"a role passed to Lambda for its functions",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111111111111:role/app-*","Condition":{"StringEquals":{"iam:PassedToService":["ec2.amazonaws.com","lambda.amazonaws.com"]},"ArnLike":{"iam:AssociatedResourceARN":"arn:aws:lambda:us-east-1:111111111111:function:*"}}},{"Effect":"Allow","Action":["lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"}]}`,
			"passrole-lambda-invoke", true},
		{"bucket policies on every bucket, under a condition no bucket-policy request carries (IfExists)",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualsIfExists":{"s3:x-amz-server-side-encryption":"aws:kms"}}}]}`,
			"exposure-s3:putbucketpolicy", true},
		{"PassRole is asked in the region of the service's request, not IAM's",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:PassRole","lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"eu-west-1"}}}]}`,
			"passrole-lambda-invoke", true},
		{"SecretId like \"*\": every secret",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringLike":{"secretsmanager:SecretId":"*"}}}]}`,
			"exfiltration-secretsmanager:getsecretvalue", true},
		{"SecretId present (Null false): every secret",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"Null":{"secretsmanager:SecretId":"false"}}}]}`,
			"exfiltration-secretsmanager:getsecretvalue", true},
		{"access points of one account: every object",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"s3:DataAccessPointAccount":"111111111111"}}}]}`,
			"exfiltration-s3:getobject", true},
		{"a role passed to App Runner for its services (tasks.apprunner)",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111111111111:role/app-*","Condition":{"StringEquals":{"iam:PassedToService":"tasks.apprunner.amazonaws.com"},"ArnLike":{"iam:AssociatedResourceArn":"arn:aws:apprunner:*:111111111111:service/*"}}},{"Effect":"Allow","Action":["apprunner:CreateService","apprunner:UpdateService"],"Resource":"*"}]}`,
			"passrole-apprunner", true},
		{"held in the account of its IAM ARNs, however many others it names",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"arn:aws:iam::222222222222:user/*"},{"Effect":"Allow","Action":"kms:Decrypt","Resource":["arn:aws:kms:us-east-1:111111111111:key/a","arn:aws:kms:us-east-1:111111111111:key/b"]}]}`,
			"iam-createaccesskey", true},
		{"one's own boundary, limited to one named boundary",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PutUserPermissionsBoundary","Resource":"arn:aws:iam::111111111111:user/${aws:username}","Condition":{"StringEquals":{"iam:PermissionsBoundary":"arn:aws:iam::111111111111:policy/DevBoundary"}}}]}`,
			"iam-putuserpermissionsboundary", false},
		{"one's own boundary, any",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PutUserPermissionsBoundary","Resource":"arn:aws:iam::111111111111:user/${aws:username}"}]}`,
			"iam-putuserpermissionsboundary", true},
		{"a Deny with a condition the probe contexts escape",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateLoginProfile","Resource":"*"},{"Effect":"Deny","NotAction":"iam:ListMFADevices","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`,
			"iam-createloginprofile", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := lintPolicy(t, tc.policy)
			if got := slices.Contains(methodsFound(r), tc.method); got != tc.found {
				t.Errorf("%s found: %t, want %t (found %v)", tc.method, got, tc.found, methodsFound(r))
			}
		})
	}
}

// A path cites the statement whose iam:PassRole the engine allows for it,
// not the first PassRole statement on a wildcard.
func TestEscalationCitesTheCompletingStatement(t *testing.T) {
	r := lintPolicy(t, `{"Version":"2012-10-17","Statement":[
		{"Sid":"Others","Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":["glue.amazonaws.com","robomaker.amazonaws.com","states.amazonaws.com"]}}},
		{"Sid":"Notebooks","Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111111111111:role/*","Condition":{"StringEquals":{"iam:PassedToService":"sagemaker.amazonaws.com"}}},
		{"Effect":"Allow","Action":["sagemaker:CreateNotebookInstance","sagemaker:CreatePresignedNotebookInstanceUrl"],"Resource":"*"}]}`)
	var notebook, glue *Escalation
	for i, e := range r.Escalations {
		switch e.Method {
		case "passrole-sagemaker-notebook":
			notebook = &r.Escalations[i]
		case "passrole-glue-devendpoint":
			glue = &r.Escalations[i]
		}
	}
	if notebook == nil {
		t.Fatalf("no SageMaker notebook path: %v", methodsFound(r))
	}
	if glue != nil {
		t.Errorf("a Glue path without glue actions: %+v", glue)
	}
	if c := notebook.Steps[0].Statements; len(c) != 1 || c[0].Pointer != "/Statement/1" || c[0].Sid != "Notebooks" {
		t.Errorf("the path cites %+v, want /Statement/1 (Notebooks)", c)
	}
	found := false
	for _, f := range r.Findings {
		if f.Code == CodeEscalationPath {
			found = true
			if f.Pointer != "/Statement/1/Action" {
				t.Errorf("the finding is at %s, want /Statement/1/Action", f.Pointer)
			}
		}
	}
	if !found {
		t.Error("no privilege_escalation_path finding")
	}
}

// buildFolder writes a build folder: iam2rego.json holding one account
// with the given users (name → managed policy ARNs).
func buildFolder(t *testing.T, manifest string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "iam2rego.json"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// prepared builds and prepares the bundle of a build folder, as can and
// who-can read one.
func prepared(t *testing.T, in account.Inputs) (*rego.Engine, *bundle.Bundle) {
	t.Helper()
	exp, err := account.Load(in)
	if err != nil {
		t.Fatal(err)
	}
	res, err := bundles.Build(exp, bundles.Options{})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := rego.PrepareBundle(context.Background(), res.Bundle)
	if err != nil {
		t.Fatal(err)
	}
	return eng, res.Bundle
}

// allowedBy reports whether who-can lists the principal for a request.
func allowedBy(t *testing.T, eng *rego.Engine, b *bundle.Bundle, principal string, q access.Query) bool {
	t.Helper()
	res, err := access.WhoCan(context.Background(), eng, b, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) > 0 {
		t.Fatalf("who-can %s on %s: undecided %v", q.Action, q.Resource, res.Errors)
	}
	for _, g := range res.Allowed {
		if g.Principal == principal {
			return true
		}
	}
	return false
}

// The holder of AmazonDynamoDBFullAccess has no Lambda or Data Pipeline
// path (it passes roles to application-autoscaling and dax only), and
// who-can agrees: not with iam:PassedToService = lambda, yes with dax.
func TestDynamoDBFullAccessHolder(t *testing.T) {
	dir := buildFolder(t, `{"accounts":[{"id":"111111111111","users":[{"name":"dynamo","managed":["arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"]}]}]}`)
	r := Run(Inputs{Paths: []string{dir}})
	if len(r.Errors) > 0 {
		t.Fatalf("input errors: %v", r.Errors)
	}
	for _, f := range r.Findings {
		if f.Code == CodeEscalationPath || f.Code == CodePrivilegeEscalation {
			t.Errorf("false finding: %s", f.Error())
		}
	}
	eng, b := prepared(t, account.Inputs{Folder: dir})
	user := "arn:aws:iam::111111111111:user/dynamo"
	role := "arn:aws:iam::111111111111:role/any"
	if allowedBy(t, eng, b, user, access.Query{Action: "iam:PassRole", Resource: role, Context: map[string]any{"iam:PassedToService": "lambda.amazonaws.com"}}) {
		t.Error("who-can lets the holder pass a role to Lambda")
	}
	if !allowedBy(t, eng, b, user, access.Query{Action: "iam:PassRole", Resource: role, Context: map[string]any{"iam:PassedToService": "dax.amazonaws.com"}}) {
		t.Error("who-can does not let the holder pass a role to DAX")
	}
}

// Every step of every escalation lint finds over an export (the corpus's
// real one, and a generated organization of 30 principals with SCPs, RCPs
// and resource policies) is a request who-can allows the same principal,
// with the same action, resource and context.
func TestLintCorpusEscalationsAgreeWithWhoCan(t *testing.T) {
	gaad := filepath.Join("..", "..", "..", "shared", "corpus", "gaad-small.json")
	if _, err := os.Stat(gaad); err != nil {
		t.Fatalf("the corpus export: %v", err)
	}
	set, err := accountgen.Generate(accountgen.Config{Seed: 20, Principals: 30})
	if err != nil {
		t.Fatal(err)
	}
	files, err := set.Write(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name              string
		in                account.Inputs
		principals, steps int // at least
	}{
		{"gaad-small", account.Inputs{AccountDetails: []string{gaad}}, 3, 20},
		{"generated", files.Inputs(), 3, 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			agreeWithWhoCan(t, tc.in, tc.principals, tc.steps)
		})
	}
}

func agreeWithWhoCan(t *testing.T, in account.Inputs, minPrincipals, minSteps int) {
	now := time.Now().Truncate(time.Second)
	r := Run(Inputs{Build: in, Now: now})
	if len(r.Errors) > 0 {
		t.Fatalf("input errors: %v", r.Errors)
	}
	eng, b := prepared(t, in)
	// who-can decides every principal at once: ask each distinct request
	// once, and check every principal lint found for it.
	type request struct{ action, resource, account, context string }
	asked := map[request]*access.WhoCanResult{}
	principals := map[string]bool{}
	steps := 0
	for _, e := range r.Escalations {
		if !strings.Contains(e.Principal, ":user/") && !strings.Contains(e.Principal, ":role/") {
			t.Errorf("escalation without a principal of the export: %+v", e)
		}
		principals[e.Principal] = true
		for _, s := range e.Steps {
			steps++
			ctx, _ := json.Marshal(s.Context)
			key := request{s.Action, s.Resource, s.ResourceAccount, string(ctx)}
			res := asked[key]
			if res == nil {
				var err error
				res, err = access.WhoCan(context.Background(), eng, b, access.Query{Action: s.Action, Resource: s.Resource, ResourceAccount: s.ResourceAccount, Context: s.Context})
				if err != nil || len(res.Errors) > 0 {
					t.Fatalf("who-can %s on %s: %v %v", s.Action, s.Resource, err, res)
				}
				asked[key] = res
			}
			if !slices.ContainsFunc(res.Allowed, func(g access.Grant) bool { return g.Principal == e.Principal }) {
				t.Errorf("%s %s: who-can does not allow %s on %s with %v", e.Principal, e.Method, s.Action, s.Resource, s.Context)
			}
		}
	}
	t.Logf("%d escalations of %d principals: %d steps, %d distinct who-can queries", len(r.Escalations), len(principals), steps, len(asked))
	// The same inputs give the same report: requests are decided on every
	// core, but which finishes first does not choose what is reported.
	again := Run(Inputs{Build: in, Now: now})
	a, _ := json.Marshal(r.Escalations)
	b2, _ := json.Marshal(again.Escalations)
	if string(a) != string(b2) {
		t.Error("a second run reports other escalations")
	}
	if len(principals) < minPrincipals || steps < minSteps {
		t.Errorf("%d principals with %d steps: the export's admins and deployers should show more", len(principals), steps)
	}
}

// Holders of the same policies share what the engine decided for a step
// (share.go), but not where the policies read the principal's name or
// tags: there each is decided for itself.
func TestSharedStepsKeepNamesAndTags(t *testing.T) {
	dir := buildFolder(t, `{"accounts":[{"id":"111111111111",
		"policies":[{"name":"keys","file":"keys.json"}],
		"users":[{"name":"alice","managed":["arn:aws:iam::111111111111:policy/keys"]},
		         {"name":"bob","managed":["arn:aws:iam::111111111111:policy/keys"]},
		         {"name":"carol","managed":["arn:aws:iam::111111111111:policy/keys"],"tags":{"level":"admin"}},
		         {"name":"dave","managed":["arn:aws:iam::111111111111:policy/keys"],"tags":{"level":"dev"}}]}]}`)
	keys := `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*","Condition":{"StringLike":{"aws:PrincipalArn":"*:user/alice"}}},
		{"Effect":"Allow","Action":"iam:CreateLoginProfile","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/level":"admin"}}},
		{"Effect":"Allow","Action":"iam:UpdateLoginProfile","Resource":"arn:aws:iam::111111111111:user/*"}]}`
	if err := os.WriteFile(filepath.Join(dir, "keys.json"), []byte(keys), 0o644); err != nil {
		t.Fatal(err)
	}
	r := Run(Inputs{Paths: []string{dir}})
	if len(r.Errors) > 0 {
		t.Fatalf("input errors: %v", r.Errors)
	}
	got := map[string][]string{}
	for _, e := range r.Escalations {
		who := e.Principal[strings.LastIndexByte(e.Principal, '/')+1:]
		got[e.Method] = append(got[e.Method], who)
	}
	for method, want := range map[string][]string{
		"iam-createaccesskey":    {"alice"},
		"iam-createloginprofile": {"carol"},
		"iam-updateloginprofile": {"alice", "bob", "carol", "dave"},
	} {
		if !slices.Equal(got[method], want) {
			t.Errorf("%s held by %v, want %v", method, got[method], want)
		}
	}
}

// kms:CreateGrant on "*": the engine lets IAM policies grant a key only
// when its key policy delegates to the account (IAM-SEMANTICS.md, KMS
// keys). With a key the build knows, holding the default key policy, the
// holder is found to manage its grants, and who-can agrees; a policy
// linted on its own (no key known) is not.
func TestResourceExposureOnKnownKeys(t *testing.T) {
	dir := t.TempDir()
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:CreateGrant","Resource":"*"}]}`
	gaad := `{"UserDetailList":[],"GroupDetailList":[],"Policies":[],"RoleDetailList":[{"Path":"/","RoleName":"app","RoleId":"AROAEXAMPLEAPP000001",
		"Arn":"arn:aws:iam::111111111111:role/app","CreateDate":"2020-01-01T00:00:00+00:00",
		"AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]},
		"RolePolicyList":[{"PolicyName":"grants","PolicyDocument":` + policy + `}],"AttachedManagedPolicies":[],"Tags":[]}]}`
	key := "arn:aws:kms:us-east-1:111111111111:key/0a1b2c3d-0000-0000-0000-000000000000"
	resources := `{"resources":[{"arn":"` + key + `","account":"111111111111","policy":{"Version":"2012-10-17","Statement":[
		{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"kms:*","Resource":"*"}]}}]}`
	for name, text := range map[string]string{"gaad.json": gaad, "resources.json": resources} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	in := account.Inputs{AccountDetails: []string{filepath.Join(dir, "gaad.json")}, Resources: []string{filepath.Join(dir, "resources.json")}}
	r := Run(Inputs{Build: in})
	if len(r.Errors) > 0 {
		t.Fatalf("input errors: %v", r.Errors)
	}
	var found *Escalation
	for i, e := range r.Escalations {
		if e.Method == "exposure-kms:creategrant" {
			found = &r.Escalations[i]
		}
	}
	if found == nil || found.Steps[0].Resource != key {
		t.Fatalf("kms:CreateGrant on the known key not found: %+v", r.Escalations)
	}
	eng, b := prepared(t, in)
	if !allowedBy(t, eng, b, found.Principal, access.Query{Action: "kms:CreateGrant", Resource: key, Context: found.Steps[0].Context}) {
		t.Error("who-can disagrees")
	}
	if slices.Contains(methodsFound(lintPolicy(t, policy)), "exposure-kms:creategrant") {
		t.Error("found on its own, where no key lets IAM policies grant")
	}
}

// Every action of every method is in the catalogue (a misspelt or retired
// one would be a method that is never found), and every method has a
// source.
func TestMethodsAreCatalogued(t *testing.T) {
	ids := map[string]bool{}
	for _, m := range methods {
		if m.Source == "" || m.Name == "" || ids[m.ID] {
			t.Errorf("method %q: no source or name, or listed twice", m.ID)
		}
		ids[m.ID] = true
		for i, s := range m.Steps {
			if _, ok := catalog.Lookup(s.Action); !ok {
				t.Errorf("method %s: %s is not in the catalogue", m.ID, s.Action)
			}
			if s.Same < 0 || s.Same > i {
				t.Errorf("method %s: step %d acts on the resource of step %d, not an earlier one", m.ID, i+1, s.Same)
			}
		}
	}
	if len(ids) < 78 {
		t.Errorf("%d methods, want the 49 escalations, 22 credentials exposures and 7 exfiltrations", len(ids))
	}
}
