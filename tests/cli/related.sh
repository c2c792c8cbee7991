#!/usr/bin/env bash
# A cross-file finding names the other file's place in every format: text
# ("related: FILE:LINE:COL what"), JSON (`related`), SARIF
# (relatedLocations with a region), and the place is the one the message
# names. The project scanned is a fixture whose route's work sits in an
# imported service (fixtures/projects/hms-express-apiservice).
. "$(dirname "$0")/lib/assert.bash"
P=fixtures/projects/hms-express-apiservice
SVC=$P/services/APIService.js

expect_status 1 "text report" -- "$RL" --no-config "$P"
expect_grep "^    related: $SVC:15:23 APIService.post creates 100ms rooms here$" "$TMP/out" \
  "text: the service's line as related place"

expect_status 1 "json report" -- "$RL" --no-config -f json "$P"
python3 - "$TMP/out" "$SVC" <<'PY' && ok "json: related path, line, column and message" || not_ok "json: related"
import json, sys
d = json.load(open(sys.argv[1]))
f = [f for f in d["findings"] if f["ruleId"] == "unauthenticated-room-route"]
assert len(f) == 1, f
rel = f[0]["related"]
assert rel == {"path": sys.argv[2], "line": 15, "column": 23, "message": "APIService.post creates 100ms rooms here"}, rel
assert "%s:15" % sys.argv[2] in f[0]["message"], f[0]["message"]
# a finding with no other file has no related key at all
assert all("related" not in x for x in d["findings"] if x["ruleId"] != "unauthenticated-room-route" and
           "tokenService" not in x["message"]), d["findings"]
PY

expect_status 1 "sarif report" -- "$RL" --no-config -f sarif "$P"
python3 - "$TMP/out" "$SVC" <<'PY' && ok "sarif: relatedLocations with the service's region" || not_ok "sarif: relatedLocations"
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
r = [r for r in run["results"] if r["ruleId"] == "unauthenticated-room-route"]
assert len(r) == 1, r
loc = r[0]["relatedLocations"]
assert len(loc) == 1, loc
pl = loc[0]["physicalLocation"]
assert pl["artifactLocation"]["uri"] == sys.argv[2], pl
assert pl["region"]["startLine"] == 15 and pl["region"]["startColumn"] == 23, pl
assert loc[0]["message"]["text"] == "APIService.post creates 100ms rooms here", loc
PY

# --no-project: the service is not read, so there is nothing to relate
expect_status 0 "without the project model" -- "$RL" --no-config --no-project -f json "$P"
expect_no_grep '"related"' "$TMP/out" "json: no related place without the model"
# A helper that "use client" modules import is reported where it signs, in the
# helper, once; each client module's call is a related place (two here).
N=fixtures/projects/next-client-imports-helper
expect_status 1 "next: text report" -- "$RL" --no-config "$N"
expect_grep "^$N/lib/signer.ts\$" "$TMP/out" "next: the finding is in the helper that signs"
expect_grep "^    related: $N/app/lobby/page.tsx:8:30 client code that uses it" "$TMP/out" "next: the first client call"
expect_grep "^    related: $N/lib/pass.ts:7:10 client code that uses it" "$TMP/out" "next: the second client call"
expect_no_grep "^$N/components/CallShell.tsx" "$TMP/out" "next: the client call site is not reported again"
expect_status 1 "next: json report" -- "$RL" --no-config -f json "$N"
python3 - "$TMP/out" "$N" <<'PY' && ok "next json: related, then relatedMore" || not_ok "next json: related places"
import json, sys
d = json.load(open(sys.argv[1]))
f = [f for f in d["findings"] if f["ruleId"] == "client-side-token-minting"]
assert len(f) == 1 and f[0]["path"] == sys.argv[2] + "/lib/signer.ts", f
assert f[0]["related"]["path"] == sys.argv[2] + "/app/lobby/page.tsx", f[0]
assert [m["path"] for m in f[0]["relatedMore"]] == [sys.argv[2] + "/lib/pass.ts"], f[0]
PY
expect_status 1 "next: sarif report" -- "$RL" --no-config -f sarif "$N"
python3 - "$TMP/out" "$N" <<'PY' && ok "next sarif: both places in relatedLocations, ids 1 and 2" || not_ok "next sarif"
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
r = [r for r in run["results"] if r["ruleId"] == "client-side-token-minting"]
assert len(r) == 1, r
loc = r[0]["relatedLocations"]
assert [l["id"] for l in loc] == [1, 2], loc
assert [l["physicalLocation"]["artifactLocation"]["uri"] for l in loc] == [sys.argv[2] + "/app/lobby/page.tsx", sys.argv[2] + "/lib/pass.ts"], loc
PY
finish
