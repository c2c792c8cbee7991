#!/usr/bin/env bash
# The pre-commit hook (.pre-commit-hooks.yaml): in a fresh git repository,
# `pre-commit try-repo <roomlint checkout> roomlint --files F` builds roomlint
# on first use, fails on an insecure staged file showing the finding, and
# passes on a clean one.
#
# try-repo clones the checkout's HEAD (a dirty tree becomes a shadow commit of
# whatever is modified, which in a shared tree may be half-done work), so the
# test clones HEAD itself and commits the working tree's hook files on top:
# it works from a fresh CI clone and from a dirty working tree alike, and
# tests the hook as it is now. The first run builds roomlint (minutes on a
# small machine; the grammars come from npm's cache when scripts/setup ran).
. "$(dirname "$0")/lib/assert.bash"

if ! command -v pre-commit >/dev/null 2>&1; then
  skip_all "pre-commit is not installed (Debian package 'pre-commit'; scripts/setup installs it)"
fi
src=${RL_SOURCE_DIR:-$(pwd)}
checkout=$TMP/roomlint
gitc() { git -c user.name=roomlint-test -c user.email=test@localhost -c commit.gpgsign=false "$@"; }
if git -C "$src" rev-parse --verify HEAD >/dev/null 2>&1; then
  git clone -q "$src" "$checkout"
else # a source tree that is not a git checkout (a tarball)
  mkdir -p "$checkout"
  (cd "$src" && tar --exclude='./build*' --exclude=node_modules --exclude=.git -cf - .) | tar -xf - -C "$checkout"
  git -C "$checkout" init -q
  git -C "$checkout" add -A
  gitc -C "$checkout" commit -q -m "source tree"
fi
cp "$src/.pre-commit-hooks.yaml" "$checkout/.pre-commit-hooks.yaml"
cp "$src/scripts/pre-commit-hook" "$checkout/scripts/pre-commit-hook"
git -C "$checkout" add .pre-commit-hooks.yaml scripts/pre-commit-hook
git -C "$checkout" diff --cached --quiet || gitc -C "$checkout" commit -q -m "hook files of the working tree"

export PRE_COMMIT_HOME=$TMP/pre-commit XDG_CACHE_HOME=$TMP/cache
user=$TMP/user
git init -q "$user"
cd "$user"
printf "const appSecret = 'Qx7vT2mK9pLw4ZrB8nYc3HdF6sGj1AeU5tRb0oWi';\nexport default appSecret;\n" > insecure.js
printf "export const room = 'standup';\n" > clean.js
printf 'HMS_APP_SECRET=Hn4cW8pZ2kYv6TqM1xLr9BdJ3sFg7AeU5tRb0oWi\n' > .env.production
printf '# notes\n' > README.md
git add insecure.js clean.js .env.production README.md

expect_status 1 "an insecure staged file fails the hook (first run builds roomlint)" -- \
  pre-commit try-repo "$checkout" roomlint --files insecure.js
cat "$TMP/err" >> "$TMP/out"
expect_grep "^roomlint\.+Failed" "$TMP/out" "pre-commit reports the hook failed"
expect_grep "credential hard-coded in 'appSecret'.*hardcoded-secret" "$TMP/out" "the finding is shown"
expect_no_grep "Qx7vT2mK9pLw4ZrB8nYc" "$TMP/out" "the secret is masked"
[ "$(find "$TMP/cache/roomlint" -mindepth 1 -maxdepth 1 -type d | wc -l)" = 1 ] && [ -x "$(echo "$TMP"/cache/roomlint/*/bin/roomlint)" ] &&
  ok "roomlint was built once, into the cache" || not_ok "no roomlint in $TMP/cache/roomlint"

expect_status 0 "a clean staged file passes" -- pre-commit try-repo "$checkout" roomlint --files clean.js
expect_grep "^roomlint\.+Passed" "$TMP/out" "pre-commit reports the hook passed"
expect_no_grep "building roomlint" "$TMP/out" "the second run reuses the build"
expect_status 1 "dotenv files reach the hook" -- pre-commit try-repo "$checkout" roomlint --files .env.production
expect_grep "secret-in-env-file" "$TMP/out" "the dotenv finding is shown"
# The hook honours ignore files for the files pre-commit names (--force-exclude).
mkdir -p generated
printf "const appSecret = 'Lm4pX8qR2tV6yB1nC5dF9gH3jK7wZ0aE';\nexport default appSecret;\n" > generated/client.js
printf 'generated/\n' > .roomlintignore
printf 'ignore: [legacy/]\n' > .roomlint.yml
mkdir -p legacy && cp generated/client.js legacy/old.js
git add generated/client.js legacy/old.js .roomlintignore .roomlint.yml
expect_status 0 "a staged file .roomlintignore leaves out passes" -- pre-commit try-repo "$checkout" roomlint --files generated/client.js
expect_grep "^roomlint\.+Passed" "$TMP/out" "pre-commit reports the hook passed"
expect_status 0 "a staged file the config's ignore: leaves out passes" -- pre-commit try-repo "$checkout" roomlint --files legacy/old.js
expect_status 1 "beside an insecure one, that one still fails" -- pre-commit try-repo "$checkout" roomlint --files legacy/old.js insecure.js
expect_grep "hardcoded-secret" "$TMP/out" "the finding is shown"
expect_no_grep "legacy/old.js" "$TMP/out" "the ignored file is not reported"
# The README's two snippets, as written there: the commit-pinned one (with
# the checkout as its repository) and the language: system one (with the
# roomlint under test first on PATH).
snippet() { # the yaml block after the README's <!-- NAME --> marker
  awk -v m="<!-- $1 -->" '$0 == m {on = 1; next} on && /^```yaml/ {inb = 1; next} inb && /^```/ {exit} inb {print}' "$src/README.md"
}
rev=$(git -C "$checkout" rev-parse HEAD)
snippet precommit-remote | sed -e "s|repo: https://[^ ]*|repo: $checkout|" -e "s|rev: [0-9a-f]\{40\}|rev: $rev|" > .pre-commit-config.yaml
grep -q "rev: $rev" .pre-commit-config.yaml && ok "the README pins a full commit id" || not_ok "no 40-hex rev: in the README's snippet"
expect_status 1 "the README's pinned-commit snippet runs the hook" -- pre-commit run roomlint --files insecure.js
expect_grep "hardcoded-secret" "$TMP/out" "... and it fails on the finding"
expect_status 0 "... and honours .roomlintignore" -- pre-commit run roomlint --files generated/client.js
snippet precommit-local > .pre-commit-config.yaml
grep -q "language: system" .pre-commit-config.yaml && ok "the README has a language: system snippet" || not_ok "no language: system snippet"
mkdir -p "$TMP/bin" && ln -sf "$RL" "$TMP/bin/roomlint"
expect_status 1 "the README's language: system snippet runs the installed roomlint" -- env PATH="$TMP/bin:$PATH" pre-commit run roomlint --files insecure.js legacy/old.js
expect_grep "hardcoded-secret" "$TMP/out" "... it fails on the finding"
expect_no_grep "legacy/old.js" "$TMP/out" "... and leaves out what the config ignores"
expect_status 0 "... and passes a clean file" -- env PATH="$TMP/bin:$PATH" pre-commit run roomlint --files clean.js
rm .pre-commit-config.yaml

expect_status 0 "files roomlint does not read are not passed to it" -- pre-commit try-repo "$checkout" roomlint --files README.md
expect_grep "no files to check" "$TMP/out" "pre-commit skips the hook"
finish
