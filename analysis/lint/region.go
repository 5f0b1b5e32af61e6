package lint

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// locate returns the 1-based line and column where the value at a JSON
// pointer starts in a JSON text, for SARIF regions. A pointer that goes
// deeper than the text (into a policy document stored as a string, as
// exports do) gives the position of the deepest value it reaches. ok is
// false when the text is not JSON.
func locate(data []byte, pointer string) (line, col int, ok bool) {
	var tokens []string
	if pointer != "" && pointer != "/" {
		for _, t := range strings.Split(pointer[1:], "/") {
			tokens = append(tokens, strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~"))
		}
	}
	at, ok := find(data, skipSpace(data, 0), tokens)
	if !ok {
		return 0, 0, false
	}
	line = 1 + bytes.Count(data[:at], []byte("\n"))
	col = at - bytes.LastIndexByte(data[:at], '\n')
	return line, col, true
}

// find follows tokens from the value at i and returns where the deepest
// value reached starts.
func find(data []byte, i int, tokens []string) (int, bool) {
	if i >= len(data) {
		return 0, false
	}
	if len(tokens) == 0 || (data[i] != '{' && data[i] != '[') {
		return i, true
	}
	object := data[i] == '{'
	i = skipSpace(data, i+1)
	for n := 0; i < len(data) && data[i] != '}' && data[i] != ']'; n++ {
		match := !object && tokens[0] == strconv.Itoa(n)
		if object {
			end, ok := skipValue(data, i)
			if !ok {
				return 0, false
			}
			var key string
			if json.Unmarshal(data[i:end], &key) != nil {
				return 0, false
			}
			match = key == tokens[0]
			i = skipSpace(data, end)
			if i >= len(data) || data[i] != ':' {
				return 0, false
			}
			i = skipSpace(data, i+1)
		}
		if match {
			return find(data, i, tokens[1:])
		}
		end, ok := skipValue(data, i)
		if !ok {
			return 0, false
		}
		i = skipSpace(data, end)
		if i < len(data) && data[i] == ',' {
			i = skipSpace(data, i+1)
		}
	}
	return 0, false
}

// skipValue returns the end of the JSON value starting at i.
func skipValue(data []byte, i int) (int, bool) {
	depth := 0
	for ; i < len(data); i++ {
		switch c := data[i]; c {
		case '"':
			for i++; i < len(data) && data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++
				}
			}
			if i >= len(data) {
				return 0, false
			}
			if depth == 0 {
				return i + 1, true
			}
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1, true
			}
			if depth < 0 {
				return 0, false
			}
		case ',', ' ', '\t', '\n', '\r', ':':
			if depth == 0 {
				return i, true
			}
		}
	}
	return i, depth == 0
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}
