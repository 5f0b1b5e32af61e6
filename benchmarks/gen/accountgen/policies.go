package accountgen

import (
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/iam2rego/iam2rego/translator/catalog"
	"github.com/iam2rego/iam2rego/translator/managed"
)

// Statement templates for customer managed and inline policies. Each is a
// pattern seen in real accounts; together they cover what makes a policy
// cheap (exact actions and ARNs, prefix wildcards) and what makes it
// expensive (inner wildcards, policy variables, NotAction/NotResource,
// many conditions).

type template struct {
	name   string
	weight int
	make   func(r *rng, e *env) []Stmt
}

var templates = []template{
	{"service-access", 30, serviceAccess},
	{"service-read-all", 10, serviceReadAll},
	{"long-tail", 10, longTail},
	{"s3-bucket", 8, s3Bucket},
	{"inner-wildcard", 5, innerWildcard},
	{"home-folder", 3, homeFolder},
	{"abac", 5, abac},
	{"pass-role", 5, passRole},
	{"kms-via-service", 3, kmsViaService},
	{"logs-write", 5, logsWrite},
	{"time-bound", 2, timeBound},
	{"not-resource", 2, notResource},
	{"deny-sensitive", 3, denySensitive},
	{"many-conditions", 3, manyConditions},
	{"tag-on-create", 2, tagOnCreate},
	{"region-deny", 2, regionDeny},
	{"ip-restrict", 1, ipRestrict},
}

var templateTotal = func() int {
	t := 0
	for _, x := range templates {
		t += x.weight
	}
	return t
}()

func pickTemplate(r *rng) template {
	n := r.IntN(templateTotal)
	for _, t := range templates {
		if n < t.weight {
			return t
		}
		n -= t.weight
	}
	return templates[0]
}

// one returns a single string, or a list for several.
func one(xs []string) any {
	if len(xs) == 1 {
		return xs[0]
	}
	return xs
}

func qualify(prefix string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = prefix + ":" + n
	}
	return out
}

func withARN(r *rng) service {
	for {
		s := pick(r, services)
		if s.arn != nil {
			return s
		}
	}
}

func sid(words ...string) string {
	var b strings.Builder
	for _, w := range words {
		for _, part := range strings.FieldsFunc(w, func(c rune) bool { return !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') }) {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

// serviceAccess: least-privilege access to a few named resources of one
// service, with exact actions and now and then a Get*/List* prefix.
func serviceAccess(r *rng, e *env) []Stmt {
	s := withARN(r)
	acts := qualify(s.prefix, sample(r, s.read, r.between(1, 5)))
	if r.chance(0.6) {
		acts = append(acts, qualify(s.prefix, sample(r, s.write, r.between(1, 4)))...)
	}
	if verb := s.prefix + ":" + pick(r, []string{"Get*", "List*", "Describe*"}); r.chance(0.2) && catalog.MatchesAnyAction(verb) {
		acts = append(acts, verb)
	}
	var res []string
	for i, n := 0, r.between(1, 3); i < n; i++ {
		name := e.someApp(r)
		res = append(res, s.arn(e, name))
		if s.prefix == "s3" {
			res = append(res, strings.TrimSuffix(s.arn(e, name), "/*"))
		}
	}
	sort.Strings(res)
	res = uniq(res)
	st := Stmt{Effect: "Allow", Action: one(acts), Resource: one(res)}
	if r.chance(0.7) {
		st.Sid = sid(s.prefix, e.app, "access")
	}
	return []Stmt{st}
}

// serviceReadAll: the Describe*/List*/Get* on "*" that console users get.
func serviceReadAll(r *rng, e *env) []Stmt {
	var acts []string
	for _, s := range sample(r, services, r.between(1, 4)) {
		for _, verb := range sample(r, []string{"Describe*", "List*", "Get*"}, r.between(1, 3)) {
			if catalog.MatchesAnyAction(s.prefix + ":" + verb) {
				acts = append(acts, s.prefix+":"+verb)
			}
		}
	}
	if len(acts) == 0 {
		acts = []string{"ec2:Describe*"}
	}
	return []Stmt{{Sid: "ReadOnlyConsole", Effect: "Allow", Action: one(acts), Resource: "*"}}
}

// longTail: literal actions of less common services, taken from the
// vocabulary of the AWS managed policies, on "*".
func longTail(r *rng, e *env) []Stmt {
	v := vocabulary()
	var acts []string
	for i, n := 0, r.between(1, 3); i < n; i++ {
		svc := pick(r, v.services)
		acts = append(acts, sample(r, v.actions[svc], r.between(1, 8))...)
	}
	sort.Strings(acts)
	return []Stmt{{Effect: "Allow", Action: one(uniq(acts)), Resource: "*"}}
}

// s3Bucket: the classic pair of statements for one bucket, listing with a
// prefix condition and object access below the prefix.
func s3Bucket(r *rng, e *env) []Stmt {
	bucket := "arn:aws:s3:::" + e.org + "-" + e.team + "-" + e.someApp(r) + "-" + e.account[8:]
	prefix := pick(r, []string{"reports", "exports", "raw", "curated", "models", "uploads"})
	return []Stmt{
		{Sid: "ListBucketPrefix", Effect: "Allow", Action: "s3:ListBucket", Resource: bucket,
			Condition: map[string]any{"StringLike": map[string]any{"s3:prefix": []string{prefix + "/*", prefix}}}},
		{Sid: "ObjectAccess", Effect: "Allow", Action: []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}, Resource: bucket + "/" + prefix + "/*"},
	}
}

// innerWildcard: patterns OPA cannot index, a * inside a word.
func innerWildcard(r *rng, e *env) []Stmt {
	acts := sample(r, []string{"s3:*Object*", "ec2:*Tags", "dynamodb:*Item", "logs:*LogEvents", "sqs:*Message*", "lambda:*Function*", "kms:*Key*", "ssm:*Parameter*"}, r.between(1, 3))
	res := sample(r, []string{
		"arn:aws:s3:::" + e.org + "-*-logs-" + e.account[8:] + "/*",
		"arn:aws:dynamodb:*:" + e.account + ":table/" + e.team + "-*",
		"arn:aws:sqs:*:" + e.account + ":" + e.team + "-*-events",
		"arn:aws:lambda:" + e.region + ":" + e.account + ":function:*-" + e.app + "-*",
		"arn:aws:ssm:*:" + e.account + ":parameter/" + e.team + "/*/config",
		"arn:aws:kms:*:" + e.account + ":key/*",
	}, r.between(1, 2))
	return []Stmt{{Sid: sid("wildcard", e.team), Effect: "Allow", Action: one(acts), Resource: one(res)}}
}

// homeFolder: per-user S3 home folders with ${aws:username}.
func homeFolder(r *rng, e *env) []Stmt {
	bucket := "arn:aws:s3:::" + e.org + "-home-" + e.account[8:]
	return []Stmt{
		{Sid: "ListOwnHome", Effect: "Allow", Action: "s3:ListBucket", Resource: bucket,
			Condition: map[string]any{"StringLike": map[string]any{"s3:prefix": []string{"home/${aws:username}/*", "home/${aws:username}"}}}},
		{Sid: "OwnHome", Effect: "Allow", Action: "s3:*", Resource: []string{bucket + "/home/${aws:username}", bucket + "/home/${aws:username}/*"}},
	}
}

// abac: attribute-based access, resource tag equals principal tag.
func abac(r *rng, e *env) []Stmt {
	switch r.IntN(3) {
	case 0:
		return []Stmt{{Sid: "ManageTeamInstances", Effect: "Allow",
			Action:    []string{"ec2:StartInstances", "ec2:StopInstances", "ec2:RebootInstances"},
			Resource:  "arn:aws:ec2:*:" + e.account + ":instance/*",
			Condition: map[string]any{"StringEquals": map[string]any{"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}}}
	case 1:
		return []Stmt{{Sid: "TeamSecrets", Effect: "Allow",
			Action:    []string{"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"},
			Resource:  "arn:aws:secretsmanager:*:" + e.account + ":secret:*",
			Condition: map[string]any{"StringEquals": map[string]any{"aws:ResourceTag/team": "${aws:PrincipalTag/team}", "aws:ResourceTag/env": "${aws:PrincipalTag/env}"}}}}
	default:
		return []Stmt{{Sid: "TeamTables", Effect: "Allow",
			Action:    []string{"dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"},
			Resource:  "arn:aws:dynamodb:*:" + e.account + ":table/*",
			Condition: map[string]any{"ForAllValues:StringEquals": map[string]any{"dynamodb:LeadingKeys": []string{"${aws:PrincipalTag/team}"}}}}}
	}
}

// passRole: iam:PassRole scoped to a role prefix and the receiving service.
func passRole(r *rng, e *env) []Stmt {
	svcs := []string{"lambda.amazonaws.com", "ecs-tasks.amazonaws.com", "states.amazonaws.com", "glue.amazonaws.com", "sagemaker.amazonaws.com"}
	return []Stmt{{Sid: "PassTeamRoles", Effect: "Allow", Action: "iam:PassRole",
		Resource:  "arn:aws:iam::" + e.account + ":role/" + e.team + "-*",
		Condition: map[string]any{"StringEquals": map[string]any{"iam:PassedToService": one(sample(r, svcs, r.between(1, 2)))}}}}
}

// kmsViaService: key use only through a service.
func kmsViaService(r *rng, e *env) []Stmt {
	svc := pick(r, []string{"s3", "secretsmanager", "dynamodb", "sqs"})
	return []Stmt{{Sid: "UseKeyVia" + sid(svc), Effect: "Allow",
		Action:    []string{"kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"},
		Resource:  "arn:aws:kms:" + e.region + ":" + e.account + ":key/" + keyID(e.team+svc),
		Condition: map[string]any{"StringEquals": map[string]any{"kms:ViaService": svc + "." + e.region + ".amazonaws.com"}}}}
}

func logsWrite(r *rng, e *env) []Stmt {
	g := "arn:aws:logs:" + e.region + ":" + e.account + ":log-group:/aws/lambda/" + e.team + "-" + e.app
	return []Stmt{
		{Effect: "Allow", Action: "logs:CreateLogGroup", Resource: "arn:aws:logs:" + e.region + ":" + e.account + ":*"},
		{Effect: "Allow", Action: []string{"logs:CreateLogStream", "logs:PutLogEvents"}, Resource: g + ":*"},
	}
}

// timeBound: a temporary grant with a date window.
func timeBound(r *rng, e *env) []Stmt {
	s := withARN(r)
	y := r.between(2024, 2027)
	return []Stmt{{Sid: "TemporaryAccess", Effect: "Allow", Action: one(qualify(s.prefix, sample(r, s.write, r.between(1, 3)))),
		Resource: s.arn(e, e.someApp(r)),
		Condition: map[string]any{
			"DateGreaterThan": map[string]any{"aws:CurrentTime": itoa(y) + "-01-01T00:00:00Z"},
			"DateLessThan":    map[string]any{"aws:CurrentTime": itoa(y) + "-12-31T23:59:59Z"},
		}}}
}

// notResource: everything in S3 except the production buckets.
func notResource(r *rng, e *env) []Stmt {
	return []Stmt{{Sid: "AllButProdBuckets", Effect: "Allow", Action: "s3:*",
		NotResource: []string{"arn:aws:s3:::" + e.org + "-*-prod-*", "arn:aws:s3:::" + e.org + "-*-prod-*/*"}}}
}

func denySensitive(r *rng, e *env) []Stmt {
	acts := sample(r, []string{"iam:CreateUser", "iam:CreateAccessKey", "iam:DeleteRole", "iam:DeleteRolePolicy",
		"iam:PutUserPolicy", "organizations:LeaveOrganization", "cloudtrail:StopLogging", "cloudtrail:DeleteTrail",
		"kms:ScheduleKeyDeletion", "kms:DisableKey", "s3:PutBucketPolicy", "s3:DeleteBucket", "ec2:DeleteVpc",
		"guardduty:DeleteDetector", "config:DeleteConfigurationRecorder"}, r.between(2, 7))
	return []Stmt{{Sid: "DenySensitive", Effect: "Deny", Action: one(acts), Resource: "*"}}
}

// manyConditions: one statement guarded by five or six conditions.
func manyConditions(r *rng, e *env) []Stmt {
	bucket := "arn:aws:s3:::" + e.org + "-" + e.team + "-" + e.someApp(r) + "-" + e.account[8:]
	return []Stmt{{Sid: "GuardedList", Effect: "Allow", Action: []string{"s3:ListBucket", "s3:ListBucketVersions"}, Resource: bucket,
		Condition: map[string]any{
			"StringLike":                map[string]any{"s3:prefix": []string{e.team + "/*", "shared/*"}},
			"NumericLessThanEquals":     map[string]any{"s3:max-keys": "1000"},
			"Bool":                      map[string]any{"aws:SecureTransport": "true"},
			"IpAddress":                 map[string]any{"aws:SourceIp": sample(r, corpCIDRs, r.between(1, 3))},
			"StringEquals":              map[string]any{"aws:RequestedRegion": e.region, "aws:PrincipalTag/team": e.team},
			"ForAllValues:StringEquals": map[string]any{"aws:TagKeys": []string{"team", "env", "cost-center"}},
		}}}
}

// tagOnCreate: create only with the caller's team tag.
func tagOnCreate(r *rng, e *env) []Stmt {
	return []Stmt{{Sid: "CreateTagged", Effect: "Allow", Action: []string{"ec2:RunInstances", "ec2:CreateVolume", "ec2:CreateTags"},
		Resource: []string{"arn:aws:ec2:*:" + e.account + ":instance/*", "arn:aws:ec2:*:" + e.account + ":volume/*"},
		Condition: map[string]any{
			"StringEquals":              map[string]any{"aws:RequestTag/team": "${aws:PrincipalTag/team}"},
			"ForAllValues:StringEquals": map[string]any{"aws:TagKeys": []string{"team", "env", "cost-center", "Name"}},
		}}}
}

// regionDeny: the region guardrail with NotAction (also used in SCPs).
func regionDeny(r *rng, e *env) []Stmt {
	return []Stmt{{Sid: "DenyOtherRegions", Effect: "Deny", NotAction: globalServices, Resource: "*",
		Condition: map[string]any{"StringNotEquals": map[string]any{"aws:RequestedRegion": uniq(sortedCopy([]string{"us-east-1", e.region}))}}}}
}

func ipRestrict(r *rng, e *env) []Stmt {
	return []Stmt{{Sid: "DenyOutsideCorpNetwork", Effect: "Deny", Action: "*", Resource: "*",
		Condition: map[string]any{
			"NotIpAddress": map[string]any{"aws:SourceIp": corpCIDRs},
			"Bool":         map[string]any{"aws:ViaAWSService": "false"},
		}}}
}

// forceMFA is the AWS-documented "manage own MFA, nothing else without
// MFA" policy: NotAction with a policy variable and an IfExists condition.
func forceMFA(acct string) *Doc {
	return newDoc(
		Stmt{Sid: "AllowManageOwnMFA", Effect: "Allow", Action: mfaSetup,
			Resource: []string{"arn:aws:iam::" + acct + ":mfa/${aws:username}", "arn:aws:iam::" + acct + ":user/${aws:username}"}},
		Stmt{Sid: "DenyAllExceptListedIfNoMFA", Effect: "Deny", NotAction: mfaSetup, Resource: "*",
			Condition: map[string]any{"BoolIfExists": map[string]any{"aws:MultiFactorAuthPresent": "false"}}},
	)
}

// developerBoundary is a permissions boundary: broad service access, no
// IAM escalation, roles only with the same boundary.
func developerBoundary(acct, name string) *Doc {
	return newDoc(
		Stmt{Sid: "ServiceAccess", Effect: "Allow", Action: []string{"s3:*", "dynamodb:*", "lambda:*", "logs:*", "sqs:*", "sns:*",
			"cloudwatch:*", "xray:*", "ssm:Get*", "kms:Decrypt", "kms:GenerateDataKey", "secretsmanager:GetSecretValue",
			"bedrock:Invoke*", "ec2:Describe*", "ec2:StartInstances", "ec2:StopInstances", "states:*", "athena:*", "glue:Get*",
			"iam:PassRole", "iam:Get*", "iam:List*", "sts:AssumeRole", "ecr:*", "ecs:*"}, Resource: "*"},
		Stmt{Sid: "NoIAMEscalation", Effect: "Deny", Action: []string{"iam:CreateUser", "iam:CreateAccessKey", "iam:PutUserPolicy",
			"iam:AttachUserPolicy", "iam:DeleteUserPermissionsBoundary", "iam:DeleteRolePermissionsBoundary",
			"iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"}, Resource: "*"},
		Stmt{Sid: "RolesKeepTheBoundary", Effect: "Deny", Action: []string{"iam:CreateRole", "iam:PutRolePermissionsBoundary"},
			Resource: "*", Condition: map[string]any{"StringNotEquals": map[string]any{
				"iam:PermissionsBoundary": "arn:aws:iam::" + acct + ":policy/boundaries/" + name}}},
	)
}

// appBoundary limits workload roles to data-plane calls.
func appBoundary() *Doc {
	return newDoc(
		Stmt{Sid: "DataPlane", Effect: "Allow", Action: []string{"s3:GetObject", "s3:PutObject", "s3:ListBucket",
			"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem", "sqs:SendMessage",
			"sqs:ReceiveMessage", "sqs:DeleteMessage", "sns:Publish", "logs:CreateLogStream", "logs:PutLogEvents",
			"kms:Decrypt", "kms:GenerateDataKey", "secretsmanager:GetSecretValue", "ssm:GetParameter*",
			"xray:PutTraceSegments", "cloudwatch:PutMetricData", "bedrock:InvokeModel", "lambda:InvokeFunction"}, Resource: "*"},
		Stmt{Sid: "NoControlPlane", Effect: "Deny", NotAction: []string{"s3:*", "dynamodb:*", "sqs:*", "sns:*", "logs:*",
			"kms:*", "secretsmanager:*", "ssm:*", "xray:*", "cloudwatch:*", "bedrock:*", "lambda:*", "sts:*"}, Resource: "*"},
	)
}

// customerPolicy composes statements from templates. Most policies are
// small; a few (the legacy catch-all policies of every real account) are
// large.
func customerPolicy(r *rng, e *env) *Doc {
	n := r.between(1, 4)
	switch x := r.Float64(); {
	case x < 0.03:
		n = r.between(25, 60)
	case x < 0.15:
		n = r.between(6, 15)
	}
	d := newDoc()
	sids := map[string]bool{}
	for len(d.Statement) < n {
		for _, st := range pickTemplate(r).make(r, e) {
			if st.Sid != "" {
				base := st.Sid
				for i := 2; sids[st.Sid]; i++ {
					st.Sid = base + itoa(i)
				}
				sids[st.Sid] = true
			}
			d.Statement = append(d.Statement, st)
		}
	}
	return d
}

// vocab is the action vocabulary of the AWS managed policies: literal
// actions by service prefix.
type vocab struct {
	services []string
	actions  map[string][]string
}

var vocabulary = sync.OnceValue(func() *vocab {
	by := map[string]map[string]bool{}
	for _, arn := range managed.ARNs() {
		doc, _, _ := managed.Lookup(arn)
		for _, st := range statementsOf(doc) {
			for _, a := range StringsOf(st["Action"]) {
				svc, name, ok := strings.Cut(a, ":")
				if !ok || strings.ContainsAny(name, "*?") || svc != strings.ToLower(svc) || name == "" || name[0] < 'A' || name[0] > 'Z' || !catalog.KnownAction(a) {
					continue
				}
				if by[svc] == nil {
					by[svc] = map[string]bool{}
				}
				by[svc][a] = true
			}
		}
	}
	v := &vocab{actions: map[string][]string{}}
	for svc, set := range by {
		if len(set) < 3 {
			continue
		}
		v.services = append(v.services, svc)
		for a := range set {
			v.actions[svc] = append(v.actions[svc], a)
		}
		sort.Strings(v.actions[svc])
	}
	sort.Strings(v.services)
	return v
})

// statementsOf returns the statements of a decoded document (Statement
// may be one object or a list).
func statementsOf(doc any) []map[string]any {
	m, _ := doc.(map[string]any)
	switch s := m["Statement"].(type) {
	case map[string]any:
		return []map[string]any{s}
	case []any:
		out := make([]map[string]any, 0, len(s))
		for _, x := range s {
			if st, ok := x.(map[string]any); ok {
				out = append(out, st)
			}
		}
		return out
	}
	return nil
}

// StringsOf reads a policy element that is a string or a list of strings
// (Action, Resource, ...) as a list.
func StringsOf(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func uniq(xs []string) []string {
	out := xs[:0:0]
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}

func sortedCopy(xs []string) []string {
	out := append([]string(nil), xs...)
	sort.Strings(out)
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }
