#!/usr/bin/env bash
# `roomlint lsp` driven by a scripted client over pipes (issue 15, item 7):
# tests/cli/lsp_client.py plays the editor. The workspace has a config, ignore
# files of every kind and a git work tree, as a real project does.
. "$(dirname "$0")/lib/assert.bash"
W="$TMP/work space" # a space: URIs are percent-encoded
mkdir -p "$W"
git -C "$W" init -q
printf 'legacy/\n' >"$W/.gitignore"
printf 'gen/\n' >"$W/.roomlintignore"
cat >"$W/.roomlint.yml" <<'YML'
rules:
  disable: [insecure-http-url]
ignore: ["**/*.generated.js"]
YML
if python3 "$(dirname "$0")/lsp_client.py" "$RL" "$W" >"$TMP/lsp.out" 2>&1; then ok "the LSP session"; else
  not_ok "the LSP session"; fi
cat "$TMP/lsp.out"
n=$(grep -c '^ok - ' "$TMP/lsp.out" || true)
[ "$n" -ge 40 ] && ok "the client ran its checks ($n)" || not_ok "the client ran only $n checks"
# Usage mistakes are exit 2 before any protocol.
expect_status 2 "roomlint lsp with a PATH" -- "$RL" lsp src
expect_grep "takes no PATH" "$TMP/err" "lsp PATH: the message"
expect_status 2 "roomlint lsp with --stdin-filename" -- "$RL" lsp --stdin-filename a.js
expect_status 2 "roomlint lsp with an unknown option" -- "$RL" lsp --frob
expect_status 1 "roomlint lsp on empty input (no exit message)" -- sh -c "'$RL' lsp </dev/null"
finish
