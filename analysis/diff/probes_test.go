package diff

import (
	"strings"
	"testing"
)

// A principal that only NEW has gains everything it is allowed.
func TestNewPrincipal(t *testing.T) {
	changed := load(t, variant(t, editJSON("iam2rego.json", func(doc map[string]any) {
		acct := firstAccount(doc)
		acct["users"] = append(acct["users"].([]any), map[string]any{"name": "carol", "managed": []any{"arn:aws:iam::111111111111:policy/queue-writer"}})
	})))
	r := run(t, base(t), changed, Options{})
	carol := "arn:aws:iam::111111111111:user/carol"
	if !reports(r.Added, grant{principal: carol, action: "sqs:SendMessage", sid: "SendToJobs"}) || len(r.Removed) > 0 {
		t.Errorf("added %s\nremoved %s", describe(r.Added), describe(r.Removed))
	}
	back := run(t, changed, base(t), Options{})
	if !reports(back.Removed, grant{principal: carol, action: "sqs:SendMessage", sid: "SendToJobs"}) {
		t.Errorf("reverse: removed %s", describe(back.Removed))
	}
}

// The bound stops the probes and says so.
func TestProbeBound(t *testing.T) {
	changed := load(t, variant(t, additions["drop a condition"].edits...))
	r, err := Run(t.Context(), base(t), changed, Options{MaxProbes: 1, Exhaustive: true})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Stats.Truncated || r.Stats.Probes != 1 {
		t.Errorf("stats %+v", r.Stats)
	}
}

// A document that does not parse fails the diff, naming the bundle and
// the document's pointer: never a silent "no new access".
func TestBrokenDocumentFailsClosed(t *testing.T) {
	for _, text := range []string{`{"Version": "2012-10-17", "Statement": [`, `{"Statement": [{"Effect": "Maybe"}]}`, ""} {
		broken := load(t, variant(t, additions["drop a condition"].edits...))
		name := broken.data.Principals[appRole].Identity[0]
		if text == "" {
			delete(broken.data.Documents, name)
		} else {
			broken.data.Documents[name] = text
		}
		_, err := Run(t.Context(), base(t), broken, Options{})
		if err == nil || !strings.Contains(err.Error(), "/iam2rego/documents/"+name) {
			t.Errorf("%q: %v", text, err)
		}
	}
}

// A class member whose difference does not hold is probed in full, not
// reported on the strength of its class.
func TestUnconfirmedMemberIsProbed(t *testing.T) {
	changed := load(t, variant(t, additions["widen a resource from bucket/a/* to bucket/*"].edits...))
	sides := [2]*Side{base(t), changed}
	var refs []stmtRef
	for _, s := range sides {
		all, err := s.statements(appRole)
		if err != nil {
			t.Fatal(err)
		}
		for _, ref := range all {
			if ref.acts.matches("s3:getobject") {
				refs = append(refs, ref)
			}
		}
	}
	r := &Report{}
	c := &class{members: []string{"s3:GetObject", "s3:PutObject"}, refs: refs}
	if !r.probeClass(t.Context(), sides, appRole, "111111111111", c, Options{MaxProbes: DefaultMaxProbes}) {
		t.Fatal("bound hit")
	}
	if r.Stats.Unconfirmed != 1 || r.Stats.Represented != 0 {
		t.Errorf("stats %+v", r.Stats)
	}
	for _, a := range r.Added {
		if a.Action != "s3:GetObject" {
			t.Errorf("reported %s", describe([]Access{a}))
		}
	}
	if len(r.Added) == 0 {
		t.Error("the class's own difference is not reported")
	}
}
