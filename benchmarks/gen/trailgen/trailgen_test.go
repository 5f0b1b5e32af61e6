package trailgen

import (
	"bytes"
	"testing"

	"github.com/iam2rego/iam2rego/analysis/cloudtrail"
	"github.com/iam2rego/iam2rego/translator/account"
)

func exampleExport(t *testing.T) *account.Export {
	t.Helper()
	exp, err := account.Load(account.Inputs{
		AccountDetails: []string{"../../../testdata/example/account-details.json"},
		Org:            "../../../testdata/example/organization.json",
		Resources:      []string{"../../../testdata/example/resource-policies.json"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return exp
}

// TestStream: the same config writes the same bytes; every record reads
// back; the calls map to requests and the other records are counted by
// the mapping's reasons, in the shares asked.
func TestStream(t *testing.T) {
	exp := exampleExport(t)
	for _, format := range []string{"jsonl", "log"} {
		var a, b bytes.Buffer
		cfg := Config{Seed: 7, Records: 3000, Format: format}
		st, err := Write(&a, exp, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Write(&b, exp, cfg); err != nil || !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatalf("%s: not deterministic (%v)", format, err)
		}
		if st.Records != 3000 || st.Bytes != int64(a.Len()) || st.Denied < 30 || st.Denied > 180 || st.Other == 0 {
			t.Errorf("%s: stats %+v", format, st)
		}
		calls, denied, unmapped, problems := 0, 0, map[string]int{}, 0
		r := &cloudtrail.Reader{Stdin: bytes.NewReader(a.Bytes()), Problem: func(cloudtrail.Problem) { problems++ }, Emit: func(it cloudtrail.Item) error {
			c, u := cloudtrail.Map(it)
			if u != nil {
				unmapped[u.Reason]++
				return nil
			}
			calls++
			if c.AWS == cloudtrail.AWSDenied {
				denied++
			}
			return nil
		}}
		if err := r.Read([]string{"-"}); err != nil || problems > 0 {
			t.Fatalf("%s: read %v, %d problems", format, err, problems)
		}
		if calls+unmapped[cloudtrail.UnmappedNotAPICall] != 3000 || denied != st.Denied || unmapped[cloudtrail.UnmappedNotAPICall] != st.Other {
			t.Errorf("%s: %d calls (%d denied), unmapped %v; wrote %+v", format, calls, denied, unmapped, st)
		}
	}
}

func TestBytesBound(t *testing.T) {
	var buf bytes.Buffer
	st, err := Write(&buf, exampleExport(t), Config{Seed: 1, Bytes: 1 << 20, ResponseBytes: 4000})
	if err != nil || st.Bytes < 1<<20 || st.Bytes > 1<<20+20000 || st.Records > 300 {
		t.Errorf("%+v %v", st, err)
	}
	if _, err := Write(&buf, exampleExport(t), Config{}); err == nil {
		t.Error("no bound was accepted")
	}
}
