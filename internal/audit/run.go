package audit

import (
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/kconform/kconform/internal/lifecycle"
	"github.com/kconform/kconform/internal/recording"
)

// Sink receives a run's outcome in order: for each file BeginFile, its
// entries by index, then EndFile. Its methods are called from one goroutine.
type Sink interface {
	// BeginFile: format is "" when the file could not be opened.
	BeginFile(path string, format recording.Format)
	Entry(e *Entry)
	// EndFile: err is why the file could not be read to its end (its
	// entries so far have been reported; the Summary counts none of them
	// as conforming), nil when it was.
	EndFile(path string, err error)
}

// batchSize records are checked by one worker at a time: few enough to
// keep memory small, enough that handing work over costs little.
const batchSize = 64

// window is how many batches per worker may be read ahead of the one being
// reported; it bounds memory however long the recording is.
const window = 4

type itemKind uint8

const (
	beginFile itemKind = iota
	records
	endFile
)

// item is one step of the run, in file order. A records item is checked by
// a worker; done is closed when its out is ready.
type item struct {
	kind   itemKind
	file   string
	format recording.Format
	err    error
	recs   []recording.Pending
	out    []checked
	done   chan struct{}
}

// Run checks every file in order and reports to sink. Files are read one
// after another; the entries of a file are checked in parallel and reported
// in order, after the lifecycle sequence has seen them.
func (a *Auditor) Run(files []string, sink Sink) Summary {
	order := make(chan *item, a.workers*window)
	work := make(chan *item, a.workers*window)
	var wg sync.WaitGroup
	for range a.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range work {
				it.out = make([]checked, len(it.recs))
				for i, p := range it.recs {
					// The entry's raw bytes are not needed once decoded: a
					// large one is freed before its body is checked.
					it.recs[i] = recording.Pending{}
					rec := p.Record()
					it.out[i] = a.check(it.file, rec)
				}
				it.recs = nil
				close(it.done)
			}
		}()
	}
	go func() {
		defer close(order)
		defer close(work)
		for _, path := range files {
			a.read(path, order, work)
		}
	}()

	var sum Summary
	var seq *lifecycle.Sequence
	// Of the current file: its entries, those checked against the contract
	// (neither outside nor unreadable), the unreadable ones (which fail
	// the run already), and those that conform.
	var entries, checkedEntries, unreadableEntries, conforming int
	for it := range order {
		switch it.kind {
		case beginFile:
			sum.Files++
			entries, checkedEntries, unreadableEntries, conforming = 0, 0, 0, 0
			seq = a.life.NewSequence()
			sink.BeginFile(it.file, it.format)
		case records:
			<-it.done
			for i := range it.out {
				c := &it.out[i]
				e := &c.entry
				if c.hasSnap && e.Err == nil {
					e.Issues = append(e.Issues, seq.Observe(e.Index, c.snapshot)...)
				}
				sortIssues(e.Issues)
				e.Verdict = e.verdict()
				sum.add(e)
				entries++
				switch e.Verdict {
				case Conforms:
					checkedEntries++
					conforming++
				case Violates:
					checkedEntries++
				case Unreadable:
					unreadableEntries++
				}
				sink.Entry(e)
			}
			a.progress.addEntries(it.out)
		case endFile:
			if it.err == nil && checkedEntries == 0 && unreadableEntries == 0 {
				it.err = nothingChecked(it.file, entries)
			}
			switch {
			case errors.Is(it.err, recording.ErrNothingChecked):
				sum.UncheckedFiles++
			case it.err != nil:
				sum.UnreadableFiles++
				// A file refused as unreadable (two "log"s: which entries
				// count is not known; truncated) vouches for none of its
				// entries: those that conformed count as unreadable.
				sum.Conforming -= conforming
				sum.Unreadable += conforming
			}
			a.progress.addFile()
			sink.EndFile(it.file, it.err)
		}
	}
	wg.Wait()
	return sum
}

// nothingChecked says why a file read to its end checked nothing: a pass
// on it would be a pass on nothing.
func nothingChecked(file string, entries int) error {
	reason := "the file holds no entries"
	if entries > 0 {
		reason = "no entry is an operation of the contract or says which one it is (name it with --as)"
	}
	return &recording.Error{File: file, Entry: -1, Err: fmt.Errorf("%w: %s", recording.ErrNothingChecked, reason)}
}

// read streams one file's entries to the workers in batches, and every
// step to order. Entries are decoded by the workers: reading is the one
// sequential stage, so it only cuts them out.
func (a *Auditor) read(path string, order, work chan<- *item) {
	f, err := a.progress.open(path)
	if err != nil {
		order <- &item{kind: beginFile, file: path}
		order <- &item{kind: endFile, file: path, err: err}
		return
	}
	defer f.Close()
	order <- &item{kind: beginFile, file: path, format: f.Format}
	batch := make([]recording.Pending, 0, batchSize)
	flush := func() {
		if len(batch) == 0 {
			return
		}
		it := &item{kind: records, file: path, recs: batch, done: make(chan struct{})}
		work <- it
		order <- it
		batch = make([]recording.Pending, 0, batchSize)
	}
	var readErr error
	for {
		rec, err := f.NextPending()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			readErr = err
			break
		}
		batch = append(batch, rec)
		if len(batch) == batchSize {
			flush()
		}
	}
	flush()
	order <- &item{kind: endFile, file: path, err: readErr}
}
