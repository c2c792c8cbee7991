#!/usr/bin/env bash
# SARIF of the demo app and of every fixture folder passes the SARIF
# multitool's schema and GitHub code-scanning rules with no error or warning.
. "$(dirname "$0")/lib/assert.bash"
MT=${RL_SARIF_MULTITOOL:-grammars/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool}
if [ ! -x "$MT" ]; then
  echo "multitool missing at $MT: run scripts/setup"
  exit 1
fi
validate() { # name, then roomlint arguments
  local name=$1
  shift
  "$RL" -f sarif --fail-on none -o "$TMP/$name.sarif" "$@"
  "$MT" validate "$TMP/$name.sarif" -o "$TMP/$name.out" --rule-kind "Gh;Sarif" --log ForceOverwrite >/dev/null 2>&1 || true
  local n
  n=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0].get("results",[]); print(len([x for x in r if x.get("level","warning") in ("error","warning")])); [print("   ", x["ruleId"], x["message"].get("text", x["message"].get("arguments"))) for x in r]' "$TMP/$name.out")
  if [ "$(echo "$n" | head -1)" = 0 ]; then ok "$name: 0 errors, 0 warnings"; else not_ok "$name: $(echo "$n" | head -1) problems"; echo "$n" | tail -n +2 | head -10; fi
}
validate demo-app fixtures/demo-app
validate demo-app-with-pack --rules rules/examples fixtures/demo-app
[ ! -d fixtures/fixed-app ] || validate fixed-app fixtures/fixed-app
for d in fixtures/rules/*/; do
  validate "rule-$(basename "$d")" "$d"
done
finish
