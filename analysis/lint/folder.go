package lint

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/iam2rego/iam2rego/schema"
	"github.com/iam2rego/iam2rego/translator"
)

// folder lints every *.json file under a folder, searched recursively.
// The folder is opened as an os.Root: a symbolic link that leads out of
// it is an error naming the link, and nothing outside is opened, so no
// byte of a file outside the folder can reach a message. Only regular
// files are read (a named pipe would block, a device never end).
func (r *runner) folder(p string, t translator.PolicyType) {
	root, err := os.OpenRoot(p)
	if err != nil {
		r.errs.Add(schema.Errorf(schema.CodeJSONSyntax, p, "", "cannot open the folder: %v", unwrapPath(err)))
		return
	}
	defer root.Close()
	var files []string
	walkErr := fs.WalkDir(root.FS(), ".", func(f string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() && strings.HasSuffix(f, ".json") {
			files = append(files, f)
		}
		return nil
	})
	if walkErr != nil {
		r.errs.Add(schema.Errorf(schema.CodeJSONSyntax, p, "", "cannot read the folder: %v", unwrapPath(walkErr)))
	}
	sort.Strings(files)
	for _, f := range files {
		display := filepath.Join(p, filepath.FromSlash(f))
		data, err := readInRoot(root, f, display)
		if err != nil {
			r.errs.Merge(display, err)
			continue
		}
		r.text(display, data, t)
	}
}

// readInRoot reads a regular file of a folder (schema.OpenRegularIn: a
// link that leaves the folder, or anything but a regular file, is refused
// before it is opened).
func readInRoot(root *os.Root, name, display string) ([]byte, error) {
	f, err := schema.OpenRegularIn(root, name)
	if err != nil {
		return nil, schema.Errorf(schema.CodeJSONSyntax, display, "", "cannot read the file: %v", unwrapPath(err))
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > schema.MaxInputBytes {
		return nil, schema.Errorf(schema.CodeInputTooLarge, display, "", "the file has %d bytes; iam2rego reads at most %d (64 MiB) per input file", st.Size(), schema.MaxInputBytes)
	}
	return schema.ReadAll(display, f)
}

// unwrapPath drops the operation and path of a *fs.PathError: messages
// name the file themselves.
func unwrapPath(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}
