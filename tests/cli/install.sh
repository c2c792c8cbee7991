#!/usr/bin/env bash
# cmake --install puts roomlint, tokend, the man pages roomlint(1) and
# tokend(8), and every rule's documentation under the prefix; the installed
# binary works and the man pages render without warnings.
. "$(dirname "$0")/lib/assert.bash"

build=${RL_BINARY_DIR:-$(dirname "$RL")}
prefix=$TMP/prefix
expect_status 0 "cmake --install into a temporary prefix" -- cmake --install "$build" --prefix "$prefix"

for f in bin/roomlint sbin/tokend share/man/man1/roomlint.1 share/man/man8/tokend.8 \
         share/doc/roomlint/README.md share/doc/roomlint/json-format.md; do
  [ -f "$prefix/$f" ] && ok "installed $f" || not_ok "missing $f"
done
[ -x "$prefix/bin/roomlint" ] && [ -x "$prefix/sbin/tokend" ] && ok "binaries are executable" || not_ok "binaries not executable"

# Every built-in rule's documentation, and nothing else that is not a doc.
expect_status 0 "installed roomlint lists its rules" -- "$prefix/bin/roomlint" --no-config --list-rules
missing=""
for id in $(awk '{print $1}' "$TMP/out"); do
  [ -f "$prefix/share/doc/roomlint/$id.md" ] || missing="$missing $id"
done
[ -z "$missing" ] && ok "every rule's doc is in share/doc/roomlint" || not_ok "docs missing for:$missing"
cmp -s "$prefix/share/doc/roomlint/hardcoded-secret.md" rules/hardcoded-secret.md && ok "a doc is installed as written" ||
  not_ok "share/doc/roomlint/hardcoded-secret.md differs from rules/hardcoded-secret.md"

expect_status 0 "installed roomlint --version" -- "$prefix/bin/roomlint" --version
expect_grep "^roomlint [0-9]+\.[0-9]+\.[0-9]+$" "$TMP/out" "prints its version"
expect_grep "^tree-sitter-typescript [0-9]" "$TMP/out" "prints the grammar versions"
expect_status 1 "installed roomlint scans the demo app" -- "$prefix/bin/roomlint" --no-config fixtures/demo-app
expect_status 0 "installed tokend --help" -- "$prefix/sbin/tokend" --help
expect_grep "environment variables" "$TMP/out" "tokend explains its settings"

if command -v groff >/dev/null && command -v man >/dev/null; then
  for page in share/man/man1/roomlint.1 share/man/man8/tokend.8; do
    expect_status 0 "groff -man -ww -z $page" -- groff -man -ww -z "$prefix/$page"
    [ ! -s "$TMP/err" ] && ok "$page: no groff warnings" || not_ok "$page: groff warns: $(head -3 "$TMP/err")"
    expect_status 0 "man -l $page" -- sh -c "MANWIDTH=80 man -l '$prefix/$page' | col -b"
    expect_grep "^NAME" "$TMP/out" "$page renders a NAME section"
    expect_no_grep '\\f|\\\(|^\.' "$TMP/out" "$page has no raw roff left in the text"
  done
  expect_status 0 "man -l roomlint.1" -- sh -c "MANWIDTH=80 man -l '$prefix/share/man/man1/roomlint.1' | col -b"
  expect_grep "^ +--baseline FILE" "$TMP/out" "roomlint(1) documents --baseline"
  expect_grep "^ +--config FILE" "$TMP/out" "roomlint(1) documents --config"
  # Every long option of --help is in the man page.
  "$prefix/bin/roomlint" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u > "$TMP/opts"
  missing=""
  while read -r opt; do grep -qe "$opt" "$TMP/out" || missing="$missing $opt"; done < "$TMP/opts"
  [ -z "$missing" ] && ok "roomlint(1) documents every option of --help" || not_ok "roomlint(1) lacks:$missing"
  # Every rule of --list-rules has an entry under RULES.
  missing=""
  for id in $("$prefix/bin/roomlint" --list-rules | awk '{print $1}'); do
    grep -qE "^ +$id\$" "$TMP/out" || missing="$missing $id"
  done
  [ -z "$missing" ] && ok "roomlint(1) lists every rule" || not_ok "roomlint(1) RULES lacks:$missing"
else
  skip "man page rendering needs groff and man (Debian groff-base, man-db; scripts/setup installs them)"
fi
finish
