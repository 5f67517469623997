package recording

import (
	"strings"
	"testing"
)

const rubyCassette = `---
http_interactions:
- request:
    method: post
    uri: https://api-na.playground.klarna.com/payments/v1/sessions
    body:
      encoding: UTF-8
      string: "{}"
    headers:
      Content-Type:
      - application/json
      Authorization:
      - Basic c2VjcmV0OnNlY3JldA==
  response:
    status:
      code: 400
      message: Bad Request
    headers:
      Klarna-Correlation-Id:
      - b0c6c9ee
    body:
      encoding: UTF-8
      string: |-
        {"error_code": "BAD_VALUE", "error_messages": [], "correlation_id": "b0c6c9ee"}
  recorded_at: Fri, 15 Oct 2021 15:16:24 GMT
- request:
    method: get
    uri: https://api.klarna.com/hpp/v1/sessions/abc
    body:
      encoding: ASCII-8BIT
      string: ''
    headers: {}
  response:
    status:
      code: 200
    headers:
      Content-Type: application/json
    body:
      encoding: ASCII-8BIT
      base64_string: eyJzdGF0dXMiOiJXQUlUSU5HIn0=
recorded_with: VCR 6.0.0
`

func TestVCRRuby(t *testing.T) {
	recs, format := mustRead(t, "c.yml", rubyCassette)
	if format != FormatVCR || len(recs) != 2 {
		t.Fatalf("format %s, %d records", format, len(recs))
	}
	a, b := recs[0].Exchange, recs[1].Exchange
	if a.Method != "POST" || a.Status != 400 || string(a.RequestBody) != "{}" || a.RequestHeader.Get("Authorization") == "" {
		t.Errorf("first interaction %+v", a)
	}
	if !strings.Contains(string(a.ResponseBody), `"BAD_VALUE"`) || a.ResponseHeader.Get("Klarna-Correlation-Id") != "b0c6c9ee" {
		t.Errorf("first response %q %v", a.ResponseBody, a.ResponseHeader)
	}
	if b.Method != "GET" || b.Status != 200 || string(b.ResponseBody) != `{"status":"WAITING"}` || len(b.RequestBody) != 0 {
		t.Errorf("second interaction %s %d %q", b.Method, b.Status, b.ResponseBody)
	}
	if b.ResponseHeader.Get("Content-Type") != "application/json" {
		t.Errorf("a header written as a plain value: %v", b.ResponseHeader)
	}
	if recs[1].Index != 1 {
		t.Errorf("index %d", recs[1].Index)
	}
}

func TestVCRPy(t *testing.T) {
	cassette := `interactions:
- request:
    body: '{"purchase_country": "SE"}'
    headers:
      Content-Type: [application/json]
    method: POST
    uri: https://api.playground.klarna.com/payments/v1/sessions
  response:
    body: {string: '{"session_id": "s", "client_token": "t"}'}
    headers:
      Content-Type: [application/json]
    status: {code: 200, message: OK}
version: 1
`
	recs, _ := mustRead(t, "py.yaml", cassette)
	ex := recs[0].Exchange
	if ex.Status != 200 || string(ex.RequestBody) != `{"purchase_country": "SE"}` || string(ex.ResponseBody) != `{"session_id": "s", "client_token": "t"}` {
		t.Errorf("vcrpy interaction %+v", ex)
	}
}

func TestVCRErrors(t *testing.T) {
	noResponse := strings.Replace(rubyCassette, "  response:\n    status:\n      code: 400", "  responsX:\n    status:\n      code: 400", 1)
	recs, _ := mustRead(t, "c.yml", noResponse)
	wantError(t, recs[0].Err, ErrNoResponse, "c.yml", 0, "no response")
	if recs[1].Err != nil {
		t.Errorf("second interaction: %v", recs[1].Err)
	}

	noStatus := strings.Replace(rubyCassette, "code: 400", "code: zero", 1)
	recs, _ = mustRead(t, "c.yml", noStatus)
	wantError(t, recs[0].Err, ErrNoResponse, "c.yml", 0, "status.code")

	// A header of the wrong shape is reported by name, not by value.
	badHeader := strings.Replace(rubyCassette, "      Authorization:\n      - Basic c2VjcmV0OnNlY3JldA==", "      Authorization:\n        nested: Basic c2VjcmV0OnNlY3JldA==", 1)
	recs, _ = mustRead(t, "c.yml", badHeader)
	wantError(t, recs[0].Err, nil, "c.yml", 0, "request.headers: Authorization")
	if strings.Contains(recs[0].Err.Error(), "c2VjcmV0") {
		t.Errorf("message echoes the credential: %v", recs[0].Err)
	}

	_, _, err := readAll(t, "c.yml", "just: a mapping\n")
	wantError(t, err, ErrUnknownFile, "c.yml", -1, "not a VCR cassette")
	_, _, err = readAll(t, "c.yml", "http_interactions: [\n")
	wantError(t, err, nil, "c.yml", -1, "not YAML")
	_, _, err = readAll(t, "c.yml", "# only a comment\n")
	wantError(t, err, nil, "c.yml", -1)
}

// A key named twice in a cassette is refused, never read one way (yaml.v3's
// node tree keeps both, Ruby's YAML the last): in an interaction that entry
// is unreadable, naming the key and where; outside, the whole file.
func TestVCRDuplicateKeys(t *testing.T) {
	twoStatuses := strings.Replace(rubyCassette, "      message: Bad Request\n", "      message: Bad Request\n    status:\n      code: 200\n", 1)
	recs, _ := mustRead(t, "c.yml", twoStatuses)
	wantError(t, recs[0].Err, ErrDuplicateKey, "c.yml", 0, `"status" appears twice in response`)
	if recs[1].Err != nil {
		t.Errorf("second interaction: %v", recs[1].Err)
	}

	twoCodes := strings.Replace(rubyCassette, "      code: 400\n", "      code: 400\n      code: 200\n", 1)
	recs, _ = mustRead(t, "c.yml", twoCodes)
	wantError(t, recs[0].Err, ErrDuplicateKey, "c.yml", 0, `"code" appears twice in response.status`)

	twoRequests := "http_interactions:\n- request: {method: post}\n  request: {method: get}\n"
	recs, _ = mustRead(t, "c.yml", twoRequests)
	wantError(t, recs[0].Err, ErrDuplicateKey, "c.yml", 0, `"request" appears twice in the interaction`)

	twoLists := strings.Replace(rubyCassette, "---\n", "---\nhttp_interactions: []\n", 1)
	_, _, err := readAll(t, "c.yml", twoLists)
	wantError(t, err, ErrDuplicateKey, "c.yml", -1, `"http_interactions" appears twice in the top level`)

	// The same header named twice is two values, not a duplicate: only a
	// mapping's keys are looked at.
	mustRead(t, "c.yml", strings.Replace(rubyCassette, "      - application/json\n", "      - application/json\n      - text/plain\n", 1))
}
