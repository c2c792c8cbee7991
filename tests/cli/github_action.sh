#!/usr/bin/env bash
# The GitHub composite action (action.yml): its YAML is what the runner
# wants, and its shell steps run here as the runner would run them
# (tests/support/run-action): the scan writes SARIF, the upload step gets
# it, and fail-on decides the job. The README's example workflow uses it.
. "$(dirname "$0")/lib/assert.bash"

src=${RL_SOURCE_DIR:-$(pwd)}
if ! python3 -c 'import yaml' 2>/dev/null; then skip_all "needs python3-yaml (scripts/test installs it)"; fi
expect_status 0 "action.yml is a composite action with the inputs it documents" -- python3 -c '
import sys, yaml
a = yaml.safe_load(open(sys.argv[1]))
assert a["runs"]["using"] == "composite", a["runs"]
for k in ("path", "fail-on", "args", "sarif-file", "upload", "category", "install"):
    assert k in a["inputs"] and "description" in a["inputs"][k], k
assert a["inputs"]["fail-on"]["default"] == "warning"
steps = a["runs"]["steps"]
uses = [s["uses"] for s in steps if "uses" in s]
assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses), uses
for s in steps:
    assert ("run" in s) != ("uses" in s), s
    if "run" in s: assert s.get("shell") == "bash", s
assert "status" in a["outputs"]
' "$src/action.yml"

mkdir -p "$TMP/bin" "$TMP/clean"
ln -sf "$RL" "$TMP/bin/roomlint"
cp -r "$src/fixtures/demo-app" "$TMP/app"
printf 'export const room = "standup";\n' > "$TMP/clean/a.js"
act() { env PATH="$TMP/bin:$PATH" python3 "$src/tests/support/run-action" "$src/action.yml" "$@"; }

expect_status 0 "the action on the demo app, fail-on error" -- act "$TMP/app" install=installed fail-on=error
o=$TMP/out; cp "$o" "$TMP/run1"
expect_grep "^run Build roomlint: exit 0 roomlint=$TMP/bin/roomlint$" "$TMP/run1" "install: installed finds roomlint on PATH"
expect_grep "^run Scan: exit 0 status=1$" "$TMP/run1" "the scan step records roomlint's status 1"
expect_grep "^uses github/codeql-action/upload-sarif@v[0-9]+ category=roomlint sarif_file=roomlint.sarif$" "$TMP/run1" "the SARIF goes to upload-sarif"
expect_grep "^run Fail on findings: exit 1$" "$TMP/run1" "fail-on error fails on the demo's errors"
expect_grep "^job: failure$" "$TMP/run1" "the job fails"
expect_grep "credential hard-coded" "$TMP/err" "the findings are in the job log"
expect_no_grep "$(sed -n 's/^HMS_APP_SECRET=//p' "$src/fixtures/demo-app/.env" | cut -c1-30)" "$TMP/err" "masked"
expect_status 0 "the uploaded file is roomlint's SARIF of the app" -- python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == "2.1.0" and d["runs"][0]["tool"]["driver"]["name"] == "roomlint"
assert len(d["runs"][0]["results"]) > 10' "$TMP/app/roomlint.sarif"

expect_status 0 "fail-on none" -- act "$TMP/app" install=installed fail-on=none sarif-file=out/r.sarif
cp "$TMP/out" "$TMP/run2"
expect_grep "^run Scan: exit 0 status=0$" "$TMP/run2" "status 0"
expect_grep "^skip Fail on findings$" "$TMP/run2" "the gate is skipped"
expect_grep "^uses github/codeql-action/upload-sarif@v[0-9]+ category=roomlint sarif_file=out/r.sarif$" "$TMP/run2" "sarif-file is honoured"
expect_grep "^job: success$" "$TMP/run2" "the job passes"

expect_status 0 "upload: false on a clean tree" -- act "$TMP/clean" install=installed upload=false
cp "$TMP/out" "$TMP/run3"
expect_grep "^skip Upload to code scanning$" "$TMP/run3" "no upload when asked"
expect_grep "^job: success$" "$TMP/run3" "a clean tree passes"

(cd "$TMP/app" && "$RL" -f sarif -o baseline.sarif . || true)
expect_status 0 "args reach roomlint (a baseline)" -- act "$TMP/app" install=installed "args=--baseline baseline.sarif" fail-on=note
expect_grep "^run Scan: exit 0 status=0$" "$TMP/out" "with the findings baselined nothing fails, even at note"
mkdir -p "$TMP/empty"
expect_status 0 "a bad path is an error, not findings" -- act "$TMP/empty" install=installed path=no-such-dir
expect_grep "^run Scan: exit 0 status=2$" "$TMP/out" "status 2"
expect_grep "^run Fail on findings: exit 1$" "$TMP/out" "the job fails"
expect_grep "^skip Upload to code scanning$" "$TMP/out" "nothing to upload"

expect_status 0 "install: installed without roomlint on PATH" -- env PATH=/usr/bin:/bin python3 "$src/tests/support/run-action" "$src/action.yml" "$TMP/clean" install=installed
expect_grep "^run Build roomlint: exit 2" "$TMP/out" "fails with a message"
expect_grep "no roomlint on PATH" "$TMP/err" "saying why"

# install: build runs scripts/setup --roomlint-only from the action's checkout:
# with this checkout already built (scripts/test did) it installs and rebuilds
# nothing, so the step runs here as it is.
if [ -f "$src/build/CMakeCache.txt" ] && [ -x "$src/build/roomlint" ]; then
  expect_status 0 "install: build" -- act "$TMP/clean" install=build
  expect_grep "^run Build roomlint: exit 0 roomlint=$src/build/roomlint$" "$TMP/out" "builds (nothing to do) and uses build/roomlint"
  expect_grep "^job: success$" "$TMP/out" "and the job passes"
else
  skip "install: build needs a built checkout (sh scripts/setup)"
fi

# The README's example workflow uses the action, pinned, with the permission upload-sarif needs.
awk '/<!-- github-action -->/ {on = 1; next} on && /^```yaml/ {inb = 1; next} inb && /^```/ {exit} inb {print}' "$src/README.md" > "$TMP/wf.yml"
expect_status 0 "the README's workflow" -- python3 -c '
import sys, yaml
w = yaml.safe_load(open(sys.argv[1]))
job = next(iter(w["jobs"].values()))
uses = [s.get("uses", "") for s in job["steps"]]
assert any(u.startswith("roomlint/roomlint@") for u in uses), uses
step = next(s for s in job["steps"] if s.get("uses", "").startswith("roomlint/roomlint@"))
assert "fail-on" in step.get("with", {}), step
assert w["permissions"]["security-events"] == "write", w["permissions"]
' "$TMP/wf.yml"
finish
