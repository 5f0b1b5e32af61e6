package progress

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Delay is how long a bar waits before it appears; Throttle is the least
// time between two redraws.
const (
	Delay    = time.Second
	Throttle = 200 * time.Millisecond
)

// Terminal returns w when it is a terminal, else nil (no progress).
func Terminal(w io.Writer) io.Writer {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return w
}

// Bar is the progress of one phase of a command. Its methods may be called
// from several goroutines; a nil *Bar does nothing.
type Bar struct {
	w     io.Writer
	desc  string
	start time.Time

	mu      sync.Mutex
	done    int64
	total   int64 // <= 0: unknown (a spinner)
	bar     *progressbar.ProgressBar
	timer   *time.Timer
	ticker  *time.Ticker
	stopped chan struct{}
	ended   bool
}

// New starts a phase described by desc ("compiling policies") with total
// steps (0 or less when unknown), drawn on w after Delay; a nil w draws
// nothing.
func New(w io.Writer, desc string, total int64) *Bar {
	return newAfter(w, desc, total, Delay)
}

func newAfter(w io.Writer, desc string, total int64, delay time.Duration) *Bar {
	b := &Bar{w: w, desc: desc, start: time.Now(), total: total}
	if w != nil {
		b.timer = time.AfterFunc(delay, b.appear)
	}
	return b
}

// appear draws the bar for the first time, once Delay has passed.
func (b *Bar) appear() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ended {
		return
	}
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(b.w),
		progressbar.OptionSetDescription(b.desc),
		progressbar.OptionThrottle(Throttle),
		progressbar.OptionSetWidth(30),
		progressbar.OptionSetElapsedTime(true),
		// The spinner is advanced by b's own ticker below, under b.mu:
		// the library's ticker goroutine reads its state unlocked.
		progressbar.OptionSetSpinnerChangeInterval(0),
	}
	if b.total > 0 {
		opts = append(opts, progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true))
		b.bar = progressbar.NewOptions64(b.total, opts...)
		_ = b.bar.Set64(b.done)
		return
	}
	b.bar = progressbar.NewOptions64(-1, opts...)
	_ = b.bar.Add64(1)
	b.ticker = time.NewTicker(Throttle)
	b.stopped = make(chan struct{})
	go b.spin(b.ticker, b.stopped)
}

func (b *Bar) spin(t *time.Ticker, stopped chan struct{}) {
	for {
		select {
		case <-stopped:
			return
		case <-t.C:
			b.mu.Lock()
			if !b.ended && b.bar != nil {
				_ = b.bar.Add64(1)
			}
			b.mu.Unlock()
		}
	}
}

// Set records that done of total steps are done. A total larger than the
// bar's grows it (a bar started with an unknown total takes it, unless
// it is already drawn as a spinner); done never shows past the total.
func (b *Bar) Set(done, total int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.total <= 0 && total > 0 && b.bar == nil {
		b.total = total
	}
	if total > b.total && b.total > 0 {
		b.total = total
		if b.bar != nil {
			b.bar.ChangeMax64(total)
		}
	}
	b.done = max(done, b.done)
	if b.total > 0 {
		b.done = min(b.done, b.total)
	}
	if b.bar != nil && !b.ended && b.total > 0 {
		_ = b.bar.Set64(b.done)
	}
}

// Add records n more steps done.
func (b *Bar) Add(n int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	done := b.done + n
	b.mu.Unlock()
	b.Set(done, 0)
}

// Done ends the phase: a drawn bar is completed and its line ended.
func (b *Bar) Done() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ended {
		return
	}
	b.ended = true
	if b.timer != nil {
		b.timer.Stop()
	}
	if b.ticker != nil {
		b.ticker.Stop()
		close(b.stopped)
	}
	if b.bar == nil {
		return
	}
	if b.total > 0 {
		_ = b.bar.Set64(b.total)
	}
	_ = b.bar.Exit()
	fmt.Fprintf(b.w, "\r%s: done in %s\033[K\n", b.desc, time.Since(b.start).Round(100*time.Millisecond))
}
