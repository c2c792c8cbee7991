#!/usr/bin/env bash
# .roomlint.yml: found in the scanned root (or the working directory when
# PATH is a file) or given with --config; every setting changes what a user
# sees; command-line flags override it; bad files exit 2 with FILE:LINE.
. "$(dirname "$0")/lib/assert.bash"

app=$TMP/app
mkdir -p "$app/server" "$app/legacy" "$app/web" "$app/packs"
cat > "$app/server/token.js" <<'JS'
const jwt = require('jsonwebtoken');
function mint(user) {
  return jwt.sign({ sub: user }, process.env.HMS_APP_SECRET, { expiresIn: '2d' });
}
module.exports = { mint };
JS
printf 'fetch("http://api.demo-video.io/token");\n' > "$app/legacy/old.js"
printf "export const roomPin = 'Zk38Qw7LmP2xRt9V';\n" > "$app/pin.js"
printf "import { join } from '@acme/video-web';\nexport const go = () => join();\n" > "$app/web/call.js"
printf "import polka from 'polka';\nexport const app = polka();\n" > "$app/srv.js"
cat > "$app/packs/no-debug.scm" <<'SCM'
; id: no-debugger-call
; severity: note
; title: debugger statement
; message: debugger statement left in
; languages: javascript
(debugger_statement) @finding
SCM
printf 'debugger;\n' > "$app/dbg.js"
cd "$TMP"

expect_status 1 "without a config" -- "$RL" --no-config -v app
expect_grep "token-ttl-too-long" out "default TTL limit fires"
expect_grep "legacy/old.js" out "legacy scanned"
expect_no_grep "roomPin" out "roomPin is not a secret name by default"
expect_no_grep "no-debugger-call" out "no rule pack by default"
expect_no_grep "imports @acme/video-web" out "unknown SDK does not classify"
expect_no_grep "imports polka" out "unknown framework does not classify"

cat > app/.roomlint.yml <<'YML'
# roomlint settings for this app
rules:
  disable: [insecure-http-url]
  severity:
    token-ttl-too-long: note
fail-on: warning
max-token-ttl: 3d
ignore:
  - legacy/
secret-names: [roomPin]
client-sdks: ['@acme/video-web']
server-frameworks: [polka]
rule-packs: [packs]
YML
expect_status 1 "config in the scanned root is read" -- "$RL" -v app
expect_no_grep "token-ttl-too-long" out "max-token-ttl: 3d allows a 2-day token"
expect_no_grep "legacy/old.js" out "ignore: legacy/ leaves it out"
expect_grep "credential hard-coded in 'roomPin'" out "secret-names: roomPin is a secret name"
expect_grep "no-debugger-call" out "rule-packs: relative to the config file"
expect_grep "web/call.js +\[client: imports @acme/video-web\]" out "client-sdks: classifies as client"
expect_grep "srv.js +\[server: imports polka\]" out "server-frameworks: classifies as server"

# Command-line flags override the file.
expect_status 1 "--max-token-ttl overrides" -- "$RL" --max-token-ttl 1d app
expect_grep "note +expiresIn '2d'.*token-ttl-too-long" out "the severity override applies"
expect_status 0 "a note does not fail at --fail-on warning" -- "$RL" --max-token-ttl 1d --disable hardcoded-secret app
expect_status 1 "--fail-on note overrides the file's fail-on" -- "$RL" --max-token-ttl 1d --disable hardcoded-secret --fail-on note app
expect_status 1 "--enable overrides the file's disable" -- "$RL" --no-ignore --enable insecure-http-url --disable hardcoded-secret app
expect_grep "insecure-http-url" out "re-enabled rule fires"
expect_grep "legacy/old.js" out "--no-ignore drops the config's ignore patterns"
expect_status 1 "--no-config ignores the file" -- "$RL" --no-config app
expect_grep "insecure-http-url" out "... so the disabled rule fires"

# auth-middleware: a route behind a middleware whose name says nothing.
mkdir -p guarded/server
cat > guarded/server/token.js <<'JS'
const express = require('express');
const jwt = require('jsonwebtoken');
const { gatekeeper } = require('./gate');
const app = express();
app.post('/api/token', gatekeeper, (req, res) => {
  const token = jwt.sign({ access_key: process.env.HMS_ACCESS_KEY, room_id: 'standup', role: 'guest', type: 'app', version: 2 },
    process.env.HMS_APP_SECRET, { expiresIn: '1h', jwtid: 'x' });
  res.json({ token });
});
JS
expect_status 1 "an unknown middleware name does not authenticate" -- "$RL" guarded
expect_grep "unauthenticated-room-route" out "the route is reported"
printf 'auth-middleware: [gatekeeper]\n' > guarded/.roomlint.yml
expect_status 0 "auth-middleware: gatekeeper authenticates the route" -- "$RL" guarded

# Found in the working directory when PATH is a file; --config FILE.
cd app
expect_status 1 "PATH is a file: config from the working directory" -- "$RL" pin.js
expect_grep "roomPin" "$TMP/out" "the working directory's config applied"
cd "$TMP"
mkdir -p other
printf 'rules:\n  disable: [hardcoded-secret]\n' > other/cfg.yml
expect_status 0 "--config FILE replaces the found one" -- "$RL" --config other/cfg.yml app/pin.js

# Bad files: exit 2 with FILE:LINE: message.
printf 'rules:\n  disable: [insecure-http-url]\nmax-ttl: 3d\n' > bad1.yml
expect_status 2 "unknown key" -- "$RL" --config bad1.yml app
expect_grep "^roomlint: bad1.yml:3: unknown key 'max-ttl'" err "names file, line and key"
printf 'fail-on: warning\nrules:\n  severity:\n    token-ttl-too-long: loud\n' > bad2.yml
expect_status 2 "bad severity" -- "$RL" --config bad2.yml app
expect_grep "^roomlint: bad2.yml:4: severity of token-ttl-too-long: expected error, warning or note" err "names file, line and value"
printf 'rules:\n  enable:\n    - no-such-rule\n' > bad3.yml
expect_status 2 "unknown rule id" -- "$RL" --config bad3.yml app
expect_grep "^roomlint: bad3.yml:3: unknown rule 'no-such-rule'" err "names file and line of the rule"
printf 'ignore: [unclosed\n' > bad4.yml
expect_status 2 "YAML syntax error" -- "$RL" --config bad4.yml app
expect_grep "^roomlint: bad4.yml:[0-9]+:[0-9]+: not valid YAML" err "names file, line and column"
expect_status 2 "missing --config file" -- "$RL" --config nope.yml app
expect_grep "cannot read config nope.yml" err "names the missing file"
printf 'max-token-ttl: forever\n' > app/.roomlint.yml
expect_status 2 "a bad found config stops the run too" -- "$RL" app
expect_grep "app/.roomlint.yml:1: max-token-ttl: 'forever' is not a duration" err "names the found file"
# Numbers that would overflow or mean nothing are refused, with FILE:LINE (issue 16).
for ttl in 0.5 36600d 999999999999999999999999999999d; do
  printf 'max-token-ttl: %s\n' "$ttl" > bad5.yml
  expect_status 2 "max-token-ttl: $ttl is refused" -- "$RL" --config bad5.yml app
  expect_grep "^roomlint: bad5.yml:1: max-token-ttl: '$ttl' is not a duration from 1 second to 100 years" err "names file, line and the range"
done
# A config of deeply nested flow mappings is refused at once, with its line,
# instead of keeping libyaml busy for minutes (issue 16). The timeout only
# turns a hang into a failure.
python3 -c 'print("ignore: " + "{a: " * 50000 + "}" * 50000)' > deep.yml
expect_status 2 "a config nested 50,000 deep" -- timeout 600 "$RL" --config deep.yml app
expect_grep "^roomlint: deep.yml:1:[0-9]+: nested deeper than 16 levels" err "names file, line and the limit"
printf 'rules:\n  severity: {a: {b: {c: {d: {e: {f: {g: {h: {i: {j: {k: {l: {m: {n: {o: {p: {q: 1}}}}}}}}}}}}}}}}}\n' > deep2.yml
expect_status 2 "a config nested 18 deep" -- "$RL" --config deep2.yml app
expect_grep "^roomlint: deep2.yml:2:[0-9]+: nested deeper than 16 levels" err "names the line where it gets too deep"
head -c 1100000 /dev/zero | tr '\0' x > big.yml
expect_status 2 "a config over 1 MiB" -- "$RL" --config big.yml app
expect_grep "^roomlint: cannot read config big.yml: too-large" err "says it is too large"
finish
