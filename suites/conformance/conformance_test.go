package conformance

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestEverySpecHasATimeoutAndItsRule reads this package's source, as the
// Kubernetes conformance walker does: every It and Entry carries a spec
// timeout (so a hanging target fails the spec, not the run) and sits under
// a comment naming its Rule and Source (directly, or above its table).
func TestEverySpecHasATimeoutAndItsRule(t *testing.T) {
	fset, files := specSources(t)
	specs := 0
	for _, f := range files {
		// A Rule/Source comment covers the statement or call that starts on
		// the next line: one It, one Entry, a whole DescribeTable, or an
		// append of generated entries.
		commentEnds := map[int]bool{}
		for _, cg := range f.Comments {
			text := cg.Text()
			if strings.Contains(text, "Rule:") && strings.Contains(text, "Source:") {
				commentEnds[fset.Position(cg.End()).Line] = true
			}
		}
		type span struct{ from, to int }
		var covered []span
		ast.Inspect(f, func(n ast.Node) bool {
			switch n.(type) {
			case ast.Stmt, *ast.CallExpr:
				from := fset.Position(n.Pos()).Line
				if commentEnds[from-1] {
					covered = append(covered, span{from, fset.Position(n.End()).Line})
				}
			}
			return true
		})
		isCovered := func(line int) bool {
			for _, c := range covered {
				if line >= c.from && line <= c.to {
					return true
				}
			}
			return false
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn, ok := call.Fun.(*ast.Ident)
			if !ok || (fn.Name != "It" && fn.Name != "Entry") {
				return true
			}
			specs++
			pos := fset.Position(call.Pos())
			if !hasTimeout(call) {
				t.Errorf("%s: %s without fw.Timeout or fw.CallbackTimeout", pos, fn.Name)
			}
			if !isCovered(pos.Line) {
				t.Errorf("%s: %s without a Rule/Source comment above it or its table", pos, fn.Name)
			}
			return true
		})
	}
	if specs < 50 {
		t.Errorf("found only %d specs: is the walker still looking at the right calls?", specs)
	}
}

func hasTimeout(call *ast.CallExpr) bool {
	for _, a := range call.Args {
		if sel, ok := a.(*ast.SelectorExpr); ok {
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == "fw" && (sel.Sel.Name == "Timeout" || sel.Sel.Name == "CallbackTimeout") {
				return true
			}
		}
	}
	return false
}

// TestTopLevelContainersAreGroups: a top-level container declared with
// ginkgo's Describe instead of fw.Group would be dropped when
// framework.Run builds the tree afresh, and its specs would silently not
// run; this refuses it.
func TestTopLevelContainersAreGroups(t *testing.T) {
	fset, files := specSources(t)
	groups := 0
	for _, f := range files {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				for _, v := range spec.(*ast.ValueSpec).Values {
					call, ok := v.(*ast.CallExpr)
					if !ok {
						continue
					}
					if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Group" {
						groups++
						continue
					}
					t.Errorf("%s: a package-level call that is not fw.Group: declare top-level containers with fw.Group", fset.Position(call.Pos()))
				}
			}
		}
	}
	if groups == 0 {
		t.Error("no fw.Group found: the walker read nothing")
	}
}

// specSources parses this package's source files (not its tests), with
// their comments.
func specSources(t *testing.T) (*token.FileSet, []*ast.File) {
	t.Helper()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments) // nil: it reads the file
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return fset, files
}
