package recording

import (
	"bufio"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kconform/kconform/internal/exchange"
)

// VCR cassettes: Ruby VCR's `http_interactions` and vcrpy's `interactions`.
// The YAML is walked as nodes rather than decoded into typed fields, so that
// a value of the wrong type is reported by its position and never quoted (it
// may be a credential).

func readVCR(name, ext string, br *bufio.Reader, rc io.ReadCloser) (*File, error) {
	defer rc.Close()
	fail := func(where string, err error) (*File, error) {
		return nil, &Error{File: name, Entry: -1, Where: where, Err: err}
	}
	var doc yaml.Node
	if err := yaml.NewDecoder(br).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return fail("", ErrEmpty)
		}
		if ext == ".yml" || ext == ".yaml" {
			return fail("", fmt.Errorf("not YAML: %v", err))
		}
		return fail("", errorf(ErrUnknownFile, "not JSON, YAML or a raw HTTP response (starting with HTTP/)"))
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	// A key named twice in the cassette's own structure (outside the
	// interactions) refuses the file; inside one, that interaction.
	var items []*yaml.Node
	if root.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(root.Content); i += 2 {
			if k := root.Content[i].Value; k == "http_interactions" || k == "interactions" {
				items = append(items, root.Content[i+1])
			}
		}
	}
	if where, key, dup := yamlDuplicateKey(root, "", items); dup {
		return fail("", duplicateKeyError(key, where))
	}
	list := mapValue(root, "http_interactions")
	if list == nil {
		list = mapValue(root, "interactions")
	}
	if list == nil || list.Kind != yaml.SequenceNode {
		return fail("", errorf(ErrUnknownFile, "not a VCR cassette: no http_interactions (Ruby VCR) or interactions (vcrpy) list"))
	}
	recs := make([]Record, len(list.Content))
	for i, n := range list.Content {
		rec, err := vcrRecord(n, i)
		if where, key, dup := yamlDuplicateKey(n, "", nil); dup {
			if where == "" {
				where = "the interaction"
			}
			rec, err = Record{Index: i}, duplicateKeyError(key, where)
		}
		if err != nil {
			rec.Err = &Error{File: name, Entry: i, Err: err}
			rec.Credentials = vcrCredentials(n, 0)
		}
		recs[i] = rec
	}
	return single(name, FormatVCR, recs...), nil
}

func vcrRecord(n *yaml.Node, index int) (Record, error) {
	rec := Record{Index: index, Kind: KindExchange}
	ex := &rec.Exchange
	req := mapValue(n, "request")
	if req == nil {
		return rec, errors.New("request: missing")
	}
	ex.Method = strings.ToUpper(scalar(mapValue(req, "method")))
	ex.URL = scalar(mapValue(req, "uri"))
	if ex.Method == "" || ex.URL == "" {
		return rec, errors.New("request: method and uri are required")
	}
	var err error
	if ex.RequestHeader, err = vcrHeaders(mapValue(req, "headers")); err != nil {
		return rec, fmt.Errorf("request.headers: %w", err)
	}
	if ex.RequestBody, err = vcrBody(mapValue(req, "body")); err != nil {
		return rec, fmt.Errorf("request.body: %w", err)
	}
	resp := mapValue(n, "response")
	if resp == nil {
		return rec, errorf(ErrNoResponse, "the interaction has no response")
	}
	status := mapValue(resp, "status")
	if status != nil && status.Kind == yaml.MappingNode {
		status = mapValue(status, "code")
	}
	code, convErr := strconv.Atoi(scalar(status))
	if convErr != nil || code <= 0 {
		return rec, errorf(ErrNoResponse, "response.status.code: want a positive number")
	}
	ex.Status = code
	if ex.ResponseHeader, err = vcrHeaders(mapValue(resp, "headers")); err != nil {
		return rec, fmt.Errorf("response.headers: %w", err)
	}
	if ex.ResponseBody, err = vcrBody(mapValue(resp, "body")); err != nil {
		return rec, fmt.Errorf("response.body: %w", err)
	}
	return rec, nil
}

// yamlDuplicateKey finds the first mapping key named twice under n (where
// is the path to its mapping, "" for n). yaml.v3 decodes a node tree without
// complaint and mapValue takes the first, Ruby's YAML the last: such a
// cassette is refused rather than read one way. The nodes of skip (the
// interactions, checked one by one) are not looked into, nor aliases
// (checked where they are defined).
func yamlDuplicateKey(n *yaml.Node, where string, skip []*yaml.Node) (string, string, bool) {
	return yamlDupKey(n, where, skip, 0)
}

func yamlDupKey(n *yaml.Node, where string, skip []*yaml.Node, depth int) (string, string, bool) {
	if n == nil || n.Kind == yaml.AliasNode || depth > 64 || slices.Contains(skip, n) {
		return "", "", false
	}
	switch n.Kind {
	case yaml.MappingNode:
		seen := make(map[string]bool, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind == yaml.ScalarNode {
				if seen[k.Value] {
					return where, k.Value, true
				}
				seen[k.Value] = true
			}
			if w, key, dup := yamlDupKey(n.Content[i+1], joinPath(where, k.Value), skip, depth+1); dup {
				return w, key, true
			}
		}
	case yaml.SequenceNode, yaml.DocumentNode:
		for i, c := range n.Content {
			if w, key, dup := yamlDupKey(c, where+"["+strconv.Itoa(i)+"]", skip, depth+1); dup {
				return w, key, true
			}
		}
	}
	return "", "", false
}

func joinPath(where, key string) string {
	if where == "" {
		return key
	}
	return where + "." + key
}

// vcrCredentials are the credentials an interaction that cannot be read
// carries (see Record.Credentials): every value under a key named
// Authorization or Proxy-Authorization, and every URL password.
// Aliases are not followed (an alias bomb would make the walk
// exponential): what they name is walked where it is defined.
func vcrCredentials(n *yaml.Node, depth int) []string {
	if n == nil || n.Kind == yaml.AliasNode || depth > 32 {
		return nil
	}
	var out []string
	switch n.Kind {
	case yaml.ScalarNode:
		if strings.Contains(n.Value, "@") && strings.Contains(n.Value, "://") {
			out = append(out, exchange.Credentials(nil, n.Value)...)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if v := resolve(n.Content[i+1]); v != nil && isCredentialHeader(n.Content[i].Value) {
				if v.Kind == yaml.ScalarNode {
					out = append(out, v.Value)
				}
				for _, e := range v.Content {
					if e = resolve(e); e != nil && e.Kind == yaml.ScalarNode {
						out = append(out, e.Value)
					}
				}
			}
			out = append(out, vcrCredentials(n.Content[i+1], depth+1)...)
		}
	case yaml.SequenceNode:
		for _, e := range n.Content {
			out = append(out, vcrCredentials(e, depth+1)...)
		}
	}
	return out
}

// vcrHeaders reads name: [values] (or name: value).
func vcrHeaders(n *yaml.Node) (http.Header, error) {
	h := http.Header{}
	if n == nil || isNull(n) {
		return h, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, errors.New("want a mapping of names to values")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		name := scalar(n.Content[i])
		val := resolve(n.Content[i+1])
		if val == nil {
			continue
		}
		switch val.Kind {
		case yaml.ScalarNode:
			h.Add(name, val.Value)
		case yaml.SequenceNode:
			for _, v := range val.Content {
				v = resolve(v)
				if v == nil || v.Kind != yaml.ScalarNode {
					return nil, fmt.Errorf("%s: want text values", name)
				}
				h.Add(name, v.Value)
			}
		default:
			return nil, fmt.Errorf("%s: want a value or a list of values", name)
		}
	}
	return h, nil
}

// vcrBody reads {string: ...} or {base64_string: ...} (Ruby VCR), a plain
// string or null (vcrpy requests), or a !!binary scalar.
func vcrBody(n *yaml.Node) ([]byte, error) {
	if n == nil || isNull(n) {
		return nil, nil
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!binary" {
			return decodeBase64(n.Value)
		}
		return []byte(n.Value), nil
	case yaml.MappingNode:
		if s := mapValue(n, "base64_string"); s != nil && !isNull(s) {
			return decodeBase64(scalar(s))
		}
		s := mapValue(n, "string")
		if s == nil || isNull(s) {
			return nil, nil
		}
		if s.Kind != yaml.ScalarNode {
			return nil, errors.New("string: want text")
		}
		if s.Tag == "!!binary" {
			return decodeBase64(s.Value)
		}
		return []byte(s.Value), nil
	}
	return nil, errors.New("want text or a mapping with string or base64_string")
}

func decodeBase64(s string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		return nil, errors.New("not valid base64")
	}
	return b, nil
}

// mapValue returns the value of key in a mapping node, nil when absent.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return resolve(n.Content[i+1])
		}
	}
	return nil
}

// resolve follows an alias (*name) to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 8; i++ {
		n = n.Alias
	}
	return n
}

func scalar(n *yaml.Node) string {
	n = resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode || isNull(n) {
		return ""
	}
	return n.Value
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }
