package catalog

import (
	"slices"
	"testing"
)

func TestExpandAction(t *testing.T) {
	got := ExpandAction("S3:GetObject*")
	if !slices.Contains(got, "s3:getobject") || !slices.Contains(got, "s3:getobjectacl") {
		t.Fatalf("s3:GetObject* = %v", got)
	}
	for _, a := range got {
		if !MatchesAnyAction(a) || a[:11] != "s3:getobjec" {
			t.Errorf("s3:GetObject* gave %q", a)
		}
	}
	if g := ExpandAction("s3:GetObject"); !slices.Equal(g, []string{"s3:getobject"}) {
		t.Errorf("literal = %v", g)
	}
	if g := ExpandAction("nosuch:*"); g != nil {
		t.Errorf("unknown service = %v", g)
	}
	_, n, _ := Counts()
	if all := ExpandAction("*"); len(all) != n || !slices.IsSorted(all) {
		t.Errorf("* gave %d actions, want %d sorted", len(all), n)
	}
	if g := ExpandAction("s3:Get?bject"); !slices.Equal(g, []string{"s3:getobject"}) {
		t.Errorf("? = %v", g)
	}
}
