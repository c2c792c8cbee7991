#!/usr/bin/env bash
# HTML, Vue, Svelte, Astro and Expo app.json (issue 13, items 2 and 5) as a
# user sees them: findings at the line and column of the markup file, the
# secret masked in every format, a .vue of 10,000 script blocks reported as
# limited (not crashed), Expo's extra judged as client code.
. "$(dirname "$0")/lib/assert.bash"
S=Zq8vR3kP1mX7wY2nB5tL9cF4hJ6dG0sA
W="$TMP/w"
mkdir -p "$W/src" "$W/many" "$W/expo"
cd "$W"
cat >src/Call.vue <<VUE
<template>
  <p>Café {{ room }}</p>
</template>
<script setup lang="ts">
const room: string = 'lobby'
const cfg = { appSecret: '$S' } // again: $S
</script>
VUE
printf '<!doctype html>\n<p>é</p><SCRIPT type="module">const k = { appSecret: "%s" };</script >\n' "$S" >src/page.html
cat >expo/app.json <<JSON
{ "expo": { "name": "x", "extra": { "hmsAppSecret": "$S", "roomId": "66a1b2c3d4e5f60718293a4b" } } }
JSON
for f in text json sarif html; do
  expect_status 1 "markup files, -f $f" -- "$RL" --no-config -f "$f" src expo
  if grep -q "$S" "$TMP/out"; then not_ok "-f $f: the secret prints in full"; else ok "-f $f: no full secret"; fi
  expect_grep 'Zq8v…\(32 chars\)' "$TMP/out" "-f $f: the mask shows"
done
expect_status 1 "json" -- "$RL" --no-config -f json src expo
python3 - "$TMP/out" <<'PY' && ok "line and column in the .vue, the .html and app.json" || not_ok "positions"
import json, sys
d = json.load(open(sys.argv[1]))
got = sorted((f["path"], f["startLine"], f["startColumn"], f["ruleId"]) for f in d["findings"])
want = sorted([("src/Call.vue", 6, 26, "hardcoded-secret"), ("src/page.html", 2, 54, "hardcoded-secret"),
               ("expo/app.json", 1, 38, "public-env-secret")])
assert got == want, got
ctx = {f["path"]: f["context"] for f in d["files"]}
assert ctx["src/Call.vue"] == "client" and ctx["expo/app.json"] == "client", ctx
PY

python3 - many/Many.vue "$S" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("<template><p/></template>\n")
    for i in range(10000):
        f.write("<script>const appSecret%d = '%s';</script>\n" % (i, sys.argv[2]))
PY
for f in text json sarif html; do
  expect_status 1 "a .vue with 10,000 script blocks, -f $f" -- "$RL" --no-config -v -f "$f" many
  # (the HTML report lists findings, not tool notifications)
  [ "$f" = html ] || expect_grep 'script-blocks-limited|more than 1000 ' "$TMP/out" "-f $f: the limit is reported"
  if grep -q "$S" "$TMP/out"; then not_ok "-f $f: the secret prints in full"; else ok "-f $f: no full secret"; fi
done
finish
