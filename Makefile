# iam2rego — the two commands a new user needs are `make demo` and `make test`.
GO      ?= go
FUZZTIME ?= 60s
SEED    ?= $(shell date +%s)

.PHONY: all build demo test check gotest cases fuzz conformance golden clean

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

## test: every test: formatting, vet, Go tests under -race, and the decision corpus.
test: check gotest cases

check:
	@out=$$(gofmt -l $$(find . -name '*.go' -not -path './.git/*')); \
	 if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

gotest:
	$(GO) test -race -count=1 ./...

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

## bench-check: the short run (example and 5,000-principal accounts; one to two minutes);
## fails when a figure misses its bar (BENCH_MAX_* / BENCH_MIN_* override the bars).
bench-check:
	$(GO) run ./benchmarks/cmd/report -short -check
