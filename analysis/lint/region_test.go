package lint

import "testing"

func TestLocate(t *testing.T) {
	doc := []byte("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"s3:*\"],\n     \"Resource\": \"*\", \"a/b\": {\"c~d\": 1}},\n    {\"Doc\": \"{\\\"x\\\": 1}\"}\n  ]\n}\n")
	for _, tc := range []struct {
		pointer   string
		line, col int
	}{
		{"", 1, 1},
		{"/Version", 2, 14},
		{"/Statement/0", 4, 5},
		{"/Statement/0/Action/1", 4, 52},
		{"/Statement/0/Resource", 5, 18},
		{"/Statement/0/a~1b/c~0d", 5, 38},
		{"/Statement/1/Doc/Statement/0", 6, 13}, // inside a string: the string
	} {
		line, col, ok := locate(doc, tc.pointer)
		if !ok || line != tc.line || col != tc.col {
			t.Errorf("locate(%q) = %d:%d %v, want %d:%d", tc.pointer, line, col, ok, tc.line, tc.col)
		}
	}
	for _, p := range []string{"/Statement/2", "/Nope", "/Statement/x"} {
		if _, _, ok := locate(doc, p); ok {
			t.Errorf("locate(%q) found a value that is not there", p)
		}
	}
	for _, bad := range []string{"", "{", "{\"a\" 1}", "[\"unterminated", "{\"a\": [1, 2}"} {
		locate([]byte(bad), "/a/0") // must not panic
	}
}
