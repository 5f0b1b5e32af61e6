package schema

import (
	"slices"
	"strings"
	"testing"
)

// diag is what tests assert on: a code and a pointer, never message text.
type diag struct{ code, ptr string }

func diagsOf(t *testing.T, err error) []diag {
	t.Helper()
	list := List(err)
	if err != nil && list == nil {
		t.Fatalf("error holds no *Error diagnostics: %v", err)
	}
	out := make([]diag, len(list))
	for i, e := range list {
		out[i] = diag{e.Code, e.Pointer}
		if e.Message == "" {
			t.Errorf("%s %s: empty message", e.Code, e.Pointer)
		}
	}
	return out
}

// wantDiags compares diagnostics as a set (order-insensitive, sorted).
func wantDiags(t *testing.T, err error, file string, want ...diag) {
	t.Helper()
	got := diagsOf(t, err)
	for _, e := range List(err) {
		if e.File != file {
			t.Errorf("diagnostic %s has file %q, want %q", e, e.File, file)
		}
	}
	cmp := func(a, b diag) int { return strings.Compare(a.ptr+"\x00"+a.code, b.ptr+"\x00"+b.code) }
	want = slices.Clone(want)
	slices.SortFunc(got, cmp)
	slices.SortFunc(want, cmp)
	if !slices.Equal(got, want) {
		t.Errorf("diagnostics:\n got %v\nwant %v\nerr: %v", got, want, err)
	}
}
