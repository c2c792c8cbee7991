#!/usr/bin/env bash
# The Debian packages: cpack builds roomlint_<v>_<arch>.deb and tokend's from
# this build; roomlint's is installed with dpkg -i into a clean root (its own
# dpkg database, nothing of the machine's touched) and the installed
# usr/bin/roomlint scans the demo app. One version everywhere: --version,
# the package and SARIF's tool.driver.version agree with CMakeLists.txt.
. "$(dirname "$0")/lib/assert.bash"

build=${RL_BINARY_DIR:-$(dirname "$RL")}
for tool in cpack dpkg dpkg-deb; do
  if ! command -v "$tool" >/dev/null 2>&1; then skip_all "$tool is not installed"; fi
done
expect_status 0 "cpack -G DEB" -- cpack -G DEB --config "$build/CPackConfig.cmake" -B "$TMP/pkg"
deb=$(ls "$TMP"/pkg/roomlint_*.deb 2>/dev/null | head -1)
[ -f "$deb" ] && ok "built $(basename "$deb")" || { not_ok "no roomlint .deb in $TMP/pkg"; finish; exit 1; }
if grep -q '^RL_BUILD_TOKEND_ON' "$build/CMakeCache.txt" 2>/dev/null || [ -x "$build/backend/tokend" ]; then
  tdeb=$(ls "$TMP"/pkg/tokend_*.deb 2>/dev/null | head -1)
  [ -f "$tdeb" ] && ok "built $(basename "$tdeb")" || not_ok "no tokend .deb"
fi

# ---- one version ---------------------------------------------------------------
want=$(sed -n 's/^project(roomlint VERSION \([0-9.]*\) .*/\1/p' CMakeLists.txt)
[ -n "$want" ] && ok "CMakeLists.txt sets version $want" || not_ok "no version in project()"
pkgver=$(dpkg-deb -f "$deb" Version)
[ "$pkgver" = "$want" ] && ok "the package's version is $want" || not_ok "package version $pkgver, CMake $want"
clive=$("$RL" --version | sed -n 's/^roomlint //p')
[ "$clive" = "$want" ] && ok "roomlint --version says $want" || not_ok "--version says $clive, CMake $want"
"$RL" --no-config -f sarif -o "$TMP/demo.sarif" fixtures/demo-app || true
sarifver=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["runs"][0]["tool"]["driver"]["version"])' "$TMP/demo.sarif")
[ "$sarifver" = "$want" ] && ok "SARIF tool.driver.version is $want" || not_ok "SARIF says $sarifver, CMake $want"
[ "$(basename "$deb")" = "roomlint_${want}_$(dpkg --print-architecture).deb" ] && ok "the file name carries the version" ||
  not_ok "file name $(basename "$deb")"

# ---- what it holds and needs ---------------------------------------------------
dpkg-deb -c "$deb" | awk '{print $6}' > "$TMP/files"
for f in ./usr/bin/roomlint ./usr/share/man/man1/roomlint.1 ./usr/share/doc/roomlint/LICENSE \
         ./usr/share/doc/roomlint/hardcoded-secret.md; do
  grep -qx "$f" "$TMP/files" && ok "the package holds $f" || not_ok "the package lacks $f"
done
expect_no_grep 'tokend' "$TMP/files" "roomlint's package holds nothing of tokend"
depends=$(dpkg-deb -f "$deb" Depends)
echo "$depends" | grep -q 'libtree-sitter' && echo "$depends" | grep -q 'libpcre2-8' &&
  ok "it depends on tree-sitter and PCRE2 ($depends)" || not_ok "Depends: $depends"
echo "$depends" | grep -qE 'microhttpd|cmocka|libcurl|libssl' && not_ok "it depends on tokend's or the tests' libraries: $depends" ||
  ok "not on tokend's or the tests' libraries"

# ---- dpkg -i into a clean root ---------------------------------------------------
root=$TMP/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
: > "$root/var/lib/dpkg/status"
# The root's database knows none of the libraries: their files are the
# machine's, so the dependency check is the only thing forced.
expect_status 0 "dpkg -i into a clean root" -- dpkg --root="$root" --log=/dev/null --force-depends --force-not-root \
  --force-script-chrootless -i "$deb"
[ -x "$root/usr/bin/roomlint" ] && ok "usr/bin/roomlint is installed" || not_ok "no $root/usr/bin/roomlint"
expect_status 0 "dpkg knows it" -- dpkg --root="$root" -s roomlint
expect_grep "^Status: install ok installed" "$TMP/out" "installed"
expect_grep "^Version: $want$" "$TMP/out" "at version $want"
expect_status 1 "the installed roomlint scans the demo app" -- "$root/usr/bin/roomlint" --no-config fixtures/demo-app
expect_grep "hardcoded-secret" "$TMP/out" "and reports its findings"
expect_no_grep "$(sed -n 's/^HMS_APP_SECRET=//p' fixtures/demo-app/.env | cut -c1-30)" "$TMP/out" "masked"
cmp -s <("$root/usr/bin/roomlint" --no-config -f json fixtures/demo-app) <("$RL" --no-config -f json fixtures/demo-app) &&
  ok "it reports what the build reports" || not_ok "the installed roomlint reports differently"
expect_status 0 "installed --explain" -- "$root/usr/bin/roomlint" --explain hardcoded-secret
expect_status 0 "dpkg -r removes it again" -- dpkg --root="$root" --log=/dev/null --force-script-chrootless -r roomlint
[ ! -e "$root/usr/bin/roomlint" ] && ok "usr/bin/roomlint is gone" || not_ok "usr/bin/roomlint left behind"
finish
