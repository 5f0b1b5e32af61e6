package lint

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestLintCorpusPerActionChecks lints all 1,594 AWS managed
// policies of the corpus and holds the per-action rules to what was read
// and judged when they were written (the counts measured then, plus about
// 15% for catalogue updates): AWS's own policies must not flood them.
// The measured counts were 18 condition_key_not_applicable (15 policies),
// 383 resource_type_mismatch (72 policies; 163 from one policy that lists
// every SageMaker action on endpoint, model and project ARNs), 128
// resource_fits_no_action (86 policies) and 1 unsatisfiable_condition.
func TestLintCorpusPerActionChecks(t *testing.T) {
	if testing.Short() {
		t.Skip("lints every managed policy")
	}
	f, err := os.Open("../../../shared/corpus/managed-policies.jsonl")
	if err != nil {
		t.Skipf("corpus not present: %v", err)
	}
	defer f.Close()
	var names []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		var p struct{ Name string }
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		names = append(names, p.Name)
	}
	if len(names) != 1594 {
		t.Fatalf("%d managed policies, want 1594", len(names))
	}
	r := Run(Inputs{Paths: names})
	if len(r.Errors) > 0 {
		t.Fatalf("input errors: %v", r.Errors[0])
	}
	count := map[string]int{}
	at := map[string]bool{} // "policy name code pointer"
	for _, e := range r.Findings {
		count[e.Code]++
		at[e.File[strings.LastIndexByte(e.File, '/')+1:]+" "+e.Code+" "+e.Pointer] = true
	}
	for code, bound := range map[string][2]int{
		CodeKeyNotApplicable:     {10, 21},
		CodeResourceTypeMismatch: {300, 440},
		CodeResourceFitsNoAction: {90, 150},
		CodeUnsatisfiable:        {1, 3},
	} {
		if n := count[code]; n < bound[0] || n > bound[1] {
			t.Errorf("%s: %d findings over the managed policies, want %d to %d", code, n, bound[0], bound[1])
		}
	}
	// Known true: each was checked against the policy text.
	for _, want := range []string{
		// aws:ViaAWSService is Bool, compared with "amplify.amazonaws.com".
		"AIOpsAssistantPolicy " + CodeUnsatisfiable + " /Statement/1/Condition/StringEquals/aws:ViaAWSService",
		// arn:aws:logs:*:*:/aws-glue/* lacks "log-group:".
		"AWSGlueConsoleFullAccess " + CodeResourceFitsNoAction + " /Statement/4/Resource/0",
		// arn:*:kms:*:::* has an extra colon: no key ARN matches it.
		"AmazonBedrockFullAccess " + CodeResourceFitsNoAction + " /Statement/3/Resource",
		"AmazonBedrockFullAccess " + CodeResourceTypeMismatch + " /Statement/3/Action/0",
		// sagemaker:DescribeInferenceComponent on endpoint and model ARNs.
		"AmazonBedrockReadOnly " + CodeResourceTypeMismatch + " /Statement/1/Action/3",
		// ec2:ResourceTag/... with ec2:DescribeInstances, which names no resource.
		"AWSServiceRoleForAmazonEKSNodegroup " + CodeKeyNotApplicable + " /Statement/0/Condition/StringLike/ec2:ResourceTag~1eks",
	} {
		if !at[want] {
			t.Errorf("not reported: %s", want)
		}
	}
	// Known good: no per-action finding. AWSCloud9User grants
	// ssmmessages:OpenDataChannel on arn:aws:ssm:*:*:session/*,
	// AWSElasticBeanstalkReadOnly logs:DescribeLogGroups on a log-group
	// pattern and AWSBackupFullAccess s3:ListAllMyBuckets on
	// arn:aws:s3:::* (actions naming no resource type, on wildcards or
	// another service's ARNs); AWSMigrationHubRefactorSpacesFullAccess
	// tags ELB v2 target groups, which the catalogue's merged
	// elasticloadbalancing entry does not list; SecurityAudit reads
	// apigateway:GET on /apis (the same for API Gateway).
	for _, name := range []string{"AmazonS3ReadOnlyAccess", "AWSLambdaBasicExecutionRole", "AmazonSSMManagedInstanceCore",
		"AWSCloud9User", "AWSElasticBeanstalkReadOnly", "AWSBackupFullAccess", "AWSMigrationHubRefactorSpacesFullAccess", "SecurityAudit"} {
		for k := range at {
			if strings.HasPrefix(k, name+" ") && perActionCode(strings.Fields(k)[1]) {
				t.Errorf("known good policy reported: %s", k)
			}
		}
	}
}

func perActionCode(code string) bool {
	switch code {
	case CodeKeyNotApplicable, CodeResourceTypeMismatch, CodeResourceFitsNoAction, CodeUnsatisfiable:
		return true
	}
	return false
}
