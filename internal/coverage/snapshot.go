package coverage

import (
	"maps"
	"slices"
)

// Snapshot is what a Collector kept, in a form that crosses a process
// boundary (JSON): each process of a parallel run writes its own, and the
// parent merges them (Collector.Merge) before computing the coverage.
type Snapshot struct {
	Responses  []ResponseTally        `json:"responses,omitempty"`
	Unrouted   [2]int                 `json:"unrouted"`
	Callbacks  map[string][2]int      `json:"callbacks,omitempty"`
	Sessions   map[string]SessionSeen `json:"sessions,omitempty"`
	SentTokens map[string]int         `json:"sent_tokens,omitempty"`
	Templates  []string               `json:"templates,omitempty"`
	Arrivals   []string               `json:"arrivals,omitempty"`
}

// ResponseTally counts the responses of one operation and status: seen,
// and conforming.
type ResponseTally struct {
	Operation string `json:"operation"`
	Status    int    `json:"status"`
	Counts    [2]int `json:"counts"`
}

// SessionSeen is what one HPP session was seen to go through.
type SessionSeen struct {
	API       []string `json:"api,omitempty"`
	Callbacks []string `json:"callbacks,omitempty"`
	EventIDs  []string `json:"event_ids,omitempty"`
}

// Snapshot returns what c kept so far.
func (c *Collector) Snapshot() Snapshot {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := Snapshot{
		Unrouted:   [2]int{c.unrouted.seen, c.unrouted.conforming},
		Callbacks:  map[string][2]int{},
		Sessions:   map[string]SessionSeen{},
		SentTokens: maps.Clone(c.sentTokens),
		Templates:  slices.Sorted(maps.Keys(c.templates)),
		Arrivals:   slices.Clone(c.arrivals),
	}
	for k, t := range c.responses {
		s.Responses = append(s.Responses, ResponseTally{k.operation, k.status, [2]int{t.seen, t.conforming}})
	}
	for op, t := range c.callbacks {
		s.Callbacks[op] = [2]int{t.seen, t.conforming}
	}
	for id, ss := range c.sessions {
		s.Sessions[id] = SessionSeen{API: slices.Clone(ss.api), Callbacks: slices.Clone(ss.callbacks), EventIDs: slices.Sorted(maps.Keys(ss.eventIDs))}
	}
	return s
}

// Merge adds what another collector kept (another process of the same
// run) to c. Sessions are the target's and their ids unique, so one
// session is seen by one process; should two report the same id, their
// observations are appended.
func (c *Collector) Merge(s Snapshot) {
	c.mu.Lock()
	defer c.mu.Unlock()
	add := func(t *tally, n [2]int) { t.seen += n[0]; t.conforming += n[1] }
	for _, r := range s.Responses {
		k := responseKey{r.Operation, r.Status}
		if c.responses[k] == nil {
			c.responses[k] = &tally{}
		}
		add(c.responses[k], r.Counts)
	}
	add(&c.unrouted, s.Unrouted)
	for op, n := range s.Callbacks {
		if c.callbacks[op] == nil {
			c.callbacks[op] = &tally{}
		}
		add(c.callbacks[op], n)
	}
	for id, seen := range s.Sessions {
		ss := c.session(id)
		ss.api = append(ss.api, seen.API...)
		ss.callbacks = append(ss.callbacks, seen.Callbacks...)
		for _, e := range seen.EventIDs {
			if ss.eventIDs == nil {
				ss.eventIDs = map[string]bool{}
			}
			ss.eventIDs[e] = true
		}
	}
	for tok, n := range s.SentTokens {
		c.sentTokens[tok] += n
	}
	for _, t := range s.Templates {
		c.templates[t] = true
	}
	c.arrivals = append(c.arrivals, s.Arrivals...)
}
