#!/usr/bin/env bash
# What roomlint reads from git (src/gitrepo.c), on repositories this test
# builds with the git CLI:
#   - tracked files are scanned whatever .gitignore says; untracked ignored
#     files stay skipped; outside a repository nothing changes;
#   - --history: a secret added then removed, only on a side branch, in a
#     renamed file, in a deleted file, behind a tag; binary blobs counted;
#     SARIF provenance and fingerprints stable across runs (--baseline);
#   - --staged reads the index, not the work tree;
#   - --baseline-ref REF fails only on what the branch adds;
#   - the compact baseline (-f baseline) and --prune-baseline.
. "$(dirname "$0")/lib/assert.bash"
cd "$TMP"
export GIT_CONFIG_NOSYSTEM=1 HOME=$TMP GIT_AUTHOR_DATE='2024-01-02T03:04:05Z' GIT_COMMITTER_DATE='2024-01-02T03:04:05Z'
git config --global user.email test@example.invalid
git config --global user.name test
git config --global init.defaultBranch main
git config --global advice.detachedHead false

# Real-looking credentials (random text, no provider's shape but 100ms's own).
S1=Qx7vT2mK9pLw4ZrB8nYc3HdF6sGj1AeU5tRb0oWi
S2=Zq8vN3kP7wLx2RtY6mBc9HdF4sGj1AeU5tRb0oWi
S3=Hn4cW8pZ2kYv6TqM1xLr9BdJ3sFg7AeU5tRb0oWi
S4=Wd2fL9qX5mZc8VbN4kJr7HsT1gPy6AeU5tRb0oWi
APP=56yL52r661EzbrHDm3u6rMGFfhfkrN4sReQjIdHDUilqTs98QmbjtFxRBtUosmK_tIUdRaksMuapVaVDxJaOrpK-c_Lzw1argJ9uih75Vja8cJThRSnAy8tl_wuunCUJQP-nsv949Ec9zTSyn7xq9Yla15yBgEZNWFx4fCanUQs=

# ---- 1. tracked files are always scanned -------------------------------------
mkdir tracked && cd tracked && git init -q
printf 'HMS_APP_SECRET=%s\n' "$S1" > .env                # committed before the ignore line
mkdir config && printf 'HMS_APP_SECRET=%s\n' "$S2" > config/.env.production
git add .env config/.env.production
printf '.env\nconfig/\n.env.local\n' > .gitignore
git add .gitignore && git commit -qm init
printf 'HMS_APP_SECRET=%s\n' "$S3" > .env.local         # untracked and ignored
printf 'HMS_APP_SECRET=%s\n' "$S4" > config/.env.staging # untracked, in an ignored directory
cd ..
expect_status 1 "a tracked .env that .gitignore lists is scanned" -- "$RL" -f json tracked
expect_grep '"path": "tracked/.env"' out "tracked/.env reported"
expect_grep '"path": "tracked/config/.env.production"' out "a tracked file inside an ignored directory is reported"
expect_no_grep 'env.local|env.staging' out "untracked ignored files stay skipped"
expect_status 1 "-v says a tracked file is listed in .gitignore" -- "$RL" -v tracked
expect_grep 'tracked/.env: tracked by git, so scanned, although ignored by tracked/.gitignore' out "-v names the ignore file"
expect_grep 'config/.env.production: tracked by git, so scanned, although (its directory is )?ignored by' out \
  "-v explains the file in an ignored directory"
# --force-exclude (the pre-commit hook) names each file: the same rule holds.
expect_status 1 "--force-exclude: a named tracked .env that .gitignore lists is scanned" -- \
  "$RL" -f json --force-exclude tracked/.env tracked/.env.local
expect_grep '"ruleId": "secret-in-env-file"' out "--force-exclude reports the tracked .env's secret"
expect_grep 'env.local is ignored by .*--force-exclude' out "--force-exclude skips the untracked ignored one"
printf '.env\n' > tracked/.roomlintignore
expect_status 1 ".roomlintignore still wins over tracking" -- "$RL" -f json tracked
expect_no_grep '"path": "tracked/.env"' out ".roomlintignore keeps the tracked .env out"
rm tracked/.roomlintignore
cp -r tracked plain && rm -rf plain/.git
expect_status 0 "outside a repository .gitignore decides, as before" -- "$RL" plain
expect_grep 'no problems found' out "nothing scanned that .gitignore lists"

# ---- 2. history ------------------------------------------------------------------
mkdir hist && cd hist && git init -q
mkdir src
printf 'export const cfg = {\n  appSecret: "%s",\n};\n' "$S1" > src/call.js
git add . && git commit -qm "add the client"
printf 'export const cfg = {\n  appSecret: process.env.APP_SECRET,\n};\n' > src/call.js
git commit -qam "secret removed again"
printf 'HMS_APP_SECRET=%s\n' "$S2" > .env.production
git add . && git commit -qm "an env file"
git rm -q .env.production && git commit -qm "env file deleted"
printf 'const seed = "%s";\nexport default seed;\n' "$APP" > src/seed.js
git add . && git commit -qm "seed"
git mv src/seed.js src/seed-data.js && git commit -qm "renamed"
git checkout -qb side
printf 'export const backup = {\n  apiSecret: "%s",\n};\n' "$S3" > src/backup.js
git add . && git commit -qm "only on a side branch"
git checkout -q main
git checkout -q --detach && printf 'export const tagged = {\n  clientSecret: "%s",\n};\n' "$S4" > src/tagged.js
git add . && git commit -qm "only behind a tag" && git tag v-old && git checkout -q main
printf 'x\0\1\2binary' > src/blob.js && git add src/blob.js && git commit -qm "a binary blob"
git rm -q src/blob.js && git commit -qm "binary gone"
cd ..
# the work tree scan sees only what is there now
expect_status 1 "work tree: only the renamed seed file" -- "$RL" hist
expect_no_grep 'call.js|backup.js|tagged.js' out "removed, side-branch and tagged secrets are not in the work tree"

expect_status 1 "--history finds what the work tree no longer has" -- "$RL" --history -f json hist
cp out hist.json
for f in src/call.js .env.production src/seed.js src/backup.js src/tagged.js; do
  expect_grep "\"path\": \"$f\"" hist.json "history reports $f"
done
if [ "$(grep -c '"ruleId"' hist.json)" = 5 ]; then ok "five findings, each once (the renamed file's blob is read once)"
else not_ok "wanted 5 findings"; grep '"path"\|"ruleId"' hist.json | sed 's/^/    /'; fi
python3 - hist.json <<'PY' && ok "commit, date and at-HEAD state per finding" || not_ok "history fields"
import json, sys
d = json.load(open(sys.argv[1]))
by = {f["path"]: f for f in d["findings"]}
assert all(len(f["commit"]) == 40 and f["commitDate"] == "2024-01-02T03:04:05Z" for f in by.values()), by
assert by["src/seed.js"]["presentAtHead"] is True, "the renamed seed is still at HEAD"
for p in ("src/call.js", ".env.production", "src/backup.js", "src/tagged.js"):
    assert by[p]["presentAtHead"] is False, p
PY
expect_grep '1 binary' err "the binary blob is skipped and counted"
expect_no_grep "$S1|$S2|$S3|$S4|${APP:0:40}" hist.json "no secret printed in full"
expect_status 1 "text report names commit and state" -- "$RL" --history hist
expect_grep 'src/call.js  commit [0-9a-f]{12}, 2024-01-02' out "text: commit and date"
expect_grep 'removed since' out "text: removed since"
expect_grep 'still at HEAD' out "text: still at HEAD"
expect_status 1 "--history=RANGE: main only" -- "$RL" --history=main -f json hist
expect_no_grep 'backup.js|tagged.js' out "the side branch and the tag are outside main"
expect_grep '"path": "src/call.js"' out "main's own history is there"
expect_status 1 "--history=A..B: the side branch's own commits" -- "$RL" --history=main..side -f json hist
expect_grep '"path": "src/backup.js"' out "A..B has the side branch's secret"
expect_no_grep 'call.js|seed' out "A..B leaves out what main has"
expect_status 2 "a bad range is a usage error" -- "$RL" --history=no-such-ref hist
expect_grep "not a revision" err "the message names the range"
expect_status 2 "--history outside a repository" -- "$RL" --history plain
expect_grep "not inside a git repository" err "the message says so"

# the user's own ignore lists apply to history paths too (git's do not: all was committed)
printf 'src/tagged.js\n' > hist/.roomlintignore
expect_status 1 "--history with a .roomlintignore" -- "$RL" --history -f json hist
expect_no_grep '"path": "src/tagged.js"' out ".roomlintignore keeps a path out of the history scan"
printf 'ignore:\n  - src/\n' > hist.yml
expect_status 1 "--history with the config's ignore:" -- "$RL" --history --config hist.yml -f json hist
expect_no_grep '"path": "src/' out "an ignored directory's blobs are not scanned"
expect_grep '"path": ".env.production"' out "the rest still is"
expect_status 1 "--no-ignore brings them back" -- "$RL" --history --no-ignore --config hist.yml -f json hist
expect_grep '"path": "src/tagged.js"' out "--no-ignore: every blob"
rm hist/.roomlintignore

# SARIF: provenance, and fingerprints stable across runs: a baseline works
expect_status 1 "--history -f sarif" -- "$RL" --history -f sarif -o hist.sarif hist
python3 - hist.sarif <<'PY' && ok "SARIF versionControlProvenance and per-result commit" || not_ok "SARIF provenance"
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
v = run["versionControlProvenance"][0]
assert v["repositoryUri"].startswith("file://") and len(v["revisionId"]) == 40 and v["branch"] == "main", v
for r in run["results"]:
    assert len(r["properties"]["commit"]) == 40 and "presentAtHead" in r["properties"], r
    assert len(r["partialFingerprints"]["roomlint/v1"]) == 16
PY
expect_status 1 "a second run" -- "$RL" --history -f sarif -o hist2.sarif hist
if diff <(grep roomlint/v1 hist.sarif) <(grep roomlint/v1 hist2.sarif) >/dev/null; then ok "same fingerprints on a second run"
else not_ok "fingerprints changed between runs"; fi
expect_status 0 "the history report as --baseline: nothing new" -- "$RL" --history --baseline hist.sarif hist
expect_grep '5 suppressed' out "all five baselined"
(cd hist && git checkout -q side && printf 'HMS_APP_SECRET=%s\n' "$S1" > .env.ci && git add . && git commit -qm ci && git checkout -q main)
expect_status 1 "a newly committed secret fails against that baseline" -- "$RL" --history --baseline hist.sarif hist
expect_grep '\.env\.ci' out "only the new one is reported"

# ---- 3. --staged: the index, not the work tree ------------------------------
mkdir stage && cd stage && git init -q
printf 'export const ok = 1;\n' > a.js && git add a.js && git commit -qm init
printf 'export const cfg = {\n  appSecret: "%s",\n};\n' "$S1" > a.js && git add a.js    # staged secret
printf 'export const ok = 2;\n' > a.js                                                   # then fixed in the work tree only
printf 'export const cfg = {\n  apiSecret: "%s",\n};\n' "$S2" > b.js                    # never staged
cd ..
expect_status 1 "--staged sees the secret that will be committed" -- "$RL" --staged -f json stage
expect_grep '"path": "stage/a.js"' out "the staged a.js is reported"
expect_no_grep 'b.js' out "an unstaged new file is not part of the commit"
expect_status 1 "the work tree scan sees b.js, not the staged a.js" -- "$RL" stage
expect_grep '^stage/b.js' out "work tree: b.js"
expect_no_grep '^stage/a.js' out "work tree: a.js is clean"
expect_status 1 "--staged with named files (a pre-commit hook)" -- "$RL" --staged stage/a.js stage/b.js
expect_grep 'stage/a.js' out "named: the staged content"
expect_no_grep 'stage/b.js' out "named: an untracked file has nothing staged"
(cd stage && git commit -qm "commit it" && printf 'export const ok = 3;\n' > a.js && git add a.js)
expect_status 0 "--staged after fixing and staging" -- "$RL" --staged stage
expect_status 2 "--staged outside a repository" -- "$RL" --staged plain
expect_grep 'needs a git repository' err "the message says why"

# ---- 4. --baseline-ref: only what the branch adds -----------------------------
mkdir pr && cd pr && git init -q
printf 'export const cfg = {\n  appSecret: "%s",\n};\nfetch("http://api.demo-video.io/a");\n' "$S1" > old.js
git add . && git commit -qm "main, with old debt"
git checkout -qb feature
printf '// a comment above\n' | cat - old.js > old.js.new && mv old.js.new old.js
printf 'export const more = {\n  apiSecret: "%s",\n};\n' "$S2" > new.js
git add . && git commit -qm "feature adds one finding"
cd ..
expect_status 1 "the branch fails without a baseline" -- "$RL" pr
expect_grep '3 problems' out "three findings in all"
expect_status 1 "--baseline-ref main: the one new finding fails" -- "$RL" --baseline-ref main -f json pr
if [ "$(grep -c '"suppressed": null' out)" = 1 ]; then ok "exactly one finding is not suppressed"
else not_ok "wanted one unsuppressed finding"; grep '"path"\|suppressed' out | sed 's/^/    /'; fi
expect_grep '"justification": "baseline-ref main"' out "the old ones are baselined by the ref"
expect_grep '"path": "pr/new.js"' out "new.js is the new one"
(cd pr && git stash -q -u 2>/dev/null || true; rm -f new.js; git checkout -q main)
expect_status 0 "the work tree is never checked out: main itself passes against main" -- "$RL" --baseline-ref main pr
expect_status 2 "an unknown ref" -- "$RL" --baseline-ref no-such-branch pr
expect_grep "'no-such-branch' is not a commit" err "the message names the ref"

# ---- 5. the compact baseline and --prune-baseline ---------------------------
cp -r pr prb && (cd prb && git checkout -q feature)
expect_status 1 "-f baseline" -- "$RL" -f baseline -o base.txt prb
expect_grep '^# roomlint baseline v1' base.txt "the compact header"
expect_grep '^[0-9a-f]{16} hardcoded-secret prb/new.js$' base.txt "one line: fingerprint, rule, path"
n=$(grep -vc '^#' base.txt); size=$(wc -c < base.txt)
if [ "$n" = 3 ] && [ $(( size / n )) -lt 300 ]; then ok "3 entries, $(( size / n )) bytes per finding"
else not_ok "wanted 3 entries of under 300 bytes: $n entries, $size bytes"; fi
expect_status 0 "the compact baseline suppresses them all" -- "$RL" --baseline base.txt prb
sed -i "s/  apiSecret: \"$S2\",/  apiSecret: process.env.API_SECRET,/" prb/new.js
cp base.txt before.txt
expect_status 0 "--prune-baseline after a fix" -- "$RL" --baseline base.txt --prune-baseline prb
expect_grep 'kept 2 of 3 entries \(1 no longer match' err "the fixed finding leaves the baseline"
if [ "$(grep -vc '^#' base.txt)" = 2 ] && ! grep -q new.js base.txt; then ok "base.txt now has the 2 that remain"
else not_ok "pruned baseline"; cat base.txt | sed 's/^/    /'; fi
expect_status 0 "the pruned baseline still suppresses the rest" -- "$RL" --baseline base.txt prb
printf '# roomlint baseline v1\nnot-a-line\n' > broken.txt
expect_status 2 "a broken compact baseline" -- "$RL" --baseline broken.txt prb
expect_grep 'broken.txt:2' err "the message names the line"
expect_status 2 "--prune-baseline needs --baseline" -- "$RL" --prune-baseline prb

finish
