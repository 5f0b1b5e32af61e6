package diff

import (
	"strings"
	"testing"
)

// TestReadDataRefusesNullRecords: readData itself (before and without
// bundles.CheckConsistency) refuses null records, naming their pointer,
// instead of handing nil records to the probes (a nil-pointer panic).
func TestReadDataRefusesNullRecords(t *testing.T) {
	for key, want := range map[string]string{
		"principals": "/iam2rego/principals/arn:aws:iam::1:user~1a: null",
		"callers":    "/iam2rego/callers/arn:aws:iam::1:user~1a: null",
		"accounts":   "/iam2rego/accounts/arn:aws:iam::1:user~1a: null",
		"resources":  "/iam2rego/resources/arn:aws:iam::1:user~1a: null",
	} {
		data := map[string]any{"iam2rego": map[string]any{
			"documents":  map[string]any{},
			"principals": map[string]any{},
			key:          map[string]any{"arn:aws:iam::1:user/a": nil},
		}}
		_, err := readData(data)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("null %s record: %v, want %q", key, err, want)
		}
	}
	_, err := readData(map[string]any{"iam2rego": map[string]any{"documents": map[string]any{}}})
	if err == nil || !strings.Contains(err.Error(), "/iam2rego/principals: missing") {
		t.Errorf("no principals: %v", err)
	}
}
