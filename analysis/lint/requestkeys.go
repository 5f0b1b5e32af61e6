package lint

import (
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/iam2rego/iam2rego/arn"
)

// serviceCallerKeys are set only when a service calls another on behalf
// of a resource owner (IAM-SEMANTICS.md §8): never in a request of a user
// or role, the holders lint decides for.
var serviceCallerKeys = map[string]bool{
	"aws:sourcearn":      true,
	"aws:sourceaccount":  true,
	"aws:sourceorgid":    true,
	"aws:sourceorgpaths": true,
}

// identifyingKeys name the one resource a request acts on, by the
// resource type whose generic witness is their value in a step on every
// resource: a grant on "*" limited by one ARN is a grant on that resource
// only, while StringLike "*" or Null "false" on the key still grants
// every resource.
var identifyingKeys = map[string]struct{ action, target string }{
	"secretsmanager:secretid": {"secretsmanager:getsecretvalue", "Secret"},
	"s3:dataaccesspointarn":   {"s3:getaccesspointpolicy", "accesspoint"},
}

// globalServices have one endpoint, in us-east-1: their requests'
// aws:RequestedRegion is always us-east-1 (IAM-SEMANTICS.md §8).
var globalServices = map[string]bool{
	"iam":           true,
	"organizations": true,
	"cloudfront":    true,
	"route53":       true,
}

// requestValues narrows the values kernel.KeyValues found per context key
// to what a request of the step can carry, and returns the keys whose
// value is fixed in every request (set in each context):
//   - absent: a service key the action's requests never carry
//     (keyReaches), a resource's tag key (resourceTagKey), a key only
//     service principals' requests carry, and a key the step pins;
//   - fixed: aws:CurrentTime and aws:EpochTime are now (a grant that has
//     expired grants nothing), and aws:RequestedRegion is us-east-1 for a
//     global service (not for iam:PassRole, which is authorised within
//     the request of the service the role is passed to, in its region);
//   - one value: a key that names one resource, in a step on every
//     resource, names a generic resource (identifyingKeys).
func requestValues(values map[string][]any, s step, now time.Time, account string) map[string]any {
	fixed := map[string]any{}
	for k := range values {
		low := strings.ToLower(k)
		id, identifies := identifyingKeys[low]
		switch {
		case !keyReaches(s.Action, k), resourceTagKey(k), serviceCallerKeys[low], pinned(s, k):
			delete(values, k)
		case s.Every && identifies:
			values[k] = []any{genericWitness(id.action, id.target, account)}
		case low == "aws:currenttime":
			delete(values, k)
			fixed[k] = now.UTC().Format(time.RFC3339)
		case low == "aws:epochtime":
			delete(values, k)
			fixed[k] = strconv.FormatInt(now.Unix(), 10)
		case low == "aws:requestedregion" && globalServices[serviceOf(s.Action)] && s.Action != "iam:passrole":
			delete(values, k)
			fixed[k] = "us-east-1"
		case low == "iam:associatedresourcearn":
			values[k] = ofPassedService(values[k], s)
		}
	}
	return fixed
}

// ofPassedService keeps, of iam:AssociatedResourceArn's values, the ARNs
// of the service a PassRole step passes the role to: a role passed to
// Lambda is attached to a function, never to an EC2 instance.
func ofPassedService(vals []any, s step) []any {
	var svc string
	for _, pin := range s.Pinned {
		for k, v := range pin {
			if p, ok := v.(string); ok && strings.EqualFold(k, "iam:PassedToService") {
				svc = strings.TrimSuffix(p, ".amazonaws.com")
				svc = strings.TrimSuffix(svc[strings.LastIndex(svc, ".")+1:], "-tasks") // tasks.apprunner, ecs-tasks
			}
		}
	}
	if svc == "" {
		return vals
	}
	var out []any
	for _, v := range vals {
		if a, ok := v.(string); ok && strings.EqualFold(arn.Service(a), svc) {
			out = append(out, v)
		}
	}
	return out
}

// pinned reports a key the step sets itself.
func pinned(s step, key string) bool {
	for _, pin := range s.Pinned {
		for pk := range pin {
			if strings.EqualFold(key, pk) {
				return true
			}
		}
	}
	return false
}

// serviceOf is an action's service prefix, lower-cased.
func serviceOf(action string) string {
	svc, _, _ := strings.Cut(strings.ToLower(action), ":")
	return svc
}

// withFixed sets the fixed keys in every context.
func withFixed(ctxs []map[string]any, fixed map[string]any) []map[string]any {
	if len(fixed) == 0 {
		return ctxs
	}
	out := make([]map[string]any, len(ctxs))
	for i, c := range ctxs {
		c = maps.Clone(c)
		maps.Copy(c, fixed)
		out[i] = c
	}
	return out
}
