#!/usr/bin/env bash
# The big brother of hostile_tree.sh: a tree generated at run time
# (tests/cli/lib/hostile_tree.bash) with invalid UTF-8, NUL bytes, a BOM,
# UTF-16, CRLF, a 50 MB line, a 1 MB string, brackets nested 100 000 deep
# (balanced: scanned; unclosed, or a chain left open 70,000 deep: not parsed),
# 10 000 files in one folder, symlink loops and links out of the root, a FIFO,
# a socket, empty files, pathological .gitignore patterns, a file deleted
# while the scan runs, and one file of each hostile tree shape of
# tests/support/gen-shape at the size that hung before (shapes/). roomlint must finish (a generous timeout, not a timing
# assertion), exit 1 for the planted findings, write SARIF the multitool
# accepts, name every skipped or unparsed file with its reason, drop no file
# silently, and still report every genuine finding among the hostile files.
. "$(dirname "$0")/lib/assert.bash"
. "$(dirname "$0")/lib/hostile_tree.bash"
MT=${RL_SARIF_MULTITOOL:-$PWD/tests/npm/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool}
if [ ! -x "$MT" ]; then
  echo "multitool missing at $MT: run scripts/test (it installs tests/npm)"
  exit 1
fi
LIMIT=900 # seconds; a hang fails, a slow machine does not

make_hostile_tree "$TMP/h"
make_hostile_shapes "$TMP/h/shapes" "$TMP/shapes.expect" || not_ok "gen-shape failed"
cd "$TMP"

expect_status 1 "SARIF of the hostile tree (exit 1: planted findings)" -- \
  timeout "$LIMIT" "$RL" -f sarif -o h.sarif h
expect_status 1 "JSON of the hostile tree" -- timeout "$LIMIT" "$RL" -f json -o h.json h
expect_status 1 "text -v of the hostile tree" -- timeout "$LIMIT" "$RL" -v h
cp out h.txt

"$MT" validate h.sarif -o h.val --rule-kind "Gh;Sarif" --log ForceOverwrite >/dev/null 2>&1 || true
n=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0].get("results",[]); print(len([x for x in r if x.get("level","warning") in ("error","warning")]))' h.val 2>/dev/null || echo "no validator output")
if [ "$n" = 0 ]; then ok "SARIF passes the multitool (schema + GitHub rules)"; else not_ok "SARIF validation: $n problems"; fi

# Every expectation checked by one script over the JSON and SARIF reports;
# it prints "ok - ..." / "not ok - ..." lines that we count.
check=$(python3 - h h.json h.sarif "$HOSTILE_DEEP" "$HOSTILE_MGMT_JWT" "${HOSTILE_EXPECT_SKIP[@]}" -- "${HOSTILE_EXPECT_FIND[@]}" <<'PY'
import json, os, sys
root, jpath, spath, deep, jwt = sys.argv[1:6]
rest = sys.argv[6:]
cut = rest.index("--")
skips = [x.split("|") for x in rest[:cut]]
finds = [x.split("|") for x in rest[cut + 1:]]
j = json.load(open(jpath))
s = json.load(open(spath))
run = s["runs"][0]
files = {f["path"]: f for f in j["files"]}
def say(good, what):
    print(("ok - " if good else "not ok - ") + what)

for path, reason in skips:
    f = files.get(root + "/" + path)
    say(f is not None and f["skipped"] and f["skipped"]["reason"] == reason and f["skipped"]["detail"],
        "JSON: %s skipped as %s, with a detail" % (path, reason))
notes = run["invocations"][0].get("toolExecutionNotifications", [])
def noted(path, ident):
    for n in notes:
        for loc in n.get("locations", []):
            if loc["physicalLocation"]["artifactLocation"]["uri"] == root + "/" + path and n["descriptor"]["id"] == ident:
                return n["message"]["text"]
    return None
for path, reason in skips:
    say(noted(path, "skipped-" + reason), "SARIF notification for %s (skipped-%s)" % (path, reason))
for path in deep.split():
    t = noted(path, "parse-failed")
    say(t and "unfinished constructs" in t, "SARIF: %s not parsed (65,536 unfinished constructs), and says so" % path)
# Every skipped file in the JSON report has a reason and a notification.
bad = [p for p, f in files.items() if f["skipped"] and not (f["skipped"]["reason"] and f["notifications"])]
say(not bad, "every skipped file carries a reason and a notification %s" % bad[:3])
# Nothing dropped silently: every source-named entry under the root is in the
# report, except those a .gitignore ignores and links whose target is inside
# the root (the target is reported at its own path, so nothing twice).
want, inside = set(), set()
real_root = os.path.realpath(root)
for d, dirs, names in os.walk(root):
    for name in names + [x for x in dirs if os.path.islink(os.path.join(d, x))]:
        p = os.path.join(d, name)
        if not (name.endswith((".js", ".ts")) or name.startswith(".env") or os.path.islink(p)):
            continue
        target, here = os.path.realpath(p), os.path.realpath(d)
        cycle = here == target or here.startswith(target + "/")
        if os.path.islink(p) and os.path.exists(p) and target.startswith(real_root + "/") and not cycle:
            inside.add((p, target))
        else:
            want.add(p)
want.discard(root + "/ign/ignored.js")
missing = sorted(want - set(files))
say(not missing, "every file is reported, scanned or skipped (%d files; missing: %s)" % (len(want), missing[:5]))
say(bool(inside) and not [p for p, t in inside if p in files],
    "links to files inside the root are not scanned a second time (%d)" % len(inside))
say(all(os.path.relpath(t, real_root) in {os.path.relpath(os.path.realpath(f), real_root) for f in files}
        for p, t in inside), "the target of every inside link is reported at its own path")
say(root + "/ign/ignored.js" not in files, "a file the pathological .gitignore still ignores is not scanned")
say(len([p for p in files if p.startswith(root + "/many/")]) == 10001, "all 10 000 files of many/ are scanned")
got = {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"]) for r in run["results"]}
for path, rule in finds:
    say((root + "/" + path, rule) in got, "SARIF finding %s in %s" % (rule, path))
jgot = {(x["path"], x["ruleId"]) for x in j["findings"]}
say(all((root + "/" + p, r) in jgot for p, r in finds), "JSON has the same planted findings")
say(jwt not in open(spath, encoding="utf-8", errors="replace").read() and jwt not in open(jpath, encoding="utf-8", errors="replace").read(),
    "the planted management token is masked in SARIF and JSON")
PY
)
echo "$check"
passed=$((passed + $(grep -c '^ok - ' <<<"$check" || true)))
failed=$((failed + $(grep -c '^not ok - ' <<<"$check" || true)))
[ -n "$check" ] || not_ok "the report checker produced nothing"

# Every planted finding of the shape families, and any file whose analysis
# ran out of budget listed (as a test comment) and named in text -v too.
if "$RL_SOURCE_DIR/tests/support/check-expect" shapes.expect h.json >shapes.missing; then
  ok "every planted finding of the $(grep -c '' shapes.expect) in the shape families is reported"
else
  not_ok "shape families: planted findings missing"
  sed 's/^/    /' shapes.missing | head -10
fi
stops=$(python3 -c '
import json, sys
for f in json.load(open(sys.argv[1]))["files"]:
    for n in f["notifications"]:
        if n["id"] == "analysis-stopped":
            print(f["path"] + "\t" + n["message"])
' h.json)
if [ -z "$stops" ]; then
  ok "no file ran out of its analysis budget"
else
  while IFS=$'\t' read -r path msg; do
    echo "# budget stop: $msg"
    expect_grep "analysis stopped after [0-9]+ steps in $path: not fully checked" h.txt "text -v lists the budget stop in $path"
  done <<<"$stops"
fi

expect_grep "skipped +h/special/sock.js +.*socket" h.txt "text -v lists the socket with its reason"
expect_grep "skipped +h/links/self +.*(cycle|loop)" h.txt "text -v lists the directory link loop"
expect_grep "h/deep/unclosed.js could not be parsed: the file ends inside 65,536 or more unfinished constructs" h.txt \
  "text -v names the file that ends inside too many unfinished constructs"

# A file removed after the walk listed its folder and before it was read.
got=$(hostile_vanish_run "$RL" h vanish.txt)
if [ "$got" = 1 ]; then ok "scan with a file deleted mid-run finishes (exit 1)"; else not_ok "vanish run exit $got"; fi
expect_grep "skipped +h/$HOSTILE_VANISH +.*No such file" vanish.txt "the deleted file is reported as skipped, with the reason"
expect_grep "h/src/mgmt.js" vanish.txt "the vanish run still reports the planted findings"
finish
