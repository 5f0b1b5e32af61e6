package accountgen

// The vocabulary of synthesised policies: real service prefixes, real action
// names and real ARN formats (as in the service authorization reference),
// for the services customer policies mostly talk about. Templates use
// these; the long tail of services comes from the AWS managed policies,
// which are attached as they are.

// service is one AWS service as customer policies use it.
type service struct {
	prefix string
	// read, write: real action names, split the way least-privilege
	// policies split them.
	read, write []string
	// arn formats a resource of the service; "" means the actions take
	// Resource "*" (Describe*/List* style services).
	arn func(e *env, name string) string
	// principal is the service principal that assumes roles for the
	// service, when it has one.
	principal string
}

// env is what a template needs to name resources: the account, a region
// and the team and application the policy is for.
type env struct {
	account, region, team, app, org string
	// apps are the team's applications, whose resources exist in the
	// account (resource-policy file); policies mostly name those.
	apps []string
}

// someApp names an application of the team, now and then another one (a
// policy for a resource that is gone or not exported).
func (e *env) someApp(r *rng) string {
	if len(e.apps) > 0 && r.chance(0.85) {
		return pick(r, e.apps)
	}
	return pick(r, apps)
}

var services = []service{
	{
		prefix: "s3",
		read:   []string{"GetObject", "GetObjectVersion", "GetObjectTagging", "ListBucket", "GetBucketLocation", "ListBucketVersions", "GetBucketTagging", "GetEncryptionConfiguration"},
		write:  []string{"PutObject", "DeleteObject", "PutObjectTagging", "AbortMultipartUpload", "ListMultipartUploadParts", "PutLifecycleConfiguration", "DeleteObjectVersion"},
		arn: func(e *env, name string) string {
			return "arn:aws:s3:::" + e.org + "-" + e.team + "-" + name + "-" + e.account[8:] + "/*"
		},
	},
	{
		prefix: "dynamodb",
		read:   []string{"GetItem", "BatchGetItem", "Query", "Scan", "DescribeTable", "ConditionCheckItem", "DescribeStream", "GetRecords", "GetShardIterator", "ListStreams"},
		write:  []string{"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "UpdateTable"},
		arn: func(e *env, name string) string {
			return "arn:aws:dynamodb:" + e.region + ":" + e.account + ":table/" + e.team + "-" + name
		},
	},
	{
		prefix: "sqs",
		read:   []string{"ReceiveMessage", "GetQueueAttributes", "GetQueueUrl", "ListQueueTags"},
		write:  []string{"SendMessage", "DeleteMessage", "ChangeMessageVisibility", "PurgeQueue", "SetQueueAttributes"},
		arn: func(e *env, name string) string {
			return "arn:aws:sqs:" + e.region + ":" + e.account + ":" + e.team + "-" + name
		},
	},
	{
		prefix: "sns",
		read:   []string{"GetTopicAttributes", "ListSubscriptionsByTopic", "ListTagsForResource"},
		write:  []string{"Publish", "Subscribe", "SetTopicAttributes", "TagResource"},
		arn: func(e *env, name string) string {
			return "arn:aws:sns:" + e.region + ":" + e.account + ":" + e.team + "-" + name
		},
	},
	{
		prefix:    "lambda",
		read:      []string{"GetFunction", "GetFunctionConfiguration", "ListVersionsByFunction", "GetPolicy", "ListTags"},
		write:     []string{"InvokeFunction", "UpdateFunctionCode", "UpdateFunctionConfiguration", "PublishVersion", "DeleteFunction", "CreateAlias"},
		principal: "lambda.amazonaws.com",
		arn: func(e *env, name string) string {
			return "arn:aws:lambda:" + e.region + ":" + e.account + ":function:" + e.team + "-" + name
		},
	},
	{
		prefix: "logs",
		read:   []string{"DescribeLogStreams", "GetLogEvents", "FilterLogEvents", "GetQueryResults"},
		write:  []string{"CreateLogGroup", "CreateLogStream", "PutLogEvents", "PutRetentionPolicy"},
		arn: func(e *env, name string) string {
			return "arn:aws:logs:" + e.region + ":" + e.account + ":log-group:/aws/lambda/" + e.team + "-" + name + ":*"
		},
	},
	{
		prefix: "kms",
		read:   []string{"Decrypt", "DescribeKey", "GetKeyPolicy", "ListResourceTags"},
		write:  []string{"Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "CreateGrant"},
		arn: func(e *env, name string) string {
			return "arn:aws:kms:" + e.region + ":" + e.account + ":key/" + keyID(e.team+name)
		},
	},
	{
		prefix: "secretsmanager",
		read:   []string{"GetSecretValue", "DescribeSecret", "ListSecretVersionIds", "GetResourcePolicy"},
		write:  []string{"PutSecretValue", "UpdateSecret", "RotateSecret", "TagResource"},
		arn: func(e *env, name string) string {
			return "arn:aws:secretsmanager:" + e.region + ":" + e.account + ":secret:" + e.team + "/" + name + "-*"
		},
	},
	{
		prefix: "ssm",
		read:   []string{"GetParameter", "GetParameters", "GetParametersByPath", "DescribeParameters", "GetParameterHistory"},
		write:  []string{"PutParameter", "DeleteParameter", "AddTagsToResource", "LabelParameterVersion"},
		arn: func(e *env, name string) string {
			return "arn:aws:ssm:" + e.region + ":" + e.account + ":parameter/" + e.team + "/" + name + "/*"
		},
	},
	{
		prefix:    "ec2",
		read:      []string{"DescribeInstances", "DescribeSecurityGroups", "DescribeVpcs", "DescribeSubnets", "DescribeVolumes", "DescribeImages", "DescribeTags"},
		write:     []string{"StartInstances", "StopInstances", "RebootInstances", "TerminateInstances", "CreateTags", "AttachVolume", "DetachVolume"},
		principal: "ec2.amazonaws.com",
		arn: func(e *env, name string) string {
			return "arn:aws:ec2:" + e.region + ":" + e.account + ":instance/*"
		},
	},
	{
		prefix: "ecr",
		read:   []string{"BatchGetImage", "GetDownloadUrlForLayer", "BatchCheckLayerAvailability", "DescribeImages", "DescribeRepositories", "ListImages"},
		write:  []string{"PutImage", "InitiateLayerUpload", "UploadLayerPart", "CompleteLayerUpload", "TagResource"},
		arn: func(e *env, name string) string {
			return "arn:aws:ecr:" + e.region + ":" + e.account + ":repository/" + e.team + "/" + name
		},
	},
	{
		prefix:    "ecs",
		read:      []string{"DescribeServices", "DescribeTasks", "ListTasks", "DescribeTaskDefinition"},
		write:     []string{"UpdateService", "RunTask", "StopTask", "StartTask"},
		principal: "ecs-tasks.amazonaws.com",
		arn: func(e *env, name string) string {
			return "arn:aws:ecs:" + e.region + ":" + e.account + ":service/" + e.team + "-cluster/" + name
		},
	},
	{
		prefix: "bedrock",
		read:   []string{"GetFoundationModel", "ListFoundationModels", "GetKnowledgeBase", "Retrieve"},
		write:  []string{"InvokeModel", "InvokeModelWithResponseStream", "RetrieveAndGenerate", "InvokeAgent"},
		arn: func(e *env, name string) string {
			return "arn:aws:bedrock:" + e.region + "::foundation-model/" + bedrockModels[len(name)%len(bedrockModels)]
		},
	},
	{
		prefix:    "states",
		read:      []string{"DescribeExecution", "DescribeStateMachine", "ListExecutions", "GetExecutionHistory"},
		write:     []string{"StartExecution", "StopExecution", "StartSyncExecution"},
		principal: "states.amazonaws.com",
		arn: func(e *env, name string) string {
			return "arn:aws:states:" + e.region + ":" + e.account + ":stateMachine:" + e.team + "-" + name
		},
	},
	{
		prefix: "kinesis",
		read:   []string{"GetRecords", "GetShardIterator", "DescribeStream", "DescribeStreamSummary", "ListShards"},
		write:  []string{"PutRecord", "PutRecords", "IncreaseStreamRetentionPeriod"},
		arn: func(e *env, name string) string {
			return "arn:aws:kinesis:" + e.region + ":" + e.account + ":stream/" + e.team + "-" + name
		},
	},
	{
		prefix:    "glue",
		read:      []string{"GetTable", "GetTables", "GetDatabase", "GetPartitions", "GetPartition"},
		write:     []string{"BatchCreatePartition", "UpdateTable", "CreateTable", "StartJobRun"},
		principal: "glue.amazonaws.com",
		arn: func(e *env, name string) string {
			return "arn:aws:glue:" + e.region + ":" + e.account + ":table/" + e.team + "_" + name + "/*"
		},
	},
	{
		prefix: "athena",
		read:   []string{"GetQueryExecution", "GetQueryResults", "GetWorkGroup", "ListQueryExecutions"},
		write:  []string{"StartQueryExecution", "StopQueryExecution"},
		arn: func(e *env, name string) string {
			return "arn:aws:athena:" + e.region + ":" + e.account + ":workgroup/" + e.team
		},
	},
	{
		prefix: "cloudformation",
		read:   []string{"DescribeStacks", "DescribeStackEvents", "GetTemplate", "ListStackResources"},
		write:  []string{"CreateStack", "UpdateStack", "DeleteStack", "CreateChangeSet", "ExecuteChangeSet"},
		arn: func(e *env, name string) string {
			return "arn:aws:cloudformation:" + e.region + ":" + e.account + ":stack/" + e.team + "-" + name + "/*"
		},
	},
	{
		prefix:    "sagemaker",
		read:      []string{"DescribeTrainingJob", "DescribeEndpoint", "DescribeModel", "ListTrainingJobs"},
		write:     []string{"CreateTrainingJob", "InvokeEndpoint", "CreateModel", "CreateEndpoint", "StopTrainingJob"},
		principal: "sagemaker.amazonaws.com",
		arn: func(e *env, name string) string {
			return "arn:aws:sagemaker:" + e.region + ":" + e.account + ":endpoint/" + e.team + "-" + name
		},
	},
	{
		prefix: "cloudwatch",
		read:   []string{"GetMetricData", "GetMetricStatistics", "ListMetrics", "DescribeAlarms"},
		write:  []string{"PutMetricData", "PutMetricAlarm", "SetAlarmState"},
	},
	{
		prefix: "xray",
		read:   []string{"GetTraceSummaries", "BatchGetTraces", "GetServiceGraph"},
		write:  []string{"PutTraceSegments", "PutTelemetryRecords"},
	},
}

var bedrockModels = []string{
	"anthropic.claude-3-haiku-20240307-v1:0",
	"anthropic.claude-3-5-sonnet-20240620-v1:0",
	"amazon.titan-embed-text-v2:0",
	"meta.llama3-8b-instruct-v1:0",
	"cohere.embed-english-v3",
}

var (
	teams = []string{"platform", "data", "ml", "payments", "search", "identity", "mobile", "web",
		"analytics", "security", "sre", "growth", "finance", "support", "checkout", "catalog",
		"ledger", "risk", "infra", "devex"}
	apps = []string{"orders", "billing", "catalog", "notifications", "checkout", "ledger", "reports",
		"ingest", "recommender", "fraud", "profiles", "pricing", "inventory", "shipping", "auth",
		"search", "events", "exports", "audit", "media"}
	envs    = []string{"prod", "staging", "dev", "sandbox"}
	regions = []string{"us-east-1", "us-east-1", "us-east-1", "us-west-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"}
	first   = []string{"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
		"mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yusuf",
		"amara", "bao", "chen", "dmitri", "elif", "farah", "goran", "hana", "ines", "jonas", "kenji",
		"lena", "mateo", "noor", "oskar", "priya", "quinn", "rosa", "sanjay", "tomas"}
	last = []string{"smith", "garcia", "nguyen", "kim", "mueller", "rossi", "silva", "tanaka", "okafor",
		"kowalski", "haddad", "jensen", "novak", "ivanova", "dubois", "murphy", "cohen", "patel",
		"larsen", "santos"}
	costCenters = []string{"cc-1001", "cc-1002", "cc-2040", "cc-3100", "cc-4200", "cc-5150"}
	// Corporate egress ranges (documentation prefixes, RFC 5737).
	corpCIDRs = []string{"192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/25"}
)

// Popular AWS managed policies, attached far more often than the rest.
var (
	popularHuman = []string{
		"ReadOnlyAccess", "job-function/ViewOnlyAccess", "AmazonS3ReadOnlyAccess", "AmazonEC2ReadOnlyAccess",
		"AmazonDynamoDBReadOnlyAccess", "CloudWatchReadOnlyAccess", "AWSLambda_ReadOnlyAccess",
		"AmazonSSMReadOnlyAccess", "IAMUserChangePassword", "IAMReadOnlyAccess", "SecurityAudit",
		"job-function/DataScientist", "job-function/DatabaseAdministrator", "AmazonBedrockReadOnly",
		"CloudWatchLogsReadOnlyAccess", "AWSCodeCommitReadOnly", "AWSCloudFormationReadOnlyAccess",
		"AWSSupportAccess", "job-function/Billing", "AmazonAthenaFullAccess", "AmazonRDSReadOnlyAccess",
		"AmazonVPCReadOnlyAccess", "AWSCloudTrail_ReadOnlyAccess", "AmazonS3FullAccess", "PowerUserAccess",
		"AmazonSageMakerFullAccess", "SecretsManagerReadWrite", "job-function/NetworkAdministrator",
		"job-function/SystemAdministrator", "AmazonBedrockFullAccess",
	}
	popularService = []string{
		"service-role/AWSLambdaBasicExecutionRole", "service-role/AWSLambdaVPCAccessExecutionRole",
		"service-role/AmazonECSTaskExecutionRolePolicy", "AmazonSSMManagedInstanceCore",
		"CloudWatchAgentServerPolicy", "AWSXRayDaemonWriteAccess", "service-role/AWSGlueServiceRole",
		"AmazonEC2ContainerRegistryReadOnly", "AmazonSQSFullAccess", "AmazonKinesisReadOnlyAccess",
	}
)

// Actions that region guardrails and MFA policies exempt: global services
// and the calls a user needs to set up MFA.
var (
	globalServices = []string{"iam:*", "organizations:*", "route53:*", "cloudfront:*", "support:*", "sts:*", "budgets:*", "waf:*"}
	mfaSetup       = []string{"iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices",
		"iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "sts:GetSessionToken", "iam:ChangePassword"}
)

// keyID is a deterministic KMS key id (UUID form) for a name.
func keyID(name string) string {
	h := uint64(1469598103934665603)
	for i := 0; i < len(name); i++ {
		h ^= uint64(name[i])
		h *= 1099511628211
	}
	const hex = "0123456789abcdef"
	var b [36]byte
	for i := range b {
		switch i {
		case 8, 13, 18, 23:
			b[i] = '-'
		default:
			b[i] = hex[h&15]
			h = h*6364136223846793005 + 1442695040888963407
			h ^= h >> 29
		}
	}
	return string(b[:])
}
