package account

import (
	"strings"

	arnpkg "github.com/iam2rego/iam2rego/arn"

	"github.com/iam2rego/iam2rego/schema"
)

// An export that contradicts itself is refused, not guessed at: which
// policies a session gets would depend on which field a lookup reads.
// AWS never writes such an export; a hand-edited or tampered one can be.

// entityKinds names, for each list of an account export, the resource
// type of its ARNs and the members that hold the name and the unique id.
var entityKinds = map[string]struct{ kind, name, id string }{
	"UserDetailList":  {"user", "UserName", "UserId"},
	"GroupDetailList": {"group", "GroupName", "GroupId"},
	"RoleDetailList":  {"role", "RoleName", "RoleId"},
	"Policies":        {"policy", "PolicyName", "PolicyId"},
}

// checkNamed requires an entry's Arn to be the one its name and path
// give, arn:PARTITION:iam::ACCOUNT:KIND/PATH/NAME (Path "/" when the
// export leaves it out or gives it as "/"), and its unique id not to be
// used by any other entry of the file (ids maps an id to its pointer).
func (r *gaadReader) checkNamed(list string, m map[string]any, ptr string, ids map[string]string) {
	k := entityKinds[list]
	arn, name := str(m, "Arn"), str(m, k.name)
	if arn == "" || name == "" {
		return // missing: reported by the schema
	}
	parsed, ok := arnpkg.Parse(arn)
	res, isKind := strings.CutPrefix(parsed.Resource, k.kind+"/")
	if !ok || !isKind {
		return // not an ARN of this kind: reported by the schema
	}
	cut := strings.LastIndexByte(res, '/') + 1
	arnPath, arnName := "/"+res[:cut], res[cut:]
	if arnName != name {
		r.errorf(schema.CodeARNMismatch, schema.Pointer(ptr, k.name), "%s is %q, but its Arn %s names %q", k.name, name, arn, arnName)
	}
	if path, given := m["Path"].(string); given && path != arnPath {
		r.errorf(schema.CodeARNMismatch, schema.Pointer(ptr, "Path"), "Path is %q, but its Arn %s has the path %q", path, arn, arnPath)
	}
	id := str(m, k.id)
	if id == "" {
		return
	}
	if first, dup := ids[id]; dup {
		r.errorf(schema.CodeDuplicateDefinition, schema.Pointer(ptr, k.id), "%s %s is also the id of %s", k.id, id, first)
		return
	}
	ids[id] = ptr
}
