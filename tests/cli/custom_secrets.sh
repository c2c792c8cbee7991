#!/usr/bin/env bash
# Custom secret patterns (.roomlint.yml `secrets:`) and rule-pack captures
# marked `; secret:` (issue 15, item 9): found in JS, TS and dotenv files,
# filtered by keyword and entropy, masked in every format; config and pack
# mistakes name the file and line.
. "$(dirname "$0")/lib/assert.bash"
W="$TMP/w"
mkdir -p "$W/src" "$W/pack"
cd "$W"
# 24 random-looking characters after the prefix, as the vendor's keys look
K1=acme_live_Zq8Rv2Lm5Tx9Wb3Nc7Yd4Kf1
K2=acme_test_Pq2Ws8Ed4Rf6Tg1Yh3Uj5Ik7
LOW=acme_live_aaaaaaaaaaaaaaaaaaaaaaaa # matches the regex, not random: below min-entropy
cat >.roomlint.yml <<'YML'
secrets:
  - id: acme-api-key
    regex: '\b(acme_(?:live|test)_[A-Za-z0-9]{24})\b'
    keywords: [ACME_]
    min-entropy: 3.5
    severity: error
    description: Acme API key
  - id: acme-webhook-secret
    # group 1 is the secret: the "whsec=" prefix stays readable
    regex: 'whsec=([A-Za-z0-9]{20,})'
    severity: note
YML
printf "const k = '%s';\nconst low = '%s';\n// acme_live_short is not a key\n" "$K1" "$LOW" >src/client.js
printf "export const cfg: { k: string } = { k: \`%s\` };\n" "$K2" >src/cfg.ts
printf "ACME_KEY=%s\nHOOK=whsec=Hq7Lw2Zx9Pm4Rt8Vn3Ys\n" "$K2" >.env
# a near miss: the keyword is absent, so the pattern does not run
printf "const k = 'beta_live_Zq8Rv2Lm5Tx9Wb3Nc7Yd4Kf1';\n" >src/other.js

for f in text json sarif html; do
  expect_status 1 "custom patterns, -f $f" -- "$RL" -f "$f" .
  cp "$TMP/out" "$TMP/out.$f"
  for secret in "$K1" "$K2" Hq7Lw2Zx9Pm4Rt8Vn3Ys; do
    expect_no_grep "$secret" "$TMP/out.$f" "-f $f: ${secret:0:10}… is masked"
  done
  expect_grep "acme…\(34 chars\)" "$TMP/out.$f" "-f $f: the key shows as its mask"
  expect_grep "acme-api-key" "$TMP/out.$f" "-f $f: findings name the pattern's id"
done
# text: where each finding is, and what is not reported
expect_grep "^src/client.js" "$TMP/out.text" "JS: a key in a string"
expect_grep "^src/cfg.ts" "$TMP/out.text" "TS: a key in a template string"
expect_grep "^\.env" "$TMP/out.text" "dotenv: a key as a value"
expect_grep "1:12 +error +Acme API key: acme…\(34 chars\) +acme-api-key" "$TMP/out.text" \
  "the finding is at the key, with the pattern's severity and description"
expect_grep "note +Secret matching the custom pattern acme-webhook-secret: Hq7L…\(20 chars\)" "$TMP/out.text" \
  "capture group 1 is the secret; no description: a default message"
expect_grep "HOOK=whsec=Hq7L…\(20 chars\)" "$TMP/out.text" "the snippet keeps what is outside group 1"
expect_no_grep "^src/client.js:2|2:[0-9]+ +error +Acme" "$TMP/out.text" "below min-entropy: not reported"
expect_no_grep "^src/other.js" "$TMP/out.text" "no keyword: not reported"
expect_status 0 "a pattern turned off with --disable" -- \
  "$RL" --fail-on warning --disable acme-api-key .
expect_grep "acme-webhook-secret" "$TMP/out" "--disable turns one pattern off, the other runs"
expect_status 0 "--list-rules lists the patterns" -- "$RL" --list-rules
expect_grep "^acme-api-key +error +Acme API key" "$TMP/out" "a pattern in --list-rules"
expect_status 0 "--explain a pattern" -- "$RL" --explain acme-webhook-secret
expect_grep "whsec=" "$TMP/out" "--explain shows the pattern"
python3 - "$TMP/out.json" <<'PY' && ok "json: rule ids and ranges of the custom findings" || not_ok "json: custom findings"
import json, sys
doc = json.load(open(sys.argv[1]))
got = sorted((f["path"], f["ruleId"], f["startLine"], f["startColumn"]) for f in doc["findings"])
want = sorted([(".env", "acme-api-key", 1, 10), (".env", "acme-webhook-secret", 2, 12),
               ("src/cfg.ts", "acme-api-key", 1, 41), ("src/client.js", "acme-api-key", 1, 12)])
assert got == want, got
PY

# The README's .roomlint.yml example loads as written, patterns included.
mkdir -p readme/tools/roomlint-rules
cp "$RL_SOURCE_DIR/rules/examples/token-in-localstorage.scm" readme/tools/roomlint-rules/
awk '/^# \.roomlint\.yml -- every key is optional/{on=1} on&&/^```/{exit} on' "$RL_SOURCE_DIR/README.md" >readme/.roomlint.yml
expect_grep "^secrets:" readme/.roomlint.yml "the README example has a secrets: block"
expect_status 0 "the README's config example" -- "$RL" --config readme/.roomlint.yml --list-rules
expect_grep "^acme-api-key +error +Acme API key" "$TMP/out" "the README's pattern is a rule"
printf "const k = '%s';\n" "$K1" >readme/a.js
expect_status 1 "the README's pattern finds a key" -- "$RL" --config readme/.roomlint.yml readme/a.js
expect_grep "acme-api-key" "$TMP/out" "the README's pattern reports"

# A pattern PCRE2 cannot finish (catastrophic backtracking): a regex-limit
# warning notification naming the pattern, in every format; no finding.
mkdir -p slow
printf "secrets:\n  - id: slow-one\n    regex: '(a+)+\$'\n" >slow/.roomlint.yml
{ printf "const k = '"; head -c 40 /dev/zero | tr '\0' 'a'; printf "b';\n"; } >slow/b.js
for f in text json sarif; do
  expect_status 0 "a pattern that hits a PCRE2 limit, -f $f" -- "$RL" -f "$f" slow
  expect_grep "regular expression of rule slow-one hit a PCRE2 limit" "$TMP/out" "-f $f: a regex-limit notification"
  expect_no_grep '"ruleId": "slow-one"' "$TMP/out" "-f $f: no finding from an unfinished match"
done

# Config mistakes: file and line, exit 2, nothing scanned.
bad() { # WANT-REGEX DESCRIPTION YAML
  printf '%b' "$3" >bad.yml
  expect_status 2 "$2" -- "$RL" --config bad.yml src
  expect_grep "$1" "$TMP/err" "$2: the message"
}
bad "bad.yml:2: secrets: an entry has no id" "an entry without id" 'secrets:\n  - regex: "x+"\n'
bad "bad.yml:3: secrets: k-1: the regex does not compile: missing closing parenthesis" "a bad regex" \
  'secrets:\n  - id: k-1\n    regex: "(abc"\n'
bad "bad.yml:2: secrets: id 'hardcoded-secret' is a built-in rule's id" "a built-in id" \
  'secrets:\n  - id: hardcoded-secret\n    regex: "abc"\n'
bad "bad.yml:4: secrets: id 'k-1' is given twice \(also on line 2\)" "an id given twice" \
  'secrets:\n  - id: k-1\n    regex: "abc"\n  - id: k-1\n    regex: "abd"\n'
bad "bad.yml:3: secrets: k-1: the regex matches the empty string" "a regex matching nothing" \
  'secrets:\n  - id: k-1\n    regex: "x*"\n'
bad "bad.yml:4: unknown key 'secrets.colour'" "an unknown key" \
  'secrets:\n  - id: k-1\n    regex: "abc"\n    colour: red\n'
bad "bad.yml:4: secrets: min-entropy '9' is not a number" "an entropy over 8 bits" \
  'secrets:\n  - id: k-1\n    regex: "abc"\n    min-entropy: 9\n'
bad "bad.yml:2: secrets: each entry is a mapping" "a bare string" 'secrets:\n  - "abc"\n'

# Rule packs: `; secret: token` masks the capture in message and snippet,
# and every copy of its text, in every format.
T=tok_9fK2mQ7xLp4Rz8Vw
cat >pack/connect.scm <<'PACK'
; id: acme-connect-literal
; severity: error
; title: Acme token passed as a literal
; message: connectAcme gets the literal token {token}
; languages: javascript, typescript, tsx
; secret: token
(call_expression
  function: (identifier) @fn (#eq? @fn "connectAcme")
  arguments: (arguments . (string) @token)) @finding
PACK
mkdir -p p
printf "connectAcme('%s');\nconst again = '%s';\nconnectAcme(token);\n" "$T" "$T" >p/c.js
for f in text json sarif html; do
  expect_status 1 "pack secret capture, -f $f" -- "$RL" --no-config --rules pack -f "$f" p
  expect_no_grep "$T" "$TMP/out" "-f $f: the pack's secret capture is masked"
  expect_grep "tok_…\(20 chars\)" "$TMP/out" "-f $f: it shows as its mask"
done
expect_status 1 "pack secret capture, text" -- "$RL" --no-config --rules pack p
expect_grep "connectAcme gets the literal token 'tok_…\(20 chars\)'" "$TMP/out" "the message quotes it masked"
expect_grep "connectAcme\('tok_…\(20 chars\)'\);" "$TMP/out" "the snippet keeps the quotes"
expect_no_grep "3:1 " "$TMP/out" "a variable argument is no match"
# without the marking, the same pack prints the capture as written (what
# the marking changes)
sed '/^; secret:/d' pack/connect.scm >p/../plain.scm && mkdir -p plain && mv plain.scm plain/
expect_status 1 "the same pack without '; secret:'" -- "$RL" --no-config --rules plain p
expect_grep "$T" "$TMP/out" "unmarked: the capture prints as written"
# mistakes in the marking
sed 's/^; secret: token/; secret: tokn/' pack/connect.scm >p2.scm && mkdir -p pk2 && mv p2.scm pk2/
expect_status 2 "'; secret:' naming no capture" -- "$RL" --no-config --rules pk2 p
expect_grep "pk2/p2.scm:6:1: secret names @tokn, which the query does not capture" "$TMP/err" \
  "a secret capture the query lacks: file and line"
finish
