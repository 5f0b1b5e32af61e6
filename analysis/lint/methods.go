package lint

// The published ways to act with more permissions than one holds, and the
// actions that hand out credentials. Each is decided per holder (a user
// or role of a build, or a policy linted on its own) by the engine
// (decide.go): a method is found when every step is allowed, on a witness
// resource its policies name and in a request context that shows it, with
// the context values the method itself needs pinned (iam:PassedToService
// to the service the role is passed to, iam:PolicyARN to
// AdministratorAccess).

// The sources of the methods.
const (
	srcRhino          = "Rhino Security Labs, AWS IAM Privilege Escalation - Methods and Mitigation (2018)"
	srcBishopFox      = "Bishop Fox, Privilege Escalation in AWS (2019)"
	srcPathfinding    = "pathfinding.cloud, Datadog Security Labs' catalogue of AWS privilege escalation paths (2025)"
	srcCloudsplaining = "cloudsplaining 0.9, credentials exposure actions"
	srcExfiltration   = "cloudsplaining 0.9, data exfiltration actions"
	srcExposure       = "cloudsplaining 0.9, resource exposure: the catalogue's Permissions management access level"
)

// attachable are the policies an attacker attaches (iam:PolicyARN), in
// the order they are tried: AdministratorAccess, and the AWS managed
// policies that let their holder grant itself the rest (IAMFullAccess)
// or do nearly everything (PowerUserAccess), for a condition that lists
// or excludes AdministratorAccess alone.
var attachable = []string{
	"arn:aws:iam::aws:policy/AdministratorAccess",
	"arn:aws:iam::aws:policy/IAMFullAccess",
	"arn:aws:iam::aws:policy/PowerUserAccess",
}

// method is one escalation method or credentials exposure.
type method struct {
	ID     string // stable, lower-case; in messages and the JSON output
	Code   string // CodePrivilegeEscalation, CodeEscalationPath or CodeCredentialsExposure
	Name   string // what the holder can do, in words
	Source string
	Steps  []step
}

// step is one request of a method.
type step struct {
	Action string // lower-cased
	// Other: the request must be allowed on a resource other than the
	// holder itself, named by "*", NotResource or a pattern with a
	// wildcard (a policy scoped to the holder's own user or to named
	// resources is not a method, unless Self).
	Other bool
	// Every: the request must be allowed on any resource of the action's
	// type, named by "*", NotResource or a pattern whose resource part is
	// only wildcards (arn:aws:s3:::*/*), not by a narrower pattern.
	Every bool
	// Pinned are the context values the method needs, one alternative
	// per probe set: these keys take these values (the step holds when
	// one alternative is allowed).
	Pinned []map[string]any
	// Targets are the resource types the step must act on, when the
	// action has others that do not make the method (ssm:SendCommand's
	// documents): witnesses are of one of these types, and a generic one
	// (for "*") is of the first.
	Targets []string
	// Self: the holder's own user or role is a resource of the step too,
	// whatever Other says: writing one's own policy or boundary is the
	// escalation itself.
	Self bool
	// Same is the 1-based index of an earlier step of the method whose
	// resource this step must act on (invoke the function one created,
	// restart the instance whose user data one rewrote): the two are
	// decided together, on one resource both may name.
	Same int
}

// sameAs makes a step act on the resource of step i (1-based).
func sameAs(s step, i int) step {
	s.Same = i
	return s
}

// onCreated makes a PassRole path's last step act on the resource its
// first service step created (step 2: step 1 passes the role).
func onCreated(m method) method {
	m.Steps[len(m.Steps)-1].Same = 2
	return m
}

// self makes a method's step also act on the holder itself.
func self(m method) method {
	m.Steps[0].Self = true
	return m
}

// onEach makes step i of a method act on the first of types, and adds a
// request of the same action on each of the others: an action with
// several required resource types is authorised on each (ec2:RunInstances
// on the instance, its image, subnet, network interface and security
// group).
func onEach(m method, i int, types ...string) method {
	m.Steps[i].Targets = types[:1]
	for _, t := range types[1:] {
		m.Steps = append(m.Steps, at(also(m.Steps[i].Action), t))
	}
	return m
}

// at sets a step's target resource types.
func at(s step, targets ...string) step {
	s.Targets = targets
	return s
}

func on(action string) step   { return step{Action: action, Other: true} }
func also(action string) step { return step{Action: action} }

// boundary is a step that sets a principal's permissions boundary to a
// policy that allows much (an iam:PermissionsBoundary condition that
// names one narrow boundary leaves no escalation).
func boundary(action string) step { return withAttachable(action, "iam:PermissionsBoundary") }

// attach is a step that attaches a policy that allows much (iam:PolicyARN).
func attach(action string) step { return withAttachable(action, "iam:PolicyARN") }

// withAttachable is a step on another's resource with key pinned to each
// of the attachable policies in turn.
func withAttachable(action, key string) step {
	var pins []map[string]any
	for _, p := range attachable {
		pins = append(pins, map[string]any{key: p})
	}
	return step{Action: action, Other: true, Pinned: pins}
}
func passTo(service string) step {
	return step{Action: "iam:passrole", Other: true, Pinned: []map[string]any{{"iam:PassedToService": service}}}
}
func one(id, action, name, src string) method {
	return method{ID: id, Code: CodePrivilegeEscalation, Name: name, Source: src, Steps: []step{on(action)}}
}
func pass(id, service, name, src string, actions ...string) method {
	steps := []step{passTo(service)}
	for _, a := range actions {
		steps = append(steps, also(a))
	}
	return method{ID: id, Code: CodeEscalationPath, Name: name, Source: src, Steps: steps}
}
func combo(id, name, src string, steps ...step) method {
	return method{ID: id, Code: CodeEscalationPath, Name: name, Source: src, Steps: steps}
}
func exfiltrates(action, name string) method {
	return method{ID: "exfiltration-" + action, Code: CodeDataExfiltration, Name: name, Source: srcExfiltration, Steps: []step{{Action: action, Every: true}}}
}
func exposes(action, name string) method {
	return method{ID: "credentials-" + action, Code: CodeCredentialsExposure, Name: name, Source: srcCloudsplaining, Steps: []step{also(action)}}
}

// methods is the catalogue, in report order.
var methods = []method{
	// One action on another principal or policy.
	one("iam-createpolicyversion", "iam:createpolicyversion", "write a new default version of a managed policy", srcRhino),
	one("iam-setdefaultpolicyversion", "iam:setdefaultpolicyversion", "make an older, broader version of a managed policy the default", srcRhino),
	one("iam-createaccesskey", "iam:createaccesskey", "create access keys for another user", srcRhino),
	one("iam-createloginprofile", "iam:createloginprofile", "set a console password for another user", srcRhino),
	one("iam-updateloginprofile", "iam:updateloginprofile", "change another user's console password", srcRhino),
	self(method{ID: "iam-attachuserpolicy", Code: CodePrivilegeEscalation, Name: "attach AdministratorAccess to a user", Source: srcRhino, Steps: []step{attach("iam:attachuserpolicy")}}),
	{ID: "iam-attachgrouppolicy", Code: CodePrivilegeEscalation, Name: "attach AdministratorAccess to a group", Source: srcRhino, Steps: []step{attach("iam:attachgrouppolicy")}},
	self(method{ID: "iam-attachrolepolicy", Code: CodePrivilegeEscalation, Name: "attach AdministratorAccess to a role", Source: srcRhino, Steps: []step{attach("iam:attachrolepolicy")}}),
	self(one("iam-putuserpolicy", "iam:putuserpolicy", "write an inline policy of a user", srcRhino)),
	one("iam-putgrouppolicy", "iam:putgrouppolicy", "write an inline policy of a group", srcRhino),
	self(one("iam-putrolepolicy", "iam:putrolepolicy", "write an inline policy of a role", srcRhino)),
	one("iam-addusertogroup", "iam:addusertogroup", "add a user to a more privileged group", srcRhino),
	self(one("iam-deleteuserpermissionsboundary", "iam:deleteuserpermissionsboundary", "remove a user's permissions boundary", srcPathfinding)),
	self(one("iam-deleterolepermissionsboundary", "iam:deleterolepermissionsboundary", "remove a role's permissions boundary", srcPathfinding)),
	self(method{ID: "iam-putuserpermissionsboundary", Code: CodePrivilegeEscalation, Name: "replace a user's permissions boundary", Source: srcPathfinding, Steps: []step{boundary("iam:putuserpermissionsboundary")}}),
	self(method{ID: "iam-putrolepermissionsboundary", Code: CodePrivilegeEscalation, Name: "replace a role's permissions boundary", Source: srcPathfinding, Steps: []step{boundary("iam:putrolepermissionsboundary")}}),
	one("lambda-updatefunctioncode", "lambda:updatefunctioncode", "run own code as an existing function's role", srcRhino),
	one("glue-updatedevendpoint", "glue:updatedevendpoint", "log in to an existing Glue development endpoint and use its role", srcRhino),
	{ID: "ssm-sendcommand", Code: CodePrivilegeEscalation, Name: "run commands on EC2 instances and use their instance roles", Source: srcPathfinding, Steps: []step{at(on("ssm:sendcommand"), "instance", "managed-instance"), at(also("ssm:sendcommand"), "document")}},
	{ID: "ssm-startsession", Code: CodePrivilegeEscalation, Name: "open a shell on EC2 instances and use their instance roles", Source: srcPathfinding, Steps: []step{at(on("ssm:startsession"), "instance", "managed-instance")}},
	one("ec2instanceconnect-sendsshpublickey", "ec2-instance-connect:sendsshpublickey", "log in to EC2 instances and use their instance roles", srcPathfinding),
	one("sagemaker-createpresignednotebookinstanceurl", "sagemaker:createpresignednotebookinstanceurl", "open an existing notebook instance and use its role", srcPathfinding),
	one("codebuild-startbuild", "codebuild:startbuild", "run an existing project's build, with an overridden buildspec, as its service role", srcPathfinding),
	one("cloudformation-updatestack", "cloudformation:updatestack", "change an existing stack's template, applied with its service role", srcPathfinding),

	// Two or more actions together.
	combo("iam-updateassumerolepolicy", "rewrite a role's trust policy and assume the role", srcRhino, on("iam:updateassumerolepolicy"), sameAs(on("sts:assumerole"), 1)),
	combo("cloudformation-changeset", "change an existing stack through a change set, applied with its service role", srcPathfinding, on("cloudformation:createchangeset"), sameAs(on("cloudformation:executechangeset"), 1)),
	combo("ec2-userdata", "rewrite an instance's user data and restart it, to run code as its instance role", srcPathfinding, on("ec2:modifyinstanceattribute"), sameAs(on("ec2:stopinstances"), 1), sameAs(at(on("ec2:startinstances"), "instance"), 1)),
	combo("ec2-launchtemplate", "add a launch template version with own user data and make it the default, for the instances launched from it", srcPathfinding, on("ec2:createlaunchtemplateversion"), sameAs(on("ec2:modifylaunchtemplate"), 1)),

	// iam:PassRole to a service that runs code the holder controls.
	onEach(pass("passrole-ec2", "ec2.amazonaws.com", "start an EC2 instance with a passed role", srcRhino, "ec2:runinstances"), 1, "instance", "image", "network-interface", "security-group", "subnet"),
	pass("passrole-ec2-spot", "ec2.amazonaws.com", "request spot instances with a passed role", srcPathfinding, "ec2:requestspotinstances"),
	pass("passrole-autoscaling", "ec2.amazonaws.com", "launch instances with a passed role through Auto Scaling", srcPathfinding, "autoscaling:createlaunchconfiguration", "autoscaling:createautoscalinggroup"),
	onCreated(pass("passrole-lambda-invoke", "lambda.amazonaws.com", "create a Lambda function with a passed role and invoke it", srcRhino, "lambda:createfunction", "lambda:invokefunction")),
	pass("passrole-lambda-eventsource", "lambda.amazonaws.com", "create a Lambda function with a passed role, triggered by an event source", srcRhino, "lambda:createfunction", "lambda:createeventsourcemapping"),
	onCreated(pass("passrole-lambda-permission", "lambda.amazonaws.com", "create a Lambda function with a passed role and let any principal invoke it", srcPathfinding, "lambda:createfunction", "lambda:addpermission")),
	pass("passrole-cloudformation", "cloudformation.amazonaws.com", "create a CloudFormation stack with a passed role", srcRhino, "cloudformation:createstack"),
	onCreated(pass("passrole-cloudformation-changeset", "cloudformation.amazonaws.com", "create and execute a CloudFormation change set with a passed role", srcPathfinding, "cloudformation:createchangeset", "cloudformation:executechangeset")),
	pass("passrole-glue-devendpoint", "glue.amazonaws.com", "create a Glue development endpoint with a passed role", srcRhino, "glue:createdevendpoint"),
	onCreated(pass("passrole-glue-job", "glue.amazonaws.com", "create and run a Glue job with a passed role", srcPathfinding, "glue:createjob", "glue:startjobrun")),
	onCreated(pass("passrole-glue-updatejob", "glue.amazonaws.com", "change and run a Glue job with a passed role", srcPathfinding, "glue:updatejob", "glue:startjobrun")),
	pass("passrole-datapipeline", "datapipeline.amazonaws.com", "create a Data Pipeline with a passed role", srcRhino, "datapipeline:createpipeline", "datapipeline:putpipelinedefinition"),
	onCreated(pass("passrole-sagemaker-notebook", "sagemaker.amazonaws.com", "create a SageMaker notebook instance with a passed role and open it", srcBishopFox, "sagemaker:createnotebookinstance", "sagemaker:createpresignednotebookinstanceurl")),
	pass("passrole-sagemaker-training", "sagemaker.amazonaws.com", "run a SageMaker training job with a passed role", srcPathfinding, "sagemaker:createtrainingjob"),
	pass("passrole-sagemaker-processing", "sagemaker.amazonaws.com", "run a SageMaker processing job with a passed role", srcPathfinding, "sagemaker:createprocessingjob"),
	onCreated(pass("passrole-ecs-runtask", "ecs-tasks.amazonaws.com", "register an ECS task definition with a passed role and run it", srcPathfinding, "ecs:registertaskdefinition", "ecs:runtask")),
	pass("passrole-ecs-service", "ecs-tasks.amazonaws.com", "register an ECS task definition with a passed role and run it as a service", srcPathfinding, "ecs:registertaskdefinition", "ecs:createservice"),
	onCreated(pass("passrole-codebuild", "codebuild.amazonaws.com", "create a CodeBuild project with a passed role and start a build", srcPathfinding, "codebuild:createproject", "codebuild:startbuild")),
	onCreated(pass("passrole-stepfunctions", "states.amazonaws.com", "create a Step Functions state machine with a passed role and start it", srcPathfinding, "states:createstatemachine", "states:startexecution")),
	pass("passrole-emr", "elasticmapreduce.amazonaws.com", "start an EMR cluster with a passed role", srcPathfinding, "elasticmapreduce:runjobflow"),
	pass("passrole-apprunner", "tasks.apprunner.amazonaws.com", "create an App Runner service with a passed instance role", srcPathfinding, "apprunner:createservice"),

	// Actions that return credentials, keys, passwords or tokens.
	exposes("sts:assumerole", "take a role's temporary credentials"),
	exposes("sts:getfederationtoken", "get federated user credentials"),
	exposes("sts:getsessiontoken", "get session credentials"),
	exposes("ecr:getauthorizationtoken", "get a registry token for ECR"),
	exposes("ecr-public:getauthorizationtoken", "get a registry token for ECR Public"),
	exposes("codeartifact:getauthorizationtoken", "get a CodeArtifact token"),
	exposes("redshift:getclustercredentials", "get database credentials for Redshift"),
	exposes("redshift:getclustercredentialswithiam", "get database credentials for Redshift"),
	exposes("redshift-serverless:getcredentials", "get database credentials for Redshift Serverless"),
	exposes("rds-db:connect", "connect to RDS databases with IAM authentication"),
	exposes("ec2:getpassworddata", "read Windows instances' administrator passwords"),
	exposes("lightsail:getinstanceaccessdetails", "get SSH keys or passwords of Lightsail instances"),
	exposes("lightsail:getrelationaldatabasemasteruserpassword", "read Lightsail databases' master passwords"),
	exposes("iam:createservicespecificcredential", "create service-specific credentials (CodeCommit, Keyspaces)"),
	exposes("iam:resetservicespecificcredential", "reset service-specific credentials"),
	exposes("cognito-identity:getcredentialsforidentity", "get credentials for Cognito identities"),
	exposes("cognito-identity:getopenidtokenfordeveloperidentity", "get OpenID tokens for Cognito identities"),
	exposes("gamelift:requestuploadcredentials", "get GameLift upload credentials"),
	exposes("gamelift:getinstanceaccess", "get GameLift instance access credentials"),
	exposes("chime:createapikey", "create Chime API keys"),
	exposes("connect:getfederationtoken", "get Amazon Connect federation tokens"),
	exposes("mediapackage:rotateingestendpointcredentials", "rotate and read MediaPackage ingest credentials"),

	// Actions that read data or secrets, allowed on every resource.
	exfiltrates("s3:getobject", "read any object of any bucket"),
	exfiltrates("ssm:getparameter", "read any SSM parameter"),
	exfiltrates("ssm:getparameters", "read any SSM parameters"),
	exfiltrates("ssm:getparametersbypath", "read any SSM parameters by path"),
	exfiltrates("secretsmanager:getsecretvalue", "read any secret"),
	exfiltrates("rds:copydbsnapshot", "copy any RDS snapshot"),
	onEach(exfiltrates("rds:createdbsnapshot", "snapshot any RDS instance"), 0, "db", "snapshot"),
}
