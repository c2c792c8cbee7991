#!/usr/bin/env bash
# Hostile repositories for --history, --staged and the walk's git index:
# a 1 GiB blob (skipped by its size, never read into memory), a shallow
# clone, a corrupt pack and a corrupt loose object: clear messages, no crash.
. "$(dirname "$0")/lib/assert.bash"
cd "$TMP"
export GIT_CONFIG_NOSYSTEM=1 HOME=$TMP
git config --global user.email test@example.invalid
git config --global user.name test
git config --global init.defaultBranch main
S1=Qx7vT2mK9pLw4ZrB8nYc3HdF6sGj1AeU5tRb0oWi
S2=Zq8vN3kP7wLx2RtY6mBc9HdF4sGj1AeU5tRb0oWi

# no crash: a signal would show as 128+N; sanitizers print their reports
no_crash() {
  local what=$1
  if [ "$status" -lt 128 ] && ! grep -q 'Sanitizer\|runtime error' "$TMP/err"; then ok "$what: no crash"
  else not_ok "$what: crashed (exit $status)"; head -5 "$TMP/err" | sed 's/^/    /'; fi
}
run() { status=0; "$@" >"$TMP/out" 2>"$TMP/err" || status=$?; }

# ---- a 1 GiB blob ---------------------------------------------------------------
# Written as a loose object by hand (zlib of "blob <size>\0" + zeros): 4.5 MB
# on disk, no 1 GiB file ever exists, and its id is what git computes.
mkdir big && cd big && git init -q
printf 'export const cfg = {\n  appSecret: "%s",\n};\n' "$S1" > small.js
git add small.js && git commit -qm small
oid=$(python3 - <<'PY'
import hashlib, os, zlib
n = 1 << 30
hdr = b"blob %d\0" % n
h, z, chunk = hashlib.sha1(hdr), zlib.compressobj(1), bytes(1 << 20)
parts = [z.compress(hdr)]
for _ in range(n >> 20):
    h.update(chunk)
    parts.append(z.compress(chunk))
parts.append(z.flush())
oid = h.hexdigest()
d = os.path.join(".git", "objects", oid[:2])
os.makedirs(d, exist_ok=True)
with open(os.path.join(d, oid[2:]), "wb") as f:
    f.write(b"".join(parts))
print(oid)
PY
)
git update-index --add --cacheinfo "100644,$oid,huge.js"
git commit -qm "a 1 GiB blob"
[ "$(git cat-file -s "$oid")" = 1073741824 ] && ok "git sees a 1 GiB blob" || not_ok "the generated blob is not 1 GiB"
truncate -s 1G huge.js   # sparse: the work tree has the file too, for --staged
cd ..
# A scan that read the blob would need 1 GiB: cap the address space below
# that (not under sanitizers, which reserve terabytes of it).
limit() { if [ -n "${RL_SHAPES_SMALL:-}" ]; then "$@"; else (ulimit -v 700000; "$@"); fi; }
run limit "$RL" --history -f json big
[ "$status" = 1 ] && ok "--history over a 1 GiB blob finishes (exit 1: small.js)" || not_ok "--history: exit $status"
no_crash "--history, 1 GiB blob"
expect_grep '1 over --max-file-size' "$TMP/err" "the big blob is counted as too large"
expect_grep '"path": "huge.js"' "$TMP/out" "the big blob is reported as skipped"
expect_grep '"path": "small.js"' "$TMP/out" "the small file's secret is still found"
run limit "$RL" --staged -f json big
[ "$status" = 1 ] && ok "--staged with a 1 GiB blob in the index finishes" || not_ok "--staged: exit $status"
no_crash "--staged, 1 GiB blob"
expect_grep '"reason": "too-large"' "$TMP/out" "--staged skips it by its size"
expect_grep 'larger than --max-file-size' "$TMP/out" "... and says so in words"

# ---- a shallow clone ------------------------------------------------------------
mkdir deep && cd deep && git init -q
printf 'HMS_APP_SECRET=%s\n' "$S1" > .env.production && git add . && git commit -qm old
git rm -q .env.production && git commit -qm gone
for i in 1 2 3; do echo "export const v = $i;" > v.js; git add v.js; git commit -qm "v$i"; done
printf 'export const cfg = {\n  appSecret: "%s",\n};\n' "$S2" > recent.js && git add . && git commit -qm recent
cd ..
git clone -q --depth 2 "file://$TMP/deep" shallow
run "$RL" --history -f json shallow
[ "$status" = 1 ] && ok "--history in a shallow clone (exit 1)" || not_ok "shallow: exit $status"
no_crash "shallow clone"
expect_grep 'shallow clone: 1 parent commit is not in the repository' "$TMP/err" "stderr says the history is cut"
expect_grep '"path": "recent.js"' "$TMP/out" "what the clone has is scanned"
expect_no_grep '\.env\.production' "$TMP/out" "what it lacks is not invented"
run "$RL" --history -f json deep
expect_grep '"path": ".env.production"' "$TMP/out" "the full repository has the old secret"

# ---- a corrupt pack and a corrupt loose object --------------------------------
cp -r deep packed && (cd packed && git gc -q)
pack=$(ls packed/.git/objects/pack/*.pack)
size=$(stat -c %s "$pack")
chmod u+w "$pack"
# overwrite the middle of the pack (object data, past the 12-byte header)
python3 - "$pack" "$size" <<'PY'
import sys
p, n = sys.argv[1], int(sys.argv[2])
with open(p, "r+b") as f:
    f.seek(n // 3)
    f.write(b"\xff" * max(64, n // 3))
PY
run "$RL" --history packed
[ "$status" = 2 ] && ok "a corrupt pack: exit 2" || not_ok "corrupt pack: exit $status"
no_crash "corrupt pack"
expect_grep 'history incomplete: [0-9]+ objects? could not be read' "$TMP/err" "the message says the history is incomplete"
expect_grep 'git fsck' "$TMP/err" "and what to run"

cp -r deep loose
obj=$(cd loose && git rev-parse HEAD:recent.js)
f=loose/.git/objects/${obj:0:2}/${obj:2}
chmod u+w "$f" && printf 'not zlib at all' > "$f"
run "$RL" --history loose
[ "$status" = 2 ] && ok "a corrupt loose blob: exit 2" || not_ok "corrupt loose object: exit $status"
no_crash "corrupt loose object"
expect_grep "blob $obj could not be read" "$TMP/err" "the message names the object"
run "$RL" --staged -f json loose
no_crash "--staged over a corrupt object"
[ "$status" = 0 ] || [ "$status" = 1 ] || [ "$status" = 2 ] && ok "--staged over a corrupt object: exit $status" ||
  not_ok "--staged: exit $status"
expect_grep '"path": "loose/recent.js"' "$TMP/out" "--staged reports the unreadable file"
expect_grep "could not be read" "$TMP/out" "... with the reason"

# a directory that only looks like a repository
mkdir fake && mkdir fake/.git && echo 'export const a = 1;' > fake/a.js
run "$RL" fake
[ "$status" = 0 ] && ok "a bogus .git directory: the walk scans as before" || not_ok "bogus .git: exit $status"
run "$RL" --history fake
[ "$status" = 2 ] && ok "--history on a bogus .git: exit 2" || not_ok "bogus .git --history: exit $status"
no_crash "bogus .git"

finish
