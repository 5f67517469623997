// Package openapi embeds kconform's hand-written OpenAPI document for the Klarna
// HPP and KP APIs, so every part of kconform (generator, validator, mock, suites)
// reads the same bytes.
package openapi

import _ "embed"

// Spec is kconform.yaml, the contract, as written in this folder.
//
//go:embed kconform.yaml
var Spec []byte
