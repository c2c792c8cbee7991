#!/usr/bin/env bash
# A marked secret is masked wherever its text shows: a second copy on the
# line, a copy on another line of a multi-line snippet, a copy in another
# finding's snippet or message, both halves of a concatenation; in every
# output format and every field of it (issue 16, item 1).
. "$(dirname "$0")/lib/assert.bash"
S=Zq8vR3kP1mX7wY2nB5tL9cF4hJ6dG0sA
H1=Zq8vR3kP1mX7wY2n
H2=B5tL9cF4hJ6dG0sA
W="$TMP/w"
mkdir -p "$W/e" "$W/more" "$W/pack"
cd "$W"
# the issue's reproduction
printf "const cfg = { appSecret: '$S', other: '$S' };\n" >obj.js
printf "const managementToken = '$S'; // old: $S\n" >cmt.js
printf "const c = <Room appSecret=\"$S\" note=\"$S\" />;\n" >j.jsx
printf "HMS_APP_SECRET=$S # also $S\n" >e/.env
# a copy in another finding's snippet and message, on the same line
printf "const appSecret = '$S'; fetch('http://api.example.io/x?k=$S');\n" >more/other.js
# a copy on the second line of a finding that spans lines (a pack rule whose
# message quotes the capture), the secret marked on a third line
printf "const appSecret = '$S';\nlogIt(1,\n  '$S');\n" >more/lines.js
# both halves of a concatenation, and the joined text elsewhere
printf "const appSecret = '$H1' + '$H2';\n// $S\n" >more/concat.js
cat >pack/log-call.scm <<'PACK'
; id: log-call
; severity: note
; title: A logIt call
; message: logIt called with {args}
; languages: javascript, typescript, tsx
((call_expression function: (identifier) @f arguments: (arguments) @args) @finding (#eq? @f "logIt"))
PACK

for f in text json sarif html; do
  expect_status 1 "issue reproduction, -f $f" -- "$RL" --no-config -f "$f" obj.js cmt.js j.jsx e
  if [ "$(grep -c "$S" "$TMP/out")" = 0 ]; then ok "-f $f: no full secret in the report"; else
    not_ok "-f $f: the secret prints in full"; grep -n "$S" "$TMP/out" | head -3 | sed 's/^/    /'; fi
  expect_grep "Zq8v…\(32 chars\)" "$TMP/out" "-f $f: the secret shows as its mask"

  expect_status 1 "copies on other lines and in other findings, -f $f" -- \
    "$RL" --no-config --rules pack -f "$f" more
  for v in "$S" "$H1" "$H2"; do
    if grep -q "$v" "$TMP/out"; then not_ok "-f $f: $v prints in full"; grep -n "$v" "$TMP/out" | head -3 | sed 's/^/    /'
    else ok "-f $f: ${v:0:4}… never prints in full"; fi
  done
  expect_grep "log-call" "$TMP/out" "-f $f: the multi-line pack finding is reported"
  expect_grep "insecure-http-url" "$TMP/out" "-f $f: the other finding on the line is reported"
done

# the halves and the multi-line snippet, in the text report's own words
"$RL" --no-config --rules pack more/concat.js more/lines.js >"$TMP/out" 2>&1 || true
expect_grep "'Zq8v…\(16 chars\)' \+ 'B5tL…\(16 chars\)'" "$TMP/out" "both halves of the concatenation are masked"
expect_grep "logIt called with \(1,.*Zq8v…\(32 chars\)" "$TMP/out" "the pack message quoting the secret masks it"

# a short value is masked where it was found, not everywhere
printf "fetch('http://ab:cd@api.example.io/'); const cd = 1;\n" >short.js
"$RL" --no-config short.js >"$TMP/out" 2>&1 || true
expect_grep "const cd = 1" "$TMP/out" "a short secret does not blank unrelated code"
expect_no_grep "ab:cd" "$TMP/out" "the short secret itself is masked"
# well-known formats (secrets.c's table) in code, in a comment and in a
# dotenv value and comment: masked in every format
GH=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
SK=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
TW=3c63f8883fa56e8284379271da02bda8
AC=AC4fe01b90a15c51885de51c4ccabcf7ab
mkdir -p fmt/e
printf "const stripe = Stripe('$SK');\n// rotated: $GH\nconst twilioAuthToken = '$TW'; const sid = '$AC';\n" >fmt/a.js
printf "STRIPE=$SK\n# old: $GH\nTWILIO_ACCOUNT_SID=$AC\nTWILIO_AUTH_TOKEN=$TW\n" >fmt/e/.env
for f in text json sarif html; do
  expect_status 1 "well-known formats, -f $f" -- "$RL" --no-config -f "$f" fmt
  for v in "$GH" "$SK" "$TW"; do
    if grep -q "$v" "$TMP/out"; then not_ok "-f $f: ${v:0:4}… prints in full"; else ok "-f $f: ${v:0:4}… is masked"; fi
  done
  expect_grep "GitHub personal access token" "$TMP/out" "-f $f: the token in a comment is reported"
done
# a Google service-account key file (as Firebase names its download): the
# private key is reported and masked
mkdir -p sa
python3 - sa/acme-video-firebase-adminsdk-x1y2z-0a1b2c.json <<'PY'
import json, sys
body = "\n".join(("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" + str(i) * 32)[:64] for i in range(6))
key = "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n"
json.dump({"type": "service_account", "project_id": "acme-video", "private_key": key,
           "client_email": "firebase-adminsdk-x1y2z@acme-video.iam.gserviceaccount.com"}, open(sys.argv[1], "w"), indent=2)
PY
for f in text json sarif html; do
  expect_status 1 "a service-account key file, -f $f" -- "$RL" --no-config -f "$f" sa
  expect_grep "private key hard-coded" "$TMP/out" "-f $f: the service account's private key is reported"
  expect_no_grep "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" "$TMP/out" "-f $f: the key body never prints"
done
finish
