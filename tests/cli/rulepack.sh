#!/usr/bin/env bash
# The shipped example rule pack runs against the demo app.
. "$(dirname "$0")/lib/assert.bash"
expect_status 1 "demo app with the example pack" -- "$RL" --rules rules/examples fixtures/demo-app
expect_grep "token-in-localstorage" "$TMP/out" "example pack: token-in-localstorage fires"
expect_grep "tls-verification-disabled" "$TMP/out" "example pack: tls-verification-disabled fires"
expect_status 0 "example rules are listed" -- "$RL" --rules rules/examples --list-rules
expect_grep "^token-in-localstorage +warning" "$TMP/out" "pack rule in --list-rules"

# A pack past 4,096 patterns: tree-sitter's match limit caps matches in
# progress, and every one of these patterns starts on each identifier, so
# the later patterns were dropped without a word (issue 16, item 3).
mkdir -p "$TMP/big"
{
  printf '; id: many-idents\n; severity: warning\n; title: One of many identifiers\n'
  printf '; message: {finding} is on the list\n; languages: javascript, typescript, tsx\n'
  for i in $(seq 0 4199); do echo "((identifier) @finding (#eq? @finding \"ident$i\"))"; done
} >"$TMP/big/idents.scm"
printf 'ident0; ident1; ident4000; ident4100; ident4199; other;\n' >"$TMP/idents.js"
expect_status 1 "a pack of 4,200 patterns" -- "$RL" --no-config --rules "$TMP/big" -f json "$TMP/idents.js"
for id in ident0 ident1 ident4000 ident4100 ident4199; do
  expect_grep "\"$id is on the list\"" "$TMP/out" "4,200 patterns: $id is reported"
done
expect_no_grep "other is on the list" "$TMP/out" "4,200 patterns: no other identifier"
expect_no_grep "query-match-limit" "$TMP/out" "4,200 patterns: within the match limit"

# More matches in progress than the limit: a notification for the file in
# every format, never a silent loss.
mkdir -p "$TMP/wide"
{
  printf '; id: number-then-string\n; severity: note\n; title: A number before a string\n'
  printf '; message: a string after numbers\n; languages: javascript, typescript, tsx\n'
  for i in $(seq 1 100); do echo '(array (number) @a (string) @finding)'; done
} >"$TMP/wide/pairs.scm"
{ printf 'const a = ['; for i in $(seq 1 60); do printf '%s, ' "$i"; done; printf '"s"];\n'; } >"$TMP/wide.js"
expect_status 0 "matches in progress past the limit (text)" -- "$RL" --no-config --fail-on none --rules "$TMP/wide" "$TMP/wide.js"
expect_grep "warning +.*tree-sitter dropped some, so findings may be missing +query-match-limit" "$TMP/out" \
  "text: the match-limit warning shows without -v"
expect_status 0 "matches in progress past the limit (json)" -- "$RL" --no-config --fail-on none --rules "$TMP/wide" -f json "$TMP/wide.js"
expect_grep '"id": "query-match-limit"' "$TMP/out" "json: a query-match-limit notification"
expect_status 0 "matches in progress past the limit (sarif)" -- "$RL" --no-config --fail-on none --rules "$TMP/wide" -f sarif "$TMP/wide.js"
expect_grep '"id": "query-match-limit"' "$TMP/out" "sarif: a query-match-limit toolExecutionNotification"

# PCRE2 limits (issue 16, item 2): a long subject gets a JIT stack large
# enough; a match the interpreter cannot finish either is a notification,
# and neither reports (#match?) nor invents (#not-match?) a finding.
mkdir -p "$TMP/re-long" "$TMP/re-limit"
cat >"$TMP/re-long/long-word.scm" <<'PACK'
; id: long-word
; severity: warning
; title: A string that is one long word
; message: one long word
; languages: javascript, typescript, tsx
(string (string_fragment) @finding (#match? @finding "^(\\w|-)+$"))
PACK
cat >"$TMP/re-limit/backtracks.scm" <<'PACK'
; id: backtracks
; severity: warning
; title: A string of a letters
; message: only a letters
; languages: javascript, typescript, tsx
(string (string_fragment) @finding (#match? @finding "^(a+)+$"))
PACK
cat >"$TMP/re-limit/backtracks-not.scm" <<'PACK'
; id: backtracks-not
; severity: warning
; title: A string not only of a letters
; message: not only a letters
; languages: javascript, typescript, tsx
(string (string_fragment) @finding (#not-match? @finding "^(a+)+$"))
PACK
{ printf "const k = '"; head -c 5000 /dev/zero | tr '\0' 'w'; printf "';\n"; } >"$TMP/long.js"
expect_status 1 "#match? on a 5,000-character string" -- "$RL" --no-config --rules "$TMP/re-long" -f json "$TMP/long.js"
expect_grep '"ruleId": "long-word"' "$TMP/out" "^(\\w|-)+\$ matches a 5,000-character string"
expect_no_grep "regex-limit" "$TMP/out" "5,000 characters are within the limits"
{ printf "const k = '"; head -c 40 /dev/zero | tr '\0' 'a'; printf "b';\n"; } >"$TMP/backtrack.js"
for f in text json sarif; do
  expect_status 0 "a regex that hits PCRE2's match limit, -f $f" -- \
    "$RL" --no-config --fail-on none --rules "$TMP/re-limit" -f "$f" "$TMP/backtrack.js"
  expect_grep "regex-limit" "$TMP/out" "-f $f: a regex-limit notification"
  expect_no_grep 'only a letters +backtracks|"ruleId": "backtracks' "$TMP/out" \
    "-f $f: no finding reported or invented for an unknown answer"
done
expect_grep "rule backtracks(-not)? hit a PCRE2 limit at line 1, column 12" "$TMP/out" "the notification names the rule and place"
finish
