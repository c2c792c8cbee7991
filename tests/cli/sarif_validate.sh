#!/usr/bin/env bash
# SARIF of the demo app and of every fixture folder passes the SARIF
# multitool's schema and GitHub code-scanning rules with no error or warning.
# One multitool run validates every file (it takes seconds to start).
. "$(dirname "$0")/lib/assert.bash"
MT=${RL_SARIF_MULTITOOL:-tests/npm/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool}
if [ ! -x "$MT" ]; then
  echo "multitool missing at $MT: run scripts/test (it installs tests/npm)"
  exit 1
fi
mkdir -p "$TMP/sarif"
produce() { # name, then roomlint arguments
  local name=$1
  shift
  "$RL" -f sarif --fail-on none -o "$TMP/sarif/$name.sarif" "$@"
}
produce demo-app fixtures/demo-app
# every result suppressed as "external" by --baseline
produce demo-app-baselined --baseline "$TMP/sarif/demo-app.sarif" fixtures/demo-app
produce demo-app-with-pack --rules rules/examples fixtures/demo-app
[ ! -d fixtures/fixed-app ] || produce fixed-app fixtures/fixed-app
# a built bundle whose finding a source map places in its source: the
# bundle goes in relatedLocations
mkdir -p "$TMP/app/dist" "$TMP/app/src"
printf "export const cfg = { appSecret: 'Zr4Kd9Lq2Wm7Xs5Bt8Nv3Hc6Gf1Jp0Ye' };\n" >"$TMP/app/src/app.js"
printf 'var a={appSecret:"Zr4Kd9Lq2Wm7Xs5Bt8Nv3Hc6Gf1Jp0Ye"};\n//# sourceMappingURL=app.js.map\n' >"$TMP/app/dist/app.js"
printf '{"version":3,"sources":["../src/app.js"],"names":[],"mappings":"AAAA,MAAoB,WAAU,WAAA"}' >"$TMP/app/dist/app.js.map"
(cd "$TMP/app" && "$RL" -f sarif --fail-on none --no-config -o "$TMP/sarif/bundle.sarif" dist)
grep -q relatedLocations "$TMP/sarif/bundle.sarif" && ok "the bundle SARIF has a related location" || not_ok "no relatedLocations in the bundle SARIF"
for d in fixtures/rules/*/; do
  produce "rule-$(basename "$d")" "$d"
done
# cross-file findings: the other file's place as a related location
for d in fixtures/projects/*/; do
  produce "project-$(basename "$d")" "$d"
done
# --history: versionControlProvenance and per-result commit properties
(export GIT_CONFIG_NOSYSTEM=1 HOME=$TMP GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t.invalid GIT_COMMITTER_NAME=t \
   GIT_COMMITTER_EMAIL=t@t.invalid
 mkdir "$TMP/repo" && cd "$TMP/repo" && git init -q -b main &&
   cp "$OLDPWD/fixtures/demo-app/.env" .env && git add -f .env && git commit -qm env &&
   git rm -q .env && git commit -qm gone)
produce history --history "$TMP/repo"
"$MT" validate "$TMP"/sarif/*.sarif -o "$TMP/validation.sarif" --rule-kind "Gh;Sarif" --log ForceOverwrite >"$TMP/mt.log" 2>&1 || true
if [ ! -s "$TMP/validation.sarif" ]; then
  not_ok "the multitool produced no output"
  sed 's/^/    /' "$TMP/mt.log" | head -20
  finish
fi
# Per file: count error/warning results whose location names that file.
python3 - "$TMP/validation.sarif" "$TMP"/sarif/*.sarif > "$TMP/verdicts" <<'PY'
import json, sys, os
log = json.load(open(sys.argv[1]))
problems = {}
for run in log["runs"]:
    for r in run.get("results", []):
        if r.get("level", "warning") not in ("error", "warning"):
            continue
        uri = ""
        for loc in r.get("locations", []):
            uri = loc.get("physicalLocation", {}).get("artifactLocation", {}).get("uri", uri)
        text = r["message"].get("text") or " ".join(map(str, r["message"].get("arguments", [])))
        problems.setdefault(os.path.basename(uri), []).append(r["ruleId"] + " " + text)
for path in sys.argv[2:]:
    name = os.path.basename(path)
    got = problems.get(name, [])
    print(("PASS " if not got else "FAIL ") + name + (": " + "; ".join(got[:5]) if got else ""))
PY
while read -r verdict rest; do
  if [ "$verdict" = PASS ]; then ok "$rest: 0 errors, 0 warnings"; else not_ok "$rest"; fi
done < "$TMP/verdicts"
[ "$(wc -l < "$TMP/verdicts")" -ge 5 ] && ok "validated $(wc -l < "$TMP/verdicts") SARIF files" || not_ok "too few SARIF files validated"
finish
