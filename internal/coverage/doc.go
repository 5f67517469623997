// Package coverage says how much of the contract a run exercised: which
// operation × response status pairs and callbacks it saw, which HPP status
// transitions, and which merchant-URL placeholders were substituted, each
// compared with what the OpenAPI document defines. Items a run cannot
// exercise against kconform's built-in mock carry the reason (gaps.go), so a
// reader tells "not tested here, and why" from "not tested, by mistake".
package coverage
