#!/usr/bin/env bash
# The per-file work budget (ROOMLINT_DEBUG_BUDGET forces a tiny one): the file
# that runs out keeps the findings made before the stop, gets the "analysis
# stopped" notification in text (-v), JSON and SARIF, is counted in the
# summary, and the scan goes on to the next file, which is fully checked.
. "$(dirname "$0")/lib/assert.bash"

T="$TMP/tree"
mkdir -p "$T"
{
  echo "const appSecret = 'Zq8vR3kP1mX7wY2nB5tL9cF4hJ6dG0sA';"
  for i in $(seq 1 300); do echo "const v$i = 'plain text $i';"; done
  echo "const lateSecret = 'Hw4cN8sT2vQ6xB1mK9pL3rD7fJ5gZ0yE';"
} >"$T/a.js"
printf "fetch('http://api.x.io/other');\n" >"$T/b.js"

# The node count of a.js, from --stats; the budget lets the index walk
# through and half of hardcoded-secret's walk over the file's nodes: the
# first literal is judged, the last one is not.
expect_status 1 "--stats scan" -- "$RL" --no-config --stats -j1 -f json -o "$TMP/stats.json" "$T"
nodes=$(python3 -c "
import json, re, sys
for f in json.load(open(sys.argv[1]))['files']:
    if f['path'].endswith('a.js'):
        for n in f['notifications']:
            if n['id'] == 'analysis-stats': print(re.search(r'(\d+) nodes', n['message']).group(1))
" "$TMP/stats.json")
expect_grep "^[0-9]+$" <(echo "$nodes") "--stats gives the node count of a.js"
expect_no_grep "analysis-stopped" "$TMP/stats.json" "the default budget is not reached"
expect_grep "credential hard-coded in 'lateSecret'" "$TMP/stats.json" "with the default budget the last literal is judged"
export ROOMLINT_DEBUG_BUDGET=$((nodes + nodes / 2))

expect_status 1 "text scan with a tiny budget" -- "$RL" --no-config -v -j1 "$T"
expect_grep "analysis stopped after [0-9]+ steps in .*a\.js: not fully checked" "$TMP/out" "text -v lists the stop"
expect_grep "1 not fully checked" "$TMP/out" "text summary counts the file"
expect_grep "hardcoded-secret" "$TMP/out" "the finding made before the stop is kept"
expect_no_grep "lateSecret" "$TMP/out" "the file was not checked past the stop"
expect_grep "api.x.io/other" "$TMP/out" "the scan went on: b.js fully checked"
expect_no_grep "Zq8vR3kP1mX7wY2nB5tL9cF4hJ6dG0sA" "$TMP/out" "secret masked"

expect_status 1 "text scan without -v" -- "$RL" --no-config -j1 "$T"
expect_grep "not fully checked" "$TMP/out" "the summary says so without -v too"

expect_status 1 "JSON scan with a tiny budget" -- "$RL" --no-config -j1 -f json -o "$TMP/b.json" "$T"
expect_grep '"id": "analysis-stopped"' "$TMP/b.json" "JSON has the notification"
expect_grep '"analysisStopped": 1' "$TMP/b.json" "JSON summary counts the file"
expect_grep '"ruleId": "hardcoded-secret"' "$TMP/b.json" "JSON keeps the earlier finding"

expect_status 1 "SARIF scan with a tiny budget" -- "$RL" --no-config -j1 -f sarif -o "$TMP/b.sarif" "$T"
expect_grep '"toolExecutionNotifications"' "$TMP/b.sarif" "SARIF has notifications"
expect_grep 'analysis stopped after [0-9]+ steps in .*a\.js: not fully checked' "$TMP/b.sarif" \
  "SARIF notification names the stop"
expect_grep '"ruleId": "hardcoded-secret"' "$TMP/b.sarif" "SARIF keeps the earlier finding"

ROOMLINT_DEBUG_BUDGET=zero expect_status 2 "a bad ROOMLINT_DEBUG_BUDGET is a usage error" -- "$RL" --no-config "$T"
expect_grep "ROOMLINT_DEBUG_BUDGET" "$TMP/err" "the message names the variable"
finish
