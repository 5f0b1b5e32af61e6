package rego

import (
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
)

// chainInput is what the decision chain (chain.go) reads from a normalised
// input (the value of data.iam2rego.lib.normalized, or of the Go
// normalizer).
type chainInput struct {
	action, actionName                 string
	kind, principalAccount, federation string
	resourceARN, resourceAccount       string
	management                         string
	// lists are the policy ids of the single-list types: identity,
	// boundary, session, resource, vpce.
	lists      map[string][]string
	scps, rcps [][]string
	scpNames   []*ast.Term
	// arnResource and arnAccountResource are the resource's
	// arn_resource and arn_account_resource ("" when it has none).
	arnResource, arnAccountResource string
}

// readChainInput reads a normalised input. Any unexpected shape is an
// error, which the caller turns into a fail-closed decision.
func readChainInput(v ast.Value) (chainInput, error) {
	var ci chainInput
	in, ok := v.(ast.Object)
	if !ok {
		return ci, fmt.Errorf("normalised input is %T, not an object", v)
	}
	r := fieldReader{}
	principal := r.object(in, "principal")
	resource := r.object(in, "resource")
	ci.action = r.str(in, "action")
	ci.actionName = r.str(in, "action_name")
	ci.management = r.str(in, "management_account")
	ci.kind = r.str(principal, "kind")
	ci.principalAccount = r.str(principal, "account")
	ci.federation = textOf(principal, "federated_by")
	ci.resourceARN = r.str(resource, "arn")
	ci.resourceAccount = r.str(resource, "account")
	ci.arnResource = textOf(resource, "arn_resource")
	ci.arnAccountResource = textOf(resource, "arn_account_resource")
	policies := r.object(in, "policies")
	ci.lists = map[string][]string{}
	for _, t := range []string{"identity", "boundary", "session", "resource", "vpce"} {
		ci.lists[t] = r.idList(policies, t)
	}
	ci.scps = r.levels(policies, "scps")
	ci.rcps = r.levels(policies, "rcps")
	if t := policies.Get(ast.StringTerm("scp_names")); t != nil {
		if a, ok := t.Value.(*ast.Array); ok {
			for i := range a.Len() {
				ci.scpNames = append(ci.scpNames, a.Elem(i))
			}
		}
	}
	return ci, r.err
}

// fieldReader reads typed fields, keeping the first error.
type fieldReader struct{ err error }

func (r *fieldReader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("normalised input: "+format, args...)
	}
}

func (r *fieldReader) object(o ast.Object, key string) ast.Object {
	if o != nil {
		if t := o.Get(ast.StringTerm(key)); t != nil {
			if v, ok := t.Value.(ast.Object); ok {
				return v
			}
		}
	}
	r.fail("%s is not an object", key)
	return ast.NewObject()
}

func (r *fieldReader) str(o ast.Object, key string) string {
	if t := o.Get(ast.StringTerm(key)); t != nil {
		if s, ok := t.Value.(ast.String); ok {
			return string(s)
		}
	}
	r.fail("%s is not a string", key)
	return ""
}

// strings reads an array of strings.
func (r *fieldReader) strings(key string, v ast.Value) []string {
	a, ok := v.(*ast.Array)
	if !ok {
		r.fail("%s is not an array", key)
		return nil
	}
	out := make([]string, 0, a.Len())
	for i := range a.Len() {
		s, ok := a.Elem(i).Value.(ast.String)
		if !ok {
			r.fail("%s[%d] is not a string", key, i)
			return nil
		}
		out = append(out, string(s))
	}
	return out
}

// idList is as_id_list(object.get(policies, key, [])): an array of ids,
// or one id.
func (r *fieldReader) idList(o ast.Object, key string) []string {
	t := o.Get(ast.StringTerm(key))
	if t == nil {
		return nil
	}
	if s, ok := t.Value.(ast.String); ok {
		return []string{string(s)}
	}
	return r.strings(key, t.Value)
}

// levels reads an organisation's levels of policy ids (scps, rcps).
func (r *fieldReader) levels(o ast.Object, key string) [][]string {
	t := o.Get(ast.StringTerm(key))
	if t == nil {
		return nil
	}
	a, ok := t.Value.(*ast.Array)
	if !ok {
		r.fail("%s is not an array", key)
		return nil
	}
	out := make([][]string, 0, a.Len())
	for i := range a.Len() {
		if _, ok := a.Elem(i).Value.(ast.Null); ok {
			// A level given as null (a nil slice in PolicyRefs): a level
			// without policies, as Rego iterates it.
			out = append(out, []string{})
			continue
		}
		out = append(out, r.strings(fmt.Sprintf("%s[%d]", key, i), a.Elem(i).Value))
	}
	return out
}

// noPolicies reports whether the input names no policy at all.
func noPolicies(ci chainInput) bool {
	for _, l := range ci.lists {
		if len(l) > 0 {
			return false
		}
	}
	for _, levels := range [][][]string{ci.scps, ci.rcps} {
		for _, l := range levels {
			if len(l) > 0 {
				return false
			}
		}
	}
	return true
}
