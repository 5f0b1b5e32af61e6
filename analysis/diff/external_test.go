package diff

import (
	"context"
	"fmt"
	"testing"

	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator/account"
)

// exportWith is one account with the role "app" (its trust policy given)
// and the bucket "data" (its policy given).
func exportWith(t *testing.T, trust, bucket string) *account.Export {
	t.Helper()
	doc := func(text string) *account.Document {
		v, err := schema.Decode("test.json", []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		return &account.Document{File: "test.json", Value: v}
	}
	return &account.Export{
		Accounts: []*account.Account{{ID: "111111111111", Roles: []*account.Role{{
			ARN: "arn:aws:iam::111111111111:role/app", Name: "app", Path: "/", Trust: doc(trust),
		}}}},
		Managed:   map[string]*account.ManagedPolicy{},
		Resources: []*account.ResourcePolicy{{ARN: "arn:aws:s3:::data", Account: "111111111111", Policy: doc(bucket)}},
	}
}

const (
	lambdaTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	ownBucket   = `{"Version":"2012-10-17","Statement":[{"Sid":"Own","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"}]}`
)

func externalDiff(t *testing.T, old, new *account.Export) []Access {
	t.Helper()
	ctx := context.Background()
	o, err := LoadExport(ctx, "old", old)
	if err != nil {
		t.Fatal(err)
	}
	n, err := LoadExport(ctx, "new", new)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Run(ctx, o, n, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Stats.Undecided > 0 {
		t.Fatalf("undecided probes: %v", rep.Errors)
	}
	var out []Access
	for _, a := range rep.Added {
		if a.External != "" {
			out = append(out, a)
		}
	}
	return out
}

// TestNewAccessFromOutside: what a NEW resource policy lets in from
// outside the account is new access, with its statement; what OLD
// already let in, or a grant NEW only narrows, is not.
func TestNewAccessFromOutside(t *testing.T) {
	old := exportWith(t, lambdaTrust, ownBucket)
	if got := externalDiff(t, old, exportWith(t, lambdaTrust, ownBucket)); len(got) != 0 {
		t.Errorf("the same state: %+v", got)
	}

	ecs := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com","ecs-tasks.amazonaws.com"]},"Action":"sts:AssumeRole"}]}`
	got := externalDiff(t, old, exportWith(t, ecs, ownBucket))
	if len(got) != 1 || got[0].Principal != "ecs-tasks.amazonaws.com" || got[0].External != "service" || got[0].Action != "sts:AssumeRole" ||
		got[0].Resource != "arn:aws:iam::111111111111:role/app" || len(got[0].Statements) == 0 {
		t.Errorf("a service added to the trust: %+v", got)
	}

	narrowed := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"111111111111"}}}]}`
	if got := externalDiff(t, old, exportWith(t, narrowed, ownBucket)); len(got) != 0 {
		t.Errorf("a condition added to the trust grants nothing new: %+v", got)
	}

	github := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"},` +
		`{"Sid":"GitHubActions","Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"},` +
		`"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/deploy:*"}}}]}`
	got = externalDiff(t, old, exportWith(t, github, ownBucket))
	if len(got) != 1 || got[0].External != "federated" || got[0].Action != "sts:AssumeRoleWithWebIdentity" || got[0].Statements[0].Sid != "GitHubActions" ||
		got[0].Context["token.actions.githubusercontent.com:sub"] == nil {
		t.Errorf("a federated provider added to the trust: %+v", got)
	}

	public := `{"Version":"2012-10-17","Statement":[{"Sid":"Public","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/public/*"}]}`
	got = externalDiff(t, old, exportWith(t, lambdaTrust, public))
	if len(got) != 1 || got[0].External != "public" || got[0].Resource != "arn:aws:s3:::data/public/x" || got[0].Statements[0].Sid != "Public" {
		t.Errorf("a public bucket: %+v", got)
	}

	other := `{"Version":"2012-10-17","Statement":[{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::data/*"}]}`
	got = externalDiff(t, old, exportWith(t, lambdaTrust, other))
	if len(got) != 2 || got[0].External != "account" || got[0].Principal != "222222222222" || got[0].Action != "s3:GetObject" || got[1].Action != "s3:PutObject" {
		t.Errorf("another account: %+v", got)
	}

	role := `{"Version":"2012-10-17","Statement":[{"Sid":"%s","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::333333333333:role/reader"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"}]}`
	withRole := exportWith(t, lambdaTrust, fmt.Sprintf(role, "Reader"))
	got = externalDiff(t, old, withRole)
	if len(got) != 1 || got[0].External != "principal" || got[0].Principal != "arn:aws:iam::333333333333:role/reader" || got[0].Statements[0].Sid != "Reader" {
		t.Errorf("a role of another account, by statement: %+v", got)
	}
	if got := externalDiff(t, withRole, exportWith(t, lambdaTrust, fmt.Sprintf(role, "RenamedReader"))); len(got) != 0 {
		t.Errorf("a renamed Sid grants nothing new: %+v", got)
	}
}
