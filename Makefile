# iam2rego — the two commands a new user needs are `make demo` and `make test`.
GO      ?= go
FUZZTIME ?= 60s
SEED    ?= $(shell date +%s)

.PHONY: all build demo test check gotest cases fuzz conformance golden clean oracle oracle-install rego-coverage

all: build

build:
	$(GO) build -o bin/iam2rego .

## demo: build the GenAI example account (testdata/example) into a bundle and answer
## requests from it with explanations; then decide the GenAI policy cases of testdata/demo.
demo: build
	./bin/iam2rego build --account-details testdata/example/account-details.json \
		--org testdata/example/organization.json \
		--resource-policies testdata/example/resource-policies.json -o bin/example.tar.gz
	./bin/iam2rego inspect bin/example.tar.gz
	./bin/iam2rego eval --bundle bin/example.tar.gz --requests testdata/example/requests.jsonl --format pretty
	./bin/iam2rego eval --format pretty --explain --cases testdata/demo/genai.jsonl

## test: every test: formatting, vet, Go tests under -race, the decision corpus, the
## independent check against the oracle, and the Rego coverage of rego/lib by the corpus.
test: check gotest cases plans lintcorpus oracle rego-coverage

check:
	@out=$$(gofmt -l $$(find . -name '*.go' -not -path './.git/*')); \
	 if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

# The oracle check and the coverage run are skipped here: `make oracle` and `make rego-coverage`
# run them once, without the race detector (they start no goroutines of their own, and -race
# makes their 3,500 decisions 5-10x slower).
INDEPENDENT = ^TestOracle(Corpus|Random)$$|^TestRegoCoverage$$|^TestPlansOn|^TestLintCorpus
gotest:
	$(GO) test -race -count=1 -timeout 25m -skip '$(INDEPENDENT)' ./...

## plans: the decision plans held to the general path, without the race detector (their ~8,000
## decisions take minutes under -race): every request of the mixes of the example, the corpus's
## real export and a generated 100-principal account in several caller forms, and 1,500 random
## requests per bundle, must get the general path's answer, explanation included.
.PHONY: plans
plans:
	$(GO) test -count=1 -run '^TestPlansOn' ./benchmarks

## lintcorpus: lint held to the corpus, without the race detector (their tens of thousands of
## decisions take minutes under -race): every escalation lint finds over the real export, and
## over a generated organization with SCPs, RCPs and resource policies, agrees with who-can, and the per-action rules stay within their bounds over the 1,594 AWS managed
## policies.
.PHONY: lintcorpus
lintcorpus:
	$(GO) test -count=1 -run '^TestLintCorpus' ./analysis/lint

## cases: the edge-case corpus (IAM-SEMANTICS.md §10 and more) through `iam2rego test`,
## with OPA's rule index on and off.
cases: build
	./bin/iam2rego test testdata/cases/*.jsonl testdata/demo/*.jsonl
	./bin/iam2rego test --no-rule-indexing testdata/cases/*.jsonl testdata/demo/*.jsonl

## golden: rewrite the golden Rego files after a deliberate change.
golden:
	$(GO) test ./translator -run TestGolden -update

## fuzz: every fuzz target, one after another, each for $(FUZZTIME) (default 60s):
## the JSON decoder and schemas, the account-export and organization readers, the
## translator, Decide on random requests, and the CloudTrail reader and mapping. A crasher stops the run; go test writes it
## to the package's testdata/fuzz/<Target>/, where plain `go test` (make test) replays
## it. FUZZMINTIME bounds the minimisation of each new input (large seeds such as the
## corpus export would otherwise stall a short run). `make fuzz-decide` and so on run one.
FUZZMINTIME ?= 5s
FUZZ_TARGETS = fuzz-decode fuzz-account fuzz-org fuzz-compile fuzz-decide fuzz-trail
FUZZ = $(GO) test -run '^$$' -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINTIME)

.PHONY: $(FUZZ_TARGETS)
fuzz:
	@for t in $(FUZZ_TARGETS); do $(MAKE) --no-print-directory $$t || exit 1; done

fuzz-decode:
	$(FUZZ) -fuzz '^FuzzDecode$$' ./schema
fuzz-account:
	$(FUZZ) -fuzz '^FuzzAccountDetails$$' ./translator/account
fuzz-org:
	$(FUZZ) -fuzz '^FuzzOrg$$' ./translator/account
fuzz-compile:
	$(FUZZ) -fuzz '^FuzzCompile$$' ./translator
fuzz-decide:
	$(FUZZ) -fuzz '^FuzzDecide$$' ./rego
fuzz-trail:
	$(FUZZ) -fuzz '^FuzzReader$$' ./analysis/cloudtrail

## conformance: differential runs against the oracle with fresh cases (SEED=N to repeat one);
## every disagreement must be a documented divergence (testdata/oracle/divergences.json).
## Needs node; the oracle installs itself into ~/.cache/iam2rego-oracle.
conformance: build
	testdata/oracle/conformance.sh bin/iam2rego $(SEED)

## oracle-install: install the oracle's npm dependencies (from ../shared/oracle/package-lock.json,
## with `npm ci`) and its scripts into a cache folder, $(ORACLE_DIR); again only when the lock
## file changed. Without node and npm it prints that the oracle checks are skipped.
ORACLE_SRC ?= ../shared/oracle
IAM_ORACLE_DIR ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/iam2rego-oracle
ORACLE_DIR := $(IAM_ORACLE_DIR)
export IAM_ORACLE_DIR
oracle-install:
	@if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then \
	  echo "oracle: SKIPPED: node and npm are not on PATH, so the independent checks against the oracle do not run (install Node 18+)"; \
	elif [ ! -f $(ORACLE_SRC)/package-lock.json ]; then \
	  echo "oracle: SKIPPED: $(ORACLE_SRC)/package-lock.json not found (the oracle lives in ../shared/oracle)"; \
	else \
	  mkdir -p "$(ORACLE_DIR)" && \
	  if [ ! -f "$(ORACLE_DIR)/node_modules/@cloud-copilot/iam-simulate/package.json" ] || \
	     ! cmp -s $(ORACLE_SRC)/package-lock.json "$(ORACLE_DIR)/package-lock.json"; then \
	    echo "oracle: npm ci into $(ORACLE_DIR)" && \
	    cp $(ORACLE_SRC)/package.json $(ORACLE_SRC)/package-lock.json "$(ORACLE_DIR)/" && \
	    (cd "$(ORACLE_DIR)" && npm ci --silent --no-audit --no-fund) || exit 1; \
	  fi; \
	  cp $(ORACLE_SRC)/*.mjs "$(ORACLE_DIR)/"; \
	fi

## oracle: the independent check (internal/oracle). Every corpus case goes through the oracle
## (its answer must equal the case's expect, or be listed in testdata/oracle/expected-differences.json),
## and fixed-seed random cases (gen.mjs: 2,000 safe, 1,000 edge) go through the oracle and iam2rego
## (every difference listed in testdata/oracle/random-differences.json, its divergence confirmed
## by classify.mjs). Unlisted and stale entries fail. Needs node; skipped with a message without.
oracle: build oracle-install
	@mkdir -p bin
	@if command -v node >/dev/null 2>&1; then export IAM2REGO_ORACLE_REQUIRED=1; fi; \
	 IAM2REGO_BIN=$(CURDIR)/bin/iam2rego $(GO) test -count=1 -v -run '^TestOracle(Corpus|Random)$$' ./internal/oracle >bin/oracle.log 2>&1 \
	   || { cat bin/oracle.log; exit 1; }; \
	 grep '^oracle' bin/oracle.log

## rego-coverage: OPA's coverage of every file of rego/lib by the corpus (testdata/cases,
## testdata/demo, and the example account's requests through its bundle); the report per file
## goes to bin/rego-coverage.json and bin/rego-coverage.txt. Fails below REGO_COVERAGE_FLOOR percent.
REGO_COVERAGE_FLOOR ?=
rego-coverage:
	@mkdir -p bin
	@REGO_COVERAGE_FLOOR=$(REGO_COVERAGE_FLOOR) $(GO) test -count=1 -v -run '^TestRegoCoverage$$' ./internal/regocover >bin/rego-coverage.log 2>&1 \
	   || { cat bin/rego-coverage.log; exit 1; }; \
	 grep '^rego coverage' bin/rego-coverage.log

clean:
	rm -rf bin

## bench-sidecar: a bounded load test (about 1–2 minutes) of stock OPA sidecars on loopback:
## the GenAI example account and a generated 5,000-principal account, each as a ratio to
## the same OPA serving `allow := true`, measured in the same run. Stops by itself.
.PHONY: bench-sidecar
bench-sidecar:
	$(GO) run ./benchmarks/sidecar -duration 5s -warmup 1s -clients 8 -rounds 2 -principals 5000

## bench: the benchmarks of benchmarks/ (decision latency at every account size against the
## in-run `allow := true` floor, the build budget, batch throughput against the oracle),
## printed as a table of ratios with their bars and the commands that produced them.
.PHONY: bench bench-check
bench:
	$(GO) run ./benchmarks/cmd/report

## bench-guard: the hot path's bars that a noisy machine cannot blur, run by .ci/run: the
## allocations of one decision (median principal, example and 5,000 principals) and the
## share of each request mix that takes a decision plan (>= 90%). About two minutes.
.PHONY: bench-guard
bench-guard:
	IAM2REGO_BENCH_GUARD=1 $(GO) test -count=1 -run '^TestHotPathGuard$$' -v ./benchmarks

## bench-check: the short run (example and 5,000-principal accounts; one to two minutes);
## fails when a figure misses its bar (BENCH_MAX_* / BENCH_MIN_* override the bars).
bench-check:
	$(GO) run ./benchmarks/cmd/report -short -check
