package cloudtrail

import (
	"encoding/json"
	"net/netip"
	"strconv"
	"time"
)

// mapContext sets the global condition keys the record carries
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html),
// and lists on c.Missing what AWS had and the log does not.
func mapContext(c *Call, r *Record, t *tables) {
	ctx := c.Context
	// eventTime is when AWS received the request.
	ctx["aws:CurrentTime"] = c.Time.Format(time.RFC3339)
	ctx["aws:EpochTime"] = json.Number(strconv.FormatInt(c.Time.Unix(), 10))
	if r.AWSRegion != "" {
		ctx["aws:RequestedRegion"] = r.AWSRegion
	}
	if r.UserAgent != "" {
		ctx["aws:UserAgent"] = r.UserAgent
	}
	// tlsDetails is logged for requests over TLS; its absence does not
	// prove plain HTTP (older records, some services), so the key is
	// then missing rather than false.
	if r.TLSDetails != nil {
		ctx["aws:SecureTransport"] = "true"
	} else {
		c.Missing = append(c.Missing, "aws:SecureTransport (no tlsDetails)")
	}
	ip, ipErr := netip.ParseAddr(r.SourceIPAddress)
	switch {
	case r.VPCEndpointID != "":
		// Through a VPC endpoint aws:SourceIp is absent; the private
		// address is aws:VpcSourceIp.
		ctx["aws:SourceVpce"] = r.VPCEndpointID
		if r.VPCEndpointAccountID != "" {
			ctx["aws:VpceAccount"] = r.VPCEndpointAccountID
		}
		if ipErr == nil {
			ctx["aws:VpcSourceIp"] = ip.String()
		}
		c.Missing = append(c.Missing, "aws:SourceVpc (the endpoint's VPC is not logged)")
	case ipErr == nil:
		ctx["aws:SourceIp"] = ip.String()
	default:
		// A service's name ("lambda.amazonaws.com", "AWS Internal"): the
		// call came from inside AWS.
		c.Missing = append(c.Missing, "aws:SourceIp (sourceIPAddress "+quoteShort(r.SourceIPAddress)+")")
	}
	id := &r.UserIdentity
	if id.Type != KindService {
		via := id.InvokedBy != ""
		ctx["aws:ViaAWSService"] = strconv.FormatBool(via)
		if via && t.calledVia[id.InvokedBy] {
			ctx["aws:CalledVia"] = []any{id.InvokedBy}
			ctx["aws:CalledViaFirst"] = id.InvokedBy
			ctx["aws:CalledViaLast"] = id.InvokedBy
		}
	} else {
		c.Missing = append(c.Missing, "aws:SourceArn and aws:SourceAccount (a service's call on behalf of a resource is logged without them)")
	}
	sessionContext(c, id)
	if keys := t.condKeys[r.EventSource]; len(keys) > 0 {
		params := r.params()
		for _, k := range keys {
			if v, ok := params[k.param].(string); ok {
				ctx[k.key] = v
			}
		}
	}
}

// sessionContext maps the attributes of temporary credentials.
func sessionContext(c *Call, id *Identity) {
	ctx := c.Context
	s := id.SessionContext
	temporary := id.Type == KindSession || id.Type == KindFederated || (s != nil && s.Attributes.CreationDate != "")
	if id.Type == KindSession || id.Type == KindFederated {
		c.Missing = append(c.Missing, "session tags (aws:PrincipalTag) and session policies (not logged with the call)")
	}
	if s == nil {
		if temporary {
			c.Missing = append(c.Missing, "aws:MultiFactorAuthPresent and aws:TokenIssueTime (no sessionContext)")
		}
		return
	}
	created, errCreated := time.Parse(time.RFC3339, s.Attributes.CreationDate)
	if errCreated == nil {
		ctx["aws:TokenIssueTime"] = created.UTC().Format(time.RFC3339)
	}
	switch s.Attributes.MFAAuthenticated {
	case "true":
		ctx["aws:MultiFactorAuthPresent"] = "true"
		// MFA was presented when the session was created.
		if errCreated == nil && !c.Time.Before(created) {
			ctx["aws:MultiFactorAuthAge"] = json.Number(strconv.FormatInt(int64(c.Time.Sub(created)/time.Second), 10))
		}
	case "false":
		ctx["aws:MultiFactorAuthPresent"] = "false"
	default:
		if temporary {
			c.Missing = append(c.Missing, "aws:MultiFactorAuthPresent (no mfaAuthenticated)")
		}
	}
	if s.SourceIdentity != "" {
		ctx["aws:SourceIdentity"] = s.SourceIdentity
	}
	if w := s.WebIDFederationData; w != nil && w.FederatedProvider != "" {
		ctx["aws:FederatedProvider"] = w.FederatedProvider
	}
}
