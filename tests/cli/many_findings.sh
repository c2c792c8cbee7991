#!/usr/bin/env bash
# 100,000 identical findings in one file: every one reported, each with its
# own fingerprint (ranked by order of occurrence). The timeout is a hang
# guard, not a measurement: before the fix (issue 16, item 4) ranking
# rehashed every earlier finding and this took hours; bench/findings and
# tests/test_finding.c (a work counter) check the work is linear.
. "$(dirname "$0")/lib/assert.bash"
awk 'BEGIN { for (i = 0; i < 100000; i++) print "fetch(\"http://api.evil.io/x\");" }' >"$TMP/many.js"
expect_status 0 "100,000 findings in one file" -- \
  timeout 120 "$RL" --no-config -j1 --fail-on none -f json -o "$TMP/many.json" "$TMP/many.js"
count=$(grep -c '"ruleId": "insecure-http-url"' "$TMP/many.json" || true)
if [ "$count" = 100000 ]; then ok "all 100,000 are reported"; else not_ok "$count of 100,000 reported"; fi
distinct=$(grep -o '"fingerprint": "[0-9a-f]*"' "$TMP/many.json" | sort -u | wc -l)
if [ "$distinct" = 100000 ]; then ok "each has its own fingerprint"; else not_ok "$distinct distinct fingerprints"; fi
finish
