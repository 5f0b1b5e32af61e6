#!/usr/bin/env bash
# gaad-conformance.sh [BIN]: the Bar of the `iam2rego build` issue against the
# oracle. For requests drawn from gaad-small.json's own principals, actions
# and resources (bundles/gaad_test.go picks them: up to five actions per user
# and role, each on "*" and on one ARN from its policies, with and without a
# request context), it
#   1. builds the bundle twice with BIN and checks the bytes are identical;
#   2. writes the requests as neutral cases (identityPolicies = the
#      principal's inline + managed + groups' policies, permissionBoundary =
#      its boundary) with `go test ./bundles -run TestGAADBundleMatchesCases
#      -args -gaad-cases FILE`; that test itself asserts that `eval --bundle`
#      and the case path agree on every request;
#   3. runs those cases through the oracle (../shared/oracle/compare) and
#      BIN eval --cases, and prints the agreement.
# Needs go, node and (the first time) the npm registry. BIN defaults to
# bin/iam2rego, built first.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
gaad=${GAAD:-$root/../shared/corpus/gaad-small.json}
compare=${ORACLE_COMPARE:-$root/../shared/oracle/compare}
if [ $# -ge 1 ]; then
  bin=$(readlink -f "$1")
else
  (cd "$root" && go build -o bin/iam2rego .)
  bin=$root/bin/iam2rego
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin" build --account-details "$gaad" -o "$work/a.tar.gz" 2>"$work/build.err"
"$bin" build --account-details "$gaad" -o "$work/b.tar.gz" 2>>"$work/build.err"
if cmp -s "$work/a.tar.gz" "$work/b.tar.gz"; then
  echo "build: $(grep '^wrote' "$work/build.err" | head -1 | sed "s|$work/||"); two builds byte-identical"
else
  echo "build: two builds of $gaad differ" >&2
  exit 1
fi

(cd "$root" && go test ./bundles -count=1 -run '^TestGAADBundleMatchesCases$' -v -args -gaad-cases "$work/cases.jsonl") >"$work/gotest.out" 2>&1 || {
  cat "$work/gotest.out" >&2
  echo "eval --bundle and the case path disagree (see above)" >&2
  exit 1
}
grep -E 'requests for|wrote [0-9]+ cases' "$work/gotest.out" | sed 's/^ *gaad_test.go:[0-9]*: /bundle vs cases: /'

# The same requests as bundle requests: principal ARN, action, resource
# ARN and account, context; the policies come from the bundle's data.
cat >"$work/as-requests.sh" <<SH
#!/usr/bin/env bash
node -e 'require("readline").createInterface({input:process.stdin}).on("line",l=>{const c=JSON.parse(l);const r={id:c.id,principal:c.principal.arn,action:c.action,resource:{arn:c.resource.arn,account:c.resource.account}};if(c.context)r.context=c.context;console.log(JSON.stringify(r))})' |
  "$bin" eval --format json --bundle "$work/a.tar.gz" --requests - || true
SH
chmod +x "$work/as-requests.sh"

total=$(wc -l <"$work/cases.jsonl")
status=0
run() { # label, command...
  local label=$1 out=$work/$2
  shift 2
  mkdir -p "$out"
  local line
  line=$(OUT_DIR=$out "$compare" --cases "$work/cases.jsonl" -- "$@" 2>"$out/compare.err" | tail -1) || true
  grep -E '^(MISMATCH|skipped)' "$out/compare.err" | sed 's/^/    /' || true
  local pass=${line%% passed*} fail=${line#*, }
  fail=${fail%% failed*}
  local pct
  pct=$(awk -v p="$pass" -v f="$fail" 'BEGIN { printf "%.2f", (p+f) ? 100*p/(p+f) : 0 }')
  echo "oracle vs $label: $pass agree, $fail disagree of $((pass + fail)) cases the oracle decided ($total cases): $pct%"
  [ "$fail" = 0 ] || status=1
  if [ -s "$out/mismatches.jsonl" ] && [ -n "${KEEP:-}" ]; then
    cp "$out/mismatches.jsonl" "$KEEP.$2.jsonl"
    echo "    mismatches copied to $KEEP.$2.jsonl"
  fi
}
run "eval --bundle (policies from the bundle)" bundle "$work/as-requests.sh"
run "eval --cases (flattened policies in the case)" cases "$bin" eval --format json --cases - --allow-case-errors
exit $status
