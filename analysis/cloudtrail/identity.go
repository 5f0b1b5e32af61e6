package cloudtrail

import (
	"strings"

	"github.com/iam2rego/iam2rego/translator/catalog"
)

// catalogAction checks a mapped action against the catalogue and keeps
// the API's spelling (s3:GetObject).
func catalogAction(action string) (string, bool) {
	if !catalog.KnownAction(action) {
		return "", false
	}
	return action, true
}

// mapIdentity sets the principal from userIdentity
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).
func mapIdentity(c *Call, id *Identity) *Unmapped {
	c.PrincipalType = id.Type
	switch id.Type {
	case KindUser:
		if !strings.Contains(id.ARN, ":user/") {
			return &Unmapped{UnmappedIdentity, "IAMUser without a user ARN"}
		}
		c.Principal, c.Owner = id.ARN, id.ARN
	case KindSession:
		if !strings.Contains(id.ARN, ":assumed-role/") {
			return &Unmapped{UnmappedIdentity, "AssumedRole without an assumed-role ARN"}
		}
		// The bundle finds the session's role by name; the issuer keeps
		// the role's path for the owner.
		c.Principal, c.Owner = id.ARN, sessionRole(id)
	case KindRoot:
		arn := id.ARN
		if arn == "" && len(id.AccountID) == 12 {
			arn = "arn:aws:iam::" + id.AccountID + ":root"
		}
		if !strings.HasSuffix(arn, ":root") {
			return &Unmapped{UnmappedIdentity, "Root without a root ARN or account"}
		}
		c.Principal, c.Owner = arn, arn
	case KindFederated:
		if !strings.Contains(id.ARN, ":federated-user/") {
			return &Unmapped{UnmappedIdentity, "FederatedUser without a federated-user ARN"}
		}
		c.Principal = id.ARN
		if s := id.SessionContext; s != nil && s.SessionIssuer != nil && strings.Contains(s.SessionIssuer.ARN, ":user/") {
			c.FederatedBy = s.SessionIssuer.ARN
		}
		if c.FederatedBy == "" {
			return &Unmapped{UnmappedIdentity, "FederatedUser without the IAM user that federated (sessionIssuer)"}
		}
		c.Owner = c.FederatedBy
	case KindService:
		if !strings.HasSuffix(id.InvokedBy, ".amazonaws.com") {
			return &Unmapped{UnmappedIdentity, "AWSService without a service principal in invokedBy"}
		}
		c.Principal, c.Owner = id.InvokedBy, id.InvokedBy
	case "":
		return &Unmapped{UnmappedIdentity, "no userIdentity.type"}
	default:
		// AWSAccount (a caller in another account, named by account only),
		// SAMLUser and WebIdentityUser (the AssumeRoleWith* calls
		// themselves), IdentityCenterUser, Unknown.
		return &Unmapped{UnmappedIdentity, "userIdentity.type " + id.Type}
	}
	return nil
}

// sessionRole is the role ARN of a session: its issuer's, or the role
// named in the session ARN (without the role's path, which the session
// ARN does not carry).
func sessionRole(id *Identity) string {
	if s := id.SessionContext; s != nil && s.SessionIssuer != nil && strings.Contains(s.SessionIssuer.ARN, ":role/") {
		return s.SessionIssuer.ARN
	}
	// arn:P:sts::ACCT:assumed-role/ROLE/SESSION
	parts := strings.SplitN(id.ARN, ":", 6)
	if len(parts) == 6 {
		if rest, ok := strings.CutPrefix(parts[5], "assumed-role/"); ok {
			role, _, _ := strings.Cut(rest, "/")
			return "arn:" + parts[1] + ":iam::" + parts[4] + ":role/" + role
		}
	}
	return id.ARN
}

// partition is the principal's ARN partition (aws, aws-cn, aws-us-gov).
func partition(arn string) string {
	if rest, ok := strings.CutPrefix(arn, "arn:"); ok {
		if p, _, ok := strings.Cut(rest, ":"); ok && p != "" {
			return p
		}
	}
	return "aws"
}
