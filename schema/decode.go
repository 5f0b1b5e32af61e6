package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// MaxDepth bounds the nesting of JSON values the decoder accepts. IAM
// documents nest at most about six levels; anything deeper is hostile.
const MaxDepth = 64

// Decode parses one JSON document into generic values (map[string]any,
// []any, string, json.Number, bool, nil). Unlike encoding/json it rejects a
// member that appears twice in one object, since IAM treats such documents
// as invalid (IAM-SEMANTICS.md §1.1). Every problem is reported with the
// file name and the JSON pointer where it was found.
func Decode(file string, data []byte) (any, error) {
	v, dups, err := decode(file, data)
	if err != nil {
		return nil, err
	}
	if dups != nil {
		return nil, dups
	}
	return v, nil
}

// decode is Decode that also returns the value when the only problems are
// duplicate keys (the first occurrence is kept), so that DecodeAndValidate
// can report them together with schema violations. err is a syntax error.
func decode(file string, data []byte) (v any, dups, err error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var diags Diagnostics
	v, err = decodeValue(dec, file, "", 0, &diags)
	if err != nil {
		return nil, nil, syntaxError(file, data, dec, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, nil, Errorf(CodeJSONSyntax, file, "", "unexpected data after the JSON value (%s)", position(data, int(dec.InputOffset())))
	}
	return v, diags.Err(), nil
}

func decodeValue(dec *json.Decoder, file, ptr string, depth int, diags *Diagnostics) (any, error) {
	if depth > MaxDepth {
		return nil, Errorf(CodeJSONSyntax, file, ptr, "JSON nesting deeper than %d levels", MaxDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			obj := map[string]any{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("object key is not a string")
				}
				child := Pointer(ptr, key)
				val, err := decodeValue(dec, file, child, depth+1, diags)
				if err != nil {
					return nil, err
				}
				if _, dup := obj[key]; dup {
					diags.Add(Errorf(CodeDuplicateKey, file, child, "member %q appears more than once in the same object", key))
					continue
				}
				obj[key] = val
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return obj, nil
		case '[':
			arr := []any{}
			for i := 0; dec.More(); i++ {
				val, err := decodeValue(dec, file, Pointer(ptr, i), depth+1, diags)
				if err != nil {
					return nil, err
				}
				arr = append(arr, val)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return arr, nil
		}
		return nil, fmt.Errorf("unexpected delimiter %q", t)
	default:
		return t, nil
	}
}

func syntaxError(file string, data []byte, dec *json.Decoder, err error) error {
	var se *Error
	if errors.As(err, &se) {
		return se
	}
	off := int(dec.InputOffset())
	var jse *json.SyntaxError
	if errors.As(err, &jse) {
		off = int(jse.Offset)
	}
	msg := err.Error()
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		msg = "unexpected end of input"
	}
	return Errorf(CodeJSONSyntax, file, "", "invalid JSON at %s: %s", position(data, off), msg)
}

// position turns a byte offset into "line L, column C" (1-based).
func position(data []byte, off int) string {
	if off > len(data) {
		off = len(data)
	}
	line, col := 1, 1
	for _, b := range data[:off] {
		if b == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return fmt.Sprintf("line %d, column %d", line, col)
}
