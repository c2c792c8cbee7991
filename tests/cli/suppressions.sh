#!/usr/bin/env bash
# Suppression comments stay honest: one that suppresses nothing is a note at
# its rule name (an error with --report-unused-suppressions=error), and an
# unknown rule name in one is an error with its location that fails the run.
# The shapes are the ones ESLint users write: a trailing disable-line after
# code, a disable-next-line above the line, JSX {/* ... */} blocks, a
# file-top block with no enable, several rules in one comment.
. "$(dirname "$0")/lib/assert.bash"

app=$TMP/app
mkdir -p "$app/src" "$app/server"
cd "$app"
printf '{"name":"app","dependencies":{"react":"18.2.0","vite":"5.0.0"}}\n' > package.json
cat > server/keys.js <<'JS'
// roomlint-disable-next-line hardcoded-secret -- emulator key, rotated nightly
const appSecret = 'Qx7vT2mK9pLw4ZrB8nYc3HdF6sGj1AeU5tRb0oWi';
// roomlint-disable-next-line hardcoded-secret -- left over after the key moved to the vault
const roomName = 'standup';
fetch('http://printer.lan/status'); // roomlint-disable-line insecure-http-url
fetch('https://api.video-host.io/rooms'); // roomlint-disable-line insecure-http-url
// A note for readers: write roomlint-disable-line RULE after the code to silence it.
const help = '// roomlint-disable-next-line hardcoded-secret';
// eslint-disable-next-line no-console
console.log(appSecret.length, roomName, help);
module.exports = { appSecret };
JS
cat > server/block.js <<'JS'
/* roomlint-disable insecure-http-url */
fetch('http://legacy.lan/a');
/* roomlint-disable insecure-http-url */
fetch('http://legacy.lan/b');
/* roomlint-enable insecure-http-url */
/* roomlint-disable hardcoded-secret, insecure-http-url -- generated client, reviewed */
const generated = 1;
/* roomlint-enable */
module.exports = { generated };
JS
cat > src/Room.jsx <<'JS'
export function Room() {
  return (
    <div>
      {/* roomlint-disable-next-line insecure-http-url -- the kiosk has no TLS */}
      <button onClick={() => fetch('http://kiosk.lan/ring')}>ring</button>
      {/* roomlint-disable-next-line insecure-http-url */}
      <button onClick={() => fetch('/api/ring')}>ring</button>
    </div>
  );
}
JS
cat > src/typo.js <<'JS'
// roomlint-disable-next-line hardcoded-secrets -- a misspelt rule name
export const room = 'standup';
export const ok = 1; // roomlint-disable-line insecure-http-url,@typescript-eslint/no-explicit-any
JS
printf 'PUBLIC_ROOM=standup # roomlint-disable-line secret-in-env-file\n' > .env

# notes: one line per suppression notification, "path:line:col level message"
notes() {
  python3 -c '
import json,sys
for f in json.load(open(sys.argv[1]))["files"]:
    for n in f.get("notifications", []):
        if n["id"].startswith("suppression-"):
            print("%s:%d:%d %s %s" % (f["path"], n["line"], n["column"], n["level"], n["message"]))' "$1" > "$TMP/notes"
}
expect_status 1 "an unknown rule in a suppression fails the run" -- "$RL" --no-config .
cp "$TMP/out" "$TMP/text"
expect_grep '^  3:31 +note +unused roomlint-disable-next-line: no hardcoded-secret finding here to suppress +suppression-unused' "$TMP/text" \
  "the text report shows an unused disable-next-line at its rule name"
expect_grep "^  1:31 +error +unknown rule 'hardcoded-secrets' in roomlint-disable-next-line" "$TMP/text" "... and a misspelt rule as an error"
expect_grep '2 errors in suppression comments' "$TMP/text" "the summary counts the errors"
expect_no_grep 'Qx7vT2mK9pLw4ZrB8nYc' "$TMP/text" "no secret is printed"
"$RL" --no-config -f json -o "$TMP/r.json" . || true
notes "$TMP/r.json"
n=$TMP/notes
expect_grep '^server/keys.js:3:31 note unused roomlint-disable-next-line: no hardcoded-secret finding here to suppress$' "$n" \
  "an unused disable-next-line is a note at its rule name"
expect_grep '^server/keys.js:6:[0-9]+ note unused roomlint-disable-line: no insecure-http-url' "$n" "an unused trailing disable-line is reported"
expect_no_grep '^server/keys.js:1:' "$n" "a disable-next-line that suppressed a finding is not"
expect_no_grep '^server/keys.js:5:' "$n" "a used trailing disable-line is not"
expect_no_grep '^server/keys.js:(7|8|9):' "$n" "prose about a directive, a directive in a string and an ESLint comment are not directives"
expect_grep '^server/block.js:3:[0-9]+ note unused roomlint-disable: no insecure-http-url' "$n" "a disable inside an open block suppresses nothing more"
expect_grep '^server/block.js:6:[0-9]+ note unused roomlint-disable: no hardcoded-secret' "$n" "each rule of a block is judged: hardcoded-secret"
expect_grep '^server/block.js:6:[0-9]+ note unused roomlint-disable: no insecure-http-url' "$n" "... and insecure-http-url"
expect_no_grep '^server/block.js:1:' "$n" "a block that suppressed a finding is not"
expect_no_grep '^server/block.js:(5|8):' "$n" "enable comments are not judged"
expect_grep '^src/Room.jsx:6:[0-9]+ note unused roomlint-disable-next-line: no insecure-http-url' "$n" "an unused JSX comment is reported"
expect_no_grep '^src/Room.jsx:4:' "$n" "a used JSX comment is not"
expect_grep "^src/typo.js:1:31 error unknown rule 'hardcoded-secrets' in roomlint-disable-next-line" "$n" "a misspelt rule is an error at its name"
expect_grep "^src/typo.js:3:[0-9]+ error unknown rule '@typescript-eslint/no-explicit-any'" "$n" "a foreign rule name is an error too"
expect_grep "^src/typo.js:3:[0-9]+ note unused roomlint-disable-line: no insecure-http-url" "$n" "... and the known name beside it is still judged"
expect_grep '^.env:1:[0-9]+ note unused roomlint-disable-line: no secret-in-env-file' "$n" "dotenv comments are judged"
[ "$(wc -l < "$n")" = 10 ] && ok "10 suppression notes in all" || { not_ok "$(wc -l < "$n") suppression notes, wanted 10"; cat "$n"; }

expect_status 0 "--fail-on none: reported, never fails" -- "$RL" --no-config --fail-on none .
expect_grep "unknown rule 'hardcoded-secrets'" "$TMP/out" "the error is still shown"

# Without the misspelt file: unused ones are notes, the run passes ...
rm src/typo.js
expect_status 0 "unused suppressions alone do not fail the run" -- "$RL" --no-config .
expect_grep 'suppression-unused' "$TMP/out" "they are shown"
expect_status 1 "--report-unused-suppressions=error fails it" -- "$RL" --no-config --report-unused-suppressions=error .
expect_grep '^  3:31 +error +unused roomlint-disable-next-line' "$TMP/out" "as errors"
expect_status 0 "--report-unused-suppressions=off" -- "$RL" --no-config --report-unused-suppressions=off .
expect_no_grep 'suppression-' "$TMP/out" "reports none"
expect_status 0 "a rule turned off for the run" -- "$RL" --no-config --disable insecure-http-url .
expect_no_grep 'no insecure-http-url finding' "$TMP/out" "leaves its directives unjudged"
expect_grep 'no hardcoded-secret finding' "$TMP/out" "... and judges the others"
expect_status 2 "a bad level is a usage error" -- "$RL" --no-config --report-unused-suppressions=warn .
expect_grep "report-unused-suppressions: 'warn' is not one of note, error, off" "$TMP/err" "naming the choices"

# SARIF carries them as tool notifications with their location.
expect_status 0 "sarif" -- "$RL" --no-config -f sarif -o "$TMP/r.sarif" .
expect_status 0 "the SARIF notification has the location" -- python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
ns=d["runs"][0]["invocations"][0]["toolExecutionNotifications"]
hit=[n for n in ns if n.get("descriptor",{}).get("id")=="suppression-unused" and
     n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("server/keys.js") and
     n["locations"][0]["physicalLocation"]["region"]["startLine"]==3]
assert hit, ns[:3]' "$TMP/r.sarif"
finish
