package terraform

import (
	"slices"
	"strings"

	"github.com/iam2rego/iam2rego/arn"
	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator/account"
)

// writeOther writes the resource-policy and organization types.
func (a *applier) writeOther(v *vals) {
	switch v.c.rc.Type {
	case "aws_s3_bucket":
		if name, ok := v.m["bucket"].(string); ok && name != "" && (v.before || !v.c.unknownAt("bucket")) {
			a.derive(v.c.rc.Address, "id", name, "bucket", name, "arn", a.bucketARN(name))
		}
	case "aws_s3_bucket_policy":
		bucket, ok := v.str("bucket", "the bucket")
		if !ok || bucket == "" {
			return
		}
		resourceARN := a.bucketARN(bucket)
		if doc, ok := v.policy([]any{"policy"}, "the bucket policy of "+resourceARN); ok {
			a.resource(resourceARN).Policy = doc
		}
	case "aws_kms_key":
		resourceARN, _ := v.m["arn"].(string)
		if !v.before && v.c.unknownAt("arn") {
			resourceARN = ""
		}
		if id, _ := v.m["key_id"].(string); id != "" && resourceARN != "" {
			a.derive(v.c.rc.Address, "arn", resourceARN, "key_id", id, "id", id)
			a.derive("\x00kms", id, resourceARN)
		}
		if resourceARN == "" {
			if v.c.configured("policy") || !v.c.unknownAt("policy") {
				a.unknown(v.c, []any{"arn"}, "the ARN of the new key (its key policy needs it)")
			}
			return
		}
		if doc, ok := v.policy([]any{"policy"}, "the key policy of "+resourceARN); ok {
			a.resource(resourceARN).Policy = doc
		}
	case "aws_kms_key_policy":
		id, ok := v.str("key_id", "the key")
		if !ok || id == "" {
			return
		}
		resourceARN := a.kmsARN(id)
		if resourceARN == "" {
			a.errorf(schema.CodeUnknownReference, v.c, v.side(), []any{"key_id"}, "key %s is neither in the export nor in the plan (give its ARN)", id)
			return
		}
		if doc, ok := v.policy([]any{"policy"}, "the key policy of "+resourceARN); ok {
			a.resource(resourceARN).Policy = doc
		}
	case "aws_organizations_policy":
		a.writeOrgPolicy(v)
	case "aws_organizations_policy_attachment":
		a.orgAttachment(v, true)
	}
}

// removeOther takes a resource policy or organization change's before
// value out.
func (a *applier) removeOther(v *vals) {
	switch v.c.rc.Type {
	case "aws_s3_bucket_policy":
		bucket, _ := v.m["bucket"].(string)
		a.dropPolicy(a.bucketARN(bucket))
	case "aws_s3_bucket":
		bucket, _ := v.m["bucket"].(string)
		a.dropResource(a.bucketARN(bucket))
	case "aws_kms_key":
		resourceARN, _ := v.m["arn"].(string)
		a.dropResource(resourceARN)
	case "aws_kms_key_policy":
		id, _ := v.m["key_id"].(string)
		a.dropPolicy(a.kmsARN(id))
	case "aws_organizations_policy":
		name, _ := v.m["name"].(string)
		typ, _ := v.m["type"].(string)
		if a.exp.Organization != nil {
			walkUnits(a.exp.Organization.Root, func(l *[]account.NamedDocument) {
				*l = slices.DeleteFunc(*l, func(d account.NamedDocument) bool { return d.Name == name })
			}, typ)
		}
	case "aws_organizations_policy_attachment":
		a.orgAttachment(v, false)
	}
}

// bucketARN is the ARN of a bucket given by name (or ARN), in the
// account's partition.
func (a *applier) bucketARN(bucket string) string {
	if x, ok := arn.Parse(bucket); ok && x.Service == "s3" {
		return bucket
	}
	return arn.ARN{Partition: a.partition, Service: "s3", Resource: bucket}.String()
}

// kmsARN is the ARN of a key given by id or ARN: from the plan's keys or
// the export's resources; "" when neither has it.
func (a *applier) kmsARN(id string) string {
	if strings.HasPrefix(id, "arn:") {
		return id
	}
	if resourceARN, ok := a.derived["\x00kms"][id]; ok {
		return resourceARN
	}
	for _, r := range a.exp.Resources {
		if strings.HasSuffix(r.ARN, ":key/"+id) {
			return r.ARN
		}
	}
	return ""
}

// resource finds (or adds) the record of a resource of the plan's account.
func (a *applier) resource(resourceARN string) *account.ResourcePolicy {
	for _, r := range a.exp.Resources {
		if r.ARN == resourceARN {
			return r
		}
	}
	r := &account.ResourcePolicy{ARN: resourceARN, Account: a.acct.ID}
	a.exp.Resources = append(a.exp.Resources, r)
	return r
}

// dropPolicy removes a resource's policy (and the record, when it holds
// nothing else).
func (a *applier) dropPolicy(resourceARN string) {
	for _, r := range a.exp.Resources {
		if r.ARN == resourceARN {
			r.Policy = nil
		}
	}
	a.exp.Resources = slices.DeleteFunc(a.exp.Resources, func(r *account.ResourcePolicy) bool {
		return r.ARN == resourceARN && r.Policy == nil && len(r.Tags) == 0
	})
}

func (a *applier) dropResource(resourceARN string) {
	a.exp.Resources = slices.DeleteFunc(a.exp.Resources, func(r *account.ResourcePolicy) bool {
		return r.ARN == resourceARN || strings.HasPrefix(r.ARN, resourceARN+"/")
	})
}

const (
	typeSCP = "SERVICE_CONTROL_POLICY"
	typeRCP = "RESOURCE_CONTROL_POLICY"
)

// walkUnits calls f on the SCP or RCP list of every root, OU and account.
func walkUnits(u *account.OrgUnit, f func(*[]account.NamedDocument), typ string) {
	if u == nil {
		return
	}
	pick := func(scps, rcps *[]account.NamedDocument) {
		switch typ {
		case typeSCP:
			f(scps)
		case typeRCP:
			f(rcps)
		}
	}
	pick(&u.SCPs, &u.RCPs)
	for _, x := range u.Accounts {
		pick(&x.SCPs, &x.RCPs)
	}
	for _, c := range u.Units {
		walkUnits(c, f, typ)
	}
}

// writeOrgPolicy defines an SCP or RCP (other policy types do not
// decide access) and updates its document wherever it is attached.
func (a *applier) writeOrgPolicy(v *vals) {
	typ, ok := v.str("type", "the policy type")
	if !ok || (typ != typeSCP && typ != typeRCP) {
		return
	}
	name, ok := v.str("name", "the policy name")
	if !ok || name == "" {
		return
	}
	key := "\x00" + v.c.rc.Address
	if id, _ := v.m["id"].(string); id != "" && (v.before || !v.c.unknownAt("id")) {
		key = id
	}
	a.derive(v.c.rc.Address, "id", key, "name", name)
	doc, ok := v.policy([]any{"content"}, "the content of "+name)
	if !ok {
		return
	}
	a.orgPolicies[key] = orgPolicy{name: name, typ: typ, doc: *doc}
	if a.exp.Organization != nil {
		walkUnits(a.exp.Organization.Root, func(l *[]account.NamedDocument) {
			for i := range *l {
				if (*l)[i].Name == name {
					(*l)[i].Document = *doc
				}
			}
		}, typ)
	}
}

// orgAttachment attaches (or detaches) an SCP or RCP to a root, OU or
// account of the organization file's tree.
func (a *applier) orgAttachment(v *vals, write bool) {
	id, ok := v.str("policy_id", "the attached policy")
	if !ok {
		return
	}
	target, ok := v.str("target_id", "the attachment's target")
	if !ok {
		return
	}
	pol, known := a.orgPolicies[id]
	if !known {
		// The organization file names policies, the plan ids: an id the
		// plan does not define cannot be matched to a name.
		a.unknown(v.c, []any{"policy_id"}, "the policy "+id+" (not defined in the plan, so its name and document)")
		return
	}
	if write && pol.doc.Value == nil {
		return // its content is unknown (reported there)
	}
	if a.exp.Organization == nil {
		a.errorf(schema.CodeTerraformUnsupported, v.c, v.side(), []any{"target_id"}, "attaching %s to %s needs the organization: give --org", pol.name, target)
		return
	}
	found := false
	visit := func(nodeID string, scps, rcps *[]account.NamedDocument) {
		if nodeID != target {
			return
		}
		found = true
		l := scps
		if pol.typ == typeRCP {
			l = rcps
		}
		*l = slices.DeleteFunc(*l, func(d account.NamedDocument) bool { return d.Name == pol.name })
		if write {
			*l = append(*l, account.NamedDocument{Name: pol.name, Document: pol.doc})
		}
	}
	var walk func(u *account.OrgUnit)
	walk = func(u *account.OrgUnit) {
		if u == nil {
			return
		}
		visit(u.ID, &u.SCPs, &u.RCPs)
		for _, x := range u.Accounts {
			visit(x.ID, &x.SCPs, &x.RCPs)
		}
		for _, c := range u.Units {
			walk(c)
		}
	}
	walk(a.exp.Organization.Root)
	if !found && write {
		a.errorf(schema.CodeUnknownReference, v.c, v.side(), []any{"target_id"}, "target %s is not a root, OU or account of the organization file", target)
	}
}
