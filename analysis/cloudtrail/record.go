package cloudtrail

import (
	"encoding/json"
)

// Record is the part of a CloudTrail event the mapping reads
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
// encoding/json matches member names case-insensitively, so Athena's
// lower-case columns (eventsource, useridentity...) decode too.
type Record struct {
	EventVersion    string `json:"eventVersion"`
	EventTime       string `json:"eventTime"`
	EventSource     string `json:"eventSource"`
	EventName       string `json:"eventName"`
	EventType       string `json:"eventType"`
	EventID         string `json:"eventID"`
	AWSRegion       string `json:"awsRegion"`
	SourceIPAddress string `json:"sourceIPAddress"`
	UserAgent       string `json:"userAgent"`
	ErrorCode       string `json:"errorCode"`
	ErrorMessage    string `json:"errorMessage"`
	// RequestParameters is an object in delivered logs and a JSON string
	// in Athena's table; params decodes either.
	RequestParameters    json.RawMessage `json:"requestParameters"`
	Resources            []Resource      `json:"resources"`
	RecipientAccountID   string          `json:"recipientAccountId"`
	VPCEndpointID        string          `json:"vpcEndpointId"`
	VPCEndpointAccountID string          `json:"vpcEndpointAccountId"`
	TLSDetails           *TLSDetails     `json:"tlsDetails"`
	UserIdentity         Identity        `json:"userIdentity"`
	// EventData is where a CloudTrail Lake row holds the event.
	EventData json.RawMessage `json:"eventData"`

	decoded    bool           // params has run
	paramsMemo map[string]any // its result
}

// Resource is one entry of resources[].
type Resource struct {
	ARN       string `json:"ARN"`
	AccountID string `json:"accountId"`
	Type      string `json:"type"`
}

// TLSDetails is present when the request came over TLS.
type TLSDetails struct {
	TLSVersion  string `json:"tlsVersion"`
	CipherSuite string `json:"cipherSuite"`
}

// Identity is userIdentity
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).
type Identity struct {
	Type           string          `json:"type"`
	PrincipalID    string          `json:"principalId"`
	ARN            string          `json:"arn"`
	AccountID      string          `json:"accountId"`
	AccessKeyID    string          `json:"accessKeyId"`
	UserName       string          `json:"userName"`
	InvokedBy      string          `json:"invokedBy"`
	SessionContext *SessionContext `json:"sessionContext"`
}

// SessionContext describes temporary credentials.
type SessionContext struct {
	SessionIssuer  *Issuer `json:"sessionIssuer"`
	SourceIdentity string  `json:"sourceIdentity"`
	Attributes     struct {
		CreationDate     string `json:"creationDate"`
		MFAAuthenticated string `json:"mfaAuthenticated"`
	} `json:"attributes"`
	WebIDFederationData *struct {
		FederatedProvider string `json:"federatedProvider"`
	} `json:"webIdFederationData"`
}

// Issuer is the entity that issued a session: a role for an assumed-role
// session, an IAM user for a federated user.
type Issuer struct {
	Type      string `json:"type"`
	ARN       string `json:"arn"`
	AccountID string `json:"accountId"`
	UserName  string `json:"userName"`
}

// params decodes requestParameters: an object, a JSON string holding one
// (Athena), or null.
func (r *Record) params() map[string]any {
	if !r.decoded {
		r.paramsMemo, r.decoded = decodeParams(r.RequestParameters), true
	}
	return r.paramsMemo
}

func decodeParams(raw json.RawMessage) map[string]any {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return nil
		}
		raw = []byte(s)
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	return m
}
