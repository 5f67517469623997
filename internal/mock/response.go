package mock

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"strings"

	"github.com/kconform/kconform/generated/api"
)

const correlationHeader = "Klarna-Correlation-Id"

// jsonSuccessType is the content type of a real success response (REC);
// the generated handlers write plain application/json.
const jsonSuccessType = "application/json;charset=utf-8"

// apiWriter is the one wrapper every API response passes through. It gives
// 2xx JSON the real API's content type and, only while their faults are
// on, swaps the correlation header or reshapes error bodies.
type apiWriter struct {
	http.ResponseWriter
	faults faultSet
	status int
	held   *bytes.Buffer // an error body held back to be reshaped
}

func (w *apiWriter) WriteHeader(code int) {
	if w.status != 0 {
		return
	}
	w.status = code
	h := w.Header()
	if code >= 200 && code < 300 && h.Get("Content-Type") == "application/json" {
		h.Set("Content-Type", jsonSuccessType)
	}
	if code >= 400 {
		if w.faults.has(FaultCorrelationIDMismatch) {
			h.Set(correlationHeader, newUUID())
		}
		if w.faults.has(FaultErrorBodyWrongShape) && isJSONType(h.Get("Content-Type")) {
			w.held = new(bytes.Buffer)
			return
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *apiWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if w.held != nil {
		return w.held.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

func (w *apiWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// finish sends a held error body as {"error": "..."} (error-body-wrong-shape).
func (w *apiWriter) finish() {
	if w.held == nil {
		return
	}
	var e api.ErrorV2
	_ = json.Unmarshal(w.held.Bytes(), &e)
	msg := strings.Join(e.ErrorMessages, "; ")
	if msg == "" {
		msg = e.ErrorCode
	}
	body, _ := json.Marshal(map[string]string{"error": msg})
	w.Header().Del("Content-Length")
	w.ResponseWriter.WriteHeader(w.status)
	_, _ = w.ResponseWriter.Write(body)
}

func isJSONType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// writeJSON is for the responses written outside the strict handlers
// (middleware errors, control plane, fault variants).
func writeJSON(w http.ResponseWriter, status int, v any) error {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// writeAPIError answers with e as ErrorV2 and the request's correlation id.
func writeAPIError(w http.ResponseWriter, r *http.Request, e *apiError) {
	body, cid := errorBody(r.Context(), e)
	w.Header().Set(correlationHeader, cid)
	_ = writeJSON(w, e.status, body)
}

// createdWithStatus200 is an HPP create answered 200 (hpp-create-wrong-status).
type createdWithStatus200 api.SessionCreationResponseV1

func (r createdWithStatus200) VisitCreateHppSessionResponse(w http.ResponseWriter) error {
	return writeJSON(w, http.StatusOK, api.SessionCreationResponseV1(r))
}

// readWithoutExpiry is an HPP read without expires_at (hpp-read-missing-field).
// The generated type cannot omit a required field, so the field is removed
// from its encoding.
type readWithoutExpiry api.SessionResponseV1

func (r readWithoutExpiry) VisitGetSessionByIdResponse(w http.ResponseWriter) error {
	raw, err := json.Marshal(api.SessionResponseV1(r))
	if err != nil {
		return err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return err
	}
	delete(fields, "expires_at")
	return writeJSON(w, http.StatusOK, fields)
}
