#!/usr/bin/env bash
# A parse that tree-sitter's error recovery never finishes (39 bytes of TSX
# the pipeline fuzzer found: fuzz/corpus/pipeline/regress-tsx-parse-hang,
# byte 0 picks src/App.tsx) stops at the parse time limit: the file gets a
# "parse stopped ... not checked" warning in text, JSON and SARIF, is counted
# with the files not fully checked, and the scan goes on to the next file,
# which is checked. No timings here: `timeout` is only a hang guard (the
# limit for so small a file is a few seconds; it used to be a minute).
. "$(dirname "$0")/lib/assert.bash"

T="$TMP/tree/src"
mkdir -p "$T"
# The hang, then a line that lets a rule through the prefilter, so the file
# is parsed at all.
{ tail -c +2 "$RL_SOURCE_DIR/fuzz/corpus/pipeline/regress-tsx-parse-hang"; echo "fetch('http://api.x.io/rooms');"; } \
  >"$T/App.tsx"
printf "fetch('http://api.x.io/other');\n" >"$T/Other.tsx"

expect_status 1 "text scan" -- timeout 60 "$RL" --no-config -j1 "$TMP/tree"
expect_grep "warning +.*App\.tsx: parse stopped after [0-9.]+ s, the limit for a file of [0-9]+ bytes .*: not checked +parse-stopped" \
  "$TMP/out" "text: the stopped parse is a warning, shown without -v"
expect_grep "1 not fully checked" "$TMP/out" "text: the summary counts it"
expect_grep "Other\.tsx" "$TMP/out" "the scan went on: the next file is checked"
expect_grep "insecure-http-url" "$TMP/out" "the next file's finding is reported"
expect_no_grep "api.x.io/rooms" "$TMP/out" "nothing is reported from the file that was not checked"

expect_status 1 "json scan" -- timeout 60 "$RL" --no-config -j1 -f json "$TMP/tree"
expect_grep '"id": "parse-stopped"' "$TMP/out" "json: a parse-stopped notification"
expect_grep '"analysisStopped": 1' "$TMP/out" "json: the summary counts it"

expect_status 1 "sarif scan" -- timeout 60 "$RL" --no-config -j1 -f sarif "$TMP/tree"
python3 - "$TMP/out" <<'EOF' >"$TMP/sarif.check"
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
notes = run["invocations"][0].get("toolExecutionNotifications", [])
hit = [n for n in notes if n["descriptor"]["id"] == "parse-stopped"
       and n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("src/App.tsx")]
print("ok" if hit and hit[0]["level"] == "warning" and "not checked" in hit[0]["message"]["text"] else "missing")
EOF
expect_grep "^ok$" "$TMP/sarif.check" "sarif: a parse-stopped toolExecutionNotification at App.tsx, level warning"
finish
