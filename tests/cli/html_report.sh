#!/usr/bin/env bash
# --format html: one self-contained page. Renders the demo app's report in
# headless Chromium and checks what a reader sees: every finding, the
# chart, masked secrets, and no request leaving the page.
. "$(dirname "$0")/lib/assert.bash"

expect_status 1 "html report of the demo app" -- "$RL" -f html -o "$TMP/report.html" fixtures/demo-app
expect_status 1 "json report of the demo app (for the expected count)" -- "$RL" -f json -o "$TMP/report.json" fixtures/demo-app
want=$(python3 -c 'import json,sys; print(sum(1 for f in json.load(open(sys.argv[1]))["findings"] if f["suppressed"] is None))' "$TMP/report.json")
[ "$want" -gt 10 ] && ok "the demo app has $want findings" || not_ok "the demo app has only $want findings"

page=$TMP/report.html
expect_grep '^<!DOCTYPE html>' "$page" "an HTML document"
expect_no_grep '<script|<link|<img|<iframe|@import|url\(|src=' "$page" "no scripts and no external assets"
expect_grep "default-src 'none'" "$page" "a CSP that forbids every fetch"
expect_grep '<svg [^>]*role="img"' "$page" "an inline SVG chart"
expect_grep 'href="https://[^"]*#tokend-the-fix"' "$page" "the fix links the README's tokend section at an absolute address"
expect_grep 'id="rule-hardcoded-secret"' "$page" "rule explanations are included"
expect_grep '<mark>' "$page" "the finding's range is emphasised"
# Secrets: the demo's app secret (172 chars) never appears, only its mask.
secret=$(sed -n 's/^HMS_APP_SECRET=//p' fixtures/demo-app/.env | head -1)
[ ${#secret} -gt 20 ] || secret=unset-secret-placeholder
expect_no_grep "${secret:0:40}" "$page" "the app secret is not in the page"
expect_grep "${secret:0:4}…\(${#secret} chars\)" "$page" "the app secret is shown masked"

# Text from scanned files is escaped.
mkdir -p "$TMP/xss"
printf 'fetch("http://api.video-host.io/<script>alert(1)</script>");\n' > "$TMP/xss/a.js"
expect_status 1 "report of a hostile file" -- "$RL" -f html -o "$TMP/xss.html" "$TMP/xss"
expect_no_grep '<script>alert' "$TMP/xss.html" "markup in a snippet is escaped"
expect_grep '&lt;script&gt;alert' "$TMP/xss.html" "... and shown as text"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
  skip_all "the headless-browser half of this test needs Chromium (Debian package 'chromium'; scripts/setup installs it)"
fi
chrome() {
  local profile
  profile=$(mktemp -d "$TMP/chrome-XXXXXX")
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$profile" "$@"
}
chrome --dump-dom "file://$page" > "$TMP/dom.html" 2> "$TMP/chrome.err" || true
got=$(grep -oE '<article class="finding (error|warning|note)">' "$TMP/dom.html" | wc -l)
if [ "$got" = "$want" ]; then ok "the rendered page shows $got findings, as many as the JSON report"
else not_ok "the rendered page shows $got findings, wanted $want"; tail -5 "$TMP/chrome.err" | sed 's/^/    /'; fi
expect_grep "id=\"problem-count\">$want<" "$TMP/dom.html" "the summary counts them"
bars=$(grep -oE '<rect ' "$TMP/dom.html" | wc -l)
[ "$bars" -ge 5 ] && ok "the chart has $bars bars" || not_ok "the chart has $bars bars"

chrome --window-size=1280,2000 --screenshot="$TMP/report.png" "file://$page" > /dev/null 2>> "$TMP/chrome.err" || true
if [ -s "$TMP/report.png" ] && [ "$(head -c 8 "$TMP/report.png" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] &&
   [ "$(stat -c %s "$TMP/report.png")" -gt 20000 ]; then
  ok "a screenshot was taken ($(stat -c %s "$TMP/report.png") bytes)"
  [ -z "${RL_KEEP_SCREENSHOT:-}" ] || cp "$TMP/report.png" "$RL_KEEP_SCREENSHOT"
else
  not_ok "no screenshot"; tail -5 "$TMP/chrome.err" | sed 's/^/    /'
fi
finish
