#!/usr/bin/env bash
# Analysis work grows linearly with the tree on every hostile shape
# (tests/support/gen-shape): for each family at sizes n and 4n, the analysis
# steps that --stats reports must satisfy steps(4n) <= 5 * steps(n), and every
# planted finding is reported. First at a small n, then at the size that
# hung, or lost its deepest findings, before the tree index (100,000 for
# member, call and + chains, arrows, JSX and ternaries; 25,000 for bracket
# nesting, which the old bracket guard refused at 30,000; 20,000 for the flat
# shapes and 10,000 files of re-exports, twice the issue's sizes) and at 4x
# that, with no family skipped: the largest files pass 5 MiB, so the scan
# raises --max-file-size. Steps, not time, so the test is deterministic;
# `timeout` is only a hang guard. RL_SHAPES_SMALL=1 (set by CMake for
# sanitizer builds) skips the large run, which the normal build does.
. "$(dirname "$0")/lib/assert.bash"

GEN="$RL_SOURCE_DIR/tests/support/gen-shape"
CHECK="$RL_SOURCE_DIR/tests/support/check-expect"
N=${RL_SHAPES_N:-1500}

# steps REPORT.json: the sum of the analysis steps of every file
steps() {
  python3 - "$1" <<'EOF'
import json, re, sys
total = 0
for f in json.load(open(sys.argv[1]))["files"]:
    for n in f["notifications"]:
        if n["id"] == "analysis-stats":
            total += int(re.search(r"(\d+) analysis steps", n["message"]).group(1))
print(total)
EOF
}

# scan FAMILY SIZE: generates, scans with --stats; leaves $TMP/FAMILY-SIZE.json
scan() {
  local fam=$1 n=$2 d="$TMP/$1-$2"
  "$GEN" "$fam" "$n" "$d" >"$d.expect"
  local rc=0
  timeout 600 "$RL" --no-config --stats -j1 --max-file-size 32M -f json -o "$d.json" "$d" 2>"$d.err" || rc=$?
  if [ "$rc" != 1 ]; then
    not_ok "$fam at $n: exit $rc, wanted 1 (findings)"
    sed 's/^/    /' "$d.err" | head -5
    return 1
  fi
  if "$CHECK" "$d.expect" "$d.json" >"$d.missing"; then ok "$fam at $n: every planted finding reported"
  else
    not_ok "$fam at $n: planted findings missing"
    sed 's/^/    /' "$d.missing" | head -5
    return 1
  fi
  if grep -q '"analysis-stopped"' "$d.json"; then not_ok "$fam at $n: budget ran out"; return 1; fi
}

# linear FAMILY N: scans at N and 4N; the steps must grow linearly
linear() {
  local fam=$1 n=$2
  scan "$fam" "$n" || return 0
  scan "$fam" $((4 * n)) || return 0
  if [ "$fam" = member ]; then
    expect_grep '"id": "query-limited"' "$TMP/$fam-$((4 * n)).json" "a chain too deep to query whole has a note"
  fi
  local s1 s4
  s1=$(steps "$TMP/$fam-$n.json")
  s4=$(steps "$TMP/$fam-$((4 * n)).json")
  if [ "$s1" -gt 0 ] && [ "$s4" -le $((5 * s1)) ]; then
    ok "$fam: steps grow linearly ($s1 at $n, $s4 at $((4 * n)))"
  else
    not_ok "$fam: steps grow faster than the tree ($s1 at $n, $s4 at $((4 * n)), more than 5x)"
  fi
}

for fam in $("$GEN" --list); do
  n=$N
  [ "$fam" = reexports ] && n=$((N / 20))
  linear "$fam" "$n"
  rm -rf "$TMP/$fam-"*
done

if [ -z "${RL_SHAPES_SMALL:-}" ]; then
  for fam in $("$GEN" --list); do
    case $fam in
    calls | template | object | array | ifs | args | shadows | helper-args) n=25000 ;;
    reexports) n=10000 ;;
    decls | imports | class | routes) n=20000 ;; # flat: never hung (1-7 s at 100,000 before)
    *) n=100000 ;;
    esac
    linear "$fam" "$n"
    rm -rf "$TMP/$fam-"*
  done
fi
finish
