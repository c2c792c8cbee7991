#!/usr/bin/env bash
# A tree with a FIFO, a symlink loop, a link out of the root, a binary file and
# a minified file: the scan finishes, lists every skip with its reason (text
# -v, JSON, SARIF notifications) and still finds the planted secret.
. "$(dirname "$0")/lib/assert.bash"

T="$TMP/tree"
mkdir -p "$T/src" "$T/loop" "$T/outside"
mkfifo "$T/src/pipe.js"
ln -s .. "$T/loop/again"
ln -s /etc/hostname "$T/src/host.js"
printf 'const a = 1;\0\0binary\n' > "$T/src/blob.js"
head -c 20000 /dev/zero | tr '\0' 'x' | sed 's/^/var a="/; s/$/";/' > "$T/src/bundle.js"
printf 'var x=1;\n' > "$T/src/app.min.js"
printf "const managementToken = 'Zq8vR3kP1mX7wY2nB5tL9cF4hJ6dG0sA';\n" > "$T/src/real.js"

expect_status 1 "scan finishes with findings" -- timeout 60 "$RL" -v "$T"
expect_grep "skipped +.*src/pipe.js.*(FIFO|never opened)" "$TMP/out" "FIFO listed as skipped"
expect_grep "skipped +.*src/blob.js.*binary" "$TMP/out" "binary file listed"
expect_grep "skipped +.*src/bundle.js.*minified" "$TMP/out" "long-line file listed as minified"
expect_grep "skipped +.*src/app.min.js.*minified" "$TMP/out" "*.min.js listed as minified"
expect_grep "skipped +.*src/host.js.*(leaves|outside)" "$TMP/out" "link out of the root listed"
expect_grep "src/real.js" "$TMP/out" "planted secret still found"
expect_grep "hardcoded-secret" "$TMP/out" "planted secret reported by hardcoded-secret"
expect_no_grep "Zq8vR3kP1mX7wY2nB5tL9cF4hJ6dG0sA" "$TMP/out" "secret is masked in text output"

expect_status 1 "SARIF of the hostile tree" -- timeout 60 "$RL" -f sarif -o "$TMP/h.sarif" "$T"
for f in pipe.js blob.js bundle.js app.min.js host.js; do
  expect_grep "$f" "$TMP/h.sarif" "SARIF notification names $f"
done
expect_grep '"toolExecutionNotifications"' "$TMP/h.sarif" "SARIF has notifications"
expect_no_grep "Zq8vR3kP1mX7wY2nB5tL9cF4hJ6dG0sA" "$TMP/h.sarif" "secret is masked in SARIF"
expect_status 1 "JSON of the hostile tree" -- timeout 60 "$RL" -f json -o "$TMP/h.json" "$T"
expect_grep '"reason": "special-file"' "$TMP/h.json" "JSON lists the FIFO skip"
expect_no_grep "Zq8vR3kP1mX7wY2nB5tL9cF4hJ6dG0sA" "$TMP/h.json" "secret is masked in JSON"
finish
