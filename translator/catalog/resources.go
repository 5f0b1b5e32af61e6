package catalog

import (
	"errors"
	"strings"

	"github.com/iam2rego/iam2rego/translator/catalog/internal/builder"
)

// ResourceType is one resource type an action can act on.
type ResourceType struct {
	Name     string // the catalogue's name, e.g. "role", "object"
	ARN      string // the ARN format with ${Placeholders} (a few types give several, separated by ", ")
	Required bool
}

var errCorruptResources = errors.New("resource types inconsistent")

// resType is a service's resource type with its ARN format split into the
// six ARN segments, ready for matching: lower-cased, each ${Placeholder}
// turned into "?*" (one or more characters), a literal * kept as a wildcard.
type resType struct {
	name, arn string
	alts      [][6]string // one per ARN format (a few types list several, ", "-separated)
}

// typeRef is one resource type of an action: an index into service.types.
type typeRef struct {
	idx      int32
	required bool
}

// addResources fills the service's resource types from the decoded file.
func (sv *service) addResources(s builder.Service) error {
	if len(s.ResourceTypes) == 0 && len(s.ActionResources) == 0 {
		return nil
	}
	index := make(map[string]int32, len(s.ResourceTypes))
	for _, name := range sortedKeys(s.ResourceTypes) {
		arn := s.ResourceTypes[name]
		t := resType{name: name, arn: arn}
		for _, f := range strings.Split(arn, ", ") {
			segs, ok := splitARN(formatPattern(f))
			if !ok {
				return errCorruptResources
			}
			t.alts = append(t.alts, segs)
		}
		index[name] = int32(len(sv.types))
		sv.types = append(sv.types, t)
	}
	sv.actionTypes = make([][]typeRef, len(sv.actions))
	for a, refs := range s.ActionResources {
		i, ok := sv.set[lowerASCII(a)]
		if !ok {
			return errCorruptResources
		}
		out := make([]typeRef, len(refs))
		for j, r := range refs {
			idx, ok := index[r.Type]
			if !ok {
				return errCorruptResources
			}
			out[j] = typeRef{idx: idx, required: r.Required}
		}
		sv.actionTypes[i] = out
	}
	return nil
}

// lookupAction finds a catalogued action (case-insensitive).
func lookupAction(action string) (*service, int, bool) {
	var buf [128]byte
	b := lowerInto(buf[:], action)
	i := strings.IndexByte(action, ':')
	if i <= 0 {
		return nil, 0, false
	}
	s, ok := load().services[string(b[:i])]
	if !ok {
		return nil, 0, false
	}
	j, ok := s.set[string(b[i+1:])]
	return s, j, ok
}

// refs returns the resource types of the service's i-th action.
func (s *service) refs(i int) []typeRef {
	if s.actionTypes == nil {
		return nil
	}
	return s.actionTypes[i]
}

// ResourceTypes returns the action's resource types (none: the action
// names no resource type and can only be granted on "*"); known is false
// for an action not in the catalogue. Case-insensitive; no wildcards.
func ResourceTypes(action string) (types []ResourceType, known bool) {
	s, i, ok := lookupAction(action)
	if !ok {
		return nil, false
	}
	for _, r := range s.refs(i) {
		t := &s.types[r.idx]
		types = append(types, ResourceType{Name: t.name, ARN: t.arn, Required: r.required})
	}
	return types, true
}

// FitsResourceType reports whether an ARN or ARN pattern (with * and ?
// wildcards, and policy variables ${...} treated as wildcards) can name a
// resource of one of the action's resource types. known is false when the
// action is unknown. An action with no resource types fits only "*".
//
// The pattern is split into the six ARN segments as IAM does for the
// Resource element (a short pattern ending in * is padded with :* segments;
// any other short pattern names nothing), and each segment is compared
// with the resource type's ARN format, where a ${Placeholder} stands for
// any non-empty run of characters (so ${RoleNameWithPath} may hold "/"),
// except that ${BucketName} holds no "/" and ${Region} and ${Account} may
// be empty (AWS-owned resources such as public SSM documents and AMIs).
// The pattern fits when some string matches both. Comparison ignores ASCII
// case, so that a finding never rests on the spelling of a service name:
// a "does not fit" answer is certain, a "fits" answer is possible.
func FitsResourceType(action, arn string) (fits, known bool) {
	s, i, ok := lookupAction(action)
	if !ok {
		return false, false
	}
	if arn == "*" {
		return true, true
	}
	refs := s.refs(i)
	if len(refs) == 0 {
		return false, true
	}
	segs, ok := splitARN(policyPattern(arn))
	if !ok {
		return false, true
	}
	for _, r := range refs {
		for k := range s.types[r.idx].alts {
			if segmentsIntersect(&segs, &s.types[r.idx].alts[k]) {
				return true, true
			}
		}
	}
	return false, true
}

// placeholderPatterns gives the wildcard pattern of the (lower-cased)
// placeholders that differ from the general "?*": S3 bucket names and
// partitions hold no "/", and a region or account may also be empty,
// as in AWS-owned resources (arn:aws:ssm:us-east-1::document/AWS-RunShellScript,
// arn:aws:ec2:us-east-1::image/ami-1) that the catalogue gives under the
// same formats as the account's own.
var placeholderPatterns = map[string]string{
	"${bucketname}": string([]byte{anyNoSlash, starNoSlash}),
	"${partition}":  string([]byte{anyNoSlash, starNoSlash}),
	"${region}":     string([]byte{starNoSlash}),
	"${account}":    string([]byte{starNoSlash}),
}

// formatPattern turns a catalogue ARN format into a wildcard pattern:
// lower-cased, each ${Placeholder} replaced by "?*" (one or more bytes),
// or by its entry in placeholderPatterns.
func formatPattern(f string) string {
	return replaceVars(lowerASCII(f), func(v string) string {
		if p, ok := placeholderPatterns[v]; ok {
			return p
		}
		return "?*"
	})
}

// policyPattern turns a policy's Resource pattern into a wildcard pattern:
// lower-cased, each policy variable ${...} replaced by "*" (its value is
// not known, and may be anything).
func policyPattern(p string) string {
	return replaceVars(lowerASCII(p), func(string) string { return "*" })
}

// replaceVars replaces every ${...} in s with repl of it. An unterminated
// ${ is left as it is.
func replaceVars(s string, repl func(v string) string) string {
	if !strings.Contains(s, "${") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		b.WriteString(repl(s[i : i+j+1]))
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return b.String()
}

// splitARN splits a lower-cased pattern at its first five colons into the
// six ARN segments. A pattern with fewer segments whose last segment ends
// in * is padded with "*" segments (IAM lets such a * run on past colons);
// any other short pattern, or one not starting with "arn", gives ok false.
func splitARN(p string) (segs [6]string, ok bool) {
	n := 0
	for n < 5 {
		i := strings.IndexByte(p, ':')
		if i < 0 {
			break
		}
		segs[n], p = p[:i], p[i+1:]
		n++
	}
	segs[n] = p
	if n < 5 {
		if !strings.HasSuffix(p, "*") {
			return segs, false
		}
		for k := n + 1; k < 6; k++ {
			segs[k] = "*"
		}
	}
	return segs, wildIntersect(segs[0], "arn")
}

// segmentsIntersect reports whether some ARN matches both split patterns
// in partition, service, region, account and resource part.
func segmentsIntersect(a, b *[6]string) bool {
	for k := 1; k < 6; k++ {
		if !wildIntersect(a[k], b[k]) {
			return false
		}
	}
	return true
}
