package trail

import (
	"context"
	"io"
	"runtime"
	"sync"

	"github.com/iam2rego/iam2rego/analysis/cloudtrail"
)

// Event is one thing read from the logs, in log order: a mapped call
// (with its decision, when replaying), a record that could not be mapped,
// or a part of a file that could not be read.
type Event struct {
	Call     *cloudtrail.Call
	Unmapped *cloudtrail.Unmapped
	Problem  *cloudtrail.Problem
	// Skipped is set for a call Source.Keep did not select.
	Skipped bool
	// Where names the record (file and pointer or line).
	Where string

	// Set by Replay.
	Decision *Decided `json:"-"`
}

// Source says which logs to read.
type Source struct {
	Paths []string
	Stdin io.Reader
	// Workers is the number of goroutines mapping (and deciding); 0 means
	// GOMAXPROCS.
	Workers int
	// Keep, when set, selects the calls to decide and report; the others
	// are counted in Summary.Skipped.
	Keep func(*cloudtrail.Call) bool
}

// job is one item of the stream with its position; result is its event.
type job struct {
	seq     int
	item    cloudtrail.Item
	problem *cloudtrail.Problem
}

type result struct {
	seq int
	ev  *Event
}

// scan reads the logs of src, maps each record on every core, calls
// work (on the worker) for each mapped call, and hands the events to
// sink in log order. At most a few events per worker are in memory at
// once. It returns the number of files opened.
func scan(ctx context.Context, src Source, work func(*Event), sink func(*Event) error) (int, error) {
	workers := src.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan job, 4*workers)
	done := make(chan result, 4*workers)
	rd := &cloudtrail.Reader{Stdin: src.Stdin}
	var readErr error
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		defer close(jobs)
		seq := 0
		send := func(j job) error {
			j.seq = seq
			seq++
			select {
			case jobs <- j:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		rd.Emit = func(it cloudtrail.Item) error { return send(job{item: it}) }
		rd.Problem = func(p cloudtrail.Problem) { _ = send(job{problem: &p}) }
		readErr = rd.Read(src.Paths)
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				ev := &Event{}
				if j.problem != nil {
					ev.Problem, ev.Where = j.problem, j.problem.Where()
				} else {
					ev.Where = j.item.Where()
					ev.Call, ev.Unmapped = cloudtrail.Map(j.item)
					if ev.Call != nil && src.Keep != nil && !src.Keep(ev.Call) {
						ev.Call, ev.Skipped = nil, true
					}
					if ev.Call != nil && work != nil {
						work(ev)
					}
				}
				select {
				case done <- result{j.seq, ev}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(done)
	}()
	// Back into log order: pending holds what finished ahead of its turn,
	// bounded by the events in flight.
	pending := map[int]*Event{}
	next := 0
	var sinkErr error
	for d := range done {
		if sinkErr != nil {
			continue // drain
		}
		pending[d.seq] = d.ev
		for {
			ev, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if err := sink(ev); err != nil {
				sinkErr = err
				cancel()
				break
			}
		}
	}
	<-readDone
	if sinkErr != nil {
		return rd.Files, sinkErr
	}
	if readErr != nil && ctx.Err() == nil {
		return rd.Files, readErr
	}
	return rd.Files, ctx.Err()
}
