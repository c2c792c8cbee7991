#!/usr/bin/env bash
# Every rule's documentation (rules/*.md) renders correctly in the HTML
# report, and no link of the page depends on where the file is saved. The
# rule fixtures fire every built-in rule, so one report holds every doc.
. "$(dirname "$0")/lib/assert.bash"

expect_status 1 "html report of every rule's fixtures" -- "$RL" --no-config -f html -o "$TMP/all.html" fixtures/rules
"$RL" --no-config --list-rules | awk '{print $1}' > "$TMP/ids"
missing=""
while read -r id; do grep -q "id=\"rule-$id\"" "$TMP/all.html" || missing="$missing $id"; done < "$TMP/ids"
[ -z "$missing" ] && ok "the page has the doc of every rule" || not_ok "no doc section for:$missing"
expect_status 0 "every rule doc renders as its markdown says" -- python3 tests/support/check-rule-docs "$TMP/all.html" rules
sed 's/^/    /' "$TMP/out" | tail -n 20

# The checker catches what it looks for: a doc with an indented fence in a
# list item, a link across two lines and a relative link, rendered by an
# older markdown subset, fails it (the page below is what that renderer made).
mkdir -p "$TMP/docs"
printf '# x\n\n1. one\n   ```js\n   a();\n   ```\n\nsee [the\nREADME](../README.md#y).\n' > "$TMP/docs/x.md"
cat > "$TMP/bad.html" <<'HTML'
<html><body><section class="doc" id="rule-x">
<h3><code>x</code></h3>
<ol>
<li>one
```js
a();
```</li>
</ol>
<p>see [the
README](../README.md#y).</p>
<a href="README.md#tokend-the-fix">tokend</a>
</section></body></html>
HTML
expect_status 1 "the checker fails a page that renders the doc wrongly" -- python3 tests/support/check-rule-docs "$TMP/bad.html" "$TMP/docs"
expect_grep "code fence left as text" "$TMP/out" "it sees the raw fence"
expect_grep "link syntax left as text" "$TMP/out" "it sees the raw link"
expect_grep "1 code blocks in the markdown, 0 rendered" "$TMP/out" "it counts code blocks"
expect_grep "is relative" "$TMP/out" "it sees the relative link"

# Links keep working wherever the page is saved: none is relative.
mkdir -p "$TMP/elsewhere/deep"
cp "$TMP/all.html" "$TMP/elsewhere/deep/report.html"
expect_no_grep 'href="[^#h]' "$TMP/elsewhere/deep/report.html" "every link is absolute or an anchor"
expect_grep 'href="https://[^"]*#tokend-the-fix"' "$TMP/all.html" "the fix links tokend's section at an absolute address"
finish
