package cloudtrail

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// FuzzReader reads arbitrary bytes as a log (stdin) and maps every record:
// never a panic; every record emitted is JSON; every problem and every
// unmapped record says what is wrong; every call has an action and a
// principal.
func FuzzReader(f *testing.F) {
	for _, s := range []string{
		`{"Records":[` + rec + `]}`, rec + "\n" + rec, `[` + rec + `]`, `{"Records":[{"eventName":`, "\x1f\x8b\x08\x00",
		event(userID, "s3.amazonaws.com", "GetObject", `{"bucketName":"b","key":"k"}`, ""),
		`{"Records":[` + event(sessionID, "bedrock.amazonaws.com", "Converse", `{"modelId":"m"}`, `,"errorCode":"AccessDenied"`) + `]}`,
		`{"eventData":"{\"eventSource\":1}"}`,
	} {
		f.Add([]byte(s))
	}
	files, _ := filepath.Glob("../../testdata/cloudtrail/example/logs/*")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &Reader{Stdin: bytes.NewReader(data)}
		r.Problem = func(p Problem) {
			if p.Code == "" || p.Message == "" || p.File != "<stdin>" {
				t.Errorf("problem %+v", p)
			}
		}
		r.Emit = func(it Item) error {
			if !json.Valid(it.Raw) {
				t.Errorf("emitted %q, not JSON", it.Raw)
			}
			c, u := Map(it)
			switch {
			case c == nil && u == nil:
				t.Error("Map gave neither a call nor a reason")
			case u != nil && (u.Reason == "" || u.Detail == ""):
				t.Errorf("unmapped %+v", u)
			case c != nil && (c.Action == "" || c.Principal == "" || c.Resource == ""):
				t.Errorf("call %+v", c)
			case c != nil:
				if _, err := json.Marshal(c.Input()); err != nil {
					t.Errorf("input: %v", err)
				}
			}
			return nil
		}
		if err := r.Read([]string{"-"}); err != nil {
			t.Fatal(err)
		}
	})
}
