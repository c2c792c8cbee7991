#!/usr/bin/env bash
# JSON and SARIF are byte-identical whatever -j is, and from run to run: the
# fixtures, the demo app and a generated hostile tree.
. "$(dirname "$0")/lib/assert.bash"
for fmt in json sarif; do
  for j in 1 2 4; do
    for run in a b; do
      "$RL" -f "$fmt" -j "$j" --fail-on none fixtures > "$TMP/$fmt-$j-$run"
    done
  done
  same=1
  for f in "$TMP/$fmt"-*; do cmp -s "$f" "$TMP/$fmt-1-a" || same=0; done
  if [ "$same" = 1 ]; then ok "$fmt identical for -j1/-j2/-j4, twice each"; else not_ok "$fmt differs between runs"; fi
done

# The demo app and the generated hostile tree (tests/cli/lib/hostile_tree.bash):
# -j1 and -j2, twice each, byte for byte.
. "$(dirname "$0")/lib/hostile_tree.bash"
make_hostile_tree "$TMP/hostile"
same_runs() { # name, dir, path to scan
  local name=$1 dir=$2 path=$3 fmt j run same
  for fmt in json sarif; do
    for j in 1 2; do
      for run in a b; do
        (cd "$dir" && "$RL" -f "$fmt" -j "$j" --fail-on none "$path") > "$TMP/$name-$fmt-$j-$run"
      done
    done
    same=1
    for f in "$TMP/$name-$fmt"-*; do cmp -s "$f" "$TMP/$name-$fmt-1-a" || same=0; done
    if [ "$same" = 1 ] && [ -s "$TMP/$name-$fmt-1-a" ]; then ok "$name: $fmt identical for -j1/-j2, twice each"; else
      not_ok "$name: $fmt differs between runs"; fi
  done
}
same_runs demo-app "$PWD" fixtures/demo-app
same_runs hostile "$TMP" hostile

# The prefilter may change nothing that is reported: SARIF holds every
# finding and notification. JSON's per-file client/server context is not
# compared: a file that no rule can fire on is not parsed, so its context
# comes from its path alone.
"$RL" -f sarif --no-prefilter --fail-on none fixtures > "$TMP/noprefilter.sarif"
if cmp -s "$TMP/noprefilter.sarif" "$TMP/sarif-1-a"; then ok "prefilter changes nothing"; else
  not_ok "prefilter changes the output"; diff "$TMP/sarif-1-a" "$TMP/noprefilter.sarif" | head -20; fi
finish
