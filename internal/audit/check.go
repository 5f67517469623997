// Package audit checks recorded traffic: every entry of every recording
// against the contract, each HPP session body against the lifecycle rules,
// and the order of a recording's HPP session states. Entries are checked in
// parallel and reported in their order.
package audit

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/exchange"
	"github.com/kconform/kconform/internal/lifecycle"
	"github.com/kconform/kconform/internal/recording"
)

// Rule ids of problems found before the contract is consulted.
const (
	// RuleOperationNotRecorded: the recording does not say which operation
	// an entry belongs to (a bare body, a response without its request).
	RuleOperationNotRecorded = "route.operation-not-recorded"
	// RuleStatusNotRecorded: a response body whose status is unknown.
	RuleStatusNotRecorded = "status.not-recorded"
)

// jsonContentType is assumed for bodies recorded without headers: they come
// from JSON files.
const jsonContentType = "application/json"

// Options configure an Auditor.
type Options struct {
	// Strict reports additions (unknown fields, undocumented statuses,
	// operations outside the contract) as violations.
	Strict bool
	// As says what records that do not say so are (see Target).
	As *Target
	// Workers bounds the parallel checks; 0 means one per CPU.
	Workers int
	// Progress, if not nil, is kept up to date by Run for a status line.
	Progress *Progress
	// MaxBody is the largest body checked, in bytes; 0 means
	// DefaultMaxBody, a negative value no limit. A larger body is reported
	// (RuleBodyTooLarge) instead of decoded: a body of many small values
	// costs ten to thirty times its size once decoded.
	MaxBody int64
}

// DefaultMaxBody is far above any Klarna body (1,000 order lines, the
// contract's maximum, are about half a megabyte) and keeps the memory a
// decoded body takes within a few hundred megabytes.
const DefaultMaxBody = 16 << 20

// RuleBodyTooLarge: a body over --max-body, not checked.
const RuleBodyTooLarge = "body.too-large"

// Auditor checks recordings. It is safe for concurrent use.
type Auditor struct {
	maxBody   int64
	v         *contract.Validator
	life      *lifecycle.Checker
	mode      contract.Mode
	as        *Target
	workers   int
	progress  *Progress
	callbacks map[string]string // merchant URL field (status_update) -> callback operationId
}

// New prepares an Auditor for the contract v.
func New(v *contract.Validator, opts Options) (*Auditor, error) {
	life, err := lifecycle.New(v)
	if err != nil {
		return nil, err
	}
	a := &Auditor{v: v, life: life, mode: contract.Default, as: opts.As, workers: opts.Workers, progress: opts.Progress}
	if opts.Strict {
		a.mode = contract.Strict
	}
	if a.workers <= 0 {
		a.workers = runtime.GOMAXPROCS(0)
	}
	switch a.maxBody = opts.MaxBody; {
	case a.maxBody == 0:
		a.maxBody = DefaultMaxBody
	case a.maxBody < 0:
		a.maxBody = math.MaxInt64
	}
	if a.as != nil && v.Operation(a.as.Operation) == nil {
		return nil, fmt.Errorf("--as %s: the contract has no operation %q", a.as, a.as.Operation)
	}
	a.callbacks = callbackFields(v)
	return a, nil
}

// checked is what the parallel part finds for one record; the lifecycle
// sequence is added afterwards, in order.
type checked struct {
	entry    Entry
	snapshot lifecycle.Snapshot
	hasSnap  bool
}

// check runs every check that needs only the record itself.
func (a *Auditor) check(file string, rec recording.Record) checked {
	ex := rec.Exchange
	c := checked{entry: Entry{
		File: file, Index: rec.Index, Kind: rec.Kind,
		Method: ex.Method, URL: exchange.RedactURL(ex.URL), Status: ex.Status,
		Credentials: exchange.Credentials(ex.RequestHeader, ex.URL),
	}}
	e := &c.entry
	if rec.Err != nil {
		e.Err = rec.Err
		e.Credentials = append(slices.Clip(e.Credentials), rec.Credentials...)
		e.Verdict = Unreadable
		return c
	}
	if res, ok := a.tooLarge(rec); ok {
		e.Operation, e.Issues = res.Operation, res.Issues
		return c
	}
	res, checkedEx := a.validate(rec)
	e.Operation = res.Operation
	e.Issues = res.Issues
	if checkedEx.Status != 0 {
		e.Status = checkedEx.Status
	}
	if e.Operation != "" {
		e.Issues = append(e.Issues, amountIssues(e.Operation, checkedEx)...)
		if snap, ok := a.life.Snapshot(e.Operation, checkedEx); ok {
			c.snapshot, c.hasSnap = snap, true
			e.Issues = append(e.Issues, snap.Check()...)
		}
	}
	return c
}

// tooLarge reports the bodies of a record over the size limit, unchecked:
// a violation, so that the run does not pass on what it did not check.
// The operation is still named when the request line routes to one.
func (a *Auditor) tooLarge(rec recording.Record) (contract.Result, bool) {
	var res contract.Result
	ex := rec.Exchange
	for _, b := range []struct {
		side contract.Side
		body []byte
	}{{contract.Request, ex.RequestBody}, {contract.Response, ex.ResponseBody}} {
		if int64(len(b.body)) > a.maxBody {
			res.Issues = append(res.Issues, contract.Issue{Severity: contract.Violation, Side: b.side, In: contract.InBody,
				Rule: RuleBodyTooLarge, Message: fmt.Sprintf("the body is %d bytes, more than --max-body %d: not checked", len(b.body), a.maxBody)})
		}
		if rec.Kind == recording.KindBody {
			break // one body, held as both sides
		}
	}
	if len(res.Issues) == 0 {
		return res, false
	}
	res.Operation = rec.Operation
	if ex.Method != "" && ex.URL != "" {
		if op, _, err := a.v.Find(ex.Method, ex.URL); err == nil {
			res.Operation = op.ID
		}
	}
	return res, true
}

// addition is the severity of something the contract does not list.
func (a *Auditor) addition() contract.Severity {
	if a.mode == contract.Strict {
		return contract.Violation
	}
	return contract.Warning
}

// validate checks a record as far as what it holds allows. It returns the
// exchange as checked: with the status (and method and URL) filled in from
// the target when the record lacked them.
func (a *Auditor) validate(rec recording.Record) (contract.Result, exchange.Exchange) {
	ex := rec.Exchange
	if ex.URL != "" {
		if _, err := url.Parse(ex.URL); err != nil {
			// Said here, not by the contract: url.Parse's error quotes the
			// whole URL, password included.
			return a.issue(contract.Violation, contract.Request, contract.InRoute, contract.RuleParameter, "the request URL cannot be parsed"), ex
		}
	}
	switch rec.Kind {
	case recording.KindExchange:
		if ex.Method == "" { // named by its operation (kconform's JSON format)
			if op := a.callbackOperation(rec.Operation); op != nil {
				res := a.callback(op.ID, ex.RequestHeader, ex.RequestBody)
				res.Issues = append(res.Issues, a.body(op, contract.Response, ex.Status, ex.ResponseHeader, ex.ResponseBody).Issues...)
				return res, ex
			}
			if res, ok := a.addressByName(&ex, rec.Operation, contract.Request); !ok {
				return res, ex
			}
		}
		return a.v.Validate(ex, a.mode), ex

	case recording.KindRequest:
		if op := a.callbackOperation(rec.Operation); op != nil {
			return a.callback(op.ID, ex.RequestHeader, ex.RequestBody), ex
		}
		if res, ok := a.addressByName(&ex, rec.Operation, contract.Request); !ok {
			return res, ex
		}
		return a.v.ValidateRequest(ex, a.mode), ex

	case recording.KindResponse:
		if res, ok := a.addressByName(&ex, rec.Operation, contract.Response); !ok {
			return res, ex
		}
		return a.v.ValidateResponse(ex, a.mode), ex

	case recording.KindRequestBody:
		op, res := a.operationOf(rec, contract.Request)
		if op == nil {
			return res, ex
		}
		if op.Callback {
			return a.callback(op.ID, ex.RequestHeader, ex.RequestBody), ex
		}
		return a.body(op, contract.Request, 0, ex.RequestHeader, ex.RequestBody), ex

	case recording.KindResponseBody:
		op, res := a.operationOf(rec, contract.Response)
		if op == nil {
			return res, ex
		}
		if ex.Status == 0 {
			if ex.Status = a.statusFor(op); ex.Status == 0 {
				return a.statusNotRecorded(op), ex
			}
		}
		return a.body(op, contract.Response, ex.Status, ex.ResponseHeader, ex.ResponseBody), ex

	case recording.KindCallbackBody:
		id := rec.Operation
		if id == "" {
			id = a.callbackFromHint(rec.Hint)
		}
		if id == "" && a.as != nil {
			id = a.as.Operation
		}
		if op := a.callbackOperation(id); op != nil {
			return a.callback(op.ID, ex.RequestHeader, ex.RequestBody), ex
		}
		return a.notRecorded(contract.Request), ex

	case recording.KindBody:
		op, res := a.named(rec.Operation, contract.Response)
		if op == nil {
			return res, ex
		}
		if op.Callback {
			return a.callback(op.ID, ex.RequestHeader, ex.RequestBody), ex
		}
		if a.as != nil && a.as.Side == contract.Request {
			return a.body(op, contract.Request, 0, ex.RequestHeader, ex.RequestBody), ex
		}
		ex.Status = a.statusFor(op)
		if ex.Status == 0 {
			return a.statusNotRecorded(op), ex
		}
		ex.RequestBody = nil
		return a.body(op, contract.Response, ex.Status, ex.ResponseHeader, ex.ResponseBody), ex
	}
	return a.issue(a.addition(), contract.Request, contract.InRoute, RuleOperationNotRecorded, "unknown record kind "+rec.Kind.String()), ex
}

// operationOf finds the operation of a body: named by the recording, routed
// from its method and URL, or given by the target.
func (a *Auditor) operationOf(rec recording.Record, side contract.Side) (*contract.Operation, contract.Result) {
	if rec.Operation == "" && rec.Exchange.Method != "" && rec.Exchange.URL != "" {
		op, _, err := a.v.Find(rec.Exchange.Method, rec.Exchange.URL)
		if err != nil {
			rule := contract.RuleUnknownOperation
			if errors.Is(err, contract.ErrMethodNotAllowed) {
				rule = contract.RuleMethodNotAllowed
			}
			return nil, a.issue(a.addition(), side, contract.InRoute, rule,
				fmt.Sprintf("%s %s: %v", rec.Exchange.Method, exchange.RedactURL(rec.Exchange.URL), err))
		}
		return op, contract.Result{}
	}
	return a.named(rec.Operation, side)
}

// addressByName gives a record saved without its request line (a bare
// request or response) the method and URL of the operation it names; ok is
// false, with the result to report, when it names none.
func (a *Auditor) addressByName(ex *exchange.Exchange, id string, side contract.Side) (contract.Result, bool) {
	if ex.Method != "" {
		return contract.Result{}, true
	}
	op, res := a.named(id, side)
	if op == nil {
		return res, false
	}
	ex.Method, ex.URL = op.Method, templateURL(op)
	return contract.Result{}, true
}

// named returns the operation the recording names, else the target's.
func (a *Auditor) named(id string, side contract.Side) (*contract.Operation, contract.Result) {
	if id == "" && a.as != nil {
		id = a.as.Operation
	}
	if id == "" {
		return nil, a.notRecorded(side)
	}
	op := a.v.Operation(id)
	if op == nil {
		return nil, a.issue(a.addition(), side, contract.InRoute, contract.RuleUnknownOperation,
			fmt.Sprintf("the recording names operation %q, which the contract does not have", id))
	}
	return op, contract.Result{}
}

func (a *Auditor) notRecorded(side contract.Side) contract.Result {
	return a.issue(a.addition(), side, contract.InRoute, RuleOperationNotRecorded,
		"the recording does not say which operation this is: name it with --as OPERATION[:request|:response][:STATUS]")
}

// statusNotRecorded leaves the entry outside the contract: without a status
// there is no response schema to check the body against.
func (a *Auditor) statusNotRecorded(op *contract.Operation) contract.Result {
	return a.issue(a.addition(), contract.Response, contract.InStatus, RuleStatusNotRecorded,
		"the recording does not say which status this "+op.ID+" body was sent with: give it with --as "+op.ID+":response:STATUS")
}

// statusFor is the target's status, else the operation's only 2xx status.
func (a *Auditor) statusFor(op *contract.Operation) int {
	if a.as != nil && a.as.Operation == op.ID && a.as.Status != 0 {
		return a.as.Status
	}
	status := 0
	for _, code := range op.Responses() {
		if len(code) == 3 && code[0] == '2' {
			if status != 0 {
				return 0
			}
			status, _ = strconv.Atoi(code)
		}
	}
	return status
}

func (a *Auditor) body(op *contract.Operation, side contract.Side, status int, h map[string][]string, body []byte) contract.Result {
	res, err := a.v.ValidateBody(op.ID, side, status, contentType(h), body, a.mode)
	if err != nil {
		return a.issue(a.addition(), side, contract.InRoute, contract.RuleUnknownOperation, err.Error())
	}
	return res
}

func (a *Auditor) callback(id string, h map[string][]string, body []byte) contract.Result {
	res, err := a.v.ValidateCallback(id, contentType(h), body, a.mode)
	if err != nil {
		return a.issue(a.addition(), contract.Request, contract.InRoute, contract.RuleUnknownOperation, err.Error())
	}
	return res
}

func (a *Auditor) callbackOperation(id string) *contract.Operation {
	if op := a.v.Operation(id); op != nil && op.Callback {
		return op
	}
	return nil
}

// issue is a result with no operation and one issue: the entry could not
// be matched to the contract.
func (a *Auditor) issue(sev contract.Severity, side contract.Side, in, rule, msg string) contract.Result {
	return contract.Result{Issues: []contract.Issue{{Severity: sev, Side: side, In: in, Rule: rule, Message: msg}}}
}

func contentType(h map[string][]string) string {
	if ct := headerValue(h, "Content-Type"); ct != "" {
		return ct
	}
	return jsonContentType
}

func headerValue(h map[string][]string, name string) string {
	if vs := h[name]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// templateURL is a path that routes to op, for a response whose request URL
// was not recorded; each path parameter is replaced by its name.
func templateURL(op *contract.Operation) string {
	r := strings.NewReplacer("{", "", "}", "")
	return r.Replace(op.Path)
}

// callbackFields maps the merchant URL field each callback is sent to
// ("status_update", from '{$request.body#/merchant_urls/status_update}') to
// the callback's operationId.
func callbackFields(v *contract.Validator) map[string]string {
	out := map[string]string{}
	doc := v.Document()
	for _, path := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(path).Operations() {
			for _, cb := range op.Callbacks {
				if cb == nil || cb.Value == nil {
					continue
				}
				for expr, item := range cb.Value.Map() {
					field := strings.TrimSuffix(expr[strings.LastIndex(expr, "/")+1:], "}")
					for _, cop := range item.Operations() {
						out[field] = cop.OperationID
					}
				}
			}
		}
	}
	return out
}

// callbackFromHint finds the callback a fixture's description names by its
// merchant URL field; "" unless exactly one matches.
func (a *Auditor) callbackFromHint(hint string) string {
	var found []string
	for field, id := range a.callbacks {
		if strings.Contains(hint, field) {
			found = append(found, id)
		}
	}
	sort.Strings(found)
	if len(found) != 1 {
		return ""
	}
	return found[0]
}
