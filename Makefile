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

## fuzz: each fuzz target for $(FUZZTIME).
fuzz:
	$(GO) test ./translator -run '^$$' -fuzz '^FuzzCompile$$' -fuzztime $(FUZZTIME)

## conformance: differential runs against the oracle with fresh cases (SEED=N to repeat one);
## every disagreement must be a documented divergence (testdata/oracle/divergences.json).
## Needs node; the oracle installs itself into ~/.cache/iam2rego-oracle.
conformance: build
	testdata/oracle/conformance.sh bin/iam2rego $(SEED)

clean:
	rm -rf bin
