#!/usr/bin/env bash
# roomlint builds with its own libraries only (tree-sitter, PCRE2, libgit2):
# on a machine without tokend's (libmicrohttpd, jansson), the tests'
# (cmocka) and libyaml, the default configuration (AUTO) builds roomlint and
# says what it leaves out, and asking for tokend (ON) fails naming the
# missing library. The machine without them is simulated by a pkg-config
# that does not know them, and logs every module it is asked about.
. "$(dirname "$0")/lib/assert.bash"

src=${RL_SOURCE_DIR:-$(pwd)}
real=$(command -v pkg-config || true)
if [ -z "$real" ] || ! command -v cmake >/dev/null; then skip_all "needs cmake and pkg-config"; fi
cat > "$TMP/pkg-config" <<SH
#!/bin/sh
echo "\$*" >> "$TMP/asked"
for a in "\$@"; do
  case "\$a" in libmicrohttpd*|cmocka*|jansson*|yaml*) exit 1 ;; esac
done
exec "$real" "\$@"
SH
chmod +x "$TMP/pkg-config"
export PKG_CONFIG="$TMP/pkg-config"

expect_status 0 "configure without tokend's and the tests' libraries" -- cmake -S "$src" -B "$TMP/b1" -DCMAKE_BUILD_TYPE=Release
cat "$TMP/err" >> "$TMP/out"
expect_grep "tokend: not built, missing libmicrohttpd" "$TMP/out" "says tokend is left out, and why"
expect_grep "tests: not built, missing cmocka" "$TMP/out" "says the tests are left out, and why"
cmake --build "$TMP/b1" --target help > "$TMP/targets"
expect_grep "^\.\.\. roomlint$" "$TMP/targets" "roomlint is a target"
expect_no_grep "tokend|test_engine|test_config" "$TMP/targets" "tokend and the tests are not"
link=$(cat "$TMP/b1/CMakeFiles/roomlint.dir/link.txt")
echo "$link" | grep -q "tree-sitter" && echo "$link" | grep -q "pcre2-8" && ok "roomlint links tree-sitter and PCRE2" ||
  not_ok "roomlint's link line: $link"
echo "$link" | grep -qE "microhttpd|cmocka|curl|ssl|crypto|jansson|yaml" && not_ok "roomlint links tokend's or the tests' libraries" ||
  ok "and none of tokend's or the tests' libraries, nor jansson or libyaml"
expect_status 0 "roomlint builds without jansson and libyaml" -- cmake --build "$TMP/b1" --target roomlint -j2
needed=$(readelf -d "$TMP/b1/roomlint" | grep NEEDED)
echo "$needed" | grep -q "libtree-sitter" && echo "$needed" | grep -q "libpcre2-8" && echo "$needed" | grep -q "libgit2" &&
  ok "the binary needs tree-sitter, PCRE2 and libgit2" || not_ok "NEEDED: $needed"
echo "$needed" | grep -qE "jansson|yaml" && not_ok "the binary needs jansson or libyaml: $needed" ||
  ok "the binary does not need jansson or libyaml (readelf -d)"
ldd "$TMP/b1/roomlint" | grep -qE "jansson|yaml" && not_ok "ldd: $(ldd "$TMP/b1/roomlint" | grep -E 'jansson|yaml')" ||
  ok "nor does anything it loads (ldd)"
: > "$TMP/asked"
expect_status 0 "RL_BUILD_TOKEND=OFF RL_BUILD_TESTS=OFF" -- cmake -S "$src" -B "$TMP/b2" -DRL_BUILD_TOKEND=OFF -DRL_BUILD_TESTS=OFF
expect_no_grep "not built, missing" "$TMP/out" "asks for nothing it will not build"
expect_grep "tree-sitter" "$TMP/asked" "looks for tree-sitter"
expect_no_grep "jansson|yaml" "$TMP/asked" "does not look for jansson or libyaml"
: > "$TMP/asked"
expect_status 0 "RL_BUILD_TOKEND=OFF" -- cmake -S "$src" -B "$TMP/b5" -DRL_BUILD_TOKEND=OFF
expect_no_grep "jansson|yaml" "$TMP/asked" "without tokend, jansson and libyaml are not looked for"
expect_status 1 "RL_BUILD_TOKEND=ON without libmicrohttpd" -- cmake -S "$src" -B "$TMP/b3" -DRL_BUILD_TOKEND=ON
cat "$TMP/err" >> "$TMP/out"
expect_grep "libmicrohttpd" "$TMP/out" "fails naming the library"
expect_status 1 "RL_BUILD_TESTS=ON without cmocka" -- cmake -S "$src" -B "$TMP/b4" -DRL_BUILD_TESTS=ON
cat "$TMP/err" >> "$TMP/out"
expect_grep "cmocka" "$TMP/out" "fails naming it"
unset PKG_CONFIG
finish
