package kernel

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/iam2rego/iam2rego/arn"
	"github.com/iam2rego/iam2rego/layout"
	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator"
	"github.com/open-policy-agent/opa/v1/bundle"
)

// View is a bundle's data as the analyses read it.
type View struct {
	// Label names the bundle in errors (its file, or the inputs it was
	// built from).
	Label string
	*layout.Data

	mu     sync.Mutex
	parsed map[string]*translator.Policy // type + "\x00" + policy name
}

// NewView reads the typed data of a bundle built by `iam2rego build`. A
// bundle without policy documents (from an older iam2rego) cannot be
// analysed and must be rebuilt.
func NewView(label string, b *bundle.Bundle) (*View, error) {
	d, err := layout.FromBundle(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	if d.Documents == nil {
		return nil, fmt.Errorf("%s: /iam2rego/documents: missing: the bundle comes from an older iam2rego; rebuild it", label)
	}
	if err := nullRecord(label, "principals", d.Principals); err != nil {
		return nil, err
	}
	if err := nullRecord(label, "callers", d.Callers); err != nil {
		return nil, err
	}
	if err := nullRecord(label, "accounts", d.Accounts); err != nil {
		return nil, err
	}
	if err := nullRecord(label, "resources", d.Resources); err != nil {
		return nil, err
	}
	return &View{Label: label, Data: d, parsed: map[string]*translator.Policy{}}, nil
}

// nullRecord refuses a record that is null (the analyses read records
// without asking again: a nil one was a panic), naming its pointer.
func nullRecord[T any](label, key string, records map[string]*T) error {
	for _, k := range slices.Sorted(maps.Keys(records)) {
		if records[k] == nil {
			return fmt.Errorf("%s: %s: null, not a record", label, schema.Pointer("/iam2rego/"+key, k))
		}
	}
	return nil
}

// Document is a policy's document, decoded (numbers as json.Number).
func (v *View) Document(name string) (any, error) {
	ptr := schema.Pointer("/iam2rego/documents", name)
	text, ok := v.Documents[name]
	if !ok {
		return nil, fmt.Errorf("%s: %s: policy %s is used but its document is missing", v.Label, ptr, name)
	}
	doc, err := schema.Decode(v.Label+"#"+ptr, []byte(text))
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %v", v.Label, ptr, err)
	}
	return doc, nil
}

// Policy parses a policy of the bundle as the given type (once per type).
// A document that is missing or does not parse is an error naming the
// bundle and the document's pointer: the analysis fails closed.
func (v *View) Policy(name string, typ translator.PolicyType) (*translator.Policy, error) {
	key := string(typ) + "\x00" + name
	v.mu.Lock()
	defer v.mu.Unlock()
	if p, ok := v.parsed[key]; ok {
		return p, nil
	}
	doc, err := v.Document(name)
	if err != nil {
		return nil, err
	}
	ptr := schema.Pointer("/iam2rego/documents", name)
	parsed, err := translator.ParseExported(v.Label+"#"+ptr, typ, doc)
	if err != nil {
		msgs := []string{}
		for _, e := range schema.List(err) {
			msgs = append(msgs, e.Error())
		}
		return nil, fmt.Errorf("%s: %s: the document does not parse as a %s policy: %s", v.Label, ptr, typ, strings.Join(msgs, "; "))
	}
	v.parsed[key] = parsed.Policy
	return parsed.Policy, nil
}

// ResourceType is the policy type of a resource's own policy: a role's is
// its trust policy.
func ResourceType(resource string) translator.PolicyType {
	if arn.IsRole(resource) {
		return translator.Trust
	}
	return translator.Resource
}

// ResourcePolicies are the policies of a resource: its own and, for an S3
// object, its bucket's (a bucket policy applies to its objects).
func (v *View) ResourcePolicies(resource string) []string {
	var out []string
	if r := v.Resources[resource]; r != nil {
		out = append(out, r.Policy...)
	}
	if bucket, ok := arn.Bucket(resource); ok {
		if r := v.Resources[bucket]; r != nil {
			out = append(out, r.Policy...)
		}
	}
	return out
}

// ResourceRecord is what the bundle records of a resource: its own
// record, or its bucket's for an S3 object (nil when it knows neither).
func (v *View) ResourceRecord(resource string) *layout.Resource {
	if r := v.Resources[resource]; r != nil {
		return r
	}
	if bucket, ok := arn.Bucket(resource); ok {
		return v.Resources[bucket]
	}
	return nil
}

// KnownResources lists the resources the bundle knows, sorted.
func (v *View) KnownResources() []string {
	out := make([]string, 0, len(v.Resources))
	for r := range v.Resources {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// CallerARNs lists the principals to decide for, sorted: every user and role
// of the bundle and the root of every account it holds (in the partition
// of its principals).
func (v *View) CallerARNs() []string {
	partitions := map[string]string{}
	for p := range v.Principals {
		if a, ok := arn.Parse(p); ok {
			partitions[a.Account] = a.Partition
		}
	}
	for id := range v.Accounts {
		if _, ok := partitions[id]; !ok {
			partitions[id] = arn.DefaultPartition
		}
	}
	out := make([]string, 0, len(v.Principals)+len(partitions))
	for p := range v.Principals {
		out = append(out, p)
	}
	for id, partition := range partitions {
		out = append(out, arn.Root(partition, id).String())
	}
	sort.Strings(out)
	return out
}

// HoldsAccount reports whether the bundle holds principals of the account
// or the account is in its organization.
func (v *View) HoldsAccount(id string) bool {
	if _, ok := v.Accounts[id]; ok {
		return true
	}
	for p := range v.Principals {
		if arn.Account(p) == id {
			return true
		}
	}
	return false
}

// Kind is a caller's kind: user, role, root or unknown.
func (v *View) Kind(caller string) string {
	if p := v.Principals[caller]; p != nil {
		return p.Kind
	}
	if a, ok := arn.Parse(caller); ok && a.Service == "iam" && a.Resource == "root" {
		return "root"
	}
	return "unknown"
}

// Variables are a principal's values of the keys a policy variable may
// name (its caller's derived context: aws:username, aws:userid,
// aws:PrincipalTag/K, …), keys lower-cased.
func (v *View) Variables(principal string) map[string]string {
	out := map[string]string{}
	if c := v.Callers[principal]; c != nil {
		for k, val := range c.Context {
			if s, ok := val.(string); ok {
				out[strings.ToLower(k)] = s
			}
		}
	}
	return out
}
