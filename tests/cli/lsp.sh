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
finish
