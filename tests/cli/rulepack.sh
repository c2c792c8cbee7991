#!/usr/bin/env bash
# The shipped example rule pack runs against the demo app.
. "$(dirname "$0")/lib/assert.bash"
expect_status 1 "demo app with the example pack" -- "$RL" --rules rules/examples fixtures/demo-app
expect_grep "token-in-localstorage" "$TMP/out" "example pack: token-in-localstorage fires"
expect_grep "tls-verification-disabled" "$TMP/out" "example pack: tls-verification-disabled fires"
expect_status 0 "example rules are listed" -- "$RL" --rules rules/examples --list-rules
expect_grep "^token-in-localstorage +warning" "$TMP/out" "pack rule in --list-rules"
finish
