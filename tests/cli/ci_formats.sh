#!/usr/bin/env bash
# -f junit and -f gitlab: each checked against the fields its format
# documents as required (tests/support/check-ci-reports says why not a
# schema file) and against the JSON report of the same run; secrets masked;
# hostile text escaped; suppressed findings handled as each format can.
. "$(dirname "$0")/lib/assert.bash"

secret=$(sed -n 's/^HMS_APP_SECRET=//p' fixtures/demo-app/.env | head -1)
for fmt in junit gitlab; do
  expect_status 1 "-f $fmt of the demo app" -- "$RL" --no-config -f "$fmt" -o "$TMP/demo.$fmt" fixtures/demo-app
  "$RL" --no-config -f json -o "$TMP/demo.json" fixtures/demo-app || true
  expect_status 0 "$fmt: the documented fields, and the JSON report's findings" -- \
    python3 tests/support/check-ci-reports "$fmt" "$TMP/demo.$fmt" "$TMP/demo.json"
  sed 's/^/    /' "$TMP/out" | tail -3
  expect_no_grep "${secret:0:40}" "$TMP/demo.$fmt" "$fmt: the app secret is not in the report"
  expect_grep "${secret:0:4}…\(${#secret} chars\)" "$TMP/demo.$fmt" "$fmt: it is shown masked"
  expect_status 1 "-f $fmt of every rule's fixtures" -- "$RL" --no-config -f "$fmt" -o "$TMP/rules.$fmt" fixtures/rules
  "$RL" --no-config -f json -o "$TMP/rules.json" fixtures/rules || true
  expect_status 0 "$fmt: every rule's findings check out" -- python3 tests/support/check-ci-reports "$fmt" "$TMP/rules.$fmt" "$TMP/rules.json"
done

# Hostile text: markup, quotes, a control character and invalid UTF-8 in a
# scanned file's name and contents; a suppressed finding; a clean file.
mkdir -p "$TMP/x/src"
python3 -c 'import sys; open(sys.argv[1],"wb").write(b"fetch(\"http://api.video-host.io/<b>&\x27]]>\");  // \x01 \xff\n")' "$TMP/x/src/a&<b>.js"
printf '// roomlint-disable-next-line insecure-http-url -- printer <lan> & "kiosk"\nfetch("http://printer.lan/");\n' > "$TMP/x/src/b.js"
printf 'export const room = "standup";\n' > "$TMP/x/src/c.js"
expect_status 1 "junit of hostile text" -- "$RL" --no-config -f junit -o "$TMP/x.xml" "$TMP/x"
expect_status 0 "it parses as XML" -- python3 -c 'import xml.etree.ElementTree as E,sys; E.parse(sys.argv[1])' "$TMP/x.xml"
"$RL" --no-config -f json -o "$TMP/x.json" "$TMP/x" || true
expect_status 0 "junit of hostile text checks out" -- python3 tests/support/check-ci-reports junit "$TMP/x.xml" "$TMP/x.json"
expect_status 0 "a suppressed finding is a skipped testcase with its reason, a clean file a passing one" -- python3 -c '
import xml.etree.ElementTree as E,sys
r=E.parse(sys.argv[1]).getroot()
s={t.get("name"):t for t in r}
b=[t for t in s if t.endswith("/b.js")][0]; c=[t for t in s if t.endswith("/c.js")][0]
sk=s[b].find("testcase/skipped")
assert sk is not None and sk.get("message")=="suppressed: printer <lan> & \"kiosk\"", E.tostring(s[b])
assert s[c].get("tests")=="1" and s[c].get("failures")=="0" and len(list(s[c].find("testcase")))==0
' "$TMP/x.xml"
expect_status 1 "gitlab of hostile text" -- "$RL" --no-config -f gitlab -o "$TMP/x.gl" "$TMP/x"
expect_status 0 "gitlab of hostile text checks out (suppressed findings left out)" -- python3 tests/support/check-ci-reports gitlab "$TMP/x.gl" "$TMP/x.json"

# Reproducible with SOURCE_DATE_EPOCH; now otherwise.
for run in a b; do SOURCE_DATE_EPOCH=1700000000 "$RL" --no-config -f gitlab fixtures/demo-app > "$TMP/gl-$run" || true; done
cmp -s "$TMP/gl-a" "$TMP/gl-b" && ok "gitlab: byte-identical with SOURCE_DATE_EPOCH" || not_ok "gitlab differs between runs"
expect_grep '"start_time": "2023-11-14T22:13:20"' "$TMP/gl-a" "gitlab: the time is SOURCE_DATE_EPOCH's"
# A run with nothing to report is valid too.
mkdir -p "$TMP/clean" && printf 'export const a = 1;\n' > "$TMP/clean/a.js"
for fmt in junit gitlab; do
  expect_status 0 "-f $fmt of a clean tree" -- "$RL" --no-config -f "$fmt" -o "$TMP/clean.$fmt" "$TMP/clean"
  "$RL" --no-config -f json -o "$TMP/clean.json" "$TMP/clean"
  expect_status 0 "$fmt of a clean tree checks out" -- python3 tests/support/check-ci-reports "$fmt" "$TMP/clean.$fmt" "$TMP/clean.json"
done
# The checker fails what it should: a GitLab report missing a required field.
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); del d["scan"]["analyzer"]["vendor"]; d["vulnerabilities"][0]["severity"]="error"; json.dump(d,open(sys.argv[2],"w"))' "$TMP/demo.gitlab" "$TMP/broken.gitlab"
expect_status 1 "the checker refuses a report without scan.analyzer.vendor" -- python3 tests/support/check-ci-reports gitlab "$TMP/broken.gitlab" "$TMP/demo.json"
expect_grep "scan.analyzer.vendor.name missing" "$TMP/out" "... naming it"
expect_grep "severity 'error'" "$TMP/out" "... and a severity GitLab does not know"
finish
