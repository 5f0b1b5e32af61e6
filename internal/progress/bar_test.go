package progress

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a terminal stand-in the bar and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls until the bar has drawn something (it appears after its
// delay, on a timer).
func waitFor(t *testing.T, w *syncBuffer) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for w.String() == "" {
		if time.Now().After(deadline) {
			t.Fatal("the bar never appeared")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestBarNeverCountsPastItsTotal(t *testing.T) {
	var w syncBuffer
	b := newAfter(&w, "compiling", 100, 0)
	waitFor(t, &w)
	for i := int64(0); i <= 250; i++ {
		b.Set(i, 100)
	}
	b.mu.Lock()
	done := b.done
	b.mu.Unlock()
	if done != 100 {
		t.Errorf("done = %d after setting 250 of 100, want 100", done)
	}
	b.Done()
	out := w.String()
	if strings.Contains(out, "250") || strings.Contains(out, "101/") {
		t.Errorf("the bar shows a count past its total:\n%q", out)
	}
	if !strings.Contains(out, "100/100") || !strings.HasSuffix(out, "\n") || !strings.Contains(out, "compiling: done in ") {
		t.Errorf("the finished bar lacks 100/100, its closing line or its newline:\n%q", out)
	}
}

func TestBarGrowsWithALargerTotal(t *testing.T) {
	var w syncBuffer
	b := newAfter(&w, "deciding", 10, 0)
	waitFor(t, &w)
	b.Set(15, 20)
	b.Done()
	if out := w.String(); !strings.Contains(out, "20/20") {
		t.Errorf("a total raised to 20 is not shown:\n%q", out)
	}
}

// TestBarIsThrottled: a million updates in a tight loop draw a few lines,
// not a million.
func TestBarIsThrottled(t *testing.T) {
	var w syncBuffer
	b := newAfter(&w, "compiling", 1_000_000, 0)
	waitFor(t, &w)
	start := time.Now()
	for i := int64(1); i <= 1_000_000; i++ {
		b.Set(i, 1_000_000)
	}
	b.Done()
	redraws := strings.Count(w.String(), "% |") // one per drawing of the bar
	// One redraw per Throttle at the most, plus the first, the last and
	// the closing line.
	if most := int(time.Since(start)/Throttle) + 4; redraws > most {
		t.Errorf("%d redraws in %v, want at most %d", redraws, time.Since(start), most)
	}
}

func TestSilentWithoutTerminalAndBeforeTheDelay(t *testing.T) {
	b := New(nil, "compiling", 10)
	b.Set(5, 10)
	b.Add(3)
	b.Done()
	var w syncBuffer
	quick := New(&w, "compiling", 10) // the default Delay: a second
	quick.Set(10, 10)
	quick.Done()
	if w.String() != "" {
		t.Errorf("a phase shorter than the delay drew %q", w.String())
	}
	var nilBar *Bar
	nilBar.Set(1, 2)
	nilBar.Add(1)
	nilBar.Done()
}

func TestSpinnerForAnUnknownTotal(t *testing.T) {
	var w syncBuffer
	b := newAfter(&w, "preparing", 0, 0)
	waitFor(t, &w)
	time.Sleep(3 * Throttle)
	b.Done()
	out := w.String()
	if !strings.Contains(out, "preparing") || !strings.Contains(out, "preparing: done in ") {
		t.Errorf("the spinner lacks its description or closing line:\n%q", out)
	}
	after := len(out)
	time.Sleep(2 * Throttle)
	if len(w.String()) != after {
		t.Errorf("the spinner drew after Done")
	}
}
