package mock

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strings"
)

// pageTemplate renders every consumer page: the payment page with its five
// buttons, and the refusal and result pages (no buttons).
var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body>
<h1>{{.Title}}</h1>
{{if .Message}}<p id="message">{{.Message}}</p>{{end}}
{{if .ID}}<p>Session <code id="session-id">{{.ID}}</code>: <strong id="status">{{.Status}}</strong></p>{{end}}
{{if .Amount}}<p>Amount: <span id="amount">{{.Amount}}</span></p>{{end}}
{{if .Buttons}}{{$id := .ID}}{{range .Buttons}}
<form method="post" action="/pay/{{$id}}/{{.}}"><button type="submit" name="action" value="{{.}}">{{.}}</button></form>{{end}}
{{end}}
</body>
</html>
`))

var pageButtons = []string{"pay", "decline", "back", "cancel", "error", "manual-id-check"}

// consumerHandler serves /pay/...: the page, its actions and the result page.
func (s *Server) consumerHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /pay/{id}", func(w http.ResponseWriter, r *http.Request) {
		p := s.openPage(r.PathValue("id"), r.Method != http.MethodHead)
		writePage(w, p, p.HTTPCode == http.StatusOK)
	})
	mux.HandleFunc("GET /pay/{id}/qr", s.serveQR)
	mux.HandleFunc("GET /pay/{id}/distribution", s.serveDistribution)
	mux.HandleFunc("GET /pay/{id}/result", func(w http.ResponseWriter, r *http.Request) {
		writePage(w, s.resultPage(r.PathValue("id")), false)
	})
	mux.HandleFunc("POST /pay/{id}/{action}", func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		location, refused := s.act(id, r.PathValue("action"))
		if refused != nil {
			writePage(w, *refused, false)
			return
		}
		if location == "" {
			location = infoFrom(r.Context()).baseURL + "/pay/" + id + "/result"
		}
		// Set directly: http.Redirect would clean the merchant's URL, and it
		// must go out byte for byte.
		w.Header().Set("Location", location)
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusSeeOther)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writePage(w, pageState{HTTPCode: http.StatusNotFound, Title: "Page not found", Message: "No such page."}, false)
	})
	return mux
}

func writePage(w http.ResponseWriter, p pageState, buttons bool) {
	data := struct {
		pageState
		Buttons []string
	}{pageState: p}
	if buttons {
		data.Buttons = pageButtons
	}
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, data); err != nil {
		http.Error(w, "page error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.HTTPCode)
	_, _ = buf.WriteTo(w)
}

// formatAmount shows minor units as Klarna's page would: 25000 SEK → 250.00 SEK.
func formatAmount(minor int64, currency string) string {
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	return fmt.Sprintf("%s%d.%02d %s", sign, minor/100, minor%100, strings.ToUpper(currency))
}
