package audit

import (
	"strconv"

	"github.com/kconform/kconform/internal/amounts"
	"github.com/kconform/kconform/internal/contract"
	"github.com/kconform/kconform/internal/exchange"
)

// amountOperations are the requests Klarna checks the order arithmetic of
// (internal/amounts cites the rules).
var amountOperations = map[string]bool{
	"createCreditSession": true,
	"updateCreditSession": true,
	"createOrder":         true,
}

// amountIssues checks a recorded KP request's amounts. Klarna refuses a
// request that breaks them with 400 BAD_VALUE, so a 4xx answer is what the
// rule asks (a warning, like the contract's request issues on a 4xx); a 2xx
// answer, or a request recorded without its answer, is a violation.
func amountIssues(operation string, ex exchange.Exchange) []contract.Issue {
	if !amountOperations[operation] || len(ex.RequestBody) == 0 {
		return nil
	}
	o, ok := amounts.Parse(ex.RequestBody)
	if !ok {
		return nil // not a JSON object: the contract reports it
	}
	problems := amounts.Check(o)
	if len(problems) == 0 {
		return nil
	}
	sev, answer := contract.Violation, "; Klarna refuses it with 400 BAD_VALUE"
	switch {
	case ex.Status >= 400 && ex.Status < 500:
		sev, answer = contract.Warning, ""
	case ex.Status >= 200 && ex.Status < 300:
		answer += ", the recording shows " + strconv.Itoa(ex.Status)
	}
	out := make([]contract.Issue, len(problems))
	for i, p := range problems {
		out[i] = contract.Issue{Severity: sev, Side: contract.Request, In: contract.InBody,
			Pointer: p.Pointer, Rule: p.Rule, Message: p.Explain() + answer}
	}
	return out
}
