package schema

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// MaxInputBytes bounds one JSON input file (a policy, a case file, an
// account export, an organization or resource-policy file): iam2rego's own
// limit, so that a huge or endless input is refused before it is read,
// never processed in unbounded memory.
const MaxInputBytes = 64 << 20

// ReadFile reads an input file, a regular file (OpenRegular) of at most
// MaxInputBytes. Problems are coded diagnostics naming the file:
// input_too_large past the limit, json_syntax when the file cannot be
// read (a named pipe or a device among them).
func ReadFile(path string) ([]byte, error) {
	f, err := OpenRegular(path)
	if err != nil {
		return nil, Errorf(CodeJSONSyntax, path, "", "cannot read the file: %v", unwrapPath(err))
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > MaxInputBytes {
		return nil, Errorf(CodeInputTooLarge, path, "", "the file has %d bytes; iam2rego reads at most %d (64 MiB) per input file", st.Size(), MaxInputBytes)
	}
	return ReadAll(path, f)
}

// Open opens an input file to be read as a stream (case and request
// files). Only a regular file is opened (OpenRegular; standard input is
// read as "-" by the caller); one over MaxInputBytes is refused at once,
// and what is read is bounded by LimitReader.
func Open(path string) (io.ReadCloser, error) {
	f, err := OpenRegular(path)
	if err != nil {
		return nil, Errorf(CodeJSONSyntax, path, "", "cannot read the file: %v", unwrapPath(err))
	}
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > MaxInputBytes {
		f.Close()
		return nil, tooLarge(path)
	}
	return struct {
		io.Reader
		io.Closer
	}{LimitReader(path, f), f}, nil
}

// LimitReader reads r and fails with an input_too_large diagnostic
// naming name once more than MaxInputBytes have been read.
func LimitReader(name string, r io.Reader) io.Reader {
	return &limitReader{name: name, r: r, left: MaxInputBytes}
}

type limitReader struct {
	name string
	r    io.Reader
	left int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, tooLarge(l.name)
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	if l.left -= int64(n); l.left < 0 {
		return n - 1, tooLarge(l.name)
	}
	return n, err
}

func tooLarge(name string) error {
	return Errorf(CodeInputTooLarge, name, "", "the input has more than %d bytes (64 MiB), iam2rego's limit per input", MaxInputBytes)
}

// ReadAll reads at most MaxInputBytes from r (a pipe, standard input).
func ReadAll(name string, r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxInputBytes+1))
	if err != nil {
		return nil, Errorf(CodeJSONSyntax, name, "", "cannot read the input: %v", err)
	}
	if len(data) > MaxInputBytes {
		return nil, tooLarge(name)
	}
	return data, nil
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return fmt.Errorf("%w", err)
}
