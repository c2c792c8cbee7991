#!/usr/bin/env bash
# --baseline FILE: findings of an earlier report are suppressed ("external")
# and do not fail the run; fingerprints survive lines inserted above a finding
# and edits elsewhere in the file; a changed or new finding is reported.
. "$(dirname "$0")/lib/assert.bash"

app=$TMP/app
mkdir -p "$app"
cat > "$app/call.js" <<'JS'
const appSecret = 'Qx7vT2mK9pLw4ZrB8nYc3HdF6sGj1AeU5tRb0oWi';
export function join() {
  return fetch("http://api.demo-video.io/token", { method: "POST" });
}
JS
cd "$TMP"

expect_status 1 "without a baseline the app fails" -- "$RL" app
expect_status 1 "write a SARIF baseline" -- "$RL" -f sarif -o base.sarif app
expect_status 1 "write a JSON baseline" -- "$RL" -f json -o base.json app

expect_status 0 "SARIF baseline: the same findings pass" -- "$RL" --baseline base.sarif app
expect_grep "no problems found.*2 suppressed" out "text summary counts the baselined findings"
expect_status 0 "JSON baseline: the same findings pass" -- "$RL" --baseline base.json app
expect_status 0 "SARIF output marks them external" -- "$RL" --baseline base.sarif -f sarif app
expect_grep '"kind": "external"' out "SARIF suppressions kind external"
expect_status 0 "JSON output marks them external" -- "$RL" --baseline base.json -f json app
if [ "$(grep -c '"kind": "external"' out)" = 2 ]; then ok "JSON: both findings have suppressed.kind external"
else not_ok "JSON: wanted two external suppressions"; grep -A2 '"suppressed"' out | sed 's/^/    /'; fi

# Lines inserted above the findings and an edit elsewhere in the file.
{ printf '// Video room helpers.\nimport { log } from "./log.js";\n\n'; cat app/call.js
  printf 'export function leave() {\n  log("bye");\n}\n'; } > app/call.js.new
mv app/call.js.new app/call.js
sed -i 's/export function join()/export function join(room)/' app/call.js
printf 'export const retries = 3;\n' >> app/call.js
expect_status 1 "the edited file still has both findings" -- "$RL" app
expect_status 0 "lines inserted above and edits elsewhere: still baselined" -- "$RL" --baseline base.sarif app
expect_status 0 "... with the JSON baseline too" -- "$RL" --baseline base.json app

# A changed finding is reported again, and only it.
sed -i 's#http://api.demo-video.io/token#http://api.demo-video.io/v2/token#' app/call.js
expect_status 1 "a changed finding fails the run" -- "$RL" --baseline base.sarif app
expect_grep "insecure-http-url" out "the changed finding is reported"
expect_no_grep "hardcoded-secret" out "the unchanged finding stays suppressed"
expect_grep "1 suppressed" out "one finding still suppressed"
sed -i 's#Qx7vT2mK9pLw4ZrB8nYc3HdF6sGj1AeU5tRb0oWi#Hn4cW8pZ2kYv6TqM1xLr9BdJ3sFg7AeU5tRb0oWi#' app/call.js
expect_status 1 "a changed secret fails the run" -- "$RL" --baseline base.sarif app
expect_grep "hardcoded-secret" out "the changed secret is reported"

# A new finding fails; identical lines are told apart by their order.
printf 'fetch("http://api.demo-video.io/a");\nfetch("http://api.demo-video.io/a");\n' > app/two.js
"$RL" -f json -o two.json app/two.js || true
printf 'fetch("http://api.demo-video.io/a");\nfetch("http://api.demo-video.io/a");\nfetch("http://api.demo-video.io/a");\n' > app/two.js
expect_status 1 "a third identical line is new" -- "$RL" --baseline two.json app/two.js
expect_grep "2 suppressed" out "the two known ones stay suppressed"
expect_grep "1 problem" out "only the new one is reported"

# Bad baselines: exit 2 with a message naming the file.
echo 'not json' > bad.txt
expect_status 2 "a baseline that is not JSON" -- "$RL" --baseline bad.txt app
expect_grep "baseline bad.txt:1:1: not JSON" err "names the file, line and column"
echo '{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "eslint"}}, "results": []}]}' > other.sarif
expect_status 2 "a SARIF log of another tool" -- "$RL" --baseline other.sarif app
expect_grep "not produced by roomlint" err "says whose log it is not"
echo '{"findings": [{"fingerprint": "xyz"}], "tool": {"name": "roomlint"}}' > badfp.json
expect_status 2 "a fingerprint that is not 16 hex digits" -- "$RL" --baseline badfp.json app
expect_grep "finding 0 has no fingerprint" err "names the bad finding"
expect_status 2 "a missing baseline" -- "$RL" --baseline missing.sarif app
expect_grep "cannot read baseline missing.sarif" err "names the missing file"
expect_status 2 "--baseline needs a value" -- "$RL" app --baseline
# A SARIF log with no run at all is not a baseline of ours (issue 16).
printf '{"version":"2.1.0","runs":[]}' > "$TMP/empty.sarif"
expect_status 2 "a SARIF log with no run" -- "$RL" --baseline "$TMP/empty.sarif" app
expect_grep "^roomlint: baseline .*empty.sarif holds no roomlint run" "$TMP/err" "says it holds no roomlint run"
finish
