#!/usr/bin/env bash
# The demo scan under valgrind memcheck: no memory error and no definite leak
# (roomlint's normal build; each output format once, with one or two workers).
# Skipped, saying so, only where valgrind is not installed.
. "$(dirname "$0")/lib/assert.bash"
if ! command -v valgrind >/dev/null 2>&1; then
  skip_all "valgrind is not installed (scripts/setup installs it)"
fi
# An ASan build cannot run under valgrind; that suite has its own leak check.
# (grep without -q reads all of nm's output: no SIGPIPE to trip pipefail)
if nm -D "$RL" 2>/dev/null | grep __asan_init >/dev/null || nm "$RL" 2>/dev/null | grep __asan_init >/dev/null; then
  skip_all "$RL is built with AddressSanitizer (LeakSanitizer covers it)"
fi
VG=(valgrind --tool=memcheck --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
    --show-leak-kinds=definite --quiet)
for run in text:2 json:1 sarif:2; do
  fmt=${run%:*} j=${run#*:}
  expect_status 1 "memcheck: demo scan, -f $fmt -j$j (exit 1: findings, not 99)" -- \
    "${VG[@]}" --log-file="$TMP/vg-$fmt-$j.log" "$RL" -f "$fmt" -j "$j" -o "$TMP/out-$fmt-$j" fixtures/demo-app
  if [ -s "$TMP/vg-$fmt-$j.log" ]; then not_ok "memcheck reported for -f $fmt -j$j"; head -40 "$TMP/vg-$fmt-$j.log" | sed 's/^/    /'; else
    ok "memcheck log is empty for -f $fmt -j$j"; fi
done
expect_grep "hardcoded-secret" "$TMP/out-json-1" "the scan under valgrind still finds the demo's secrets"
finish
