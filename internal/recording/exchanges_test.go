package recording

import "testing"

func TestExchangesList(t *testing.T) {
	data := `{"_comment": "kconform exchanges", "exchanges": [
	  {"method": "post", "url": "https://api.playground.klarna.com/payments/v1/sessions", "status": 200,
	   "request": {"headers": {"Content-Type": "application/json"}, "body": {"purchase_country": "SE"}},
	   "response": {"headers": {"Content-Type": ["application/json"], "Set-Cookie": ["a=1", "b=2"]}, "body": "{\"session_id\":\"s\"}"}},
	  {"method": "GET", "url": "https://api.klarna.com/hpp/v1/sessions/x"},
	  {"operation": "createOrder", "status": 404, "response": {"body": {"error_code": "NOT_FOUND"}}},
	  {"operation": "hppStatusUpdateCallback", "request": {"body": {"event_id": "e"}}},
	  {"status": 200, "response": {"encoding": "base64", "body": "e30="}}
	], "_after": true}`
	recs, format := mustRead(t, "x.json", data)
	if format != FormatExchanges || len(recs) != 5 {
		t.Fatalf("format %s, %d records", format, len(recs))
	}
	for i, r := range recs {
		if r.Err != nil || r.Index != i {
			t.Fatalf("record %d: %+v", i, r)
		}
	}
	a := recs[0].Exchange
	if recs[0].Kind != KindExchange || a.Method != "POST" || a.Status != 200 {
		t.Errorf("exchange %+v", recs[0])
	}
	if string(a.RequestBody) != `{"purchase_country": "SE"}` || string(a.ResponseBody) != `{"session_id":"s"}` {
		t.Errorf("a JSON value body and a string body: %q %q", a.RequestBody, a.ResponseBody)
	}
	if got := a.ResponseHeader.Values("Set-Cookie"); len(got) != 2 {
		t.Errorf("header list %v", got)
	}
	if recs[1].Kind != KindRequest {
		t.Errorf("a request alone is %s", recs[1].Kind)
	}
	if recs[2].Kind != KindResponse || recs[2].Operation != "createOrder" || recs[2].Exchange.Status != 404 {
		t.Errorf("a response alone %+v", recs[2])
	}
	if recs[3].Kind != KindRequest || recs[3].Operation != "hppStatusUpdateCallback" {
		t.Errorf("a callback %+v", recs[3])
	}
	if string(recs[4].Exchange.ResponseBody) != "{}" {
		t.Errorf("base64 body %q", recs[4].Exchange.ResponseBody)
	}
}

func TestExchangesSingle(t *testing.T) {
	recs, format := mustRead(t, "one.json", `{"method":"DELETE","url":"https://api.klarna.com/hpp/v1/sessions/x","status":204}`)
	if format != FormatExchanges || len(recs) != 1 || recs[0].Kind != KindExchange || recs[0].Exchange.Status != 204 {
		t.Fatalf("%s %+v", format, recs)
	}
}

// Keys starting with "_" are comments, "_source" too: a single exchange
// that says where it came from is still an exchange, not a fixture whose
// _source must be an object (issue 11, item 13).
func TestExchangesSingleWithSourceComment(t *testing.T) {
	for _, source := range []string{`"copied from a support ticket"`, `{"repo": "example/shop", "file": "read.json"}`} {
		recs, format := mustRead(t, "one.json", `{"_source":`+source+`,"operation":"getSessionById",
			"method":"GET","url":"https://api.klarna.com/hpp/v1/sessions/x","status":200,
			"response":{"_note":"as sent","headers":{"Content-Type":"application/json"},"body":{"session_id":"x"}}}`)
		if format != FormatExchanges || len(recs) != 1 || recs[0].Err != nil || recs[0].Kind != KindExchange ||
			recs[0].Operation != "getSessionById" || string(recs[0].Exchange.ResponseBody) != `{"session_id":"x"}` {
			t.Errorf("_source %s: %s %+v", source, format, recs)
		}
	}
	// A fixture's "response" is the body itself: still a fixture.
	recs, format := mustRead(t, "f.json", `{"_source":{"endpoint":"GET /hpp/v1/sessions/x (200 body)"},"status":200,"response":{"session_id":"x"}}`)
	if format != FormatFixture || len(recs) != 1 || recs[0].Kind != KindResponseBody {
		t.Errorf("fixture: %s %+v", format, recs)
	}
}

// A broken exchange spoils only itself; the message says what is wrong.
func TestExchangesErrors(t *testing.T) {
	for _, tt := range []struct{ exchange, says string }{
		{`{"method":"GET"}`, "method and url go together"},
		{`{"method":"GET","url":"u","status":0,"response":{}}`, "needs a status"},
		{`{"method":"GET","url":"u","stauts":200}`, `unknown key "stauts"`},
		{`{"method":"GET","url":"u","status":200,"response":{"header":{}}}`, `response: unknown key "header"`},
		{`{"method":"GET","url":"u","request":{"headers":{"Authorization":42}}}`, "request.headers.Authorization: want a string or an array of strings"},
		{`{"method":"GET","url":"u","request":{"body":"x","encoding":"gzip"}}`, `unknown encoding "gzip"`},
		{`{"method":"GET","url":"u","request":{"body":{},"encoding":"base64"}}`, "needs a string body"},
		{`{"method":"GET","url":"u","request":{"body":"@@","encoding":"base64"}}`, "not valid base64"},
		{`{}`, "nothing to check"},
		{`{"request":{"body":{}}}`, "needs an operation"},
		{`[]`, "exchange: want an object"},
		{`{"method":"GET","url":"u","request":[]}`, "request: want an object"},
		{`{"method":5,"url":"u"}`, "method: want a string, got number"},
	} {
		recs, _ := mustRead(t, "x.json", `{"exchanges":[`+tt.exchange+`,{"method":"GET","url":"https://x/hpp/v1/sessions/a"}]}`)
		wantError(t, recs[0].Err, nil, "x.json", 0, tt.says)
		if recs[1].Err != nil {
			t.Errorf("%s: the next exchange: %v", tt.exchange, recs[1].Err)
		}
	}
	_, _, err := readAll(t, "x.json", `{"exchanges":{}}`)
	wantError(t, err, nil, "x.json", -1, "exchanges: want an array")
	_, _, err = readAll(t, "x.json", `{"exchanges":[{"method":"GET",`)
	wantError(t, err, ErrTruncated, "x.json", 0)
	recs, _, err := readAll(t, "x.json", `{"exchanges":[{"method":"GET","url":"u"}] "x"}`)
	wantError(t, err, ErrNotJSON, "x.json", -1)
	if len(recs) != 1 {
		t.Errorf("%d records before the error", len(recs))
	}
	// The single form reports its problem on the record too.
	recs, _ = mustRead(t, "one.json", `{"url":"u"}`)
	wantError(t, recs[0].Err, nil, "one.json", 0, "method and url go together")
}

func TestFixtures(t *testing.T) {
	recs, format := mustRead(t, "f.json", `{"_source":{"endpoint":"GET /hpp/v1/sessions/{id} (200 body)"},"response":{"status":"WAITING"}}`)
	r := recs[0]
	if format != FormatFixture || r.Kind != KindResponseBody || r.Exchange.Method != "GET" || r.Exchange.Status != 200 || string(r.Exchange.ResponseBody) != `{"status":"WAITING"}` {
		t.Errorf("response fixture %s %+v", format, r)
	}
	recs, _ = mustRead(t, "f.json", `{"_source":{"endpoint":"anything","operation":"createOrder"},"status":404,"body":{"error_code":"NOT_FOUND"}}`)
	if r := recs[0]; r.Kind != KindResponseBody || r.Operation != "createOrder" || r.Exchange.Status != 404 {
		t.Errorf("fixture naming its operation %+v", r)
	}
	recs, _ = mustRead(t, "f.json", `{"_source":{"repo":"x"},"body":{"a":1}}`)
	if r := recs[0]; r.Kind != KindBody || string(r.Exchange.RequestBody) != `{"a":1}` {
		t.Errorf("fixture saying nothing %+v", r)
	}
	recs, _ = mustRead(t, "f.json", `{"_source":{"endpoint":"POST /hpp/v1/sessions"},"request":{"a":1}}`)
	if r := recs[0]; r.Kind != KindRequestBody || r.Exchange.URL != "/hpp/v1/sessions" {
		t.Errorf("request fixture %+v", r)
	}
	_, _, err := readAll(t, "f.json", `{"_source":{"repo":"x"},"data":{}}`)
	wantError(t, err, ErrUnknownFile, "f.json", -1, "needs its body")
	_, _, err = readAll(t, "f.json", `{"_source":"x","body":{}}`)
	wantError(t, err, ErrUnknownFile, "f.json", -1, "_source: want an object")

	// A bare body is kept byte for byte.
	body := "{\n  \"session_id\" : \"x\" }\n"
	recs, format = mustRead(t, "b.json", body)
	if format != FormatBody || recs[0].Kind != KindBody || string(recs[0].Exchange.ResponseBody) != body {
		t.Errorf("bare body %s %q", format, recs[0].Exchange.ResponseBody)
	}
	if string(recs[0].Exchange.RequestBody) != body {
		t.Errorf("a bare body is on both sides until its side is known")
	}
}

// "operation" names the exchange, not a side: with a request and a response
// it is an exchange, as it is with method and url (it was a response alone,
// and its request went unchecked).
func TestExchangesOperationKeepsBothSides(t *testing.T) {
	recs, _ := mustRead(t, "x.json", `{"exchanges":[
	  {"operation":"createCreditSession","status":200,"request":{"body":{"purchase_country":123}},"response":{"body":{"session_id":"s"}}},
	  {"operation":"createCreditSession","status":200,"request":{},"response":{"body":{"session_id":"s"}}},
	  {"status":200,"request":{"body":{}},"response":{"body":{}}}
	]}`)
	for i, r := range recs {
		if r.Err != nil || r.Kind != KindExchange {
			t.Errorf("#%d: kind %s, err %v", i, r.Kind, r.Err)
		}
	}
	if len(recs) != 3 || string(recs[0].Exchange.RequestBody) != `{"purchase_country":123}` {
		t.Errorf("%+v", recs)
	}
}

// A body written as a JSON value is JSON: without a Content-Type header it
// is checked as application/json, not skipped as "content type none"
// (review fix2 item 1). A string body stays as recorded; a header given
// wins.
func TestExchangesJSONValueBodyImpliesJSONContentType(t *testing.T) {
	recs, _ := mustRead(t, "ex3.json", `{"exchanges":[
	  {"operation":"getSessionById","status":200,"response":{"body":{"status":"waiting"}}},
	  {"operation":"getSessionById","status":200,"response":{"body":"{\"status\":\"waiting\"}"}},
	  {"operation":"getSessionById","status":200,"response":{"headers":{"content-type":"text/plain"},"body":{"a":1}}},
	  {"operation":"hppStatusUpdateCallback","request":{"body":[1]}}
	]}`)
	if len(recs) != 4 {
		t.Fatalf("%d records", len(recs))
	}
	want := []string{"application/json", "", "text/plain"}
	for i, w := range want {
		if got := recs[i].Exchange.ResponseHeader.Get("Content-Type"); got != w {
			t.Errorf("exchange %d: response Content-Type %q, want %q", i, got, w)
		}
	}
	if got := recs[3].Exchange.RequestHeader.Get("Content-Type"); got != "application/json" {
		t.Errorf("request JSON value body: Content-Type %q, want application/json", got)
	}
}
