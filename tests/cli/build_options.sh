#!/usr/bin/env bash
# roomlint builds with its own libraries only: on a machine without tokend's
# (libmicrohttpd) and the tests' (cmocka) libraries, the default
# configuration (AUTO) builds roomlint and says what it leaves out, and
# asking for tokend (ON) fails naming the missing library. The machine
# without them is simulated by a pkg-config that does not know them.
. "$(dirname "$0")/lib/assert.bash"

src=${RL_SOURCE_DIR:-$(pwd)}
real=$(command -v pkg-config || true)
if [ -z "$real" ] || ! command -v cmake >/dev/null; then skip_all "needs cmake and pkg-config"; fi
cat > "$TMP/pkg-config" <<SH
#!/bin/sh
for a in "\$@"; do
  case "\$a" in libmicrohttpd*|cmocka*) exit 1 ;; esac
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
echo "$link" | grep -qE "microhttpd|cmocka|curl|ssl|crypto" && not_ok "roomlint links tokend's or the tests' libraries" ||
  ok "and none of tokend's or the tests' libraries"
expect_status 0 "RL_BUILD_TOKEND=OFF RL_BUILD_TESTS=OFF" -- cmake -S "$src" -B "$TMP/b2" -DRL_BUILD_TOKEND=OFF -DRL_BUILD_TESTS=OFF
expect_no_grep "not built, missing" "$TMP/out" "asks for nothing it will not build"
expect_status 1 "RL_BUILD_TOKEND=ON without libmicrohttpd" -- cmake -S "$src" -B "$TMP/b3" -DRL_BUILD_TOKEND=ON
cat "$TMP/err" >> "$TMP/out"
expect_grep "libmicrohttpd" "$TMP/out" "fails naming the library"
expect_status 1 "RL_BUILD_TESTS=ON without cmocka" -- cmake -S "$src" -B "$TMP/b4" -DRL_BUILD_TESTS=ON
cat "$TMP/err" >> "$TMP/out"
expect_grep "cmocka" "$TMP/out" "fails naming it"
unset PKG_CONFIG
finish
