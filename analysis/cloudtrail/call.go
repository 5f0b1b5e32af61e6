package cloudtrail

import (
	"encoding/json"
	"strings"
	"time"
)

// Outcome is what AWS logged for a call.
type Outcome string

// The outcomes. Failed is an error other than a denial (NoSuchKey,
// ThrottlingException...): the record does not say what IAM decided.
const (
	AWSAllowed Outcome = "Allowed"
	AWSDenied  Outcome = "Denied"
	AWSFailed  Outcome = "Failed"
)

// Principal kinds, named as userIdentity.type names them.
const (
	KindUser      = "IAMUser"
	KindSession   = "AssumedRole"
	KindRoot      = "Root"
	KindFederated = "FederatedUser"
	KindService   = "AWSService"
)

// Call is one logged API call, mapped to the request iam2rego decides.
type Call struct {
	File    string `json:"file"`
	Pointer string `json:"pointer,omitempty"`
	Line    int    `json:"line,omitempty"`

	EventID     string    `json:"eventID,omitempty"`
	EventTime   string    `json:"eventTime"`
	Time        time.Time `json:"-"`
	EventSource string    `json:"eventSource"`
	EventName   string    `json:"eventName"`

	// Principal is the caller as decided: a user, session, federated user
	// or root ARN, or a service principal such as lambda.amazonaws.com.
	Principal     string `json:"principal"`
	PrincipalType string `json:"principalType"`
	// Owner is the bundle principal the call is counted for: the user,
	// the session's issuing role, the root, the user who federated, or
	// the service.
	Owner       string `json:"owner"`
	FederatedBy string `json:"federatedBy,omitempty"`

	Action          string         `json:"action"`
	Resource        string         `json:"resource"`
	ResourceAccount string         `json:"resourceAccount,omitempty"`
	Context         map[string]any `json:"context"`

	AWS          Outcome `json:"aws"`
	ErrorCode    string  `json:"errorCode,omitempty"`
	ErrorMessage string  `json:"errorMessage,omitempty"`
	// AWSDecision is the kind of denial the errorMessage states
	// (ExplicitDeny or ImplicitDeny), or "".
	AWSDecision string `json:"awsDecision,omitempty"`
	// Missing lists the request context the log does not carry for this
	// call, which AWS had when it decided.
	Missing []string `json:"missing,omitempty"`
}

// Where names the record the call was read from.
func (c *Call) Where() string { return where(c.File, c.Pointer, c.Line) }

// Input is the call as the decision's raw input ({principal, action,
// resource, context}), the shape eval --bundle and a sidecar take.
func (c *Call) Input() map[string]any {
	in := map[string]any{"action": c.Action}
	if c.FederatedBy != "" {
		in["principal"] = map[string]any{"arn": c.Principal, "federatedBy": c.FederatedBy}
	} else {
		in["principal"] = c.Principal
	}
	if c.Resource == "*" {
		in["resource"] = "*"
	} else {
		res := map[string]any{"arn": c.Resource}
		if c.ResourceAccount != "" {
			res["account"] = c.ResourceAccount
		}
		in["resource"] = res
	}
	if len(c.Context) > 0 {
		in["context"] = c.Context
	}
	return in
}

// Unmapped reasons: why a record is not decided. Each is counted.
const (
	UnmappedMalformed  = "malformed_record" // not an event object, or members of the wrong type
	UnmappedNotAPICall = "not_an_api_call"  // eventType other than AwsApiCall (service events, sign-ins, insights)
	UnmappedNoName     = "no_event_source_or_name"
	UnmappedNotIAM     = "not_authorised_by_iam" // console sign-in and the like
	UnmappedAction     = "unknown_action"        // the mapped action is not in the catalogue
	UnmappedIdentity   = "unmappable_identity"   // AWSAccount, SAMLUser, WebIdentityUser, IdentityCenterUser, Unknown, or no ARN
	UnmappedResource   = "no_resource"           // the action needs a resource the record does not name
	UnmappedTime       = "bad_event_time"        // eventTime missing or not RFC 3339
)

// Unmapped is a record that could not be mapped, with its reason.
type Unmapped struct {
	Reason string `json:"reason"`
	Detail string `json:"detail"`
}

// Map maps one record (an Item's JSON) to a Call.
func Map(it Item) (*Call, *Unmapped) {
	var r Record
	if err := json.Unmarshal(it.Raw, &r); err != nil {
		return nil, &Unmapped{UnmappedMalformed, trimDetail(err.Error())}
	}
	if len(r.EventData) > 0 && r.EventSource == "" {
		// A CloudTrail Lake row: the event is eventData (an object or a
		// JSON string holding one).
		raw := []byte(r.EventData)
		if raw[0] == '"' {
			var s string
			if json.Unmarshal(raw, &s) != nil {
				return nil, &Unmapped{UnmappedMalformed, "eventData is neither an object nor a JSON string"}
			}
			raw = []byte(s)
		}
		r = Record{}
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, &Unmapped{UnmappedMalformed, "eventData: " + trimDetail(err.Error())}
		}
	}
	return mapRecord(&r, it)
}

func trimDetail(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

func mapRecord(r *Record, it Item) (*Call, *Unmapped) {
	t := mustTables()
	if r.EventType != "" && r.EventType != "AwsApiCall" {
		return nil, &Unmapped{UnmappedNotAPICall, "eventType " + r.EventType}
	}
	if r.EventSource == "" || r.EventName == "" {
		return nil, &Unmapped{UnmappedNoName, "the record has no eventSource or eventName"}
	}
	when, err := time.Parse(time.RFC3339, r.EventTime)
	if err != nil {
		return nil, &Unmapped{UnmappedTime, "eventTime " + quoteShort(r.EventTime)}
	}
	c := &Call{File: it.File, Pointer: it.Pointer, Line: it.Line, EventID: r.EventID, EventTime: r.EventTime, Time: when.UTC(),
		EventSource: r.EventSource, EventName: r.EventName, ErrorCode: r.ErrorCode, ErrorMessage: r.ErrorMessage, Context: map[string]any{}}
	action, ok := t.action(r.EventSource, r.EventName)
	if !ok {
		return nil, &Unmapped{UnmappedNotIAM, r.EventSource + " " + r.EventName}
	}
	canonical, ok := catalogAction(action)
	if !ok {
		return nil, &Unmapped{UnmappedAction, r.EventSource + " " + r.EventName + " → " + action + " is not in the catalogue"}
	}
	c.Action = canonical
	if u := mapIdentity(c, &r.UserIdentity); u != nil {
		return nil, u
	}
	if u := mapResource(c, r, t); u != nil {
		return nil, u
	}
	mapContext(c, r, t)
	switch {
	case r.ErrorCode == "":
		c.AWS = AWSAllowed
	case t.denied[r.ErrorCode]:
		c.AWS = AWSDenied
		c.AWSDecision = denialKind(r.ErrorMessage)
	default:
		c.AWS = AWSFailed
	}
	return c, nil
}

func quoteShort(s string) string {
	b, _ := json.Marshal(trimDetail(s))
	return string(b)
}

// denialKind reads the kind of denial from AWS's message: "with an
// explicit deny in a ... policy", or "because no ... policy allows".
func denialKind(msg string) string {
	m := strings.ToLower(msg)
	switch {
	case strings.Contains(m, "explicit deny"):
		return "ExplicitDeny"
	case strings.Contains(m, "implicit deny"), strings.Contains(m, "because no "):
		return "ImplicitDeny"
	}
	return ""
}
