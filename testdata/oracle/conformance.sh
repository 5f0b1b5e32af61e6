#!/usr/bin/env bash
# conformance.sh BIN [SEED]: differential runs of BIN (iam2rego) against the
# oracle with fresh random cases, as the issues' bars state them:
#   identity-only  3,000 cases, only identityPolicies   (bar: >= 99.5% agree)
#   safe           5,000 cases, every policy type       (bar: >= 99.8% agree)
#   edge           2,000 cases, constructs the oracle gets wrong
# Every disagreement in every run must be explained by a documented
# divergence (divergences.json, checked by classify.mjs). Needs node and
# network access to the npm registry the first time (the oracle installs
# itself into ~/.cache/iam2rego-oracle).
set -euo pipefail
bin=$(readlink -f "$1")
seed=${2:-$(date +%s)}
here=$(cd "$(dirname "$0")" && pwd)
compare=${ORACLE_COMPARE:-$here/../../../shared/oracle/compare}
cache=${IAM_ORACLE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/iam2rego-oracle}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

run() { # name n profile min-percent [identity-only]
  local name=$1 n=$2 profile=$3 min=$4 only=${5:-}
  local out=$work/$name
  mkdir -p "$out"
  local cases=()
  if [ -n "$only" ]; then
    "$compare" --seed "$seed" --n 1 -- true >/dev/null 2>&1 || true # installs the oracle
    node "$cache/gen.mjs" --seed "$seed" --n "$n" --profile "$profile" |
      node -e 'require("readline").createInterface({input:process.stdin}).on("line",l=>{const c=JSON.parse(l);for(const k of ["permissionBoundary","sessionPolicy","scps","rcps"])delete c[k];delete c.resource.policy;console.log(JSON.stringify(c))})' >"$out/cases.jsonl"
    cases=(--cases "$out/cases.jsonl")
  fi
  local line
  line=$(OUT_DIR=$out "$compare" --seed "$seed" --n "$n" --profile "$profile" "${cases[@]}" -- "$bin" eval --format json --cases - --allow-case-errors 2>"$out/compare.err" | tail -1) || true
  local pass=${line%% passed*} fail=${line#*, }
  fail=${fail%% failed*}
  local pct
  pct=$(awk -v p="$pass" -v f="$fail" 'BEGIN { printf "%.2f", (p+f) ? 100*p/(p+f) : 0 }')
  echo "$name (seed $seed, profile $profile, n $n): $pass agree, $fail disagree: $pct% (bar $min%)"
  if awk -v a="$pct" -v b="$min" 'BEGIN { exit !(a < b) }'; then status=1; fi
  if [ -s "$out/mismatches.jsonl" ]; then
    node "$here/classify.mjs" --mismatches "$out/mismatches.jsonl" --iam2rego "$bin" --oracle "$cache" | sed 's/^/    /' || status=1
  fi
}

run identity-only 3000 safe 99.5 identity-only
run safe 5000 safe 99.8
run edge 2000 edge 0
exit $status
