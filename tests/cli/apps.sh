#!/usr/bin/env bash
# The two bundled apps: the demo app shows every built-in rule at least once
# and fails the scan; the fixed app (the same app done right) is clean.
. "$(dirname "$0")/lib/assert.bash"

expect_status 0 "fixed app: nothing reported" -- "$RL" --fail-on note fixtures/fixed-app
expect_grep "no problems found" "$TMP/out" "fixed app says so"

expect_status 1 "demo app fails the scan" -- "$RL" -f json fixtures/demo-app
cp "$TMP/out" "$TMP/demo.json"
"$RL" --list-rules | awk '{print $1}' > "$TMP/rules"
missing=$(python3 -c '
import json, sys
fired = {f["ruleId"] for f in json.load(open(sys.argv[1]))["findings"] if not f["suppressed"]}
print(" ".join(r.strip() for r in open(sys.argv[2]) if r.strip() and r.strip() not in fired))
' "$TMP/demo.json" "$TMP/rules")
if [ -z "$missing" ]; then ok "demo app: every rule fires ($(wc -l < "$TMP/rules") rules)"; else not_ok "demo app: no finding of: $missing"; fi
finish
