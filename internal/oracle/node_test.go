package oracle

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestFindNamesWhatIsMissing(t *testing.T) {
	dir := t.TempDir()
	_, err := Find(dir)
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Find on an empty folder: %v, want ErrUnavailable", err)
	}
	// With node on PATH the reason is the missing file; without, node.
	if !strings.Contains(err.Error(), dir) && !strings.Contains(err.Error(), "node is not on PATH") {
		t.Errorf("error %q names neither the folder nor node", err)
	}
}

func TestDecideGivesOutcomesInOrder(t *testing.T) {
	const policy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`
	data := `{"id":"a","principal":{"arn":"arn:aws:iam::111122223333:user/alice"},"action":"s3:GetObject","resource":{"arn":"arn:aws:s3:::b/k","account":"111122223333"},"identityPolicies":[` + policy + `]}

{"id":2,"principal":{"arn":"arn:aws:iam::111122223333:user/alice"},"action":"s3:PutObject","resource":{"arn":"arn:aws:s3:::b/k","account":"111122223333"},"identityPolicies":[` + policy + `]}
{"id":"bad","principal":{"arn":"arn:aws:iam::111122223333:user/alice"},"action":"s3:GetObject","resource":{"arn":"arn:aws:s3:::b/k","account":"111122223333"},"identityPolicies":[{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}]}]}
`
	d, err := Decide(context.Background(), "t.jsonl", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Allow", "ImplicitDeny", "error"}
	if strings.Join(d.Outcomes, ",") != strings.Join(want, ",") {
		t.Errorf("outcomes %v, want %v", d.Outcomes, want)
	}
	if len(Lines([]byte(data))) != len(d.Cases) || d.Cases[1].IDString() != "2" {
		t.Errorf("cases and lines do not pair: %d lines, %d cases", len(Lines([]byte(data))), len(d.Cases))
	}
}
