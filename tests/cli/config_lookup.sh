#!/usr/bin/env bash
# Ignores and config as users of ruff, black and ESLint expect:
# .roomlint.yml is found from each PATH up to the repository root, its
# ignore: and overrides: globs are anchored at its directory, --force-exclude
# applies ignore rules to named paths, --print-config says where each
# setting comes from, and overrides: change rules per path.
. "$(dirname "$0")/lib/assert.bash"

secret() { printf "const appSecret = '%s';\nmodule.exports = { appSecret };\n" "Qx7vT2mK9pLw4ZrB8nYc3HdF6sGj1AeU5tRb0oWi" > "$1"; }
repo=$TMP/outer/repo
mkdir -p "$repo/src/gen" "$repo/src/lib" "$repo/scripts" "$repo/myscripts" "$repo/node_modules/sdk" "$repo/vendored"
git init -q "$repo"
for f in src/app.js src/gen/client.js src/lib/keys.js scripts/seed.js myscripts/seed.js src/app.test.js \
         node_modules/sdk/index.js vendored/old.js src/local.js; do secret "$repo/$f"; done
printf 'fetch("http://api.video-host.io/rooms");\n' > "$repo/src/lib/http.js"
# A config above the repository root must never be read.
printf 'rules:\n  disable: [hardcoded-secret]\n' > "$TMP/outer/.roomlint.yml"
cat > "$repo/.roomlint.yml" <<'YML'
rules:
  severity:
    insecure-http-url: error
ignore:
  - src/gen/
  - /vendored/
overrides:
  - paths: [scripts/, "**/*.test.js"]
    rules:
      hardcoded-secret: off
  - paths: [src/lib/]
    rules:
      hardcoded-secret: note
  - paths: [src/lib/keys.js]
    rules:
      hardcoded-secret: warning
YML
printf 'src/local.js\n' > "$repo/.gitignore"
cd "$repo"

# ---- lookup --------------------------------------------------------------------
expect_status 1 "roomlint src from the root" -- "$RL" -v src
expect_grep "^src/app.js" "$TMP/out" "scans src"
expect_grep "error +plain http://.*insecure-http-url" "$TMP/out" "reads the root's .roomlint.yml (severity: error)"
expect_no_grep "src/gen/client.js" "$TMP/out" "ignore: src/gen/ is anchored at the config's directory, not at the PATH"
expect_status 1 "roomlint . from a subdirectory" -- sh -c "cd src/lib && '$RL' ."
expect_grep "error +plain http://" "$TMP/out" "finds the config two levels up"
expect_status 0 "--print-config from a file's directory" -- sh -c "cd src/lib && '$RL' --print-config keys.js"
expect_grep "^# config file: $repo/.roomlint.yml \(found from keys.js\)" "$TMP/out" "names the file and the PATH it was found from"
expect_no_grep "disable:$" "$TMP/out" "the config above the repository root is not read"
mkdir -p src/pkg && secret src/pkg/a.js && printf 'fetch("http://api.video-host.io/x");\n' > src/pkg/b.js
printf 'rules:\n  disable: [insecure-http-url]\n' > src/pkg/.roomlint.yml
expect_status 1 "the nearest config wins" -- "$RL" src/pkg
expect_no_grep "insecure-http-url" "$TMP/out" "src/pkg/.roomlint.yml turns the rule off there"
expect_status 2 "PATHs with different configs" -- "$RL" src/pkg src/lib
expect_grep "src/pkg uses src/pkg/.roomlint.yml but src/lib uses .roomlint.yml" "$TMP/err" "are refused with both names"
expect_status 1 "PATHs with the same config" -- "$RL" src/lib scripts
rm -r src/pkg
( cd "$TMP" && mkdir -p loose && secret loose/a.js )
expect_status 0 "outside any repository the lookup goes up to /" -- "$RL" --print-config "$TMP/loose/a.js"
expect_grep "^# config file: none" "$TMP/out" "... and finds none above $TMP/loose"

# ---- --force-exclude -----------------------------------------------------------
expect_status 1 "named files are scanned without --force-exclude" -- "$RL" -v src/gen/client.js src/local.js node_modules/sdk/index.js
expect_grep "^src/gen/client.js" "$TMP/out" "... one the config ignores"
expect_grep "^src/local.js" "$TMP/out" "... one .gitignore ignores"
expect_grep "^node_modules/sdk/index.js" "$TMP/out" "... one in a default directory"
expect_status 0 "with --force-exclude they are left out" -- "$RL" -v --force-exclude src/gen/client.js src/local.js node_modules/sdk/index.js vendored/old.js
expect_grep "skipped +src/gen/client.js .*ignored by the config's ignore: list \(--force-exclude\)" "$TMP/out" "config ignore:, said with -v"
expect_grep "skipped +src/local.js .*ignored by .*\.gitignore \(--force-exclude\)" "$TMP/out" ".gitignore"
expect_grep "skipped +node_modules/sdk/index.js .*ignored by default \(--force-exclude\)" "$TMP/out" "a default directory"
expect_grep "skipped +vendored/old.js" "$TMP/out" "an anchored /vendored/"
expect_grep "0 files scanned, 4 skipped" "$TMP/out" "counted as skipped"
expect_status 1 "--force-exclude keeps files no rule ignores" -- "$RL" --force-exclude src/app.js src/lib/keys.js
expect_grep "^src/app.js" "$TMP/out" "src/app.js is scanned"
printf '!src/local.js\n' > .roomlintignore
expect_status 1 "a ! re-include in a later ignore file wins" -- "$RL" --force-exclude src/local.js
rm .roomlintignore
expect_status 0 "a named directory that is ignored" -- "$RL" -v --force-exclude src/gen
expect_grep "skipped +src/gen .*\(--force-exclude\)" "$TMP/out" "is left out too"
expect_status 1 "--force-exclude from a subdirectory" -- sh -c "cd src && '$RL' --force-exclude gen/client.js app.js"
expect_no_grep "gen/client.js" "$TMP/out" "anchoring still at the config's directory"
expect_status 1 "--no-ignore wins over --force-exclude" -- "$RL" --no-ignore --force-exclude src/gen/client.js
expect_status 0 "json says why" -- sh -c "'$RL' -f json --force-exclude src/gen/client.js > '$TMP/fx.json'"
expect_status 0 "the skip reason is 'ignored'" -- python3 -c '
import json,sys
f=json.load(open(sys.argv[1]))["files"][0]
assert f["path"]=="src/gen/client.js" and "ignored" in json.dumps(f), f' "$TMP/fx.json"

# ---- overrides -----------------------------------------------------------------
expect_status 1 "overrides" -- "$RL" -f json -o "$TMP/ov.json" --no-ignore .
python3 -c '
import json,sys
for f in json.load(open(sys.argv[1]))["findings"]:
    print(f["path"], f["ruleId"], f["level"] if "level" in f else f["severity"])' "$TMP/ov.json" > "$TMP/ov"
expect_no_grep "^scripts/seed.js hardcoded-secret" "$TMP/ov" "scripts/: hardcoded-secret off"
expect_grep "^myscripts/seed.js hardcoded-secret error" "$TMP/ov" "near miss: myscripts/ is not scripts/"
expect_no_grep "^src/app.test.js hardcoded-secret" "$TMP/ov" "**/*.test.js: off"
expect_grep "^src/app.js hardcoded-secret error" "$TMP/ov" "near miss: src/app.js keeps the default"
expect_grep "^src/lib/keys.js hardcoded-secret warning" "$TMP/ov" "a later entry wins (src/lib/ note, then keys.js warning)"
expect_grep "^src/lib/http.js insecure-http-url error" "$TMP/ov" "rules of no override keep the config's severity"
cp .roomlint.yml good.yml
printf 'overrides:\n  - paths: [a/]\n    rules:\n      hardcoded-secretz: off\n' > .roomlint.yml
expect_status 2 "an unknown rule in overrides" -- "$RL" .
expect_grep "\.roomlint\.yml:4: unknown rule 'hardcoded-secretz'" "$TMP/err" "names the line"
printf 'overrides:\n  - paths: [a/]\n    rules:\n      hardcoded-secret: disabled\n' > .roomlint.yml
expect_status 2 "a bad value in overrides" -- "$RL" .
expect_grep "\.roomlint\.yml:4: overrides: hardcoded-secret: expected off, error, warning or note" "$TMP/err" "names the line and the choices"
printf 'overrides:\n  - rules:\n      hardcoded-secret: off\n' > .roomlint.yml
expect_status 2 "an override without paths" -- "$RL" .
expect_grep "an entry needs paths" "$TMP/err" "is refused"
mv good.yml .roomlint.yml

# ---- --print-config --------------------------------------------------------------
expect_status 0 "--print-config" -- "$RL" --print-config --fail-on error --disable secret-logged .
cp "$TMP/out" "$TMP/printed.yml"
expect_grep "^    insecure-http-url: error  # \.roomlint\.yml:3$" "$TMP/printed.yml" "a file setting names its line"
expect_grep "^fail-on: error  # --fail-on$" "$TMP/printed.yml" "a flag names itself"
expect_grep "^    - 'secret-logged'  # --disable$" "$TMP/printed.yml" "a flag's list entry too"
expect_grep "^max-token-ttl: 86400  # default \(24h\)$" "$TMP/printed.yml" "a default says so"
expect_grep "^  - 'src/gen/'  # \.roomlint\.yml:5$" "$TMP/printed.yml" "ignore entries"
expect_grep "^      hardcoded-secret: off  # \.roomlint\.yml:10$" "$TMP/printed.yml" "override rules"
expect_status 0 "the printed settings load back" -- "$RL" --config "$TMP/printed.yml" --print-config .
grep -v '^#' "$TMP/printed.yml" | sed 's/  #.*//' > "$TMP/a"
grep -v '^#' "$TMP/out" | sed 's/  #.*//' > "$TMP/b"
cmp -s "$TMP/a" "$TMP/b" && ok "... to the same settings" || { not_ok "printed settings differ after a reload"; diff "$TMP/a" "$TMP/b" | head; }
expect_status 0 "--print-config --no-config" -- "$RL" --print-config --no-config .
expect_grep "^# config file: none" "$TMP/out" "says there is none"
expect_grep "^fail-on: warning  # default$" "$TMP/out" "and shows the defaults"
finish
