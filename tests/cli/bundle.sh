#!/usr/bin/env bash
# Built JavaScript (issue 13, item 3): the demo app's client is built by a
# real bundler (esbuild, pinned in tests/npm) with source maps, and the
# secrets that ship in it are reported at their original files and lines,
# the bundle as the related location; without a map, or with a broken one,
# at the bundle itself, with a note. Near misses stay quiet. Hostile inputs
# (item 5): a 100 MB minified bundle, broken maps.
. "$(dirname "$0")/lib/assert.bash"
SRC=${RL_SOURCE_DIR:-$PWD}
ES=$(ls "$SRC"/tests/npm/node_modules/@esbuild/linux-*/bin/esbuild 2>/dev/null | head -1)
if [ -z "$ES" ] || [ ! -x "$ES" ]; then
  not_ok "esbuild is not installed: run sh scripts/test (it runs npm ci --ignore-scripts in tests/npm)"
  finish
fi
cd "$TMP"
cp -r "$SRC/fixtures/demo-app" app
# A 100ms app secret the build inlines (as Vite does with VITE_ variables).
SEC=$(python3 -c "import base64,hashlib;print(base64.b64encode(hashlib.sha512(b'roomlint-bundle-test').digest()*2).decode())")
JWT_HEAD=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhY2Nlc3Nfa2V5IjoiNjUyM2YwYzFhOWIyYzNkNGU1ZjYwNzE4IiwidHlwZSI6Im1hbmFnZW1lbnQi
build() { # build OUTDIR [esbuild options...]
  local out=$1
  shift
  (cd app && "$ES" src/main.jsx src/lib/token.js --bundle --minify --splitting --format=esm --packages=external \
    --loader:.js=jsx --define:import.meta.env.VITE_HMS_APP_SECRET="\"$SEC\"" \
    --define:import.meta.env.VITE_HMS_ACCESS_KEY='"6523f0c1a9b2c3d4e5f60718"' --outdir="$out" --log-level=error "$@")
}
# json_has PATH LINE BUNDLE-PREFIX: a finding at PATH:LINE whose bundle location starts so
json_has() {
  python3 - "$TMP/out" "$1" "$2" "$3" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ok = [f for f in d["findings"] if f["path"] == sys.argv[2] and f["startLine"] == int(sys.argv[3])
      and (sys.argv[4] == "-" and "bundle" not in f or sys.argv[4] != "-" and f.get("bundle", {}).get("path", "").startswith(sys.argv[4]))]
sys.exit(0 if ok else 1)
PY
}
check() { # check DESCRIPTION PATH LINE BUNDLE-PREFIX
  if json_has "$2" "$3" "$4"; then ok "$1"; else not_ok "$1"; python3 -m json.tool "$TMP/out" | grep -E '"(path|startLine|message)"' | head -12 | sed 's/^/    /'; fi
}
no_secret() { # no_secret FILE DESCRIPTION
  if grep -qF -e "$SEC" -e "$JWT_HEAD" "$1"; then not_ok "$2: a secret prints in full"; else ok "$2: no secret in full"; fi
}

build dist --sourcemap
expect_status 1 "esbuild output with source maps" -- "$RL" --no-config -f json app/dist
check "the inlined app secret maps to src/config.js:3" app/src/config.js 3 app/dist/
check "the management token maps to src/lib/hms-service.ts:6" app/src/lib/hms-service.ts 6 app/dist/main.js
expect_grep '"files_scanned": 3|"filesScanned": 3' "$TMP/out" "the three built files count as scanned, the sources they map to do not"
for f in text json sarif html; do
  expect_status 1 "-f $f" -- "$RL" --no-config -f "$f" app/dist
  no_secret "$TMP/out" "-f $f"
done
expect_status 1 "text" -- "$RL" --no-config app/dist
expect_grep '^app/src/config\.js' "$TMP/out" "text: the finding is under the original file"
expect_grep 'built into app/dist/chunk-[A-Z0-9]+\.js:1:[0-9]+' "$TMP/out" "text: the bundle position beside it"
expect_status 1 "sarif" -- "$RL" --no-config -f sarif app/dist
python3 - "$TMP/out" <<'PY' && ok "sarif: original file as the location, the bundle as a related location" || not_ok "sarif: related locations"
import json, sys
d = json.load(open(sys.argv[1]))
rs = d["runs"][0]["results"]
assert len(rs) == 2, rs
for r in rs:
    assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(("src/config.js", "src/lib/hms-service.ts"))
    assert r["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("app/dist/")
PY
# --baseline works for mapped findings: stable fingerprints
cp "$TMP/out" base.sarif
expect_status 0 "a baseline of the same build suppresses its findings" -- "$RL" --no-config --baseline base.sarif app/dist

# an inline map, in a folder that is not a well-known build folder: --bundle
build ../site/assets --sourcemap=inline
expect_status 1 "--bundle DIR with inline source maps" -- "$RL" --no-config -f json --bundle site
check "inline map: app secret at src/config.js:3" app/src/config.js 3 site/assets/
check "inline map: management token at src/lib/hms-service.ts:6" app/src/lib/hms-service.ts 6 site/assets/
# near miss: a .min.js in a plain PATH is skipped as minified (reported); --bundle reads it
mkdir -p lib && cp site/assets/main.js lib/app.min.js
expect_status 0 "a minified file in a plain PATH is skipped, not read" -- "$RL" --no-config -v lib
expect_grep 'lib/app\.min\.js.*minified' "$TMP/out" "the skip is reported"
expect_status 1 "the same folder with --bundle is read" -- "$RL" --no-config --bundle lib

# no map: findings at the bundle itself
build nomap
expect_status 1 "no source map" -- "$RL" --no-config -f json --bundle app/nomap
python3 - "$TMP/out" <<'PY' && ok "no map: two findings, at the bundle's own files" || not_ok "no map: findings at the bundle"
import json, sys
d = json.load(open(sys.argv[1]))
fs = d["findings"]
assert len(fs) == 2 and all(f["path"].startswith("app/nomap/") and "bundle" not in f for f in fs), fs
PY

# broken maps: reported, and the findings stay at the bundle
build broken --sourcemap
for m in app/broken/*.map; do printf '{"version":3,"sources":["a.js"],"mappings":"AAAA,!!' >"$m"; done
expect_status 1 "truncated source maps" -- "$RL" --no-config -f json --bundle app/broken
expect_grep 'source-map-broken' "$TMP/out" "a broken map is a note"
expect_grep '"path": "app/broken/main.js"' "$TMP/out" "its findings point into the bundle"
for m in app/broken/*.map; do printf '{"version":3,"sources":["a.js"],"mappings":"AAAA,gggggggggggggggggggggggggggggggg"}' >"$m"; done
expect_status 1 "a map whose VLQ overflows" -- "$RL" --no-config -f json --bundle app/broken
expect_grep 'malformed' "$TMP/out" "a malformed mapping is a note"
printf '//# sourceMappingURL=data:application/json;base64,@@@@\n' >>app/broken/main.js
expect_status 1 "an inline map that is not base64" -- "$RL" --no-config -f json --bundle app/broken
expect_grep 'source-map-broken' "$TMP/out" "reported"

# a map the comment names outside the bundle's folder tree, or not a .map: never read
mkdir -p odd/dist
cp app/nomap/main.js odd/dist/main.js
printf '\n//# sourceMappingURL=/etc/passwd\n' >>odd/dist/main.js
expect_status 1 "an absolute sourceMappingURL" -- "$RL" --no-config -v odd/dist
expect_grep 'not followed' "$TMP/out" "is not followed, and says so"
expect_no_grep 'root:' "$TMP/out" "nothing of the named file shows"
# a map that is not JSON: the message says where, never what
printf 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 user@host\n' >odd/dist/main.js.map
sed -i '$d' odd/dist/main.js
expect_status 1 "a .map beside it that is not JSON" -- "$RL" --no-config odd/dist
expect_grep 'not JSON \(line 1' "$TMP/out" "reported with its position"
expect_no_grep 'ssh-rsa|AAAAB3' "$TMP/out" "its content is not quoted"

# more secrets than a bundle lists: a note, the rest counted
python3 - many/dist/all.js <<'PY'
import base64, hashlib, os, sys
os.makedirs(os.path.dirname(sys.argv[1]), exist_ok=True)
with open(sys.argv[1], "w") as f:
    for i in range(1500):
        f.write('var a%d="%s";' % (i, base64.b64encode(hashlib.sha512(b"%d" % i).digest() * 2).decode()))
PY
expect_status 1 "a bundle of 1,500 app secrets" -- "$RL" --no-config -f json many/dist
expect_grep 'bundle-findings-limited' "$TMP/out" "past 1,000 the rest are counted in a note"
python3 - "$TMP/out" <<'PY' && ok "1,000 findings listed" || not_ok "the listed findings"
import json, sys
assert len(json.load(open(sys.argv[1]))["findings"]) == 1000
PY

# near miss: a project that lives under a folder named build is source
mkdir -p build/proj/src
printf "const room = { appSecret: 'Zr4Kd9Lq2Wm7Xs5Bt8Nv3Hc6Gf1Jp0Ye' };\n" >build/proj/src/a.js
expect_status 1 "a project under build/" -- "$RL" --no-config -f json build/proj
expect_grep "hard-coded in 'appSecret'" "$TMP/out" "is scanned as source, with the syntax-tree rules"
# a file named in a build folder is a bundle
expect_status 1 "a bundle file named on the command line" -- "$RL" --no-config app/dist/main.js
expect_grep 'built into app/dist/main\.js' "$TMP/out" "is read as a bundle"

# near misses in built code
mkdir -p quiet/dist
cat >quiet/dist/app.js <<'JS'
var a={secretName:"hms-app-secret-name",password:"changeme",appSecret:"",apiSecret:"YOUR_API_SECRET_HERE"};
var b="eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkFsaWNlIn0.c2lnbmF0dXJl";
var c={accessKey:"6523f0c1a9b2c3d4e5f60718",roomId:"66a1b2c3d4e5f60718293a4b",token:e.token};
var d="AKIAIOSFODNN7EXAMPLE",k="sk_live_"+x;
JS
expect_status 0 "near misses: placeholders, a non-provider JWT, ids, AWS's documented example key" -- "$RL" --no-config quiet/dist
cat >quiet/dist/leak.js <<'JS'
var a={appSecret:"Zr4Kd9Lq2Wm7Xs5Bt8Nv3Hc6Gf1Jp0Ye"},b="sk_live_4eC39HqLyjWDarjtT1zdp7dcXqLyjWDarjtT1z";
JS
expect_status 1 "a secret-named key and a Stripe live key" -- "$RL" --no-config -f json quiet/dist
expect_grep "credential in 'appSecret'" "$TMP/out" "secret-named key"
expect_grep "Stripe, Paystack or Clerk live secret key" "$TMP/out" "well-known format"

# hostile: a 100 MB single-line minified bundle with a secret at its very end
big=$((100 * 1024 * 1024))
[ "${RL_SHAPES_SMALL:-}" = 1 ] && big=$((16 * 1024 * 1024))
mkdir -p huge/dist
python3 - huge/dist/vendor.js "$big" "$SEC" <<'PY'
import sys
path, size, sec = sys.argv[1], int(sys.argv[2]), sys.argv[3]
chunk = 'function q(a,b){return a.map(function(c){return c*b+"x"})}var z={n:"ok",m:[1,2,3]};' * 64
with open(path, "w") as f:
    n = 0
    while n < size:
        f.write(chunk)
        n += len(chunk)
    f.write('var s="%s";' % sec)
PY
expect_status 1 "a ${big}-byte minified bundle" -- "$RL" --no-config -f json huge/dist
expect_grep '100ms app secret in the built bundle' "$TMP/out" "the secret at its end is found"
no_secret "$TMP/out" "huge bundle"
finish
