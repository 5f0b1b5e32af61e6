package diff

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iam2rego/iam2rego/translator/catalog"
)

const (
	alice   = "arn:aws:iam::111111111111:user/alice"
	appRole = "arn:aws:iam::111111111111:role/service-role/app-role"
)

// Refactors that keep access must report nothing, whether actions whose
// statements are the same on both sides are skipped or probed anyway.
func TestRefactorsKeepAccess(t *testing.T) {
	refactors := map[string][]func(*testing.T, string){
		"split a policy in two": {
			editJSON("policies/alice.json", func(doc map[string]any) {
				doc["Statement"] = statements(doc)[:2]
			}),
			writeJSON("policies/alice-2.json", map[string]any{"Version": "2012-10-17", "Statement": []any{
				map[string]any{"Sid": "SeeInstancesFromOffice", "Effect": "Allow", "Action": "ec2:DescribeInstances",
					"Resource": "*", "Condition": map[string]any{"IpAddress": map[string]any{"aws:SourceIp": "10.0.0.0/8"}}},
			}}),
			editJSON("iam2rego.json", func(doc map[string]any) {
				entity(doc, "users", "alice")["inline"].(map[string]any)["alice-2"] = "policies/alice-2.json"
			}),
		},
		"reorder statements": {
			editJSON("policies/app.json", func(doc map[string]any) {
				s := statements(doc)
				doc["Statement"] = []any{s[2], s[0], s[1]}
			}),
		},
		"rename Sids": {
			editJSON("policies/app.json", func(doc map[string]any) {
				for i, s := range statements(doc) {
					s.(map[string]any)["Sid"] = "Renamed" + string(rune('A'+i))
				}
			}),
		},
		"expand s3:Get* into its catalogue actions": {
			editJSON("policies/app.json", func(doc map[string]any) {
				var acts []any
				for _, a := range catalog.ExpandAction("s3:Get*") {
					acts = append(acts, a)
				}
				statement(doc, "Read")["Action"] = acts
			}),
		},
		"move a statement from a user to its group": {
			editJSON("policies/alice.json", func(doc map[string]any) {
				doc["Statement"] = statements(doc)[1:]
			}),
			editJSON("policies/dev-read.json", func(doc map[string]any) {
				doc["Statement"] = append(statements(doc), map[string]any{"Sid": "ListData", "Effect": "Allow",
					"Action": "s3:ListBucket", "Resource": "arn:aws:s3:::app-data"})
			}),
		},
	}
	for name, edits := range refactors {
		t.Run(name, func(t *testing.T) {
			changed := load(t, variant(t, edits...))
			if base(t).envKey(alice)+base(t).envKey(appRole) != changed.envKey(alice)+changed.envKey(appRole) {
				t.Fatal("the refactor changed more than statements")
			}
			for _, exhaustive := range []bool{false, true} {
				r := run(t, base(t), changed, Options{Exhaustive: exhaustive})
				if len(r.Added) > 0 || len(r.Removed) > 0 {
					t.Errorf("exhaustive=%v: added %s\nremoved %s", exhaustive, describe(r.Added), describe(r.Removed))
				}
				if exhaustive && r.Stats.Probes == 0 {
					t.Errorf("exhaustive: no probes")
				}
			}
		})
	}
}

// grant is an access a change must report: the principal, the action
// and the Sid of the statement that grants it.
type grant struct {
	principal, action, sid string
	// resource, when set, must be the probe's resource.
	resource string
}

var additions = map[string]struct {
	edits []func(*testing.T, string)
	want  grant
}{
	"add s3:DeleteObject to one role": {
		edits: []func(*testing.T, string){editJSON("policies/app.json", func(doc map[string]any) {
			statement(doc, "Write")["Action"] = []any{"s3:PutObject", "s3:DeleteObject"}
		})},
		want: grant{principal: appRole, action: "s3:DeleteObject", sid: "Write"},
	},
	"widen a resource from bucket/a/* to bucket/*": {
		edits: []func(*testing.T, string){editJSON("policies/app.json", func(doc map[string]any) {
			statement(doc, "Read")["Resource"] = "arn:aws:s3:::app-data/*"
		})},
		want: grant{principal: appRole, action: "s3:GetObject", sid: "Read", resource: "arn:aws:s3:::app-data/x"},
	},
	"remove a Deny": {
		edits: []func(*testing.T, string){editJSON("policies/alice.json", func(doc map[string]any) {
			s := statements(doc)
			doc["Statement"] = []any{s[0], s[2]}
		})},
		want: grant{principal: alice, action: "s3:GetObject", sid: "ReadTeamData", resource: "arn:aws:s3:::app-data/a/secretx"},
	},
	"drop a condition": {
		edits: []func(*testing.T, string){editJSON("policies/app.json", func(doc map[string]any) {
			delete(statement(doc, "Write"), "Condition")
		})},
		want: grant{principal: appRole, action: "s3:PutObject", sid: "Write"},
	},
	"attach a managed policy": {
		edits: []func(*testing.T, string){editJSON("iam2rego.json", func(doc map[string]any) {
			entity(doc, "roles", "app-role")["managed"] = []any{"arn:aws:iam::111111111111:policy/queue-writer"}
		})},
		want: grant{principal: appRole, action: "sqs:SendMessage", sid: "SendToJobs", resource: "arn:aws:sqs:us-east-1:111111111111:jobs"},
	},
	"relax an SCP": {
		edits: []func(*testing.T, string){editJSON("org.json", func(doc map[string]any) {
			scp := doc["policies"].(map[string]any)["Ec2InUsEast1"].(map[string]any)
			cond := statements(scp)[0].(map[string]any)["Condition"].(map[string]any)["StringNotEquals"].(map[string]any)
			cond["aws:RequestedRegion"] = []any{"us-east-1", "eu-west-1"}
		})},
		want: grant{principal: alice, action: "ec2:DescribeInstances", sid: "SeeInstancesFromOffice"},
	},
}

// Each change that grants access is reported, naming the principal, the
// action and the granting statement; nothing is removed, and no other
// principal gains anything. The reverse diff lists the same access as
// removed.
func TestAdditionsReported(t *testing.T) {
	for name, tc := range additions {
		t.Run(name, func(t *testing.T) {
			changed := load(t, variant(t, tc.edits...))
			var lists [2]string
			for i, exhaustive := range []bool{false, true} {
				r := run(t, base(t), changed, Options{Exhaustive: exhaustive})
				lists[i] = keysOf(r.Added) + "\nremoved:" + keysOf(r.Removed)
				if !reports(r.Added, tc.want) {
					t.Errorf("exhaustive=%v: %+v not among the new access:%s", exhaustive, tc.want, describe(r.Added))
				}
				for _, a := range r.Added {
					if a.Principal != tc.want.principal {
						t.Errorf("exhaustive=%v: unexpected new access %s", exhaustive, describe([]Access{a}))
					}
				}
				if len(r.Removed) > 0 {
					t.Errorf("exhaustive=%v: removed %s", exhaustive, describe(r.Removed))
				}
			}
			// Deciding actions as their class finds exactly what probing
			// each action does.
			if lists[0] != lists[1] {
				t.Errorf("by class:%s\nexhaustive:%s", lists[0], lists[1])
			}
			back := run(t, changed, base(t), Options{})
			if !reports(back.Removed, tc.want) || len(back.Added) > 0 {
				t.Errorf("reverse diff: removed %s\nadded %s", describe(back.Removed), describe(back.Added))
			}
		})
	}
}

func reports(list []Access, want grant) bool {
	for _, a := range list {
		if a.Principal != want.principal || !strings.EqualFold(a.Action, want.action) {
			continue
		}
		if want.resource != "" && a.Resource != want.resource {
			continue
		}
		for _, g := range a.Statements {
			if g.Sid == want.sid && g.Effect == "Allow" && len(g.Sources) > 0 {
				return true
			}
		}
	}
	return false
}

// A condition whose value changes both adds and removes access on the
// same action and resource, in different contexts: both are reported.
func TestChangedConditionAddsAndRemoves(t *testing.T) {
	changed := load(t, variant(t, editJSON("policies/alice.json", func(doc map[string]any) {
		statement(doc, "SeeInstancesFromOffice")["Condition"] = map[string]any{"IpAddress": map[string]any{"aws:SourceIp": "192.168.0.0/16"}}
	})))
	want := grant{principal: alice, action: "ec2:DescribeInstances", sid: "SeeInstancesFromOffice"}
	r := run(t, base(t), changed, Options{})
	if !reports(r.Added, want) || !reports(r.Removed, want) {
		t.Fatalf("added %s\nremoved %s", describe(r.Added), describe(r.Removed))
	}
	if r.Added[0].Context["aws:SourceIp"] != "192.168.0.0" || r.Removed[0].Context["aws:SourceIp"] != "10.0.0.0" {
		t.Errorf("contexts: added %v, removed %v", r.Added[0].Context, r.Removed[0].Context)
	}
}

// A resource-tag condition (ABAC) is probed on witness resources carrying
// the tag values the conditions name.
func TestResourceTagConditions(t *testing.T) {
	withTag := func(v string) func(*testing.T, string) {
		return editJSON("policies/app.json", func(doc map[string]any) {
			doc["Statement"] = append(statements(doc), map[string]any{"Sid": "StopTagged", "Effect": "Allow",
				"Action": "ec2:StopInstances", "Resource": "*",
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:ResourceTag/env": v}}})
		})
	}
	dev, prod := load(t, variant(t, withTag("dev"))), load(t, variant(t, withTag("prod")))
	r := run(t, dev, prod, Options{})
	want := grant{principal: appRole, action: "ec2:StopInstances", sid: "StopTagged"}
	if !reports(r.Added, want) || !reports(r.Removed, want) {
		t.Fatalf("added %s\nremoved %s", describe(r.Added), describe(r.Removed))
	}
	if r.Added[0].ResourceTags["env"] != "prod" || r.Removed[0].ResourceTags["env"] != "dev" {
		t.Errorf("tags: added %v, removed %v", r.Added[0].ResourceTags, r.Removed[0].ResourceTags)
	}
}

// keysOf lists each access's principal, action, resource and context.
func keysOf(list []Access) string {
	var b strings.Builder
	for _, a := range list {
		fmt.Fprintf(&b, "\n  %s %s %s%s%s", a.Principal, strings.ToLower(a.Action), a.Resource, contextText(a.Context), tagText(a.ResourceTags))
	}
	return b.String()
}

// Widening s3:Get* reports every action it names, most of them decided as
// the class of the first.
func TestClassMembersAreReported(t *testing.T) {
	changed := load(t, variant(t, additions["widen a resource from bucket/a/* to bucket/*"].edits...))
	r := run(t, base(t), changed, Options{})
	got := map[string]bool{}
	for _, a := range r.Added {
		if a.Resource == "arn:aws:s3:::app-data/x" {
			got[strings.ToLower(a.Action)] = true
		}
	}
	for _, a := range catalog.ExpandAction("s3:Get*") {
		if !got[a] {
			t.Errorf("%s on arn:aws:s3:::app-data/x is not reported", a)
		}
	}
	if r.Stats.Represented == 0 || r.Stats.Unconfirmed != 0 || r.Stats.Probes >= 2*len(got) {
		t.Errorf("stats %+v for %d actions", r.Stats, len(got))
	}
}

// A permissions boundary that allows none of a user's actions removes
// them all, though no statement that matches them changed.
func TestBoundaryRemovesAccess(t *testing.T) {
	changed := load(t, variant(t, editJSON("iam2rego.json", func(doc map[string]any) {
		entity(doc, "users", "alice")["boundary"] = "arn:aws:iam::111111111111:policy/queue-writer"
	})))
	r := run(t, base(t), changed, Options{})
	for _, want := range []grant{
		{principal: alice, action: "s3:ListBucket", sid: "ListData", resource: "arn:aws:s3:::app-data"},
		{principal: alice, action: "s3:GetObject", sid: "ReadTeamData"},
		{principal: alice, action: "ec2:DescribeInstances", sid: "SeeInstancesFromOffice"},
	} {
		if !reports(r.Removed, want) {
			t.Errorf("%+v not removed:%s", want, describe(r.Removed))
		}
	}
	if len(r.Added) > 0 {
		t.Errorf("added %s", describe(r.Added))
	}
}

// A resource-based policy that names a principal grants it access of its
// own: the action is probed though no identity policy names it.
func TestResourcePolicyGrant(t *testing.T) {
	changed := load(t, variant(t, editJSON("resources.json", func(doc map[string]any) {
		res := doc["resources"].([]any)[0].(map[string]any)
		res["policy"] = map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
			"Sid": "AliceUploads", "Effect": "Allow", "Principal": map[string]any{"AWS": alice},
			"Action": "s3:PutObject", "Resource": "arn:aws:s3:::app-data/in/*"}}}
	})))
	r := run(t, base(t), changed, Options{})
	want := grant{principal: alice, action: "s3:PutObject", sid: "AliceUploads", resource: "arn:aws:s3:::app-data/in/x"}
	if !reports(r.Added, want) || len(r.Removed) > 0 {
		t.Errorf("added %s\nremoved %s", describe(r.Added), describe(r.Removed))
	}
	for _, a := range r.Added {
		if a.Principal != alice {
			t.Errorf("unexpected %s", describe([]Access{a}))
		}
	}
}

// A policy variable in a Resource is witnessed with the principal's own
// value, so narrowing a home folder is seen.
func TestPolicyVariableWitness(t *testing.T) {
	home := func(pattern string) func(*testing.T, string) {
		return editJSON("policies/alice.json", func(doc map[string]any) {
			doc["Statement"] = append(statements(doc), map[string]any{"Sid": "Home", "Effect": "Allow",
				"Action": "s3:PutObject", "Resource": pattern})
		})
	}
	wide := load(t, variant(t, home("arn:aws:s3:::app-data/home/${aws:username}/*")))
	narrow := load(t, variant(t, home("arn:aws:s3:::app-data/home/${aws:username}/docs/*")))
	r := run(t, wide, narrow, Options{})
	want := grant{principal: alice, action: "s3:PutObject", sid: "Home", resource: "arn:aws:s3:::app-data/home/alice/x"}
	if !reports(r.Removed, want) || len(r.Added) > 0 {
		t.Errorf("removed %s\nadded %s", describe(r.Removed), describe(r.Added))
	}
}
