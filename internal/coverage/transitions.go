package coverage

// start is the pseudo-status before a session exists ([*] in Mermaid).
const start = "[*]"

// stepCounts is what one stream of one session's statuses shows.
type stepCounts struct {
	edges map[[2]string]int
	// skipped counts changes that a documented path of several steps
	// explains: the statuses in between were not observed.
	skipped int
}

// steps reads one stream of statuses, in the order they were observed.
//
// Why streams and not one merged timeline: the API observations of a session
// (reads, the disable) are sequential within the spec that owns it, and a
// record reaches the collector before the call returns, so their arrival
// order is their causal order. Callbacks of a session arrive in order too,
// but at any moment relative to the API calls (they are sent
// asynchronously and retried), so merging the two by arrival could invent a
// backwards transition. Record.Started is no help either: callback records
// have none. Each stream is a faithful sample of the same history, so an
// edge counts as often as the stream that saw it more often.
func (d *document) steps(statuses []string) stepCounts {
	sc := stepCounts{edges: map[[2]string]int{}}
	if len(statuses) == 0 {
		return sc
	}
	// The first status is the session's start only if it is the initial
	// one; otherwise observation began after the session had moved.
	if initial := d.machine.Initial(); statuses[0] == initial {
		sc.edges[[2]string{start, initial}]++
	}
	prev := statuses[0]
	for _, cur := range statuses[1:] {
		if cur == prev {
			continue
		}
		e := [2]string{prev, cur}
		switch {
		case d.machine.Documented(prev, cur):
			sc.edges[e]++
		case d.machine.Reachable(prev, cur):
			sc.skipped++
		default:
			sc.edges[e]++ // undocumented: no documented path leads there
		}
		prev = cur
	}
	return sc
}

// transitionCounts adds up every session's edges, and the changes that were
// explained only by unobserved steps.
func (d *document) transitionCounts(sessions map[string]*session) (map[[2]string]int, int) {
	total := map[[2]string]int{}
	skipped := 0
	for _, s := range sessions {
		a, b := d.steps(s.api), d.steps(s.callbacks)
		for e, n := range a.edges {
			total[e] += max(n, b.edges[e])
		}
		for e, n := range b.edges {
			if _, done := a.edges[e]; !done {
				total[e] += n
			}
		}
		skipped += max(a.skipped, b.skipped)
	}
	return total, skipped
}
