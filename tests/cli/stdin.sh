#!/usr/bin/env bash
# --stdin-filename PATH (issue 15, item 7): standard input scanned as the file
# PATH, which decides the language, the client/server context, the config
# and the ignore files; the report is the one a scan of that file gives.
. "$(dirname "$0")/lib/assert.bash"
S=Hx7pK2wQ9mZ4vL8rT3nB6yC1dF5gJ0sA2eU4iO7q
W="$TMP/w"
mkdir -p "$W/src" "$W/sub" "$W/legacy"
cd "$W"
git init -q
printf 'legacy/\n' >.gitignore
printf 'ignore: ["**/*.generated.js"]\n' >.roomlint.yml
printf 'rules:\n  disable: [hardcoded-secret]\n' >sub/.roomlint.yml
printf "const appSecret = '%s';\nfetch('http://api.example.io/x');\n" "$S" >src/app.js
cp src/app.js body.js

# The same findings, fingerprints included, as scanning the file itself.
for f in text json sarif; do
  expect_status 1 "-f $f: stdin as src/app.js" -- sh -c "'$RL' -f $f --stdin-filename src/app.js <body.js"
  sed 's/"seconds": [0-9.e+-]*/"seconds": 0/; s/[0-9.]*s$//' "$TMP/out" >"$TMP/stdin.$f"
  expect_status 1 "-f $f: the file itself" -- "$RL" -f "$f" src/app.js
  sed 's/"seconds": [0-9.e+-]*/"seconds": 0/; s/[0-9.]*s$//' "$TMP/out" >"$TMP/file.$f"
  if cmp -s "$TMP/stdin.$f" "$TMP/file.$f"; then ok "-f $f: the report equals the file's"; else
    not_ok "-f $f: the reports differ"; diff "$TMP/stdin.$f" "$TMP/file.$f" | head -10 | sed 's/^/    /'; fi
  expect_no_grep "$S" "$TMP/stdin.$f" "-f $f: the secret is masked"
done
expect_status 1 "a leading ./ is dropped, as the walk does" -- sh -c "'$RL' -f json --stdin-filename ./src/app.js <body.js"
expect_grep '"path": "src/app.js"' "$TMP/out" "./src/app.js is reported as src/app.js"

# The path decides the language and the context; the file need not exist.
printf "HMS_APP_SECRET=%s\n" "$S" >env.txt
expect_status 1 "dotenv by name" -- sh -c "'$RL' -f json --stdin-filename config/.env <env.txt"
expect_grep '"ruleId": "secret-in-env-file"' "$TMP/out" "config/.env is read as dotenv"
expect_status 1 "server context by path" -- sh -c "'$RL' -f json --stdin-filename server/admin.js <body.js"
expect_grep '"context": "server"' "$TMP/out" "server/admin.js is server code"
expect_status 1 "unknown context by path" -- sh -c "'$RL' -f json --stdin-filename lib/admin.js <body.js"
expect_grep '"context": "unknown"' "$TMP/out" "lib/admin.js is neither (near miss)"
expect_status 0 "no known language" -- sh -c "'$RL' -f json --stdin-filename notes.md <body.js"
expect_grep '"id": "skipped-not-source"' "$TMP/out" "notes.md: skipped, not source"

# The config nearest to PATH: sub/.roomlint.yml turns hardcoded-secret off.
expect_status 1 "config of sub/" -- sh -c "'$RL' -f json --stdin-filename sub/new/a.js <body.js"
expect_no_grep '"ruleId": "hardcoded-secret"' "$TMP/out" "sub/new/a.js: sub/.roomlint.yml applies"
expect_grep '"ruleId": "insecure-http-url"' "$TMP/out" "sub/new/a.js: other rules run"
expect_status 1 "root config for src/" -- sh -c "'$RL' -f json --stdin-filename src/b.js <body.js"
expect_grep '"ruleId": "hardcoded-secret"' "$TMP/out" "src/b.js: the root config, the rule on"
expect_status 1 "--no-config" -- sh -c "'$RL' --no-config -f json --stdin-filename sub/a.js <body.js"
expect_grep '"ruleId": "hardcoded-secret"' "$TMP/out" "--no-config: no config applies"

# Ignored paths report nothing (exit 0); -v says why; --no-ignore scans.
for p in legacy/old.js src/api.generated.js node_modules/pkg/index.js; do
  expect_status 0 "ignored: $p" -- sh -c "'$RL' -v --stdin-filename $p <body.js"
  expect_grep "0 files scanned" "$TMP/out" "$p: nothing scanned"
  expect_grep "$p: ignored by .*, not scanned" "$TMP/err" "$p: -v names the reason"
done
expect_status 1 "--no-ignore scans an ignored path" -- sh -c "'$RL' --no-ignore --stdin-filename legacy/old.js <body.js"
expect_status 1 "a near miss of an ignored name" -- sh -c "'$RL' --stdin-filename legacyish/old.js <body.js"

# Limits and bad input.
head -c 3000 /dev/zero | tr '\0' 'x' >big.js
expect_status 0 "over --max-file-size" -- sh -c "'$RL' -f json --max-file-size 1K --stdin-filename big.js <big.js"
expect_grep '"id": "skipped-too-large"' "$TMP/out" "too large: skipped, with a notification"
printf 'a\0b' >nul.js
expect_status 0 "a NUL byte" -- sh -c "'$RL' -f json --stdin-filename nul.js <nul.js"
expect_grep '"id": "skipped-binary"' "$TMP/out" "binary: skipped"
expect_status 2 "--stdin-filename with a PATH" -- "$RL" --stdin-filename a.js src
expect_grep "takes no PATH" "$TMP/err" "a PATH is refused"
expect_status 2 "an empty name" -- "$RL" --stdin-filename ''
expect_status 2 "standard input closed" -- sh -c "'$RL' --stdin-filename a.js <&-"
expect_grep "cannot read standard input" "$TMP/err" "closed stdin: a message"
finish
