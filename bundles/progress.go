package bundles

import (
	"fmt"
	"io"
	"time"
)

// Progress reports a long build on a terminal: nothing during the first
// second, then at most five updates a second, then a final newline.
type Progress struct {
	w       io.Writer
	start   time.Time
	last    time.Time
	printed bool
	now     func() time.Time
}

// NewProgress writes to w (nil: no output).
func NewProgress(w io.Writer) *Progress {
	return &Progress{w: w, start: time.Now(), now: time.Now}
}

// Update is an Options.Progress callback.
func (p *Progress) Update(done, total int) {
	if p == nil || p.w == nil {
		return
	}
	t := p.now()
	if t.Sub(p.start) < time.Second || t.Sub(p.last) < 200*time.Millisecond && done < total {
		return
	}
	p.last = t
	p.printed = true
	fmt.Fprintf(p.w, "\riam2rego build: compiled %d of %d policy attachments (%s)", done, total, t.Sub(p.start).Round(100*time.Millisecond))
}

// Done ends the progress line, if one was printed.
func (p *Progress) Done() {
	if p != nil && p.printed {
		fmt.Fprintln(p.w)
	}
}
