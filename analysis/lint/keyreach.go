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
