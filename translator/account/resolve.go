package account

import (
	"slices"
	"strconv"
	"strings"

	arnpkg "github.com/iam2rego/iam2rego/arn"

	"github.com/iam2rego/iam2rego/schema"
)

// ResolveManaged returns the managed policy with this ARN: from e.Managed
// (what the inputs carried, plus the AWS managed policies Builder.Export
// added), else from the embedded snapshot of AWS managed policies
// (translator/managed; Document.File is then the ARN). An unknown ARN is an
// unknown_reference error that names the users, groups and roles using it.
func (e *Export) ResolveManaged(arn string) (*ManagedPolicy, error) {
	if mp, ok := e.Managed[arn]; ok && mp != nil {
		return mp, nil
	}
	if mp, ok := snapshotPolicy(arn); ok {
		return mp, nil
	}
	who, file := e.referrers(arn)
	kind := "customer managed policy"
	if arnpkg.Account(arn) == "aws" {
		kind = "AWS managed policy"
	}
	msg := "the " + kind + " " + arn + " is neither in the export nor in the embedded snapshot of AWS managed policies"
	if len(who) > 0 {
		msg += "; it is used by " + strings.Join(who, ", ")
	}
	return nil, schema.Errorf(schema.CodeUnknownReference, file, "", "%s", msg)
}

// referrers names the entities that use arn (at most five, then "and N
// more") and the file of the first one, as far as its documents tell.
func (e *Export) referrers(arn string) ([]string, string) {
	var who []string
	file := ""
	note := func(kind, entityARN string, docs []NamedDocument, trust *Document) {
		who = append(who, kind+" "+entityARN)
		if file != "" {
			return
		}
		if trust != nil {
			file = trust.File
		}
		for _, d := range docs {
			if file == "" {
				file = d.Document.File
			}
		}
		if file == "" {
			file = entityARN
		}
	}
	for _, a := range e.Accounts {
		for _, u := range a.Users {
			if slices.Contains(u.Managed, arn) || u.Boundary == arn {
				note("user", u.ARN, u.Inline, nil)
			}
		}
		for _, g := range a.Groups {
			if slices.Contains(g.Managed, arn) {
				note("group", g.ARN, g.Inline, nil)
			}
		}
		for _, r := range a.Roles {
			if slices.Contains(r.Managed, arn) || r.Boundary == arn {
				note("role", r.ARN, r.Inline, r.Trust)
			}
		}
	}
	if len(who) > 5 {
		who = append(who[:5], "and "+strconv.Itoa(len(who)-5)+" more")
	}
	if file == "" {
		file = arn
	}
	return who, file
}
