package access

import (
	"fmt"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/bundle"
)

// view is the part of a bundle's data.iam2rego the analyses read.
type view struct {
	principals map[string]string   // ARN → kind ("user" or "role")
	accounts   map[string]string   // account id → partition, for every account the bundle holds
	resources  map[string][]string // resource ARN → its policies
	documents  map[string]string   // policy name → document (canonical JSON)
	names      map[string][]string // policy name → where it is used
}

func readView(b *bundle.Bundle) (*view, error) {
	root, ok := b.Data["iam2rego"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the bundle has no data.iam2rego: was it written by iam2rego build?")
	}
	v := &view{principals: map[string]string{}, accounts: map[string]string{}, resources: map[string][]string{}, documents: map[string]string{}, names: map[string][]string{}}
	for arn, p := range object(root["principals"]) {
		kind, _ := object(p)["kind"].(string)
		v.principals[arn] = kind
		if parts := strings.SplitN(arn, ":", 6); len(parts) == 6 {
			v.accounts[parts[4]] = parts[1]
		}
	}
	for acct := range object(root["accounts"]) {
		if _, ok := v.accounts[acct]; !ok {
			v.accounts[acct] = "aws"
		}
	}
	for arn, r := range object(root["resources"]) {
		v.resources[arn] = stringList(object(r)["policy"])
	}
	for name, d := range object(root["documents"]) {
		if s, ok := d.(string); ok {
			v.documents[name] = s
		}
	}
	for name, n := range object(root["policy_names"]) {
		v.names[name] = stringList(n)
	}
	return v, nil
}

// resourcePolicies are the policies of a resource: its own and, for an S3
// object, its bucket's (a bucket policy applies to its objects).
func (v *view) resourcePolicies(arn string) []string {
	out := append([]string(nil), v.resources[arn]...)
	if rest, ok := strings.CutPrefix(arn, "arn:"); ok {
		if parts := strings.SplitN(rest, ":", 5); len(parts) == 5 && parts[1] == "s3" {
			if i := strings.IndexByte(arn, '/'); i > 0 {
				out = append(out, v.resources[arn[:i]]...)
			}
		}
	}
	return out
}

// callers lists the principals to decide for, sorted: every user and role
// ARN, and the root of every account the bundle holds.
func (v *view) callers() []string {
	out := make([]string, 0, len(v.principals)+len(v.accounts))
	for arn := range v.principals {
		out = append(out, arn)
	}
	for acct, partition := range v.accounts {
		out = append(out, "arn:"+partition+":iam::"+acct+":root")
	}
	sort.Strings(out)
	return out
}

func object(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func stringList(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
