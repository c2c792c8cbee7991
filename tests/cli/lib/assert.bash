# Helpers for the CLI tests (sourced, not run). Each test script gets the
# roomlint binary as $1 and runs from the source root.
set -euo pipefail
RL=${1:?usage: $0 path/to/roomlint}
RL=$(cd "$(dirname "$RL")" && pwd)/$(basename "$RL")
export NO_COLOR=1
TMP=$(mktemp -d /tmp/rl-cli-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0
skipped=0

ok() { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }

# expect_status WANT DESCRIPTION -- command...: runs it, output to $TMP/out and $TMP/err
expect_status() {
  local want=$1 what=$2
  shift 3
  local got=0
  "$@" >"$TMP/out" 2>"$TMP/err" || got=$?
  if [ "$got" = "$want" ]; then ok "$what (exit $got)"; else
    not_ok "$what: exit $got, wanted $want"; sed 's/^/    /' "$TMP/err" | head -5; fi
}

# expect_grep PATTERN FILE DESCRIPTION
expect_grep() {
  if grep -qE -- "$1" "$2"; then ok "$3"; else not_ok "$3: /$1/ not in $2"; sed 's/^/    /' "$2" | head -20; fi
}

expect_no_grep() {
  if grep -qE -- "$1" "$2"; then not_ok "$3: /$1/ found in $2"; grep -E -- "$1" "$2" | head -5 | sed 's/^/    /'; else ok "$3"; fi
}

# skip REASON: part of the test cannot run here (a tool it needs is missing).
# The rest still runs; finish then returns 77, which ctest counts as skipped
# (SKIP_RETURN_CODE), not passed, unless a check failed.
skip() { skipped=$((skipped + 1)); echo "SKIP: $*"; }
# skip_all REASON: none of the rest can run here: says why and exits 77.
skip_all() {
  local rc=0
  skip "$@"
  finish || rc=$?
  exit "$rc"
}

finish() {
  echo "$passed passed, $failed failed$([ "$skipped" = 0 ] || echo ", $skipped skipped")"
  [ "$failed" = 0 ] || return 1
  [ "$skipped" = 0 ] || return 77
}
