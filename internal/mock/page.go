package mock

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strings"
)

// pageTemplate renders every consumer page: the payment page (the order,
// a choice of how to pay, a confirm button and the other choices), and
// the refusal and result pages (no buttons). Every action is a plain form
// post (the form protocol, docs/consumer.md), so the page works without
// JavaScript; with it, a submitted form shows it is under way and cannot
// be sent twice. Native controls with visible labels keep it usable by
// keyboard and screen reader.
var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#17120f;line-height:1.45}
h1{font-size:1.5rem}h2{font-size:1.1rem;margin-top:1.6rem}
table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:.3rem 0;border-bottom:1px solid #ddd}td.n,th.n{text-align:right}
tfoot td{font-weight:bold;border-bottom:none}
fieldset{border:1px solid #ccc;border-radius:.5rem;margin:1rem 0}legend{font-weight:bold}
label{display:block;padding:.3rem 0}
button{font:inherit;padding:.5rem 1rem;border-radius:.4rem;border:1px solid #888;background:#fff;cursor:pointer}
button.primary{background:#ffb3c7;border-color:#17120f;font-weight:bold;width:100%;padding:.8rem}
button:focus-visible,input:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
ul.choices{list-style:none;padding:0}ul.choices li{margin:.5rem 0}ul.choices small{display:block;color:#555}
.meta{color:#555;font-size:.9rem}
</style></head>
<body><main>
<h1>{{.Title}}</h1>
{{if .Message}}<p id="message" role="status">{{.Message}}</p>{{end}}
{{if .ID}}<p class="meta">Session <code id="session-id">{{.ID}}</code>: <strong id="status">{{.Status}}</strong>{{if .Reference}} · order <span id="reference">{{.Reference}}</span>{{end}}</p>{{end}}
{{if .Lines}}<section aria-labelledby="order-h"><h2 id="order-h">Your order</h2>
<table><thead><tr><th scope="col">Item</th><th scope="col" class="n">Qty</th><th scope="col" class="n">Total</th></tr></thead>
<tbody>{{range .Lines}}<tr><td>{{.Name}}</td><td class="n">{{.Quantity}}</td><td class="n">{{.Total}}</td></tr>{{end}}</tbody>
{{if .Amount}}<tfoot><tr><td colspan="2">To pay</td><td class="n" id="amount">{{.Amount}}</td></tr></tfoot>{{end}}</table></section>
{{else if .Amount}}<p>Amount: <span id="amount">{{.Amount}}</span></p>{{end}}
{{if .Buttons}}{{$id := .ID}}
<form method="post" action="/pay/{{$id}}/pay">
<fieldset><legend>How do you want to pay?</legend>
<label><input type="radio" name="option" value="pay_now" checked> Pay now</label>
<label><input type="radio" name="option" value="pay_later"> Pay in 30 days</label>
</fieldset>
<button type="submit" class="primary" name="action" value="pay">Confirm and pay{{if .Amount}} {{.Amount}}{{end}}</button>
</form>
<section aria-labelledby="other-h"><h2 id="other-h">Other choices</h2>
<ul class="choices">{{range .Others}}
<li><form method="post" action="/pay/{{$id}}/{{.Action}}"><button type="submit" name="action" value="{{.Action}}" aria-describedby="help-{{.Action}}">{{.Label}}</button><small id="help-{{.Action}}">{{.Help}}</small></form></li>{{end}}
</ul></section>
<script>
// Progressive enhancement only: every form works without this.
document.querySelectorAll("form").forEach(function (f) {
  f.addEventListener("submit", function () {
    document.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    var s = document.getElementById("status"); if (s) { s.textContent = "processing…"; }
  });
});
</script>
{{end}}
</main></body>
</html>
`))

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
		Buttons bool
		Others  any
	}{pageState: p, Buttons: buttons, Others: otherChoices}
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
