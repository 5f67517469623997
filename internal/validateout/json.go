package validateout

import (
	"encoding/json"
	"errors"
	"io"

	"github.com/kconform/kconform/internal/audit"
	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/recording"
)

// jsonWriter streams one JSON document, an entry per line, so that a large
// capture is never held in memory:
//
//	{"mode":"default","files":[
//	{"file":"a.har","format":"har","entries":[
//	{"index":0,"kind":"exchange","method":"POST","url":"...","operation":"createCreditSession","status":200,"verdict":"conforms","issues":[]}
//	]},
//	{"file":"b.json","format":"","entries":[
//	],"error":"b.json: not JSON: ..."}
//	],"summary":{"files":2,...}}
type jsonWriter struct {
	w       *errWriter
	opts    Options
	files   int
	entries int
	opened  bool
}

type jsonEntry struct {
	Index     int              `json:"index"`
	Kind      recording.Kind   `json:"kind"`
	Method    string           `json:"method,omitempty"`
	URL       string           `json:"url,omitempty"`
	Operation string           `json:"operation,omitempty"`
	Status    int              `json:"status,omitempty"`
	Verdict   audit.Verdict    `json:"verdict"`
	Issues    []contract.Issue `json:"issues"`
	Error     string           `json:"error,omitempty"`
}

func newJSON(w io.Writer, opts Options) *jsonWriter {
	return &jsonWriter{w: &errWriter{w: w}, opts: opts}
}

func (j *jsonWriter) open() {
	if j.opened {
		return
	}
	j.opened = true
	mode := j.opts.Mode
	if mode == "" {
		mode = "default"
	}
	j.w.printf(`{"mode":%s,"files":[`, mustJSON(mode))
}

func (j *jsonWriter) BeginFile(path string, format recording.Format) {
	j.open()
	if j.files > 0 {
		j.w.printf(",")
	}
	j.files++
	j.entries = 0
	j.w.printf("\n{\"file\":%s,\"format\":%s,\"entries\":[", mustJSON(path), mustJSON(string(format)))
}

func (j *jsonWriter) Entry(e *audit.Entry) {
	if quiet(j.opts, e) {
		return
	}
	out := jsonEntry{
		Index: e.Index, Kind: e.Kind, Method: e.Method, URL: e.URL, Operation: e.Operation,
		Status: e.Status, Verdict: e.Verdict, Issues: e.Issues,
	}
	if out.Issues == nil {
		out.Issues = []contract.Issue{}
	}
	if e.Err != nil {
		out.Error = e.Err.Error()
	}
	if j.entries > 0 {
		j.w.printf(",")
	}
	j.entries++
	j.w.printf("\n%s", mustJSON(out))
}

func (j *jsonWriter) EndFile(path string, err error) {
	j.w.printf("\n]")
	switch {
	case errors.Is(err, recording.ErrNothingChecked):
		j.w.printf(",\"nothing_checked\":%s", mustJSON(err.Error()))
	case err != nil:
		j.w.printf(",\"error\":%s", mustJSON(err.Error()))
	}
	j.w.printf("}")
}

func (j *jsonWriter) Finish(s audit.Summary) error {
	j.open()
	j.w.printf("\n],\"summary\":%s}\n", mustJSON(s))
	return j.w.err
}

// mustJSON marshals values that cannot fail: strings and plain structs.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
