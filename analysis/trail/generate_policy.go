package trail

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// PolicyDocument is a generated identity policy.
type PolicyDocument struct {
	Version   string            `json:"Version"`
	Statement []PolicyStatement `json:"Statement"`
}

// PolicyStatement is one generated statement. Condition is copied from
// the current policy's statement that allowed the calls.
type PolicyStatement struct {
	Sid       string                    `json:"Sid"`
	Effect    string                    `json:"Effect"`
	Action    []string                  `json:"Action"`
	Resource  []string                  `json:"Resource"`
	Condition map[string]map[string]any `json:"Condition,omitempty"`
}

// grant is one distinct logged (action, resource) of the role with the
// condition it keeps.
type grant struct {
	action, resource string
	condition        string // canonical JSON of the Condition element, "" for none
}

// buildPolicy groups grants into statements: per service and condition,
// actions with the same resources share a statement. With generalise,
// S3 object keys are widened to their folder when the logs show at least
// two keys in it (bucket/docs/a, bucket/docs/b → bucket/docs/*); nothing
// else is widened. It returns the notes of what was widened.
func buildPolicy(grants []grant, generalise bool) (*PolicyDocument, []string) {
	type key struct{ service, condition string }
	byKey := map[key]map[string]map[string]bool{} // → action → resources
	for _, g := range grants {
		svc, _, _ := strings.Cut(g.action, ":")
		k := key{svc, g.condition}
		if byKey[k] == nil {
			byKey[k] = map[string]map[string]bool{}
		}
		if byKey[k][g.action] == nil {
			byKey[k][g.action] = map[string]bool{}
		}
		byKey[k][g.action][g.resource] = true
	}
	var notes []string
	if generalise {
		for _, actions := range byKey {
			for _, res := range actions {
				notes = append(notes, widenObjects(res)...)
			}
		}
		sort.Strings(notes)
		notes = dedupe(notes)
	}
	keys := make([]key, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].service != keys[j].service {
			return keys[i].service < keys[j].service
		}
		return keys[i].condition < keys[j].condition
	})
	doc := &PolicyDocument{Version: "2012-10-17", Statement: []PolicyStatement{}}
	perService := map[string]int{}
	for _, k := range keys {
		// Actions with the same resources share a statement.
		byRes := map[string][]string{}
		for action, res := range byKey[k] {
			list := sortedKeys(res)
			rk := strings.Join(list, "\n")
			byRes[rk] = append(byRes[rk], action)
		}
		rks := sortedKeys(byRes)
		for _, rk := range rks {
			sort.Strings(byRes[rk])
		}
		// Statements in the order of their first action.
		sort.SliceStable(rks, func(i, j int) bool { return byRes[rks[i]][0] < byRes[rks[j]][0] })
		for _, rk := range rks {
			actions := byRes[rk]
			st := PolicyStatement{Effect: "Allow", Action: actions, Resource: strings.Split(rk, "\n")}
			if k.condition != "" {
				_ = json.Unmarshal([]byte(k.condition), &st.Condition)
			}
			perService[k.service]++
			st.Sid = sid(k.service, perService[k.service])
			doc.Statement = append(doc.Statement, st)
		}
	}
	sort.SliceStable(doc.Statement, func(i, j int) bool { return doc.Statement[i].Sid < doc.Statement[j].Sid })
	return doc, notes
}

// widenObjects replaces, in a set of resources, the S3 objects of a folder
// holding at least two logged keys with folder/*.
func widenObjects(res map[string]bool) []string {
	folders := map[string][]string{}
	for arn := range res {
		rest, ok := strings.CutPrefix(arn, "arn:")
		if !ok {
			continue
		}
		parts := strings.SplitN(rest, ":", 5)
		if len(parts) != 5 || parts[1] != "s3" {
			continue
		}
		i := strings.LastIndexByte(arn, '/')
		if i < 0 || !strings.Contains(arn[:i], "/") {
			continue // a bucket, or a key at the bucket's top level
		}
		folders[arn[:i+1]] = append(folders[arn[:i+1]], arn)
	}
	var notes []string
	for folder, arns := range folders {
		if len(arns) < 2 {
			continue
		}
		for _, a := range arns {
			delete(res, a)
		}
		res[folder+"*"] = true
		notes = append(notes, strconv.Itoa(len(arns))+" logged keys under "+folder+" → "+folder+"*")
	}
	return notes
}

func dedupe(list []string) []string {
	out := list[:0]
	for i, s := range list {
		if i == 0 || s != list[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// sid names a statement after its service: LoggedS3, LoggedS3Part2.
func sid(service string, n int) string {
	var b strings.Builder
	b.WriteString("Logged")
	up := true
	for _, r := range service {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	if n > 1 {
		b.WriteString("Part" + strconv.Itoa(n))
	}
	return b.String()
}
