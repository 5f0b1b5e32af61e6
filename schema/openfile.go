package schema

import (
	"fmt"
	"io/fs"
	"os"
)

// OpenRegular opens an input file for reading only once it is known to
// be a regular file: opening a named pipe blocks until something writes
// to it, and a device or a directory may never end. The path is checked
// before it is opened, and the opened file again (a path swapped for a
// pipe in between still cannot block: the open does not wait).
func OpenRegular(path string) (*os.File, error) {
	return openRegular(path, os.Stat, os.OpenFile)
}

// openRegular opens name with open once stat says it is a regular file,
// and checks the opened file is that same regular file.
func openRegular(name string, stat func(string) (fs.FileInfo, error), open func(string, int, fs.FileMode) (*os.File, error)) (*os.File, error) {
	st, err := stat(name)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: NotRegularError{Mode: st.Mode()}}
	}
	f, err := open(name, os.O_RDONLY|openNoWait, 0)
	if err != nil {
		return nil, err
	}
	got, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !got.Mode().IsRegular() || !os.SameFile(st, got) {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: NotRegularError{Mode: got.Mode()}}
	}
	return f, nil
}

// NotRegularError is the error of an input that is not a regular file.
type NotRegularError struct{ Mode fs.FileMode }

func (e NotRegularError) Error() string {
	return fmt.Sprintf("%s, not a regular file", FileKind(e.Mode))
}

// FileKind names what a file is ("a named pipe", "a directory", …).
func FileKind(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "a regular file"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeCharDevice != 0, m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "a special file"
}

// OpenRegularIn opens name inside root as OpenRegular opens a path: a
// symbolic link that leads out of root is an error (os.Root), and only a
// regular file is opened.
func OpenRegularIn(root *os.Root, name string) (*os.File, error) {
	return openRegular(name, root.Stat, root.OpenFile)
}
