package translator

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

// segmentMatch is what the rules of a MatchSegments pattern test (see
// segmentGroups), in Go: the ARN prefix, then the ARN's tail after its
// fifth colon (input.resource.arn_resource) or its fourth
// (arn_account_resource).
func segmentMatch(m Matcher, arn string) bool {
	if !strings.HasPrefix(arn, m.Prefix) {
		return false
	}
	n := 6
	if m.RestField == afterFourthColon {
		n = 5
	}
	parts := strings.SplitN(arn, ":", n)
	if len(parts) != n {
		return false
	}
	tail := parts[n-1]
	switch m.RestKind {
	case RestExact:
		return tail == m.Rest
	case RestPrefix:
		return strings.HasPrefix(tail, m.Rest)
	}
	return true
}

// TestSegmentShapesEqualTheirRegex: every resource pattern of the AWS
// managed policies that lowers to MatchSegments accepts exactly the ARNs
// its regex accepts, over ARNs made from the pattern with each `*` filled
// in several ways (empty, a word, a colon inside, a slash), one star at a
// time and all at once.
func TestSegmentShapesEqualTheirRegex(t *testing.T) {
	f, err := os.Open("managed/policies.jsonl.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	fillers := []string{"", "x", "us-east-1", "a:b", "a/b", "111111111111", "instance/i-1"}
	shapes, checked := map[string]bool{}, 0
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var p struct {
			Name     string          `json:"name"`
			Document json.RawMessage `json:"document"`
		}
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(p.Document, &doc); err != nil {
			t.Fatal(err)
		}
		c, err := CompileDocument(p.Name+".json", Identity, doc)
		if err != nil || c == nil {
			continue // a few managed policies are not identity policies
		}
		for _, st := range c.Policy.Statements {
			for _, r := range st.Resources {
				m := r.Matcher
				if m.Kind != MatchSegments || shapes[m.Raw] {
					continue
				}
				shapes[m.Raw] = true
				re := regexp.MustCompile(anchor(m.Regex))
				stars := strings.Count(m.Raw, "*")
				var samples []string
				for _, fill := range fillers {
					samples = append(samples, strings.ReplaceAll(m.Raw, "*", fill))
					for i := range stars {
						n := -1
						samples = append(samples, regexp.MustCompile(`\*`).ReplaceAllStringFunc(m.Raw, func(string) string {
							n++
							if n == i {
								return fill
							}
							return "z"
						}))
					}
				}
				for _, s := range samples {
					checked++
					if segmentMatch(m, s) != re.MatchString(s) {
						t.Errorf("%s: %q on %q: segment tests say %v, the regex %v", p.Name, m.Raw, s, segmentMatch(m, s), re.MatchString(s))
					}
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(shapes) < 100 {
		t.Fatalf("only %d MatchSegments patterns in the managed policies", len(shapes))
	}
	t.Logf("%d MatchSegments patterns, %d ARNs compared", len(shapes), checked)
}
