# kconform's build. `make help` lists the targets; `make test` is the one command
# CI runs (.ci/run) and it sets up everything it needs on a fresh machine.

# bash with -e/-o pipefail, so a failure inside a piped or multi-command recipe
# line fails the target instead of being hidden by the last command's status.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
# The targets run one after another on purpose: check-generated rewrites
# generated/ while lint and test read it, so `make -j` must not overlap them.
.NOTPARALLEL:
MAKEFLAGS += --no-builtin-rules --no-print-directory

GO ?= go
NPM ?= npm

SPEC := openapi/kconform.yaml
LINT_DIR := openapi/lint
SPECTRAL := $(LINT_DIR)/node_modules/.bin/spectral
RULESET := $(LINT_DIR)/.spectral.yaml
# Written after a successful `npm ci`. It lives inside node_modules/, so it goes
# away with it (npm ci empties node_modules/ first) and is ignored by git.
LINT_STAMP := $(LINT_DIR)/node_modules/.kconform-installed

# Stoplight Prism, the third-party mock internal/prism's test runs the suites
# against. Installed the same way as Spectral, into its own node_modules/.
PRISM_DIR := internal/prism
PRISM_STAMP := $(PRISM_DIR)/node_modules/.kconform-installed

# The rules the ruleset adds or raises to error. `lint-openapi` requires each of
# them to fire on testdata/violations.yaml: a rule whose JSONPath matches nothing
# would otherwise pass every document without a word.
LINT_SELFTEST_RULES := operation-operationId operation-tags operation-tag-defined \
	kconform-callback-operationId kconform-operation-declares-401 \
	kconform-operation-declares-429 kconform-error-body-is-ErrorV2 \
	kconform-terminal-in-enum kconform-empty-body-allowed-on-responses \
	kconform-note-is-text

# Go files to format-check: tracked ones plus new ones not yet added, but never
# ignored ones (node_modules/ and build output), and only those that exist now.
GO_FILES = $(wildcard $(shell git ls-files --cached --others --exclude-standard -- '*.go'))

# bench: BENCH selects benchmarks (go test -bench), COUNT repeats them (use 10
# and benchstat to compare two runs).
BENCH ?= .
COUNT ?= 1

# actionlint checks .github/workflows/. Pinned by the @version below and run with
# `go run pkg@version`, which builds it from the Go module proxy outside this
# module: adding it to go.mod (tools.go) would pull its dependencies into ours.
ACTIONLINT := github.com/rhysd/actionlint/cmd/actionlint@v1.7.12

# playground: Klarna's playground unless KCONFORM_TARGET says otherwise.
PLAYGROUND_URL := https://api.playground.klarna.com

.PHONY: help run playground report-prism generate check-generated lint lint-openapi lint-workflows \
	fmt-check vet doc-check tools build test bench soak tidy-check fuzz-short chromium

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

run: ## Run the conformance suites against the built-in mock (go run ./cmd/kconform run)
	$(GO) run ./cmd/kconform run

# What .github/workflows/playground.yml runs, from here. The credentials come only
# from the environment (a flag would show in the process list) and are never
# printed; only whether they are set is checked.
playground: ## Run the suites against Klarna's playground (needs KCONFORM_USERNAME/KCONFORM_PASSWORD)
	@missing=""; \
	[ -n "$${KCONFORM_USERNAME:-}" ] || missing="$$missing KCONFORM_USERNAME"; \
	[ -n "$${KCONFORM_PASSWORD:-}" ] || missing="$$missing KCONFORM_PASSWORD"; \
	if [ -n "$$missing" ]; then \
		echo "playground: set$$missing to the playground API credentials (from Klarna's merchant portal) in the environment." >&2; exit 1; \
	fi
	@mkdir -p out
	$(GO) run ./cmd/kconform run --target $${KCONFORM_TARGET:-$(PLAYGROUND_URL)} --junit-report out/junit.xml --json-report out/ginkgo.json \
		--report out/conformance.md --report-json out/conformance.json --label-filter '!distribution'

# The Prism report: the Prism test, run with -update-readme, writes the
# conformance report of its run into docs/prism-report.md and its findings
# between docs/prism.md's markers (Prism on
# 127.0.0.1:4010, so the report's URLs stay put). Without the flag, `make
# test` checks that every verdict there is still the one Prism gets.
report-prism: tools-prism ## Rewrite docs/prism-report.md (Stoplight Prism's conformance report) and its findings (docs/prism.md)
	$(GO) test ./internal/prism -run TestSuitesAgainstPrism -count=1 -args -update-readme

generate: ## Regenerate generated/ from openapi/ (go generate ./openapi)
	$(GO) generate ./openapi

# Fails when generated/ differs from git's index: changed tracked files or new
# untracked ones. Checked before regenerating too, so a hand edit in generated/
# is reported (and kept) rather than silently overwritten by `generate`.
define generated_clean
if ! git diff --quiet -- generated/ || [ -n "$$(git ls-files --others --exclude-standard -- generated/)" ]; then \
	echo "check-generated: $(1)" >&2; \
	echo "generated/ is written only by 'make generate' from openapi/: run it and commit generated/ with openapi/." >&2; \
	git status --short -- generated/ >&2; git --no-pager diff --stat -- generated/ >&2; exit 1; \
fi
endef
drift_before := generated/ has uncommitted changes (a hand edit?) before regenerating; left as they are.
drift_after := regenerating from openapi/ changed generated/: the committed code is stale or was edited by hand.

check-generated: ## Regenerate and fail if generated/ drifts from what is committed
	@$(call generated_clean,$(drift_before))
	$(GO) generate ./openapi
	@$(call generated_clean,$(drift_after))
	@echo "check-generated: generated/ matches openapi/."

lint: lint-openapi lint-workflows fmt-check vet doc-check ## Lint the OpenAPI document (Spectral), workflows (actionlint), gofmt -l, go vet, package docs

lint-openapi: tools ## Lint openapi/kconform.yaml with Spectral and self-test the ruleset
	$(SPECTRAL) lint --fail-severity error --ruleset $(RULESET) $(SPEC)
	@out="$$($(SPECTRAL) lint --ruleset $(RULESET) --format text $(LINT_DIR)/testdata/violations.yaml || true)"; \
	for rule in $(LINT_SELFTEST_RULES); do \
		grep -q " error $$rule " <<<"$$out" || { echo "lint-openapi: rule $$rule did not fire on $(LINT_DIR)/testdata/violations.yaml" >&2; exit 1; }; \
	done; \
	echo "lint-openapi: each project rule fires on $(LINT_DIR)/testdata/violations.yaml."

# A workflow only runs on GitHub, on schedule; a mistake in it (bad expression,
# unknown input, shell error) would otherwise surface days later as a failed or
# silently skipped run. actionlint also runs shellcheck on run: blocks when
# shellcheck is on PATH.
lint-workflows: ## Lint .github/workflows/ with actionlint (pinned, via go run)
	$(GO) run $(ACTIONLINT)

fmt-check: ## Fail if gofmt would change a Go file
	@files="$$(gofmt -l $(GO_FILES) </dev/null)"; \
	if [ -n "$$files" ]; then echo "fmt-check: gofmt would change these files (run gofmt -w):" >&2; echo "$$files" >&2; exit 1; fi

vet: ## go vet ./...
	$(GO) vet ./...

# Every package says its one job in a doc comment ("Package name ..." or, for
# a command, "Command name ..."), so `go doc` and a newcomer's first look at a
# directory tell what it is for.
doc-check: ## Fail if a package has no doc comment saying what it is for
	@bad="$$($(GO) list -f '{{.ImportPath}}	{{.Name}}	{{.Doc}}' ./... | awk -F'\t' '\
		$$2 == "main" { if (index($$3, "Command ") != 1) print $$1; next } \
		index($$3, "Package " $$2 " ") != 1 { print $$1 }')"; \
	if [ -n "$$bad" ]; then echo "doc-check: these packages have no doc comment saying their job (\"Package name ...\", or \"Command name ...\" for main):" >&2; echo "$$bad" >&2; exit 1; fi
	@echo "doc-check: every package has a doc comment."

tools: $(LINT_STAMP) tools-prism ## Install the pinned OpenAPI linter and Prism (npm ci; see tools-prism)

tools-prism: $(PRISM_STAMP) ## Install the pinned Prism mock into internal/prism/node_modules (npm ci)

# npm ci installs exactly package-lock.json. It reruns only when the lock or the
# manifest is newer than the last install, so `make tools` is a no-op after that.
# --ignore-scripts: Spectral needs no install script, and one dependency's
# postinstall only reports usage over the network.
$(LINT_STAMP): $(LINT_DIR)/package.json $(LINT_DIR)/package-lock.json
	@command -v $(NPM) >/dev/null || { echo "tools: npm (Node >= 20.17) is needed to install Spectral" >&2; exit 1; }
	cd $(LINT_DIR) && $(NPM) ci --ignore-scripts --no-audit --no-fund --prefer-offline
	@touch $@

# As for Spectral: reruns only when the lock or the manifest changed.
# --ignore-scripts: Prism needs no install script; a dependency's postinstall
# (@scarf/scarf) only reports usage over the network.
$(PRISM_STAMP): $(PRISM_DIR)/package.json $(PRISM_DIR)/package-lock.json
	@command -v $(NPM) >/dev/null || { echo "tools-prism: npm (Node >= 20.17) is needed to install Prism" >&2; exit 1; }
	cd $(PRISM_DIR) && $(NPM) ci --ignore-scripts --no-audit --no-fund --prefer-offline
	@touch $@

build: ## Build bin/kconform
	$(GO) build -o bin/kconform ./cmd/kconform

chromium: ## Install Debian's chromium for --consumer browser when it is missing (as root or in CI; kconform never downloads a browser)
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] || [ -n "$$CI" ]; then \
		echo "apt-get install -y chromium"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "chromium: missing; install Debian's package (sudo apt-get install chromium): the --consumer browser tests skip without it"; \
	fi

# fuzz-short runs before go test, so that go test's summary closes the output
# (CI reads a run's closing lines).
test: tools chromium check-generated lint fuzz-short ## Everything CI checks: set-up (incl. chromium), check-generated, lint, fuzz-short, go test -race
	$(GO) test -count=1 -race ./...

# Every reader of untrusted input has a fuzz target: the recording readers,
# the body decoder and the contract validator, the mock's request handling.
# fuzz-short gives each FUZZTIME (go test runs one fuzz target at a time);
# `make fuzz-short FUZZTIME=5m` explores further. What a run finds is
# written to the package's testdata/fuzz/ and then replayed by go test.
FUZZTIME ?= 2s
FUZZ_TARGETS := \
	./internal/recording:FuzzHAR ./internal/recording:FuzzVCR ./internal/recording:FuzzHTTPResponse \
	./internal/recording:FuzzExchanges ./internal/recording:FuzzFixture ./internal/recording:FuzzSplitter \
	./internal/har:FuzzUnquote ./internal/contract:FuzzDecodeBody ./internal/contract:FuzzValidate \
	./internal/mock:FuzzMockRequest ./internal/mock:FuzzKPCreate

fuzz-short: ## Run each fuzz target for FUZZTIME (default 2s): no panic, no hang
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; dir=$$pkg/testdata/fuzz/$$name; \
		echo "fuzz $$pkg $$name ($(FUZZTIME))"; \
		before=$$({ ls "$$dir" 2>/dev/null || true; } | wc -l); \
		out="$$($(GO) test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZTIME) -fuzzminimizetime=2s $$pkg 2>&1)" && continue; \
		after=$$({ ls "$$dir" 2>/dev/null || true; } | wc -l); \
		if [ "$$after" = "$$before" ] && printf '%s\n' "$$out" | grep -qx '[[:space:]]*context deadline exceeded'; then \
			echo "fuzz-short: $$name: fuzzed its $(FUZZTIME) and wrote no failing input; Go's coordinator then raced its own -fuzztime deadline (go.dev/issue/75804, fixed in Go 1.27), which is not a finding"; \
			continue; \
		fi; \
		echo "$$out" >&2; echo "fuzz-short: $$name failed; a failing input is in $$dir/" >&2; exit 1; \
	done

# soak: how many full runs in a row, and extra `kconform run` flags (a --target, say).
# In parallel mode by default: the built-in mock's default is one process, and the
# soak is what shows the parallel runs are not flaky (callbacks included).
SOAK ?= 20
SOAK_ARGS ?= --procs 4

soak: ## Run the full suite SOAK times in a row (default 20, built-in mock; SOAK_ARGS adds flags); stop at the first failure
	$(GO) build -o bin/kconform ./cmd/kconform
	@start=$$(date +%s.%N); \
	for i in $$(seq 1 $(SOAK)); do \
		if ! out=$$(./bin/kconform run --no-color $(SOAK_ARGS) 2>&1); then \
			printf '%s\n' "$$out" | tail -60; echo "soak: run $$i of $(SOAK) FAILED"; exit 1; \
		fi; \
		echo "soak: run $$i of $(SOAK): $$(printf '%s\n' "$$out" | grep '^kconform: ' | tail -1)"; \
	done; \
	echo "soak: $(SOAK) runs passed in $$(echo "$$(date +%s.%N) - $$start" | bc) s"

bench: ## Run the benchmarks (BENCH=regexp COUNT=n)
	$(GO) test -run='^$$' -bench='$(BENCH)' -benchmem -count=$(COUNT) ./...

tidy-check: ## Fail if go.mod/go.sum are not tidy (go mod tidy -diff)
	$(GO) mod tidy -diff
