package cloudtrail

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// MaxRecordBytes bounds one record, so that a hostile file cannot make the
// reader hold more than about this much at once (CloudTrail's own events
// are at most 256 KB). A longer line of JSON Lines is a skipped line; a
// longer record of a log file ends that file (reported), as the decoder
// cannot resynchronise. A log file's record may pass the bound by one
// 64 KiB read before it is caught.
const MaxRecordBytes = 4 << 20

// Item is one record as read: where it is, and its JSON.
type Item struct {
	File string
	// Pointer is the record's JSON pointer in a log file (/Records/12),
	// or "" in a JSON Lines file.
	Pointer string
	// Line is the record's 1-based line in a JSON Lines file, or 0.
	Line int
	Raw  []byte
}

// Where names the record: FILE#/Records/N or FILE:LINE.
func (it Item) Where() string { return where(it.File, it.Pointer, it.Line) }

func where(file, pointer string, line int) string {
	switch {
	case line > 0:
		return file + ":" + strconv.Itoa(line)
	case pointer != "":
		return file + "#" + pointer
	}
	return file
}

// Problem codes: why a file or a record could not be read.
const (
	ProblemUnreadable = "unreadable_file"  // cannot be opened or decompressed
	ProblemNotLog     = "not_a_log"        // JSON, but neither {"Records": [...]} nor events
	ProblemMalformed  = "malformed_json"   // a syntax error; a log file is read no further
	ProblemTruncated  = "truncated"        // the file ends inside a record
	ProblemTooLarge   = "record_too_large" // longer than MaxRecordBytes
	ProblemSymlink    = "symlink_not_followed"
	ProblemNotRegular = "not_a_regular_file" // a device, FIFO or socket in a folder
)

// Problem is a file, or a part of one, that could not be read.
type Problem struct {
	Code    string `json:"code"`
	File    string `json:"file"`
	Pointer string `json:"pointer,omitempty"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

// Where names the file and the record or line.
func (p Problem) Where() string { return where(p.File, p.Pointer, p.Line) }

func (p Problem) Error() string {
	return fmt.Sprintf("%s: %s (%s)", where(p.File, p.Pointer, p.Line), p.Message, p.Code)
}

// Reader streams the records of log files, folders and stdin.
type Reader struct {
	// Stdin is read for the path "-".
	Stdin io.Reader
	// Emit receives each record in order; an error stops the reading and
	// is returned by Read.
	Emit func(Item) error
	// Problem receives each file or record that could not be read.
	Problem func(Problem)
	// Files counts the files opened.
	Files int
}

// Read reads every path: a file, a folder (walked in lexical order,
// regular files only, symbolic links reported and not followed) or "-".
func (r *Reader) Read(paths []string) error {
	for _, p := range paths {
		if err := r.readPath(p); err != nil {
			return err
		}
	}
	return nil
}

func (r *Reader) problem(p Problem) {
	if r.Problem != nil {
		r.Problem(p)
	}
}

func (r *Reader) readPath(path string) error {
	if path == "-" {
		if r.Stdin == nil {
			r.problem(Problem{Code: ProblemUnreadable, File: "<stdin>", Message: "no standard input"})
			return nil
		}
		r.Files++
		return r.readStream("<stdin>", r.Stdin)
	}
	st, err := os.Stat(path)
	if err != nil {
		r.problem(Problem{Code: ProblemUnreadable, File: path, Message: unwrapPath(err).Error()})
		return nil
	}
	if !st.IsDir() {
		return r.readFile(path, st.Mode())
	}
	return filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			r.problem(Problem{Code: ProblemUnreadable, File: p, Message: unwrapPath(err).Error()})
			return nil
		case d.Type()&fs.ModeSymlink != 0:
			r.problem(Problem{Code: ProblemSymlink, File: p, Message: "a symbolic link inside a folder is not followed"})
			return nil
		case d.IsDir():
			return nil
		case !d.Type().IsRegular():
			r.problem(Problem{Code: ProblemNotRegular, File: p, Message: "not a regular file"})
			return nil
		}
		if !LogName(d.Name()) {
			return nil // README.md, a manifest: not a log
		}
		return r.readFile(p, 0)
	})
}

// LogName reports whether a file in a folder is read as a log: its name
// ends in .json, .jsonl or .ndjson, gzip-compressed (.gz) or not, as
// CloudTrail's own (ACCOUNT_CloudTrail_REGION_TIME_ID.json.gz) and Lake's
// and Athena's exports do. A file given by name is read whatever its name.
func LogName(name string) bool {
	name = strings.TrimSuffix(strings.ToLower(name), ".gz")
	return strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".jsonl") || strings.HasSuffix(name, ".ndjson")
}

func (r *Reader) readFile(path string, mode fs.FileMode) error {
	if mode != 0 && !mode.IsRegular() {
		r.problem(Problem{Code: ProblemNotRegular, File: path, Message: "not a regular file"})
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		r.problem(Problem{Code: ProblemUnreadable, File: path, Message: unwrapPath(err).Error()})
		return nil
	}
	defer f.Close()
	r.Files++
	return r.readStream(path, f)
}

// readStream reads one file's bytes: gzip or not, a log file
// ({"Records": [...]}), a JSON array of events, or JSON Lines.
func (r *Reader) readStream(name string, in io.Reader) error {
	br := bufio.NewReaderSize(in, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			r.problem(Problem{Code: ProblemUnreadable, File: name, Message: "gzip: " + err.Error()})
			return nil
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, 64<<10)
	}
	switch sniff(br) {
	case shapeRecords:
		return r.readRecords(name, br, true)
	case shapeArray:
		return r.readRecords(name, br, false)
	}
	return r.readLines(name, br)
}

type shape int

const (
	shapeLines   shape = iota // JSON Lines (or empty)
	shapeRecords              // {"Records": [...]}
	shapeArray                // [event, ...]
)

// sniff looks at the start of a file: a top-level array, an object whose
// first member is Records, or else JSON Lines.
func sniff(br *bufio.Reader) shape {
	head, _ := br.Peek(4096)
	head = bytes.TrimLeft(head, " \t\r\n\ufeff")
	if len(head) > 0 && head[0] == '[' {
		return shapeArray
	}
	if len(head) == 0 || head[0] != '{' {
		return shapeLines
	}
	rest := bytes.TrimLeft(head[1:], " \t\r\n")
	if len(rest) >= 9 && strings.EqualFold(string(rest[:9]), `"Records"`) {
		return shapeRecords
	}
	return shapeLines
}

var errTooLarge = errors.New("record too large")

// boundedReader fails when the decoder holds more than MaxRecordBytes
// past the start of the value it is decoding. Reads are at most 64 KiB,
// so that the decoder's read-ahead past a value stays small.
type boundedReader struct {
	r   io.Reader
	n   int64
	dec *json.Decoder
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.dec != nil && b.n-b.dec.InputOffset() > MaxRecordBytes {
		return 0, errTooLarge
	}
	if len(p) > 64<<10 {
		p = p[:64<<10]
	}
	n, err := b.r.Read(p)
	b.n += int64(n)
	if err == nil && b.dec != nil && b.n-b.dec.InputOffset() > MaxRecordBytes {
		err = errTooLarge
	}
	return n, err
}

// readRecords walks {"Records": [...]} (records true) or [...] token by
// token, decoding one record at a time. A syntax error, a truncation or an
// oversized record ends the file (a decoder cannot resynchronise); the
// records before it have been emitted.
func (r *Reader) readRecords(name string, in io.Reader, records bool) error {
	br := &boundedReader{r: in}
	dec := json.NewDecoder(br)
	br.dec = dec
	err := r.walkRecords(name, dec, records)
	if errors.Is(err, errStop) {
		return nil
	}
	return err
}

func (r *Reader) walkRecords(name string, dec *json.Decoder, records bool) error {
	fail := func(ptr string, err error) error {
		r.problem(streamProblem(name, ptr, err))
		return errStop
	}
	if !records {
		if err := r.readArray(name, "", dec, fail); err != nil {
			return err
		}
	} else {
		if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
			return fail("", errors.New("not a JSON object"))
		}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return fail("", err)
			}
			key, _ := tok.(string)
			if !strings.EqualFold(key, "Records") {
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					return fail(ptrOf(key), err)
				}
				continue
			}
			if err := r.readArray(name, ptrOf(key), dec, fail); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return fail("", err)
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		r.problem(Problem{Code: ProblemMalformed, File: name, Message: "data after the end of the log"})
	}
	return nil
}

// readArray reads one array of records, emitting each.
func (r *Reader) readArray(name, base string, dec *json.Decoder, fail func(string, error) error) error {
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		if err == nil {
			err = errors.New("not an array of records")
		}
		return fail(base, err)
	}
	for i := 0; dec.More(); i++ {
		ptr := base + "/" + strconv.Itoa(i)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fail(ptr, err)
		}
		if err := r.Emit(Item{File: name, Pointer: ptr, Raw: raw}); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return fail(base, err)
	}
	return nil
}

// errStop ends a file whose remaining bytes cannot be trusted; the
// problem has been reported.
var errStop = errors.New("stop")

func ptrOf(key string) string {
	return "/" + strings.ReplaceAll(strings.ReplaceAll(key, "~", "~0"), "/", "~1")
}

// streamProblem classifies a decoding error.
func streamProblem(name, ptr string, err error) Problem {
	var syn *json.SyntaxError
	switch {
	case errors.Is(err, errTooLarge):
		return Problem{Code: ProblemTooLarge, File: name, Pointer: ptr, Message: fmt.Sprintf("a record longer than %d bytes; the rest of the file is not read", MaxRecordBytes)}
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return Problem{Code: ProblemTruncated, File: name, Pointer: ptr, Message: "the file ends inside the log (truncated)"}
	case errors.As(err, &syn):
		return Problem{Code: ProblemMalformed, File: name, Pointer: ptr, Message: fmt.Sprintf("%v at byte %d; the rest of the file is not read", err, syn.Offset)}
	case errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader):
		return Problem{Code: ProblemUnreadable, File: name, Pointer: ptr, Message: "gzip: " + err.Error()}
	}
	return Problem{Code: ProblemMalformed, File: name, Pointer: ptr, Message: err.Error()}
}

// readLines reads JSON Lines: each non-blank line is one event; a line
// that is too long or not JSON is skipped and reported.
func (r *Reader) readLines(name string, br *bufio.Reader) error {
	var buf []byte
	for line := 1; ; line++ {
		buf = buf[:0]
		tooLong := false
		var err error
		for {
			var chunk []byte
			chunk, err = br.ReadSlice('\n')
			if !tooLong {
				if len(buf)+len(chunk) > MaxRecordBytes {
					tooLong, buf = true, buf[:0]
				} else {
					buf = append(buf, chunk...)
				}
			}
			if err != bufio.ErrBufferFull {
				break
			}
		}
		if err != nil && err != io.EOF {
			p := streamProblem(name, "", err)
			p.Line = line
			r.problem(p)
			return nil
		}
		text := bytes.TrimSpace(buf)
		switch {
		case tooLong:
			r.problem(Problem{Code: ProblemTooLarge, File: name, Line: line, Message: fmt.Sprintf("a line longer than %d bytes", MaxRecordBytes)})
		case len(text) == 0:
		case !json.Valid(text):
			code, msg := ProblemMalformed, "not a JSON value"
			if err == io.EOF {
				code, msg = ProblemTruncated, "the last line is not complete JSON (truncated)"
			}
			r.problem(Problem{Code: code, File: name, Line: line, Message: msg})
		default:
			if e := r.Emit(Item{File: name, Line: line, Raw: bytes.Clone(text)}); e != nil {
				return e
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
