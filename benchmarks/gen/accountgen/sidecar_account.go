package accountgen

// This file is the single-account generator the sidecar tests and
// benchmarks/sidecar use (moved here from the sidecar harness): one
// account with a request mix whose expected decisions are known, and
// the wide-role sweep of the rule-index tests. Generate (generate.go) is
// the organization-scale generator of the benchmarks.

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/iam2rego/iam2rego/translator/account"
	"github.com/iam2rego/iam2rego/translator/managed"
)

// GenOptions shape a generated account.
type GenOptions struct {
	// Principals is the number of IAM users and roles (one in five is a
	// user). At least 5.
	Principals int
	// WideStatements, when > 0, adds the role "wide-role" whose inline
	// policies have this many statements in all (statement i allows
	// s3:GetObject and s3:PutObject on arn:aws:s3:::wide-<i>/*), at most
	// WidePerDocument per policy: the rule-index sweep.
	WideStatements int
	// Seed makes the attachments and the request mix reproducible.
	Seed uint64
}

// Generated is a generated account in the formats `iam2rego build`
// reads (translator/account FORMATS.md), plus client requests against it.
type Generated struct {
	AccountID      string
	AccountDetails []byte // aws iam get-account-authorization-details
	Organization   []byte // the organization file (--org)
	Resources      []byte // the resource-policy file (--resource-policies)
	// Requests are raw sidecar inputs as clients send them: principals
	// as plain ARNs (role sessions as STS assumed-role ARNs), actions in
	// AWS's casing, resources as ARNs. About half are allowed.
	Requests []map[string]any
	// Expected is the decision each request was written to get
	// (Allow, ImplicitDeny or ExplicitDeny).
	Expected []string
}

// WidePerDocument is the most statements a generated wide-role policy
// holds: iam2rego's own limit per document.
const WidePerDocument = 1000

// GenAccountID is the generated account; GenManagementAccount is its
// organization's management account.
const (
	GenAccountID         = "333333333333"
	GenManagementAccount = "999999999999"
)

// awsManagedPool are AWS managed policies commonly attached to workload
// roles and users; their documents come from translator/managed.
var awsManagedPool = []string{
	"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
	"arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
	"arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
	"arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole",
	"arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
	"arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
	"arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
	"arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
	"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
	"arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess",
	"arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess",
	"arn:aws:iam::aws:policy/AmazonSNSReadOnlyAccess",
	"arn:aws:iam::aws:policy/AmazonKinesisReadOnlyAccess",
	"arn:aws:iam::aws:policy/CloudWatchLogsReadOnlyAccess",
	"arn:aws:iam::aws:policy/AmazonBedrockReadOnly",
	"arn:aws:iam::aws:policy/SecretsManagerReadWrite",
}

// humanManagedPool are attached to groups of people.
var humanManagedPool = []string{
	"arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess",
	"arn:aws:iam::aws:policy/AmazonRDSReadOnlyAccess",
	"arn:aws:iam::aws:policy/AWSCodeCommitReadOnly",
	"arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess",
	"arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
	"arn:aws:iam::aws:policy/ReadOnlyAccess",
}

type obj = map[string]any

func doc(statements ...obj) obj {
	list := make([]any, len(statements))
	for i, s := range statements {
		list[i] = s
	}
	return obj{"Version": "2012-10-17", "Statement": list}
}

func managedAttachment(arn string) obj {
	return obj{"PolicyName": arn[strings.LastIndex(arn, "/")+1:], "PolicyArn": arn}
}

// GenerateAccount writes a GAAD-shaped export of one account with
// o.Principals users and roles in an organization: per-team groups
// and customer managed policies, one unique inline policy per role, AWS
// managed attachments, permissions boundaries on a quarter of the roles,
// trust policies, bucket policies, and SCPs and RCPs (a region guard and
// a data perimeter). It also writes a mix of requests against it.
func GenerateAccount(o GenOptions) (*Generated, error) {
	if o.Principals < 5 {
		return nil, fmt.Errorf("GenerateAccount: need at least 5 principals, got %d", o.Principals)
	}
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	A := GenAccountID
	var pool, humans []string
	for _, arn := range awsManagedPool {
		if managed.Has(arn) {
			pool = append(pool, arn)
		}
	}
	for _, arn := range humanManagedPool {
		if managed.Has(arn) {
			humans = append(humans, arn)
		}
	}
	if len(pool) == 0 || len(humans) == 0 {
		return nil, fmt.Errorf("GenerateAccount: the managed policy snapshot lacks the usual policies")
	}
	users := o.Principals / 5
	roles := o.Principals - users
	teams := max(1, o.Principals/50)
	const created = "2024-05-06T07:08:09+00:00"
	teamPolicyARN := func(t int) string { return fmt.Sprintf("arn:aws:iam::%s:policy/teams/team-%d-data", A, t) }
	boundaryARN := fmt.Sprintf("arn:aws:iam::%s:policy/workload-boundary", A)
	var policies []any
	customer := func(arn, name, path string, d obj, n int) {
		policies = append(policies, obj{
			"PolicyName": name, "PolicyId": fmt.Sprintf("ANPA%016X", n), "Arn": arn, "Path": path,
			"DefaultVersionId": "v1", "AttachmentCount": 1, "PermissionsBoundaryUsageCount": 0, "IsAttachable": true,
			"CreateDate": created, "UpdateDate": created,
			"PolicyVersionList": []any{obj{"Document": d, "VersionId": "v1", "IsDefaultVersion": true, "CreateDate": created}},
		})
	}
	for t := 0; t < teams; t++ {
		bucket := fmt.Sprintf("arn:aws:s3:::bench-team-%d-data", t)
		customer(teamPolicyARN(t), fmt.Sprintf("team-%d-data", t), "/teams/", doc(
			obj{"Sid": "TeamBucket", "Effect": "Allow", "Action": []any{"s3:GetObject", "s3:PutObject", "s3:ListBucket"}, "Resource": []any{bucket, bucket + "/shared/*"}},
			obj{"Sid": "TeamTables", "Effect": "Allow", "Action": []any{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"}, "Resource": fmt.Sprintf("arn:aws:dynamodb:us-east-1:%s:table/team-%d-*", A, t)},
			obj{"Sid": "TeamModel", "Effect": "Allow", "Action": []any{"bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"}, "Resource": "arn:aws:bedrock:*::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
				"Condition": obj{"StringEquals": obj{"aws:RequestedRegion": []any{"us-east-1", "us-west-2"}}}},
			obj{"Sid": "NoDeletesWithoutMFA", "Effect": "Deny", "Action": []any{"s3:DeleteObject", "s3:DeleteObjectVersion"}, "Resource": bucket + "/*",
				"Condition": obj{"BoolIfExists": obj{"aws:MultiFactorAuthPresent": "false"}}},
		), t)
	}
	customer(boundaryARN, "workload-boundary", "/", doc(
		obj{"Sid": "WorkloadServices", "Effect": "Allow", "Action": []any{"s3:*", "dynamodb:*", "sqs:*", "sns:*", "bedrock:*", "logs:*", "kms:Decrypt", "secretsmanager:GetSecretValue"}, "Resource": "*"},
		obj{"Sid": "NoIAM", "Effect": "Deny", "Action": []any{"iam:*", "organizations:*"}, "Resource": "*"},
	), teams)

	// Groups: one per team, for the people.
	var groups []any
	for t := 0; t < teams; t++ {
		groups = append(groups, obj{
			"Path": "/teams/", "GroupName": fmt.Sprintf("team-%d", t), "GroupId": fmt.Sprintf("AGPA%016X", t),
			"Arn": fmt.Sprintf("arn:aws:iam::%s:group/teams/team-%d", A, t), "CreateDate": created,
			"GroupPolicyList": []any{obj{"PolicyName": "home-folder", "PolicyDocument": doc(
				obj{"Sid": "OwnHomeFolder", "Effect": "Allow", "Action": []any{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"},
					"Resource": fmt.Sprintf("arn:aws:s3:::bench-team-%d-data/home/${aws:username}/*", t)},
			)}},
			"AttachedManagedPolicies": []any{managedAttachment(teamPolicyARN(t)), managedAttachment(humans[t%len(humans)])},
		})
	}
	var userList []any
	var people []genPrincipal
	for u := 0; u < users; u++ {
		t := u % teams
		name := fmt.Sprintf("user-%d", u)
		arn := fmt.Sprintf("arn:aws:iam::%s:user/teams/team-%d/%s", A, t, name)
		e := obj{
			"Path": fmt.Sprintf("/teams/team-%d/", t), "UserName": name, "UserId": fmt.Sprintf("AIDA%016X", u), "Arn": arn,
			"CreateDate": created, "GroupList": []any{fmt.Sprintf("team-%d", t)}, "AttachedManagedPolicies": []any{},
			"Tags": []any{obj{"Key": "team", "Value": fmt.Sprint(t)}},
		}
		if u%10 == 9 {
			e["PermissionsBoundary"] = obj{"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": boundaryARN}
		}
		userList = append(userList, e)
		people = append(people, genPrincipal{arn: arn, name: name, team: t, idx: u})
	}
	trusts := []obj{
		doc(obj{"Effect": "Allow", "Principal": obj{"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}),
		doc(obj{"Effect": "Allow", "Principal": obj{"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole",
			"Condition": obj{"StringEquals": obj{"aws:SourceAccount": A}}}),
		doc(obj{"Effect": "Allow", "Principal": obj{"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}),
	}
	var roleList []any
	for r := 0; r < roles; r++ {
		t := r % teams
		name := fmt.Sprintf("svc-%d", r)
		arn := fmt.Sprintf("arn:aws:iam::%s:role/service-role/%s", A, name)
		inline := doc(
			obj{"Sid": "OwnBucket", "Effect": "Allow", "Action": []any{"s3:GetObject", "s3:PutObject", "s3:ListBucket"},
				"Resource": []any{fmt.Sprintf("arn:aws:s3:::bench-app-%d", r), fmt.Sprintf("arn:aws:s3:::bench-app-%d/*", r)}},
			obj{"Sid": "OwnQueue", "Effect": "Allow", "Action": []any{"sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"},
				"Resource": fmt.Sprintf("arn:aws:sqs:us-east-1:%s:queue-%d", A, r)},
			obj{"Sid": "OwnSecrets", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
				"Resource": fmt.Sprintf("arn:aws:secretsmanager:us-east-1:%s:secret:svc-%d/*", A, r)},
			obj{"Sid": "NeverDeleteBuckets", "Effect": "Deny", "Action": []any{"s3:DeleteBucket", "s3:PutBucketPolicy"}, "Resource": "*"},
		)
		attached := []any{managedAttachment(teamPolicyARN(t))}
		for _, k := range rng.Perm(len(pool))[:1+rng.IntN(2)] {
			attached = append(attached, managedAttachment(pool[k]))
		}
		e := obj{
			"Path": "/service-role/", "RoleName": name, "RoleId": fmt.Sprintf("AROA%016X", r), "Arn": arn, "CreateDate": created,
			"AssumeRolePolicyDocument": trusts[r%len(trusts)], "InstanceProfileList": []any{},
			"RolePolicyList":          []any{obj{"PolicyName": "own-resources", "PolicyDocument": inline}},
			"AttachedManagedPolicies": attached,
			"Tags":                    []any{obj{"Key": "team", "Value": fmt.Sprint(t)}, obj{"Key": "app", "Value": name}},
			"RoleLastUsed":            obj{},
		}
		if r%4 == 3 {
			e["PermissionsBoundary"] = obj{"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": boundaryARN}
		}
		roleList = append(roleList, e)
		people = append(people, genPrincipal{arn: arn, name: name, team: t, role: true, idx: r})
	}
	if o.WideStatements > 0 {
		// iam2rego reads at most 1,000 statements per document
		// (translator.MaxStatements): larger sweeps use several inline
		// policies of up to WidePerDocument statements.
		var inline []any
		for start := 0; start < o.WideStatements; start += WidePerDocument {
			var sts []obj
			for i := start; i < min(start+WidePerDocument, o.WideStatements); i++ {
				sts = append(sts, obj{"Sid": fmt.Sprintf("Wide%d", i), "Effect": "Allow", "Action": []any{"s3:GetObject", "s3:PutObject"},
					"Resource": fmt.Sprintf("arn:aws:s3:::wide-%d/*", i)})
			}
			inline = append(inline, obj{"PolicyName": fmt.Sprintf("wide-%d", start/WidePerDocument), "PolicyDocument": doc(sts...)})
		}
		roleList = append(roleList, obj{
			"Path": "/service-role/", "RoleName": "wide-role", "RoleId": "AROAWIDEROLE00000001",
			"Arn": fmt.Sprintf("arn:aws:iam::%s:role/service-role/wide-role", A), "CreateDate": created,
			"AssumeRolePolicyDocument": trusts[0], "InstanceProfileList": []any{},
			"RolePolicyList":          inline,
			"AttachedManagedPolicies": []any{}, "Tags": []any{}, "RoleLastUsed": obj{},
		})
	}
	gaad := obj{
		"UserDetailList": userList, "GroupDetailList": groups, "RoleDetailList": roleList, "Policies": policies,
		"IsTruncated": false,
	}
	g := &Generated{AccountID: A}
	var err error
	if g.AccountDetails, err = json.MarshalIndent(gaad, "", " "); err != nil {
		return nil, err
	}
	org := obj{
		"id": "o-bench00001", "managementAccount": GenManagementAccount,
		"policies": obj{
			"DenyOutsideApprovedRegions": doc(obj{"Sid": "DenyOutsideApprovedRegions", "Effect": "Deny",
				"NotAction": []any{"iam:*", "sts:*", "organizations:*", "support:*"}, "Resource": "*",
				"Condition": obj{"StringNotEquals": obj{"aws:RequestedRegion": []any{"us-east-1", "eu-west-1"}}}}),
			"DenyLeavingOrg": doc(obj{"Sid": "DenyLeavingOrg", "Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}),
			"DataPerimeter": doc(obj{"Sid": "DataPerimeter", "Effect": "Deny", "Principal": "*", "Action": []any{"s3:*", "sqs:*", "secretsmanager:*"}, "Resource": "*",
				"Condition": obj{"StringNotEqualsIfExists": obj{"aws:PrincipalOrgID": "o-bench00001"}, "BoolIfExists": obj{"aws:PrincipalIsAWSService": "false"}}}),
		},
		"root": obj{
			"id": "r-bnch", "scps": []any{"FullAWSAccess", "DenyLeavingOrg"}, "rcps": []any{},
			"accounts": []any{obj{"id": GenManagementAccount, "name": "management", "scps": []any{"FullAWSAccess"}}},
			"ous": []any{obj{
				"id": "ou-bnch-workload", "name": "Workloads", "scps": []any{"FullAWSAccess", "DenyOutsideApprovedRegions"}, "rcps": []any{"DataPerimeter"},
				"accounts": []any{obj{"id": A, "name": "workloads-prod", "scps": []any{"FullAWSAccess"}}},
			}},
		},
	}
	if g.Organization, err = json.MarshalIndent(org, "", " "); err != nil {
		return nil, err
	}
	var resources []any
	for t := 0; t < teams; t++ {
		bucket := fmt.Sprintf("arn:aws:s3:::bench-team-%d-data", t)
		resources = append(resources, obj{"arn": bucket, "account": A, "tags": obj{"team": fmt.Sprint(t)}, "policy": doc(
			obj{"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": []any{bucket, bucket + "/*"},
				"Condition": obj{"Bool": obj{"aws:SecureTransport": "false"}}},
			obj{"Sid": "AuditorReads", "Effect": "Allow", "Principal": obj{"AWS": "arn:aws:iam::444444444444:role/auditor"}, "Action": "s3:GetObject", "Resource": bucket + "/*"},
		)})
	}
	if g.Resources, err = json.MarshalIndent(obj{"resources": resources}, "", " "); err != nil {
		return nil, err
	}
	g.requests(rng, people, roles)
	return g, nil
}

// requests writes 2,000 client requests: role sessions and users asking
// for their own and others' resources.
type genPrincipal struct {
	arn, name string
	team      int
	role      bool
	idx       int
}

func (g *Generated) requests(rng *rand.Rand, people []genPrincipal, roles int) {
	A := g.AccountID
	add := func(expect, principal, action string, resource any, ctx obj) {
		in := obj{"principal": principal, "action": action, "resource": resource}
		if ctx != nil {
			in["context"] = ctx
		}
		g.Requests = append(g.Requests, in)
		g.Expected = append(g.Expected, expect)
	}
	secure := func(region string) obj {
		return obj{"aws:SecureTransport": "true", "aws:RequestedRegion": region}
	}
	for len(g.Requests) < 2000 {
		p := people[rng.IntN(len(people))]
		if !p.role {
			bucket := fmt.Sprintf("arn:aws:s3:::bench-team-%d-data", p.team)
			switch rng.IntN(3) {
			case 0:
				add("Allow", p.arn, "s3:GetObject", bucket+"/home/"+p.name+"/notes.txt", secure("us-east-1"))
			case 1:
				add("ImplicitDeny", p.arn, "s3:PutObject", bucket+"/home/someone-else/notes.txt", secure("us-east-1"))
			default:
				add("ExplicitDeny", p.arn, "s3:DeleteObject", bucket+"/home/"+p.name+"/notes.txt", secure("us-east-1"))
			}
			continue
		}
		session := fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/task-%d", A, p.name, rng.IntN(1000))
		other := (p.idx + 1 + rng.IntN(max(1, roles-1))) % roles // another role
		switch rng.IntN(6) {
		case 0:
			add("Allow", session, "s3:GetObject", obj{"arn": fmt.Sprintf("arn:aws:s3:::bench-app-%d/data/obj-%d.json", p.idx, rng.IntN(100)), "account": A}, secure("us-east-1"))
		case 1:
			add("ImplicitDeny", session, "s3:PutObject", obj{"arn": fmt.Sprintf("arn:aws:s3:::bench-app-%d/data/x.json", other), "account": A}, secure("us-east-1"))
		case 2:
			add("Allow", session, "dynamodb:Query", fmt.Sprintf("arn:aws:dynamodb:us-east-1:%s:table/team-%d-orders", A, p.team), secure("us-east-1"))
		case 3:
			add("ExplicitDeny", session, "bedrock:InvokeModel", obj{"arn": "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-haiku-20240307-v1:0", "account": A}, secure("us-west-2"))
		case 4:
			add("Allow", session, "sqs:SendMessage", fmt.Sprintf("arn:aws:sqs:us-east-1:%s:queue-%d", A, p.idx), secure("us-east-1"))
		default:
			add("ExplicitDeny", session, "s3:DeleteBucket", obj{"arn": fmt.Sprintf("arn:aws:s3:::bench-app-%d", p.idx), "account": A}, secure("us-east-1"))
		}
	}
}

// WideRequest asks, as role wide-role's session, for s3:GetObject on
// bucket wide-<i> (allowed by statement i when i < WideStatements), with
// the action in upper case as a careless client might send it.
func WideRequest(i int) map[string]any {
	return map[string]any{
		"principal": "arn:aws:sts::" + GenAccountID + ":assumed-role/wide-role/bench",
		"action":    "S3:GETOBJECT",
		"resource":  map[string]any{"arn": fmt.Sprintf("arn:aws:s3:::wide-%d/key.txt", i), "account": GenAccountID},
		"context":   map[string]any{"aws:SecureTransport": "true", "aws:RequestedRegion": "us-east-1"},
	}
}

// WriteFiles writes the three input files into dir and returns them as
// `iam2rego build` flags would name them.
func (g *Generated) WriteFiles(dir string) (account.Inputs, error) {
	in := account.Inputs{
		AccountDetails: []string{filepath.Join(dir, "account-details.json")},
		Org:            filepath.Join(dir, "organization.json"),
		Resources:      []string{filepath.Join(dir, "resource-policies.json")},
	}
	for path, data := range map[string][]byte{in.AccountDetails[0]: g.AccountDetails, in.Org: g.Organization, in.Resources[0]: g.Resources} {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return in, err
		}
	}
	return in, nil
}

// Export writes the files into dir and reads them back with
// account.Load, as `iam2rego build` does.
func (g *Generated) Export(dir string) (*account.Export, error) {
	in, err := g.WriteFiles(dir)
	if err != nil {
		return nil, err
	}
	return account.Load(in)
}
