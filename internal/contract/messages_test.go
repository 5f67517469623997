package contract_test

import (
	"strings"
	"testing"

	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/contract/contracttest"
)

// issueAt is the message of the issue of rule at pointer, "" when there is
// none.
func issueAt(r contract.Result, rule, pointer string) string {
	for _, i := range r.Issues {
		if i.Rule == rule && i.Pointer == pointer {
			return i.Message
		}
	}
	return ""
}

// An enum failure says what came as well as what is allowed; a value too
// long to be a misspelt one (it may be a secret in the wrong field) is
// described by its length.
func TestEnumMessageShowsTheValue(t *testing.T) {
	v := contracttest.Validator(t)
	for _, tt := range []struct {
		status, shown string
	}{
		{`"COMPLETE"`, `value "COMPLETE" is not one of the allowed values ["WAITING",`},
		{`"waiting"`, `value "waiting" is not one of the allowed values`},
		{`"` + strings.Repeat("x", 40) + `"`, `value (40 characters) is not one of the allowed values`},
		{`"line\nbreak"`, `value (10 characters) is not one of`},
		{`7`, `value 7 is not one of`},
		{`{"a":1}`, `value (an object) is not one of`},
		{`"in progress"`, `value "in progress" is not one of`},
		// A credential-like value as short as an allowed one resembles
		// none of them: it is described, not shown.
		{`"hS7kq2Lw9xPz"`, `value (12 characters) is not one of`},
		{`"PK1234_abcdef98"`, `value (15 characters) is not one of`},
	} {
		body := strings.Replace(waitingSession, `"WAITING"`, tt.status, 1)
		msg := issueAt(v.ValidateResponse(hppRead(200, body), contract.Default), "schema.enum", "/status")
		if !strings.Contains(msg, tt.shown) {
			t.Errorf("status %s: /status [schema.enum] says %q; want %q", tt.status, msg, tt.shown)
		}
	}
}

// A body that matches none of a oneOf's shapes is explained by the shape it
// came closest to (the one whose enums it meets, then the fewest failures),
// naming the others tried without their reasons.
func TestOneOfMessageNamesTheClosestShape(t *testing.T) {
	v := contracttest.Validator(t)
	completed := func(extra string) string {
		return strings.Replace(waitingSession, `"status":"WAITING"`, `"status":"COMPLETED"`+extra, 1)
	}
	for _, tt := range []struct {
		body, closest, tried string
	}{
		{completed(""),
			`closest is completed with an authorization token (place_order_mode NONE) (/authorization_token property "authorization_token" is missing)`,
			`also tried: session not completed | completed with a placed order (place_order_mode PLACE_ORDER or CAPTURE_ORDER)`},
		{completed(`,"order_id":"o"`),
			`closest is completed with a placed order (place_order_mode PLACE_ORDER or CAPTURE_ORDER) (/klarna_reference property "klarna_reference" is missing)`,
			`also tried: session not completed | completed with an authorization token (place_order_mode NONE)`},
		{strings.Replace(waitingSession, `"updated_at"`, `"authorization_token":"t","updated_at"`, 1),
			`closest is session not completed (/authorization_token forbidden: only a COMPLETED session carries authorization_token)`,
			`also tried: completed with an authorization token`},
	} {
		msg := issueAt(v.ValidateResponse(hppRead(200, tt.body), contract.Default), "schema.oneOf", "")
		if !strings.HasPrefix(msg, "matches none of the allowed shapes; ") || !strings.Contains(msg, tt.closest) || !strings.Contains(msg, tt.tried) {
			t.Errorf("%s:\n(root) [schema.oneOf] says %q\nwant %q\nand %q", tt.body, msg, tt.closest, tt.tried)
		}
		if strings.Count(msg, "(/") != 1 {
			t.Errorf("%s: the reasons of more than one shape: %q", tt.body, msg)
		}
	}
	// A misspelt status is shown in the closest shape's reason too, although
	// that shape's enum (the statuses other than COMPLETED) holds nothing
	// like it.
	body := strings.Replace(waitingSession, `"WAITING"`, `"COMPLETE"`, 1)
	if msg := issueAt(v.ValidateResponse(hppRead(200, body), contract.Default), "schema.oneOf", ""); !strings.Contains(msg, `(/status value "COMPLETE" is not one of`) {
		t.Errorf(`(root) [schema.oneOf] says %q; want its reason to show "COMPLETE"`, msg)
	}
}

// A date-time that breaks its format says what came, as an enum's does,
// when the value is only a timestamp's characters; anything else (a secret
// in the wrong field has letters) is described by its length. The two
// values of one defect read the same without them.
func TestDateTimeMessageShowsTheValue(t *testing.T) {
	v := contracttest.Validator(t)
	for _, tt := range []struct {
		updated, shown string
	}{
		{`"2019-05-13 14:51:46"`, `value "2019-05-13 14:51:46" doesn't match the format "date-time"`},
		{`"2019-13-45T99:00:00Z"`, `value "2019-13-45T99:00:00Z" doesn't match the format "date-time"`},
		{`"13/05/2019"`, `value "13/05/2019" doesn't match the format "date-time"`},
		{`"hS7kq2Lw9xPz"`, `value (12 characters) doesn't match the format "date-time"`},
		{`"yesterday"`, `value (9 characters) doesn't match the format "date-time"`},
	} {
		body := strings.Replace(waitingSession, `"2019-05-13T14:51:46.288Z"`, tt.updated, 1)
		msg := issueAt(v.ValidateResponse(hppRead(200, body), contract.Default), "schema.format", "/updated_at")
		if msg != tt.shown {
			t.Errorf("updated_at %s: /updated_at [schema.format] says %q; want %q", tt.updated, msg, tt.shown)
		}
		if got, want := contract.WithoutActual(msg), `value doesn't match the format "date-time"`; got != want {
			t.Errorf("without its value, %q is %q; want %q", msg, got, want)
		}
	}
}
