package lint

import (
	"strings"

	"github.com/iam2rego/iam2rego/translator/catalog"
)

// keyReaches reports whether a request for action may carry the
// condition key: a key of the catalogue's global list (the aws: keys,
// and the service keys AWS sets on every request signed with credentials
// a service issued, whatever service the request goes to:
// ec2:SourceInstanceArn, lambda:SourceFunctionArn, glue:RoleAssumedBy,
// ...), a key the catalogue lists for the action or its resource types,
// or any key of an action or key the catalogue does not know. Any other
// service key is never in the action's request context, whichever
// service the key belongs to: ec2:InstanceType is never in an
// s3:GetObject request.
func keyReaches(action, key string) bool {
	low := strings.ToLower(key)
	if strings.HasPrefix(low, "aws:") {
		return true
	}
	if _, global := catalog.GlobalKeyType(low); global {
		return true
	}
	if _, known := catalog.ConditionKeyType(low); !known {
		return true
	}
	supported, known := catalog.SupportsKey(action, low)
	return supported || !known
}

// resourceTagKey reports a service's key for a tag of the resource a
// request acts on (ssm:resourceTag/K, s3:ExistingObjectTag/K,
// s3:BucketTag/K, rds:db-tag/K, datapipeline:Tag/K), not a tag the
// request sets or searches for (s3:RequestObjectTag/K, rds:req-tag/K,
// ec2:CreatedResourceTag/K) nor an aws: key.
func resourceTagKey(key string) bool {
	svc, rest, ok := strings.Cut(strings.ToLower(key), ":")
	if !ok || svc == "aws" {
		return false
	}
	name, _, templated := strings.Cut(rest, "/")
	if !templated || !strings.Contains(name, "tag") {
		return false
	}
	for _, not := range []string{"request", "created", "search"} {
		if strings.Contains(name, not) {
			return false
		}
	}
	return !strings.HasPrefix(name, "req-")
}
