package bundles

import "fmt"

// jsonShape checks the shape of one JSON bundle member as it streams by
// (it is an io.Writer), keeping only one counter per open array or
// object: nesting depth, elements per array or object, and elements in
// all (shared across members through total). OPA parses a bundle's JSON
// into memory whole, at tens of bytes per element, so these bounds, not
// the byte size alone, decide what reading a bundle costs. The scanner
// does not validate JSON; OPA's reader does that afterwards.
type jsonShape struct {
	limits   ArchiveLimits
	member   string
	total    *int64  // elements of every member so far
	widths   []int64 // elements of each open array or object
	fresh    bool    // an array or object was just opened
	inString bool
	escaped  bool
	offset   int64
	err      error // the first limit passed
}

func (s *jsonShape) Write(p []byte) (int, error) {
	n, err := s.scan(p)
	if err != nil {
		s.err = err
	}
	return n, err
}

func (s *jsonShape) scan(p []byte) (int, error) {
	for i, c := range p {
		if s.inString {
			switch {
			case s.escaped:
				s.escaped = false
			case c == '\\':
				s.escaped = true
			case c == '"':
				s.inString = false
			}
			continue
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		if s.fresh {
			s.fresh = false
			if c != ']' && c != '}' {
				if err := s.element(i); err != nil {
					return i, err
				}
			}
		}
		switch c {
		case '"':
			s.inString = true
		case '[', '{':
			if len(s.widths) >= s.limits.JSONDepth {
				return i, fmt.Errorf("bundle member %q: JSON nested more than %d levels deep (at byte %d)", s.member, s.limits.JSONDepth, s.offset+int64(i))
			}
			s.widths = append(s.widths, 0)
			s.fresh = true
		case ']', '}':
			if len(s.widths) > 0 {
				s.widths = s.widths[:len(s.widths)-1]
			}
		case ',':
			if len(s.widths) > 0 {
				if err := s.element(i); err != nil {
					return i, err
				}
			}
		}
	}
	s.offset += int64(len(p))
	return len(p), nil
}

// element counts one more element of the innermost array or object.
func (s *jsonShape) element(i int) error {
	top := len(s.widths) - 1
	s.widths[top]++
	*s.total++
	switch {
	case s.widths[top] > s.limits.JSONWidth:
		return fmt.Errorf("bundle member %q: a JSON array or object with more than %d elements (at byte %d)", s.member, s.limits.JSONWidth, s.offset+int64(i))
	case *s.total > s.limits.JSONElements:
		return fmt.Errorf("the bundle's JSON has more than %d elements in all (in member %q, at byte %d)", s.limits.JSONElements, s.member, s.offset+int64(i))
	}
	return nil
}
