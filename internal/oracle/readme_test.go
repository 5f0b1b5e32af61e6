package oracle_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeNamesTheRandomSets keeps README.md and testdata/oracle/README.md
// true to randomSets: each set's size, profile and seed is stated there.
func TestReadmeNamesTheRandomSets(t *testing.T) {
	for _, f := range []string{"README.md", "testdata/oracle/README.md"} {
		raw, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(string(raw)), " ") // line breaks as spaces
		for _, s := range randomSets {
			for _, want := range []string{fmt.Sprintf("%d,%03d", s.N/1000, s.N%1000), "`" + s.Profile + "` profile", fmt.Sprintf("seed %d", s.Seed)} {
				if !strings.Contains(text, want) {
					t.Errorf("%s does not say %q (randomSets: %s)", f, want, s)
				}
			}
		}
	}
}
