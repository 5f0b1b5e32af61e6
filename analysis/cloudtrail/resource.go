package cloudtrail

import (
	"strings"

	"github.com/iam2rego/iam2rego/translator/catalog"
)

// mapResource sets the resource ARN and its account: from the documented
// request parameters (mapping.json, resources; the most specific template
// whose parameters the record has), else from resources[] (the longest
// ARN of the action's service), else "*" for an action that names no
// resource type.
func mapResource(c *Call, r *Record, t *tables) *Unmapped {
	params := r.params()
	account := r.RecipientAccountID
	if account == "" {
		account = r.UserIdentity.AccountID
	}
	vars := map[string]string{"partition": partition(r.UserIdentity.ARN), "region": r.AWSRegion, "account": account}
	svc, _, _ := strings.Cut(c.Action, ":")
	arn, acct := "", ""
	for _, tp := range t.resources[r.EventSource] {
		if a, ok := tp.fill(params, vars); ok && fits(c.Action, a) {
			arn = a
			break
		}
	}
	for _, res := range r.Resources {
		if res.ARN == arn && res.AccountID != "" {
			acct = res.AccountID
		}
	}
	if arn == "" {
		for _, res := range r.Resources {
			if arnService(res.ARN) == svc && len(res.ARN) > len(arn) && fits(c.Action, res.ARN) {
				arn, acct = res.ARN, res.AccountID
			}
		}
	}
	if arn == "" {
		if a, ok := catalog.Lookup(c.Action); ok && !a.ResourceLevel {
			c.Resource = "*"
			return nil
		}
		return &Unmapped{UnmappedResource, c.Action + " needs a resource; the record names none (requestParameters, resources[])"}
	}
	if acct == "" {
		acct = arnAccount(arn)
	}
	if acct == "" {
		acct = account
	}
	c.Resource, c.ResourceAccount = arn, acct
	return nil
}

// fill substitutes a template; ok is false when a parameter is missing
// or not a string. A parameter holding an ARN is the ARN.
func (tp template) fill(params map[string]any, vars map[string]string) (string, bool) {
	vals := map[string]string{}
	for _, p := range tp.params {
		s, _ := params[p].(string)
		if s == "" {
			return "", false
		}
		if strings.HasPrefix(s, "arn:") {
			return s, true
		}
		vals[p] = s
	}
	if strings.HasPrefix(tp.arn, "{") && strings.HasSuffix(tp.arn, "}") {
		return "", false // the whole ARN is a parameter that is not an ARN
	}
	out := placeholder.ReplaceAllStringFunc(tp.arn, func(m string) string {
		k := m[1 : len(m)-1]
		if v, ok := vals[k]; ok {
			return v
		}
		return vars[k]
	})
	return out, true
}

// fits rejects an S3 bucket ARN for an object action and an object ARN
// for a bucket action: the record of DeleteObjects, for one, names only
// the bucket (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
// lists each action's resource type).
func fits(action, arn string) bool {
	svc, name, _ := strings.Cut(strings.ToLower(action), ":")
	if svc != "s3" || arnService(arn) != "s3" {
		return true
	}
	isObject := strings.Contains(arn[len("arn:"):], "/")
	objectAction := (strings.Contains(name, "object") && !strings.Contains(name, "lockconfiguration")) ||
		name == "abortmultipartupload" || name == "listmultipartuploadparts"
	return isObject == objectAction
}

func arnService(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return ""
	}
	return parts[2]
}

func arnAccount(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || len(parts[4]) != 12 {
		return ""
	}
	return parts[4]
}
