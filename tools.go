//go:build tools

// Package tools pins the command-line tools the build runs with `go run`,
// so their versions come from go.mod like every other dependency.
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
	_ "github.com/onsi/ginkgo/v2/ginkgo"
)
