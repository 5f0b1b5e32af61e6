package cloudtrail

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// read collects what a Reader emits and reports.
func read(t *testing.T, paths ...string) ([]Item, []Problem) {
	t.Helper()
	var items []Item
	var problems []Problem
	r := &Reader{Emit: func(it Item) error { items = append(items, it); return nil }, Problem: func(p Problem) { problems = append(problems, p) }}
	if err := r.Read(paths); err != nil {
		t.Fatal(err)
	}
	return items, problems
}

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func gz(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

const rec = `{"eventSource":"s3.amazonaws.com","eventName":"GetObject"}`

func TestReaderFormats(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, content string
		want          []string // where of each item
	}{
		{"log.json", `{"Records":[` + rec + `,` + rec + `]}`, []string{"#/Records/0", "#/Records/1"}},
		{"log.json.gz", gz(t, `{"Records":[`+rec+`]}`), []string{"#/Records/0"}},
		{"pretty.json", "{\n  \"Records\": [\n    " + rec + "\n  ],\n  \"other\": {\"x\": [1]}\n}\n", []string{"#/Records/0"}},
		{"lake.jsonl", rec + "\n\n" + rec + "\r\n", []string{":1", ":3"}},
		{"athena.jsonl.gz", gz(t, rec+"\n"), []string{":1"}},
		{"array.json", `[` + rec + `,` + rec + `]`, []string{"#/0", "#/1"}},
		{"empty.json", ``, nil},
		{"no-records.json", `{"Records":[]}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := write(t, dir, tc.name, tc.content)
			items, problems := read(t, p)
			if len(problems) > 0 {
				t.Fatalf("problems %v", problems)
			}
			var got []string
			for _, it := range items {
				got = append(got, strings.TrimPrefix(it.Where(), p))
				if !bytes.Contains(it.Raw, []byte("GetObject")) {
					t.Errorf("raw %s", it.Raw)
				}
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestReaderProblems(t *testing.T) {
	dir := t.TempDir()
	big := `{"eventName":"` + strings.Repeat("x", MaxRecordBytes+200_000) + `"}`
	for _, tc := range []struct {
		name, content string
		items         int
		code, where   string
	}{
		{"truncated.json", `{"Records":[` + rec + `,{"eventName":"Get`, 1, ProblemTruncated, "#/Records/1"},
		{"syntax.json", `{"Records":[` + rec + `,{"eventName" 1}]}`, 1, ProblemMalformed, "#/Records/1"},
		{"not-array.json", `{"Records":{"a":1}}`, 0, ProblemMalformed, "#/Records"},
		{"trailing.json", `{"Records":[` + rec + `]} x`, 1, ProblemMalformed, ""},
		{"bad-line.jsonl", rec + "\nnot json\n" + rec + "\n", 2, ProblemMalformed, ":2"},
		{"cut-line.jsonl", rec + "\n{\"eventName\":", 1, ProblemTruncated, ":2"},
		{"long-line.jsonl", big + "\n" + rec + "\n", 1, ProblemTooLarge, ":1"},
		{"long-record.json", `{"Records":[` + big + `,` + rec + `]}`, 0, ProblemTooLarge, "#/Records/0"},
		{"bad.json.gz", "\x1f\x8b garbage", 0, ProblemUnreadable, ""},
		{"cut.json.gz", gz(t, `{"Records":[`+rec+`,`+rec+`]}`)[:30], 0, ProblemTruncated, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := write(t, dir, tc.name, tc.content)
			items, problems := read(t, p)
			if len(items) != tc.items {
				t.Errorf("%d items, want %d", len(items), tc.items)
			}
			if len(problems) != 1 {
				t.Fatalf("problems %v, want one %s", problems, tc.code)
			}
			pr := problems[0]
			if pr.Code != tc.code && !(tc.name == "cut.json.gz" && pr.Code == ProblemUnreadable) {
				t.Errorf("code %s, want %s (%v)", pr.Code, tc.code, pr)
			}
			if got := strings.TrimPrefix(where(pr.File, pr.Pointer, pr.Line), p); tc.where != "" && got != tc.where {
				t.Errorf("where %q, want %q", got, tc.where)
			}
			if pr.File != p || pr.Message == "" {
				t.Errorf("problem %+v does not name the file and what is wrong", pr)
			}
		})
	}
}

func TestReaderFolders(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "2024", "06")
	os.MkdirAll(sub, 0o755)
	write(t, sub, "b.json", `{"Records":[`+rec+`]}`)
	write(t, sub, "a.json.gz", gz(t, `{"Records":[`+rec+`]}`))
	write(t, dir, "README.md", "not a log")
	outside := write(t, t.TempDir(), "secret.json", `{"Records":[`+rec+`]}`)
	if err := os.Symlink(outside, filepath.Join(sub, "link.json")); err != nil {
		t.Skip("no symlinks:", err)
	}
	items, problems := read(t, dir)
	if len(items) != 2 || !strings.HasSuffix(items[0].File, "a.json.gz") || !strings.HasSuffix(items[1].File, "b.json") {
		t.Errorf("items %v: want a.json.gz then b.json", items)
	}
	if len(problems) != 1 || problems[0].Code != ProblemSymlink || !strings.HasSuffix(problems[0].File, "link.json") {
		t.Errorf("problems %v: want the symlink reported", problems)
	}
	_, problems = read(t, filepath.Join(dir, "missing.json"))
	if len(problems) != 1 || problems[0].Code != ProblemUnreadable {
		t.Errorf("missing file: %v", problems)
	}
}

func TestReaderStdin(t *testing.T) {
	var items []Item
	r := &Reader{Stdin: strings.NewReader(rec + "\n"), Emit: func(it Item) error { items = append(items, it); return nil }}
	if err := r.Read([]string{"-"}); err != nil || len(items) != 1 || items[0].Where() != "<stdin>:1" {
		t.Errorf("items %v, err %v", items, err)
	}
}
