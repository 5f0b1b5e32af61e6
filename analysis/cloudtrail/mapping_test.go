package cloudtrail

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/translator/catalog"
)

// TestTables: the embedded mapping parses, every entry names its source
// (parseTables refuses one that does not), and every action it maps to is
// in the catalogue.
func TestTables(t *testing.T) {
	tb, err := loadTables()
	if err != nil {
		t.Fatal(err)
	}
	for k, a := range tb.actions {
		if !catalog.KnownAction(a) {
			t.Errorf("%s maps to %s, which the catalogue does not have", k, a)
		}
	}
	if len(tb.actions) < 15 || len(tb.resources) < 8 || !tb.denied["AccessDenied"] {
		t.Errorf("tables look empty: %d actions, %d resource sources", len(tb.actions), len(tb.resources))
	}
	if _, err := parseTables([]byte(`{"actions":[{"eventSource":"s3.amazonaws.com","eventName":"X","action":"s3:Y"}]}`)); err == nil {
		t.Error("an entry without a source was accepted")
	}
}

func mapJSON(t *testing.T, rec string) (*Call, *Unmapped) {
	t.Helper()
	return Map(Item{File: "f.json", Pointer: "/Records/0", Raw: []byte(rec)})
}

const (
	userID    = `{"type":"IAMUser","arn":"arn:aws:iam::111111111111:user/dev/alice","accountId":"111111111111","userName":"alice"}`
	sessionID = `{"type":"AssumedRole","arn":"arn:aws:sts::111111111111:assumed-role/app/s1","accountId":"111111111111","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111111111111:role/svc/app"},"attributes":{"creationDate":"2024-06-01T09:00:00Z","mfaAuthenticated":"true"},"sourceIdentity":"alice@example.com"}}`
)

func event(identity, source, name, params string, extra string) string {
	return `{"eventTime":"2024-06-01T10:00:00Z","eventSource":"` + source + `","eventName":"` + name + `","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.5","userAgent":"ua","recipientAccountId":"111111111111","userIdentity":` + identity + `,"requestParameters":` + params + extra + `}`
}

func TestMapActionsAndResources(t *testing.T) {
	for _, tc := range []struct {
		note, source, name, params, extra string
		action, resource, account         string
	}{
		{"ListObjects is s3:ListBucket", "s3.amazonaws.com", "ListObjects", `{"bucketName":"b","prefix":"docs/"}`, "", "s3:ListBucket", "arn:aws:s3:::b", "111111111111"},
		{"HeadObject is s3:GetObject on the object", "s3.amazonaws.com", "HeadObject", `{"bucketName":"b","key":"k/1"}`, "", "s3:GetObject", "arn:aws:s3:::b/k/1", "111111111111"},
		{"an object action takes the object from resources[]", "s3.amazonaws.com", "PutObject", `null`, `,"resources":[{"ARN":"arn:aws:s3:::b","accountId":"222222222222"},{"ARN":"arn:aws:s3:::b/x"}]`, "s3:PutObject", "arn:aws:s3:::b/x", "111111111111"},
		{"a bucket action takes the bucket and its account", "s3.amazonaws.com", "GetBucketPolicy", `{"bucketName":"b"}`, `,"resources":[{"ARN":"arn:aws:s3:::b","accountId":"222222222222"}]`, "s3:GetBucketPolicy", "arn:aws:s3:::b", "222222222222"},
		{"ListBuckets names no resource", "s3.amazonaws.com", "ListBuckets", `{}`, "", "s3:ListAllMyBuckets", "*", ""},
		{"Lambda's versioned names", "lambda.amazonaws.com", "GetFunction20150331v2", `{"functionName":"fn"}`, "", "lambda:GetFunction", "arn:aws:lambda:us-east-1:111111111111:function:fn", "111111111111"},
		{"Lambda Invoke with an ARN", "lambda.amazonaws.com", "Invoke", `{"functionName":"arn:aws:lambda:us-east-1:333333333333:function:fn"}`, "", "lambda:InvokeFunction", "arn:aws:lambda:us-east-1:333333333333:function:fn", "333333333333"},
		{"Converse is bedrock:InvokeModel", "bedrock.amazonaws.com", "Converse", `{"modelId":"anthropic.claude-3-haiku-20240307-v1:0"}`, "", "bedrock:InvokeModel", "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0", "111111111111"},
		{"Retrieve names the knowledge base", "bedrock.amazonaws.com", "Retrieve", `{"knowledgeBaseId":"KB1"}`, "", "bedrock:Retrieve", "arn:aws:bedrock:us-east-1:111111111111:knowledge-base/KB1", "111111111111"},
		{"AssumeRole names the role", "sts.amazonaws.com", "AssumeRole", `{"roleArn":"arn:aws:iam::444444444444:role/x"}`, "", "sts:AssumeRole", "arn:aws:iam::444444444444:role/x", "444444444444"},
		{"Athena's requestParameters string", "s3.amazonaws.com", "GetObject", `"{\"bucketName\":\"b\",\"key\":\"k\"}"`, "", "s3:GetObject", "arn:aws:s3:::b/k", "111111111111"},
		{"CloudWatch logs as monitoring", "monitoring.amazonaws.com", "BatchGetServiceLevelIndicatorReport", `{}`, "", "cloudwatch:BatchGetServiceLevelIndicatorReport", "*", ""},
	} {
		t.Run(tc.note, func(t *testing.T) {
			c, u := mapJSON(t, event(userID, tc.source, tc.name, tc.params, tc.extra))
			if u != nil {
				t.Fatalf("unmapped: %+v", u)
			}
			if c.Action != tc.action || c.Resource != tc.resource || c.ResourceAccount != tc.account {
				t.Errorf("got %s on %s (%s), want %s on %s (%s)", c.Action, c.Resource, c.ResourceAccount, tc.action, tc.resource, tc.account)
			}
		})
	}
}

func TestMapIdentities(t *testing.T) {
	for _, tc := range []struct {
		note, identity          string
		principal, owner, fedBy string
		ctxWant                 map[string]any
		ctxAbsent               []string
	}{
		{"IAM user with access keys", userID, "arn:aws:iam::111111111111:user/dev/alice", "arn:aws:iam::111111111111:user/dev/alice", "",
			map[string]any{"aws:ViaAWSService": "false", "aws:SourceIp": "203.0.113.5"}, []string{"aws:MultiFactorAuthPresent", "aws:TokenIssueTime"}},
		{"assumed-role session with MFA", sessionID, "arn:aws:sts::111111111111:assumed-role/app/s1", "arn:aws:iam::111111111111:role/svc/app", "",
			map[string]any{"aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": json.Number("3600"), "aws:TokenIssueTime": "2024-06-01T09:00:00Z", "aws:SourceIdentity": "alice@example.com"}, nil},
		{"session without issuer", `{"type":"AssumedRole","arn":"arn:aws:sts::111111111111:assumed-role/app/s1"}`, "arn:aws:sts::111111111111:assumed-role/app/s1", "arn:aws:iam::111111111111:role/app", "", nil, []string{"aws:MultiFactorAuthPresent"}},
		{"root", `{"type":"Root","accountId":"111111111111"}`, "arn:aws:iam::111111111111:root", "arn:aws:iam::111111111111:root", "", nil, nil},
		{"federated user", `{"type":"FederatedUser","arn":"arn:aws:sts::111111111111:federated-user/bob","sessionContext":{"sessionIssuer":{"type":"IAMUser","arn":"arn:aws:iam::111111111111:user/broker"},"attributes":{"mfaAuthenticated":"false","creationDate":"2024-06-01T09:59:00Z"}}}`,
			"arn:aws:sts::111111111111:federated-user/bob", "arn:aws:iam::111111111111:user/broker", "arn:aws:iam::111111111111:user/broker", map[string]any{"aws:MultiFactorAuthPresent": "false"}, []string{"aws:MultiFactorAuthAge"}},
		{"AWS service", `{"type":"AWSService","invokedBy":"lambda.amazonaws.com"}`, "lambda.amazonaws.com", "lambda.amazonaws.com", "", nil, []string{"aws:ViaAWSService"}},
		{"forwarded by a CalledVia service", `{"type":"IAMUser","arn":"arn:aws:iam::111111111111:user/a","invokedBy":"athena.amazonaws.com"}`, "arn:aws:iam::111111111111:user/a", "arn:aws:iam::111111111111:user/a", "",
			map[string]any{"aws:ViaAWSService": "true", "aws:CalledVia": []any{"athena.amazonaws.com"}, "aws:CalledViaFirst": "athena.amazonaws.com"}, nil},
	} {
		t.Run(tc.note, func(t *testing.T) {
			c, u := mapJSON(t, event(tc.identity, "s3.amazonaws.com", "GetObject", `{"bucketName":"b","key":"k"}`, `,"tlsDetails":{"tlsVersion":"TLSv1.3"}`))
			if u != nil {
				t.Fatalf("unmapped: %+v", u)
			}
			if c.Principal != tc.principal || c.Owner != tc.owner || c.FederatedBy != tc.fedBy {
				t.Errorf("principal %s owner %s federatedBy %s", c.Principal, c.Owner, c.FederatedBy)
			}
			for k, v := range tc.ctxWant {
				if !reflect.DeepEqual(c.Context[k], v) {
					t.Errorf("%s = %#v, want %#v", k, c.Context[k], v)
				}
			}
			for _, k := range tc.ctxAbsent {
				if _, ok := c.Context[k]; ok {
					t.Errorf("%s is set (%v): the log does not carry it", k, c.Context[k])
				}
			}
			for k, v := range map[string]any{"aws:RequestedRegion": "us-east-1", "aws:UserAgent": "ua", "aws:SecureTransport": "true", "aws:CurrentTime": "2024-06-01T10:00:00Z", "aws:EpochTime": json.Number("1717236000")} {
				if !reflect.DeepEqual(c.Context[k], v) {
					t.Errorf("%s = %#v, want %#v", k, c.Context[k], v)
				}
			}
			in := c.Input()
			if tc.fedBy != "" {
				if p, _ := in["principal"].(map[string]any); p["federatedBy"] != tc.fedBy {
					t.Errorf("input principal %v", in["principal"])
				}
			} else if in["principal"] != tc.principal {
				t.Errorf("input principal %v", in["principal"])
			}
		})
	}
}

func TestMapContextEdges(t *testing.T) {
	c, _ := mapJSON(t, event(userID, "s3.amazonaws.com", "GetObject", `{"bucketName":"b","key":"k"}`, `,"vpcEndpointId":"vpce-1","vpcEndpointAccountId":"111111111111"`))
	if c.Context["aws:SourceVpce"] != "vpce-1" || c.Context["aws:VpcSourceIp"] != "203.0.113.5" || c.Context["aws:SourceIp"] != nil {
		t.Errorf("through an endpoint: %v", c.Context)
	}
	if c.Context["aws:SecureTransport"] != nil || !strings.Contains(strings.Join(c.Missing, ";"), "aws:SecureTransport") {
		t.Errorf("no tlsDetails: SecureTransport %v, missing %v", c.Context["aws:SecureTransport"], c.Missing)
	}
	rec := strings.Replace(event(userID, "s3.amazonaws.com", "GetObject", `{"bucketName":"b","key":"k"}`, ""), `"203.0.113.5"`, `"AWS Internal"`, 1)
	c, _ = mapJSON(t, rec)
	if c.Context["aws:SourceIp"] != nil || !strings.Contains(strings.Join(c.Missing, ";"), "aws:SourceIp") {
		t.Errorf("a service's source: %v, missing %v", c.Context, c.Missing)
	}
}

func TestMapOutcomes(t *testing.T) {
	for _, tc := range []struct {
		extra string
		aws   Outcome
		kind  string
	}{
		{"", AWSAllowed, ""},
		{`,"errorCode":"AccessDenied","errorMessage":"... with an explicit deny in a service control policy"`, AWSDenied, "ExplicitDeny"},
		{`,"errorCode":"AccessDeniedException","errorMessage":"... because no identity-based policy allows the x action"`, AWSDenied, "ImplicitDeny"},
		{`,"errorCode":"Client.UnauthorizedOperation"`, AWSDenied, ""},
		{`,"errorCode":"NoSuchKey"`, AWSFailed, ""},
	} {
		c, u := mapJSON(t, event(userID, "s3.amazonaws.com", "GetObject", `{"bucketName":"b","key":"k"}`, tc.extra))
		if u != nil || c.AWS != tc.aws || c.AWSDecision != tc.kind {
			t.Errorf("%s: %+v %+v", tc.extra, c, u)
		}
	}
}

func TestMapUnmapped(t *testing.T) {
	for _, tc := range []struct{ rec, reason string }{
		{`[1]`, UnmappedMalformed},
		{`{"eventName":5}`, UnmappedMalformed},
		{`{"eventType":"AwsServiceEvent","eventSource":"s3.amazonaws.com","eventName":"X"}`, UnmappedNotAPICall},
		{`{"eventTime":"2024-06-01T10:00:00Z"}`, UnmappedNoName},
		{`{"eventSource":"s3.amazonaws.com","eventName":"GetObject","eventTime":"yesterday"}`, UnmappedTime},
		{event(userID, "s3.amazonaws.com", "FrobnicateObject", `{}`, ""), UnmappedAction},
		{event(userID, "signin.amazonaws.com", "ConsoleLogin", `{}`, ""), UnmappedNotIAM},
		{event(`{"type":"AWSAccount","accountId":"222222222222"}`, "s3.amazonaws.com", "GetObject", `{"bucketName":"b","key":"k"}`, ""), UnmappedIdentity},
		{event(`{"type":"IAMUser"}`, "s3.amazonaws.com", "GetObject", `{"bucketName":"b","key":"k"}`, ""), UnmappedIdentity},
		{event(userID, "s3.amazonaws.com", "DeleteObjects", `{"bucketName":"b"}`, ""), UnmappedResource},
		{event(userID, "s3.amazonaws.com", "GetObject", `{}`, ""), UnmappedResource},
	} {
		c, u := mapJSON(t, tc.rec)
		if u == nil || u.Reason != tc.reason || u.Detail == "" {
			t.Errorf("%s: got %+v %+v, want %s", tc.rec, c, u, tc.reason)
		}
	}
}

func TestMapLakeEventData(t *testing.T) {
	inner := event(userID, "s3.amazonaws.com", "GetObject", `{"bucketName":"b","key":"k"}`, "")
	quoted, _ := json.Marshal(inner)
	for _, rec := range []string{`{"eventData":` + inner + `}`, `{"eventData":` + string(quoted) + `}`} {
		c, u := mapJSON(t, rec)
		if u != nil || c.Action != "s3:GetObject" {
			t.Errorf("%s: %+v %+v", rec, c, u)
		}
	}
}
