package account

import (
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strings"

	"github.com/iam2rego/iam2rego/arn"

	"github.com/iam2rego/iam2rego/schema"
)

// Accessors over decoded JSON. They never fail: a member of the wrong type
// reads as absent, because the JSON Schema has already reported it and the
// readers go on to find every other problem in the same pass.

func object(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

func list(m map[string]any, key string) []any {
	a, _ := m[key].([]any)
	return a
}

// present reports whether key is in m with a non-null value.
func present(m map[string]any, key string) bool {
	v, ok := m[key]
	return ok && v != nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// document turns a policy document member at ptr into a Document. A JSON
// object is used as it is. A string is a document as the IAM API returns
// it: URL-encoded JSON (RFC 3986 percent-encoding, so "+" stays "+"), or
// plain JSON text; it is decoded with schema.Decode (duplicate members are
// errors). Problems inside a string are reported at ptr, since the string
// has no pointers of its own; the message names the position inside it.
// ok is false when v is neither an object nor a decodable string.
func document(file, ptr string, v any, d *schema.Diagnostics) (Document, bool) {
	switch x := v.(type) {
	case map[string]any:
		return Document{File: file, Pointer: ptr, Value: x}, true
	case string:
		text := strings.TrimSpace(x)
		form := "JSON string"
		if !strings.HasPrefix(text, "{") {
			u, err := url.PathUnescape(text)
			if err != nil {
				d.Add(schema.Errorf(schema.CodeJSONSyntax, file, ptr, "the policy document is a string that is neither JSON nor URL-encoded JSON: %v", err))
				return Document{}, false
			}
			text, form = strings.TrimSpace(u), "URL-encoded policy document"
		}
		val, err := schema.Decode(file, []byte(text))
		if err != nil {
			for _, e := range schema.List(err) {
				inner := e.Pointer
				if inner == "" {
					inner = "/"
				}
				d.Add(schema.Errorf(e.Code, file, ptr, "in the %s, at %s: %s", form, inner, e.Message))
			}
			return Document{}, false
		}
		return Document{File: file, Pointer: ptr, Value: val}, true
	}
	return Document{}, false
}

// tagList reads GAAD tags ([{Key, Value}]) into a map; a key given twice is
// an error. It returns nil when there are no tags.
func tagList(file, ptr string, v []any, d *schema.Diagnostics) map[string]string {
	var out map[string]string
	for i, t := range v {
		m := object(t)
		k, ok := m["Key"].(string)
		val, ok2 := m["Value"].(string)
		if !ok || !ok2 {
			continue
		}
		if _, dup := out[k]; dup {
			d.Add(schema.Errorf(schema.CodeDuplicateDefinition, file, schema.Pointer(ptr, i, "Key"), "tag %q is given more than once", k))
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[k] = val
	}
	return out
}

// tagMap reads iam2rego-format tags ({"key": "value"}); nil when empty.
func tagMap(v any) map[string]string {
	m := object(v)
	var out map[string]string
	for k, val := range m {
		s, ok := val.(string)
		if !ok {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[k] = s
	}
	return out
}

// iamPath returns the path of an IAM ARN such as
// arn:aws:iam::1:user/division/alice ("/division/").
func iamPath(s string) string {
	a, ok := arn.Parse(s)
	if !ok {
		return ""
	}
	res := a.Resource
	first := strings.IndexByte(res, '/')
	last := strings.LastIndexByte(res, '/')
	if first < 0 {
		return ""
	}
	return res[first : last+1]
}

// readFS reads a file of a folder or directory input, refusing files over
// schema.MaxInputBytes before reading them.
func readFS(fsys fs.FS, name, display string, bud *budget) ([]byte, error) {
	// Only regular files: opening a named pipe blocks until something
	// writes to it, and a device may never end.
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s, not a regular file", fileKind(st.Mode()))
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > schema.MaxInputBytes {
		return nil, schema.Errorf(schema.CodeInputTooLarge, display, "", "the file has %d bytes; iam2rego reads at most %d (64 MiB) per input file", st.Size(), schema.MaxInputBytes)
	}
	data, err := schema.ReadAll(display, f)
	if err == nil {
		err = bud.take(display, len(data))
	}
	return data, err
}

// fileKind names what a file that is not a regular file is.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m.IsDir():
		return "a directory"
	}
	return "a special file"
}
