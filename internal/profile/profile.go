// Package profile reads target profiles: YAML files that tell kconform how
// to perform the consumer's actions and move the clock on a target that is
// not kconform's mock, through HTTP calls to the target's own test hooks
// or through browser steps on its hosted page. docs/profiles.md is the
// format's documentation; Load checks a file against it and names the
// file and field of every problem.
package profile

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"os"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Version is the profile format this package reads.
const Version = 1

// Actions the suites ask of a consumer (suites/framework/consumer.go).
var Actions = []string{"pay", "decline", "back", "cancel", "error", "manual-id-check"}

// Variables a template may use, by where it is used.
var (
	// ConsumerVars are known in consumer calls and steps.
	ConsumerVars = []string{"base_url", "hpp_base_url", "redirect_url", "session_id", "kp_session_id", "action"}
	// ClockVars are known in clock calls; by and seconds only in advance.
	ClockVars   = []string{"base_url", "hpp_base_url"}
	AdvanceVars = []string{"base_url", "hpp_base_url", "by", "seconds"}
)

// Profile is one target profile.
type Profile struct {
	// Path is the file it was read from, for messages.
	Path string `yaml:"-"`

	Version     int       `yaml:"version"`
	Name        string    `yaml:"name"`
	Description string    `yaml:"description"`
	Consumer    *Consumer `yaml:"consumer"`
	Clock       *Clock    `yaml:"clock"`
}

// Consumer says how to act on the hosted page: by HTTP calls, by browser
// steps, or both (the driver picks its own).
type Consumer struct {
	HTTP    *HTTPConsumer    `yaml:"http"`
	Browser *BrowserConsumer `yaml:"browser"`
}

// HTTPConsumer performs each consumer action with one HTTP call.
type HTTPConsumer struct {
	// Open opens the page; nil means GET ${redirect_url}.
	Open    *Call           `yaml:"open"`
	Actions map[string]Call `yaml:"actions"`
}

// BrowserConsumer performs each consumer action with browser steps, after
// opening ${redirect_url}.
type BrowserConsumer struct {
	Open    []Step            `yaml:"open"`
	Actions map[string][]Step `yaml:"actions"`
}

// Step is one browser step; exactly one of its fields is set.
type Step struct {
	Open    string `yaml:"open,omitempty"`     // URL template
	Click   string `yaml:"click,omitempty"`    // CSS selector
	Fill    *Fill  `yaml:"fill,omitempty"`     // a field and its value
	WaitFor string `yaml:"wait_for,omitempty"` // CSS selector that must become visible
}

// Fill types value into the field selector.
type Fill struct {
	Selector string `yaml:"selector"`
	Value    string `yaml:"value"`
}

// Clock says how to read and move the target's clock.
type Clock struct {
	Now     *Call `yaml:"now"`
	Advance *Call `yaml:"advance"`
}

// Call is one HTTP call to a test hook.
type Call struct {
	Method  string            `yaml:"method"`
	URL     string            `yaml:"url"`
	Body    string            `yaml:"body"`
	Headers map[string]string `yaml:"headers"`
	// Credentials sends the run's HTTP Basic credentials.
	Credentials bool `yaml:"credentials"`
	// Landing (consumer actions) is where the consumer's browser goes next:
	// "location" (default: the Location header of a 3xx answer) or a JSON
	// pointer to a string in a JSON answer.
	Landing string `yaml:"landing"`
	// Now (clock calls) is the JSON pointer to the RFC 3339 time in the
	// answer.
	Now string `yaml:"now"`
}

// Load reads and checks the profile at path.
func Load(path string) (*Profile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", path, err)
	}
	return Parse(path, b)
}

// Parse reads and checks a profile; path names it in messages.
func Parse(path string, b []byte) (*Profile, error) {
	var p Profile
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("profile %s: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	p.Path = path
	if errs := p.check(); len(errs) > 0 {
		return nil, fmt.Errorf("profile %s:\n%w", path, errors.Join(errs...))
	}
	return &p, nil
}

// check returns one error per problem, each naming its field.
func (p *Profile) check() []error {
	var errs []error
	add := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("  %s: %s", field, fmt.Sprintf(format, args...)))
	}
	if p.Version != Version {
		add("version", "must be %d, got %d", Version, p.Version)
	}
	if strings.TrimSpace(p.Name) == "" {
		add("name", "is required")
	}
	if p.Consumer == nil && p.Clock == nil {
		add("consumer, clock", "a profile needs at least one of them")
	}
	if c := p.Consumer; c != nil {
		if c.HTTP == nil && c.Browser == nil {
			add("consumer", "needs http or browser")
		}
		if h := c.HTTP; h != nil {
			if h.Open != nil {
				h.Open.check(add, "consumer.http.open", ConsumerVars, false)
			}
			checkActionNames(add, "consumer.http.actions", slices.Sorted(maps.Keys(h.Actions)))
			for _, name := range slices.Sorted(maps.Keys(h.Actions)) {
				call := h.Actions[name]
				call.check(add, "consumer.http.actions."+name, ConsumerVars, true)
				h.Actions[name] = call // with its defaults
			}
		}
		if br := c.Browser; br != nil {
			checkSteps(add, "consumer.browser.open", br.Open)
			checkActionNames(add, "consumer.browser.actions", slices.Sorted(maps.Keys(br.Actions)))
			for _, name := range slices.Sorted(maps.Keys(br.Actions)) {
				field := "consumer.browser.actions." + name
				if len(br.Actions[name]) == 0 {
					add(field, "has no steps")
				}
				checkSteps(add, field, br.Actions[name])
			}
		}
	}
	if c := p.Clock; c != nil {
		if c.Now == nil || c.Advance == nil {
			add("clock", "needs both now and advance")
		}
		if c.Now != nil {
			c.Now.check(add, "clock.now", ClockVars, false)
			if c.Now.Now == "" {
				add("clock.now.now", "is required: the JSON pointer to the time in the answer")
			}
		}
		if c.Advance != nil {
			c.Advance.check(add, "clock.advance", AdvanceVars, false)
		}
	}
	return errs
}

func (c *Call) check(add func(field, format string, args ...any), field string, vars []string, action bool) {
	if c.Method == "" {
		c.Method = http.MethodGet
	}
	c.Method = strings.ToUpper(c.Method)
	switch c.Method {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodHead:
	default:
		add(field+".method", "%q is not an HTTP method kconform sends", c.Method)
	}
	if c.URL == "" {
		add(field+".url", "is required")
	}
	checkTemplate(add, field+".url", c.URL, vars)
	checkTemplate(add, field+".body", c.Body, vars)
	for _, k := range slices.Sorted(maps.Keys(c.Headers)) {
		checkTemplate(add, field+".headers."+k, c.Headers[k], vars)
	}
	if action {
		if c.Landing == "" {
			c.Landing = "location"
		}
		if c.Landing != "location" && !strings.HasPrefix(c.Landing, "/") {
			add(field+".landing", "must be \"location\" or a JSON pointer (starting with /), got %q", c.Landing)
		}
	} else if c.Landing != "" {
		add(field+".landing", "only consumer actions have a landing")
	}
	if c.Now != "" && !strings.HasPrefix(c.Now, "/") {
		add(field+".now", "must be a JSON pointer (starting with /), got %q", c.Now)
	}
}

// checkActionNames wants pay among names and nothing the suites do not ask.
func checkActionNames(add func(field, format string, args ...any), field string, names []string) {
	if !slices.Contains(names, "pay") {
		add(field, "needs at least pay")
	}
	for _, name := range names {
		if !slices.Contains(Actions, name) {
			add(field+"."+name, "unknown action; known: %s", strings.Join(Actions, ", "))
		}
	}
}

func checkSteps(add func(field, format string, args ...any), field string, steps []Step) {
	for i, s := range steps {
		f := fmt.Sprintf("%s[%d]", field, i)
		n := 0
		if s.Open != "" {
			n++
			checkTemplate(add, f+".open", s.Open, ConsumerVars)
		}
		if s.Click != "" {
			n++
		}
		if s.Fill != nil {
			n++
			if s.Fill.Selector == "" {
				add(f+".fill.selector", "is required")
			}
			checkTemplate(add, f+".fill.value", s.Fill.Value, ConsumerVars)
		}
		if s.WaitFor != "" {
			n++
		}
		if n != 1 {
			add(f, "a step is exactly one of open, click, fill, wait_for (it has %d)", n)
		}
	}
}

// checkTemplate names every ${variable} of s not in vars.
func checkTemplate(add func(field, format string, args ...any), field, s string, vars []string) {
	for _, name := range Variables(s) {
		if !slices.Contains(vars, name) {
			add(field, "unknown variable ${%s}; known here: %s", name, strings.Join(vars, ", "))
		}
	}
}

// Variables lists the ${name} references of a template, in order ($$ is
// a literal $, not a reference).
func Variables(s string) []string {
	var out []string
	os.Expand(s, func(name string) string {
		if name != "$" {
			out = append(out, name)
		}
		return ""
	})
	return out
}

// Expand fills the ${name} references of s from vars and turns $$ into $
// (a name not in vars becomes "": Load refused templates that use one).
func Expand(s string, vars map[string]string) string {
	return os.Expand(s, func(name string) string {
		if name == "$" {
			return "$"
		}
		return vars[name]
	})
}
