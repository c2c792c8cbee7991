#!/usr/bin/env bash
# JSON and SARIF are byte-identical whatever -j is, and from run to run.
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
"$RL" -f json --no-prefilter --fail-on none fixtures > "$TMP/noprefilter.json"
if cmp -s "$TMP/noprefilter.json" "$TMP/json-1-a"; then ok "prefilter changes nothing"; else
  not_ok "prefilter changes the output"; diff "$TMP/json-1-a" "$TMP/noprefilter.json" | head -20; fi
finish
