package accountgen

// The organization: a management account, a Security OU with the log
// archive and audit accounts, and the generated member accounts under
// Infrastructure, Workloads/Prod, Workloads/NonProd and Sandbox, with the
// SCP and RCP guardrails of AWS's own examples.

func (g *generator) organization() *orgFile {
	r := g.r
	root := "r-" + r.lower(4)
	ou := func(name string) *orgNode {
		return &orgNode{ID: "ou-" + root[2:] + "-" + r.lower(8), Name: name}
	}
	allowedRegions := []string{"ap-southeast-2", "eu-central-1", "eu-west-1", "us-east-1", "us-west-2"}
	pol := map[string]*Doc{
		"DenyLeaveOrganization": newDoc(Stmt{Sid: "DenyLeave", Effect: "Deny", Action: "organizations:LeaveOrganization", Resource: "*"}),
		"DenyRootUser": newDoc(Stmt{Sid: "DenyRootUser", Effect: "Deny", Action: "*", Resource: "*",
			Condition: map[string]any{"StringLike": map[string]any{"aws:PrincipalArn": "arn:aws:iam::*:root"}}}),
		"RegionGuardrail": newDoc(Stmt{Sid: "DenyOutsideAllowedRegions", Effect: "Deny",
			NotAction: append(append([]string(nil), globalServices...), "ec2:DescribeRegions", "health:*", "trustedadvisor:*", "account:*"),
			Resource:  "*",
			Condition: map[string]any{
				"StringNotEquals": map[string]any{"aws:RequestedRegion": allowedRegions},
				"ArnNotLike":      map[string]any{"aws:PrincipalArn": "arn:aws:iam::*:role/OrganizationAccountAccessRole"},
			}}),
		"ProtectSecurityServices": newDoc(Stmt{Sid: "ProtectSecurityServices", Effect: "Deny",
			Action: []string{"cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "guardduty:DeleteDetector",
				"guardduty:DisassociateFromMasterAccount", "config:DeleteConfigurationRecorder", "config:StopConfigurationRecorder",
				"securityhub:DisableSecurityHub", "access-analyzer:DeleteAnalyzer"},
			Resource: "*",
			Condition: map[string]any{"ArnNotLike": map[string]any{"aws:PrincipalArn": []string{
				"arn:aws:iam::*:role/security-*", "arn:aws:iam::*:role/OrganizationAccountAccessRole"}}}}),
		"RequireIMDSv2": newDoc(
			Stmt{Sid: "RequireImdsV2", Effect: "Deny", Action: "ec2:RunInstances", Resource: "arn:aws:ec2:*:*:instance/*",
				Condition: map[string]any{"StringNotEquals": map[string]any{"ec2:MetadataHttpTokens": "required"}}},
			Stmt{Sid: "MaxHopLimit", Effect: "Deny", Action: "ec2:RunInstances", Resource: "arn:aws:ec2:*:*:instance/*",
				Condition: map[string]any{"NumericGreaterThan": map[string]any{"ec2:MetadataHttpPutResponseHopLimit": "2"}}}),
		"DenyS3PublicAccessChanges": newDoc(Stmt{Sid: "DenyPublicAccessChanges", Effect: "Deny",
			Action: []string{"s3:PutAccountPublicAccessBlock", "s3:PutBucketPublicAccessBlock"}, Resource: "*"}),
		"DenyExpensiveInstances": newDoc(Stmt{Sid: "SmallInstancesOnly", Effect: "Deny", Action: "ec2:RunInstances",
			Resource:  "arn:aws:ec2:*:*:instance/*",
			Condition: map[string]any{"StringNotLike": map[string]any{"ec2:InstanceType": []string{"t3.*", "t4g.*", "m7g.medium"}}}}),
		"DenyBedrockOutsideUsEast1": newDoc(Stmt{Sid: "DenyBedrockOutsideUsEast1", Effect: "Deny", Action: "bedrock:*", Resource: "*",
			Condition: map[string]any{"StringNotEquals": map[string]any{"aws:RequestedRegion": "us-east-1"}}}),
		// RCPs: Deny only, Principal "*", no NotAction.
		"DenyExternalS3": newDoc(Stmt{Sid: "DenyExternalS3", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*",
			Condition: map[string]any{
				"StringNotEqualsIfExists": map[string]any{"aws:PrincipalOrgID": g.orgID},
				"BoolIfExists":            map[string]any{"aws:PrincipalIsAWSService": "false"},
			}}),
		"EnforceTLS": newDoc(Stmt{Sid: "EnforceTLS", Effect: "Deny", Principal: "*",
			Action: []string{"s3:*", "sqs:*", "kms:*", "secretsmanager:*", "sts:*"}, Resource: "*",
			Condition: map[string]any{"BoolIfExists": map[string]any{"aws:SecureTransport": "false"}}}),
	}
	security, infra, workloads, prod, nonprod, sandbox := ou("Security"), ou("Infrastructure"), ou("Workloads"), ou("Prod"), ou("NonProd"), ou("Sandbox")
	security.SCPs = []string{"FullAWSAccess", "ProtectSecurityServices"}
	infra.SCPs = []string{"FullAWSAccess", "RegionGuardrail"}
	workloads.SCPs = []string{"FullAWSAccess", "RegionGuardrail", "ProtectSecurityServices"}
	workloads.RCPs = []string{"RCPFullAWSAccess", "DenyExternalS3", "EnforceTLS"}
	prod.SCPs = []string{"FullAWSAccess", "RequireIMDSv2", "DenyS3PublicAccessChanges"}
	nonprod.SCPs = []string{"FullAWSAccess", "RequireIMDSv2"}
	sandbox.SCPs = []string{"FullAWSAccess", "RegionGuardrail", "DenyExpensiveInstances", "DenyBedrockOutsideUsEast1"}
	workloads.OUs = []*orgNode{prod, nonprod}
	security.Accounts = []*orgAccount{{ID: r.accountID(), Name: "log-archive"}, {ID: r.accountID(), Name: "audit"}}
	for _, a := range g.accts {
		acct := &orgAccount{ID: a.id, Name: a.name}
		switch a.kind {
		case "prod":
			prod.Accounts = append(prod.Accounts, acct)
		case "nonprod":
			nonprod.Accounts = append(nonprod.Accounts, acct)
		case "sandbox":
			sandbox.Accounts = append(sandbox.Accounts, acct)
		default:
			infra.Accounts = append(infra.Accounts, acct)
		}
	}
	return &orgFile{
		ID:                g.orgID,
		ManagementAccount: g.mgmt,
		Policies:          pol,
		Root: &orgNode{ID: root, Name: "Root", SCPs: []string{"FullAWSAccess", "DenyLeaveOrganization", "DenyRootUser"},
			OUs:      []*orgNode{security, infra, workloads, sandbox},
			Accounts: []*orgAccount{{ID: g.mgmt, Name: "management"}}},
	}
}

// resources are the account's resources with resource-based policies
// (bucket, queue, topic, key, function and secret policies) and a few
// tagged instances, per team.
func (a *acctGen) resources() []*resourceEntry {
	r := a.r
	var out []*resourceEntry
	sfx := a.id[8:]
	add := func(arn string, tags map[string]string, doc *Doc) {
		out = append(out, &resourceEntry{ARN: arn, Account: a.id, Tags: tags, Policy: doc})
	}
	tls := func(res ...string) Stmt {
		return Stmt{Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: one(res),
			Condition: map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}}
	}
	home := "arn:aws:s3:::acme-home-" + sfx
	add(home, map[string]string{"data-classification": "internal"}, newDoc(tls(home, home+"/*")))
	for _, team := range a.teams {
		for _, app := range a.teamApps[team] {
			tags := map[string]string{"team": team, "env": pick(r, envs), "data-classification": pick(r, []string{"public", "internal", "confidential"})}
			bucket := "arn:aws:s3:::acme-" + team + "-" + app + "-" + sfx
			doc := newDoc(tls(bucket, bucket+"/*"))
			if r.chance(0.4) {
				doc.Statement = append(doc.Statement, Stmt{Sid: "AnalyticsRead", Effect: "Allow",
					Principal: map[string]any{"AWS": "arn:aws:iam::" + a.g.partner + ":root"},
					Action:    []string{"s3:GetObject", "s3:ListBucket"}, Resource: []string{bucket, bucket + "/*"}})
			}
			if r.chance(0.3) {
				doc.Statement = append(doc.Statement, Stmt{Sid: "AllowCloudFront", Effect: "Allow",
					Principal: map[string]any{"Service": "cloudfront.amazonaws.com"}, Action: "s3:GetObject", Resource: bucket + "/*",
					Condition: map[string]any{"StringEquals": map[string]any{"AWS:SourceArn": "arn:aws:cloudfront::" + a.id + ":distribution/E" + r.lower(12)}}})
			}
			add(bucket, tags, doc)
		}
		app := a.teamApps[team][0]
		region := a.region
		topic := "arn:aws:sns:" + region + ":" + a.id + ":" + team + "-" + app + "-alerts"
		add(topic, map[string]string{"team": team}, newDoc(Stmt{Sid: "AccountPublish", Effect: "Allow",
			Principal: map[string]any{"AWS": "arn:aws:iam::" + a.id + ":root"}, Action: []string{"sns:Publish", "sns:Subscribe"}, Resource: topic},
			Stmt{Sid: "EventsPublish", Effect: "Allow", Principal: map[string]any{"Service": "events.amazonaws.com"}, Action: "sns:Publish", Resource: topic}))
		queue := "arn:aws:sqs:" + region + ":" + a.id + ":" + team + "-" + app + "-events"
		add(queue, map[string]string{"team": team}, newDoc(Stmt{Sid: "FromTopic", Effect: "Allow",
			Principal: map[string]any{"Service": "sns.amazonaws.com"}, Action: "sqs:SendMessage", Resource: queue,
			Condition: map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": topic}}}))
		key := "arn:aws:kms:" + region + ":" + a.id + ":key/" + keyID(team+"s3")
		add(key, map[string]string{"team": team}, newDoc(
			Stmt{Sid: "EnableIAMUserPermissions", Effect: "Allow", Principal: map[string]any{"AWS": "arn:aws:iam::" + a.id + ":root"}, Action: "kms:*", Resource: "*"},
			Stmt{Sid: "AllowUseViaS3", Effect: "Allow", Principal: map[string]any{"AWS": "*"},
				Action: []string{"kms:Decrypt", "kms:GenerateDataKey"}, Resource: "*",
				Condition: map[string]any{"StringEquals": map[string]any{"kms:CallerAccount": a.id, "kms:ViaService": "s3." + region + ".amazonaws.com"}}},
			Stmt{Sid: "AllowGrantsForAWSResources", Effect: "Allow", Principal: map[string]any{"AWS": "arn:aws:iam::" + a.id + ":root"},
				Action: []string{"kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"}, Resource: "*",
				Condition: map[string]any{"Bool": map[string]any{"kms:GrantIsForAWSResource": "true"}}}))
		fn := "arn:aws:lambda:" + region + ":" + a.id + ":function:" + team + "-" + app
		add(fn, map[string]string{"team": team, "app": app}, newDoc(Stmt{Sid: "ApiGatewayInvoke", Effect: "Allow",
			Principal: map[string]any{"Service": "apigateway.amazonaws.com"}, Action: "lambda:InvokeFunction", Resource: fn,
			Condition: map[string]any{"ArnLike": map[string]any{"AWS:SourceArn": "arn:aws:execute-api:" + region + ":" + a.id + ":" + r.lower(10) + "/*"}}}))
		secret := "arn:aws:secretsmanager:" + region + ":" + a.id + ":secret:" + team + "/" + app + "/db-" + r.lower(6)
		add(secret, map[string]string{"team": team, "env": "prod"}, newDoc(Stmt{Sid: "OnlyTeamRoles", Effect: "Deny", Principal: "*",
			Action: "secretsmanager:GetSecretValue", Resource: "*",
			Condition: map[string]any{"StringNotLike": map[string]any{"aws:PrincipalArn": []string{
				"arn:aws:iam::" + a.id + ":role/" + team + "-*", "arn:aws:iam::" + a.id + ":role/OrganizationAccountAccessRole"}}}}))
		for i := 0; i < 2; i++ {
			add("arn:aws:ec2:"+region+":"+a.id+":instance/i-0"+r.hex(16), map[string]string{"team": team, "env": pick(r, envs)}, nil)
		}
	}
	return out
}
