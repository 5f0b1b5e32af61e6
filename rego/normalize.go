package rego

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// This file is the Go twin of lib/input.rego, lib/caller.rego and lib/bundle.rego: it turns
// a Request into the normalised input that the policies' match rules and
// the decision chain read (chain.go here, data.iam2rego.lib.decide in
// Rego), so that Engine.Decide skips the Rego normalisation and its `with
// input as`. Every rule here mirrors one rule there, under the same name; the
// Rego stays the reference (sidecars run it) and TestGoNormalisation
// compares the two on every request of the corpus and the bundles.

var (
	actionRe       = regexp.MustCompile(`^[A-Za-z0-9-]+:[A-Za-z0-9*?_.-]+$`)
	rootRe         = regexp.MustCompile(`^arn:([a-z][a-z0-9-]*):iam::([0-9]{12}):root$`)
	userRe         = regexp.MustCompile(`^arn:([a-z][a-z0-9-]*):iam::([0-9]{12}):user/(.+)$`)
	assumedRoleRe  = regexp.MustCompile(`^arn:([a-z][a-z0-9-]*):sts::([0-9]{12}):assumed-role/([^/]+)/(.+)$`)
	roleRe         = regexp.MustCompile(`^arn:([a-z][a-z0-9-]*):iam::([0-9]{12}):role/(.*/)?([^/]+)$`)
	federatedRe    = regexp.MustCompile(`^arn:([a-z][a-z0-9-]*):sts::([0-9]{12}):federated-user/(.+)$`)
	serviceRe      = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$`)
	bucketPrefixRe = regexp.MustCompile(`^(arn:[^:]+:s3:::[^/]+)/`)
)

// principalBase is caller.rego's principal_base: what the ARN says.
type principalBase struct {
	kind, account, partition string
	name                     string // user, federated user
	roleName, session        string // role session
	roleARN                  string // role session
	arn                      string // set when the caller named a role: its session ARN
}

func parsePrincipal(arn string) (principalBase, bool) {
	if arn == "anonymous" {
		return principalBase{kind: "anonymous"}, true
	}
	if m := rootRe.FindStringSubmatch(arn); m != nil {
		return principalBase{kind: "root", account: m[2], partition: m[1]}, true
	}
	if m := userRe.FindStringSubmatch(arn); m != nil {
		parts := strings.Split(m[3], "/")
		name := parts[len(parts)-1]
		if name == "" {
			return principalBase{}, false
		}
		return principalBase{kind: "user", account: m[2], partition: m[1], name: name}, true
	}
	if m := assumedRoleRe.FindStringSubmatch(arn); m != nil {
		return principalBase{kind: "role_session", account: m[2], partition: m[1], roleName: m[3], session: m[4],
			roleARN: "arn:" + m[1] + ":iam::" + m[2] + ":role/" + m[3]}, true
	}
	if m := roleRe.FindStringSubmatch(arn); m != nil {
		return principalBase{kind: "role_session", account: m[2], partition: m[1], roleName: m[4], session: "iam2rego",
			roleARN: arn, arn: "arn:" + m[1] + ":sts::" + m[2] + ":assumed-role/" + m[4] + "/iam2rego"}, true
	}
	if m := federatedRe.FindStringSubmatch(arn); m != nil {
		return principalBase{kind: "federated_user", account: m[2], partition: m[1], name: m[3]}, true
	}
	if serviceRe.MatchString(arn) {
		return principalBase{kind: "service"}, true
	}
	return principalBase{}, false
}

// object returns principal_base as the Rego library builds it.
func (p principalBase) object() [][2]*ast.Term {
	kv := [][2]*ast.Term{
		{ast.StringTerm("kind"), ast.StringTerm(p.kind)},
		{ast.StringTerm("account"), ast.StringTerm(p.account)},
		{ast.StringTerm("partition"), ast.StringTerm(p.partition)},
	}
	switch p.kind {
	case "user", "federated_user":
		kv = append(kv, [2]*ast.Term{ast.StringTerm("name"), ast.StringTerm(p.name)})
	case "role_session":
		kv = append(kv,
			[2]*ast.Term{ast.StringTerm("role_name"), ast.StringTerm(p.roleName)},
			[2]*ast.Term{ast.StringTerm("session"), ast.StringTerm(p.session)},
			[2]*ast.Term{ast.StringTerm("role_arn"), ast.StringTerm(p.roleARN)})
		if p.arn != "" {
			kv = append(kv, [2]*ast.Term{ast.StringTerm("arn"), ast.StringTerm(p.arn)})
		}
	}
	return kv
}

// normalizer holds what the normalisation reads besides the request: the
// bundle's data.iam2rego (nil without a bundle) and the loaded policies.
type normalizer struct {
	data   ast.Object      // data.iam2rego, or nil
	loaded map[string]bool // policy ids with a `statements` rule
}

// lookup walks data.iam2rego by keys; nil when any step is missing.
func (n *normalizer) lookup(keys ...string) *ast.Term {
	if n.data == nil {
		return nil
	}
	var cur ast.Value = n.data
	for _, k := range keys {
		obj, ok := cur.(ast.Object)
		if !ok {
			return nil
		}
		t := obj.Get(ast.StringTerm(k))
		if t == nil {
			return nil
		}
		cur = t.Value
	}
	return ast.NewTerm(cur)
}

// setData keeps data.iam2rego (when the data has it) for the Go
// normalisation.
func (n *normalizer) setData(data map[string]any) error {
	d, ok := data["iam2rego"]
	if !ok {
		return nil
	}
	v, err := ast.InterfaceToValue(d)
	if err != nil {
		return fmt.Errorf("bundle data: %w", err)
	}
	if o, ok := v.(ast.Object); ok {
		n.data = o
	}
	return nil
}

// objectOr returns t's object, or an empty one (the Rego `else := {}`).
func objectOr(t *ast.Term) ast.Object {
	if t != nil {
		if o, ok := t.Value.(ast.Object); ok {
			return o
		}
	}
	return ast.NewObject()
}

// get is object.get(o, key, def).
func get(o ast.Object, key string, def *ast.Term) *ast.Term {
	if t := o.Get(ast.StringTerm(key)); t != nil {
		return t
	}
	return def
}

// union is object.union (recursive on nested objects, right wins).
func union(a, b ast.Object) ast.Object {
	if a.Len() == 0 {
		return b
	}
	if b.Len() == 0 {
		return a
	}
	out := a.Copy()
	b.Foreach(func(k, v *ast.Term) {
		if old := out.Get(k); old != nil {
			if oa, ok := old.Value.(ast.Object); ok {
				if ob, ok := v.Value.(ast.Object); ok {
					out.Insert(k, ast.NewTerm(union(oa, ob)))
					return
				}
			}
		}
		out.Insert(k, v)
	})
	return out
}

func tagsObject(m map[string]string) ast.Object {
	o := ast.NewObject()
	for k, v := range m {
		o.Insert(ast.StringTerm(k), ast.StringTerm(v))
	}
	return o
}

// normalize builds the normalised input, or the input errors that make
// the request impossible to decide (input_errors).
func (n *normalizer) normalize(req Request) (ast.Value, []string, error) {
	req = validRequest(req)
	base, baseOK := parsePrincipal(req.Principal.ARN)
	hasPolicies := !req.Policies.empty()
	errs := map[string]bool{}
	if !actionRe.MatchString(req.Action) {
		errs[`input.action must be a string like "service:Action"`] = true
	}
	if !baseOK {
		errs[`input.principal.arn is missing or not a principal ARN, a service principal or "anonymous"`] = true
	}
	for _, f := range []struct {
		field string
		keys  []string
	}{
		{"context", anyKeys(req.Context)},
		{"principal tags", stringKeys(req.Principal.Tags)},
		{"resource tags", stringKeys(req.Resource.Tags)},
	} {
		if collide(f.keys) {
			errs[f.field+" hold keys that differ only in letter case"] = true
		}
	}
	n.contextInputErrors(req.Context, errs)

	// bundle.rego: the entries of the principal, the resource, the accounts.
	roleARN := ""
	if baseOK && base.kind == "role_session" {
		if t := n.lookup("roles_by_name", base.account, strings.ToLower(base.roleName)); t != nil {
			if s, ok := t.Value.(ast.String); ok {
				roleARN = string(s)
			}
		}
	}
	principalRoleARN := base.roleARN // object.get(principal_base, "role_arn", "")
	switch {
	case req.Principal.RoleARN != "":
		principalRoleARN = req.Principal.RoleARN
	case baseOK && base.kind == "role_session" && roleARN != "":
		principalRoleARN = roleARN
	}
	var entry *ast.Term
	switch {
	case !baseOK:
	case base.kind == "role_session":
		entry = n.lookup("principals", principalRoleARN)
	case base.kind == "user":
		entry = n.lookup("principals", req.Principal.ARN)
	case base.kind == "federated_user" && req.Principal.FederatedBy != "":
		entry = n.lookup("principals", req.Principal.FederatedBy)
	}
	principalRecord := objectOr(entry)
	exact := objectOr(n.lookup("resources", req.Resource.ARN))
	bucket := ast.NewObject()
	if m := bucketPrefixRe.FindStringSubmatch(req.Resource.ARN); m != nil {
		bucket = objectOr(n.lookup("resources", m[1]))
	}
	empty := ast.ObjectTerm()
	emptyArr := ast.ArrayTerm()
	policy := concatArrays(get(exact, "policy", emptyArr), get(bucket, "policy", emptyArr))
	if policy == nil {
		return nil, nil, fmt.Errorf("evaluation error: a resource entry's policy list is not an array")
	}
	resourceRecord := ast.NewObject(
		[2]*ast.Term{ast.StringTerm("tags"), get(exact, "tags", empty)},
		[2]*ast.Term{ast.StringTerm("policy"), policy},
	)
	if a := get(exact, "account", get(bucket, "account", ast.StringTerm(""))); !a.Equal(ast.StringTerm("")) {
		resourceRecord.Insert(ast.StringTerm("account"), a)
	}

	accountFromARN := ""
	if parts := strings.Split(req.Resource.ARN, ":"); len(parts) >= 6 {
		accountFromARN = parts[4]
	} else if req.Resource.ARN == "*" && baseOK {
		accountFromARN = base.account
	}
	resourceAccount := ast.StringTerm(accountFromARN)
	if req.Resource.Account != "" {
		resourceAccount = ast.StringTerm(req.Resource.Account)
	} else if a := resourceRecord.Get(ast.StringTerm("account")); a != nil {
		resourceAccount = a
	}
	if req.Resource.ARN != "*" && req.Resource.Account == "" && resourceRecord.Get(ast.StringTerm("account")) == nil && accountFromARN == "" {
		errs[fmt.Sprintf("the account that owns %v is unknown: give resource.account", req.Resource.ARN)] = true
	}
	if !hasPolicies && baseOK && (base.kind == "user" || base.kind == "role_session") && entry == nil {
		if p := n.lookup("principals"); p != nil {
			if _, ok := p.Value.(ast.Object); ok {
				errs[fmt.Sprintf("principal %v is not in the bundle", req.Principal.ARN)] = true
			}
		}
	}
	principalAccountEntry := n.lookup("accounts", base.account)
	var resourceAccountEntry *ast.Term
	if s, ok := resourceAccount.Value.(ast.String); ok {
		resourceAccountEntry = n.lookup("accounts", string(s))
	}

	var policies ast.Value
	if hasPolicies {
		policies = req.Policies.object()
	} else {
		pa, ra := objectOr(principalAccountEntry), objectOr(resourceAccountEntry)
		policies = ast.NewObject(
			[2]*ast.Term{ast.StringTerm("identity"), get(principalRecord, "identity", emptyArr)},
			[2]*ast.Term{ast.StringTerm("boundary"), get(principalRecord, "boundary", emptyArr)},
			[2]*ast.Term{ast.StringTerm("resource"), get(resourceRecord, "policy", emptyArr)},
			[2]*ast.Term{ast.StringTerm("scps"), get(pa, "scps", emptyArr)},
			[2]*ast.Term{ast.StringTerm("scp_names"), get(pa, "scp_names", emptyArr)},
			[2]*ast.Term{ast.StringTerm("rcps"), get(ra, "rcps", emptyArr)},
		)
	}
	pids := ast.NewSet()
	for _, pid := range policyIDs(policies.(ast.Object)) {
		pids.Add(ast.StringTerm(pid))
		if !n.loaded[pid] {
			errs[fmt.Sprintf("policy %v is not loaded", pid)] = true
		}
	}
	if len(errs) > 0 {
		list := make([]string, 0, len(errs))
		for e := range errs {
			list = append(list, e)
		}
		sort.Strings(list)
		return nil, list, nil
	}

	management := ""
	if req.ManagementAccount != "" {
		management = req.ManagementAccount
	} else if t := n.lookup("organization", "management_account"); t != nil {
		if s, ok := t.Value.(ast.String); ok {
			management = string(s)
		}
	}

	explicit, err := explicitContext(req.Context)
	if err != nil {
		return nil, nil, err
	}
	principalTags := union(objectOr(principalRecord.Get(ast.StringTerm("tags"))), tagsObject(req.Principal.Tags))
	resourceTags := union(objectOr(resourceRecord.Get(ast.StringTerm("tags"))), tagsObject(req.Resource.Tags))
	resource := ast.NewObject(
		[2]*ast.Term{ast.StringTerm("arn"), ast.StringTerm(req.Resource.ARN)},
		[2]*ast.Term{ast.StringTerm("account"), resourceAccount},
		[2]*ast.Term{ast.StringTerm("tags"), ast.NewTerm(resourceTags)},
	)
	// arn_tail(5) and arn_tail(4): the text after the fifth and after the
	// fourth colon, when there are that many.
	for _, t := range []struct {
		key string
		n   int
	}{{"arn_resource", 6}, {"arn_account_resource", 5}} {
		if parts := strings.SplitN(req.Resource.ARN, ":", t.n); len(parts) == t.n {
			resource.Insert(ast.StringTerm(t.key), ast.StringTerm(parts[t.n-1]))
		}
	}

	// principal := object.union_n([...]): later objects win.
	principal := ast.NewObject(
		[2]*ast.Term{ast.StringTerm("arn"), ast.StringTerm(req.Principal.ARN)},
		[2]*ast.Term{ast.StringTerm("federated_by"), ast.StringTerm(req.Principal.FederatedBy)},
	)
	for _, kv := range base.object() {
		principal.Insert(kv[0], kv[1])
	}
	principal.Insert(ast.StringTerm("role_arn"), ast.StringTerm(principalRoleARN))
	principal.Insert(ast.StringTerm("tags"), ast.NewTerm(principalTags))
	if a := strings.ToLower(req.Action); a == "sts:assumerolewithwebidentity" || a == "sts:assumerolewithsaml" {
		if p := explicit.Get(ast.StringTerm("aws:federatedprovider")); p != nil {
			principal.Insert(ast.StringTerm("federated_provider"), p)
		}
	}
	if req.Principal.CanonicalUser != "" {
		principal.Insert(ast.StringTerm("canonical_user"), ast.StringTerm(req.Principal.CanonicalUser))
	}

	derived, err := n.derivedContext(req, base, principal, principalTags, resourceTags, resourceAccount, principalAccountEntry, resourceAccountEntry)
	if err != nil {
		return nil, nil, err
	}
	return ast.NewObject(
		[2]*ast.Term{ast.StringTerm("action"), ast.StringTerm(strings.ToLower(req.Action))},
		[2]*ast.Term{ast.StringTerm("action_name"), ast.StringTerm(req.Action)},
		[2]*ast.Term{ast.StringTerm("principal"), ast.NewTerm(principal)},
		[2]*ast.Term{ast.StringTerm("resource"), ast.NewTerm(resource)},
		[2]*ast.Term{ast.StringTerm("context"), ast.NewTerm(union(derived, explicit))},
		[2]*ast.Term{ast.StringTerm("policies"), ast.NewTerm(policies)},
		[2]*ast.Term{ast.StringTerm("pids"), ast.NewTerm(pids)},
		[2]*ast.Term{ast.StringTerm("management_account"), ast.StringTerm(management)},
	), nil, nil
}

var principalTypes = map[string]string{
	"root": "Account", "user": "User", "role_session": "AssumedRole",
	"federated_user": "FederatedUser", "anonymous": "Anonymous",
}

// derivedContext is derived_context: the keys of §7–§8 the request implies.
func (n *normalizer) derivedContext(req Request, base principalBase, principal, principalTags, resourceTags ast.Object, resourceAccount, pAcct, rAcct *ast.Term) (ast.Object, error) {
	out := ast.NewObject()
	if t, ok := principalTypes[base.kind]; ok {
		out.Insert(ast.StringTerm("aws:principaltype"), ast.StringTerm(t))
	}
	switch base.kind {
	case "role_session":
		out.Insert(ast.StringTerm("aws:principalarn"), principal.Get(ast.StringTerm("role_arn")))
	case "root", "user", "federated_user":
		out.Insert(ast.StringTerm("aws:principalarn"), principal.Get(ast.StringTerm("arn")))
	}
	if base.account != "" {
		out.Insert(ast.StringTerm("aws:principalaccount"), ast.StringTerm(base.account))
	}
	if base.kind == "user" {
		out.Insert(ast.StringTerm("aws:username"), ast.StringTerm(base.name))
	}
	switch {
	case req.Principal.UserID != "":
		out.Insert(ast.StringTerm("aws:userid"), ast.StringTerm(req.Principal.UserID))
	case base.kind == "root":
		out.Insert(ast.StringTerm("aws:userid"), ast.StringTerm(base.account))
	case base.kind == "anonymous":
		out.Insert(ast.StringTerm("aws:userid"), ast.StringTerm("anonymous"))
	case base.kind == "federated_user":
		out.Insert(ast.StringTerm("aws:userid"), ast.StringTerm(base.account+":"+base.name))
	}
	// aws:PrincipalIsAWSService is in every signed request, true only for
	// a service principal calling directly (§8), which also names itself.
	switch base.kind {
	case "service":
		name := principal.Get(ast.StringTerm("arn"))
		out.Insert(ast.StringTerm("aws:principalisawsservice"), ast.StringTerm("true"))
		out.Insert(ast.StringTerm("aws:principalservicename"), name)
		out.Insert(ast.StringTerm("aws:principalservicenameslist"), ast.ArrayTerm(name))
	case "root", "user", "role_session", "federated_user":
		out.Insert(ast.StringTerm("aws:principalisawsservice"), ast.StringTerm("false"))
	}
	// Each part of the union is built on its own, as in Rego: keys that
	// collide inside one part are an evaluation error there, and later
	// parts win over earlier ones.
	parts := []ast.Object{out}
	for _, tags := range []struct {
		prefix string
		obj    ast.Object
	}{{"aws:principaltag/", principalTags}, {"aws:resourcetag/", resourceTags}} {
		part := ast.NewObject()
		var err error
		tags.obj.Foreach(func(k, v *ast.Term) {
			s, ok := k.Value.(ast.String)
			if !ok || err != nil {
				return
			}
			key := ast.StringTerm(tags.prefix + strings.ToLower(string(s)))
			if old := part.Get(key); old != nil && !old.Equal(v) {
				err = fmt.Errorf("evaluation error: object keys must be unique (%s)", key.Value)
				return
			}
			part.Insert(key, v)
		})
		if err != nil {
			return nil, err
		}
		parts = append(parts, part)
	}
	last := ast.NewObject()
	if !resourceAccount.Equal(ast.StringTerm("")) {
		last.Insert(ast.StringTerm("aws:resourceaccount"), resourceAccount)
	}
	parts = append(parts, last)
	org := ast.NewObject()
	for _, o := range []struct {
		entry    *ast.Term
		key, out string
	}{
		{pAcct, "org_id", "aws:principalorgid"}, {pAcct, "org_paths", "aws:principalorgpaths"},
		{rAcct, "org_id", "aws:resourceorgid"}, {rAcct, "org_paths", "aws:resourceorgpaths"},
	} {
		if o.entry == nil {
			continue
		}
		if obj, ok := o.entry.Value.(ast.Object); ok {
			if v := obj.Get(ast.StringTerm(o.key)); v != nil {
				org.Insert(ast.StringTerm(o.out), v)
			}
		}
	}
	parts = append(parts, org)
	merged := ast.NewObject()
	for _, p := range parts {
		merged = union(merged, p)
	}
	return merged, nil
}

// policyIDs lists the ids policy_ids collects from the policy object.
func policyIDs(p ast.Object) []string {
	var ids []string
	add := func(t *ast.Term) {
		if s, ok := t.Value.(ast.String); ok {
			ids = append(ids, string(s))
		}
	}
	for _, k := range []string{"identity", "boundary", "session", "resource", "vpce"} {
		switch v := get(p, k, ast.ArrayTerm()).Value.(type) {
		case *ast.Array:
			v.Foreach(add)
		case ast.String:
			ids = append(ids, string(v))
		}
	}
	for _, k := range []string{"scps", "rcps"} {
		if levels, ok := get(p, k, ast.ArrayTerm()).Value.(*ast.Array); ok {
			levels.Foreach(func(l *ast.Term) {
				switch v := l.Value.(type) {
				case *ast.Array:
					v.Foreach(add)
				case ast.Object:
					v.Foreach(func(_, x *ast.Term) { add(x) })
				case ast.Set:
					v.Foreach(add)
				}
			})
		}
	}
	return ids
}

func concatArrays(a, b *ast.Term) *ast.Term {
	x, ok1 := a.Value.(*ast.Array)
	y, ok2 := b.Value.(*ast.Array)
	if !ok1 || !ok2 {
		return nil
	}
	if y.Len() == 0 {
		return a
	}
	if x.Len() == 0 {
		return b
	}
	terms := make([]*ast.Term, 0, x.Len()+y.Len())
	x.Foreach(func(t *ast.Term) { terms = append(terms, t) })
	y.Foreach(func(t *ast.Term) { terms = append(terms, t) })
	return ast.ArrayTerm(terms...)
}

func collide(keys []string) bool {
	seen := make(map[string]bool, len(keys))
	for _, k := range keys {
		l := strings.ToLower(k)
		if seen[l] {
			return true
		}
		seen[l] = true
	}
	return false
}

func anyKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func stringKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// policyNames is data.iam2rego.policy_names[pid]: where a bundle's policy
// is used; nil without a bundle.
func (n *normalizer) policyNames(pid string) *ast.Term {
	return n.lookup("policy_names", pid)
}
