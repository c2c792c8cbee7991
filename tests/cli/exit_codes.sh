#!/usr/bin/env bash
# Exit codes and messages: 0 clean, 1 findings at or above --fail-on,
# 2 usage errors, unreadable paths, bad rule files, write failures.
. "$(dirname "$0")/lib/assert.bash"

expect_status 1 "demo app has findings" -- "$RL" fixtures/demo-app
expect_status 0 "--fail-on none never fails" -- "$RL" --fail-on none fixtures/demo-app
mkdir -p "$TMP/clean"
printf 'export const room = "standup";\n' > "$TMP/clean/app.js"
expect_status 0 "clean tree" -- "$RL" "$TMP/clean"
expect_grep "no problems found" "$TMP/out" "clean tree says so"

# Only warnings: fail at warning, pass at error.
printf 'fetch("http://api.demo-video.io/token");\n' > "$TMP/clean/warn.js"
expect_status 1 "warning fails at --fail-on warning" -- "$RL" "$TMP/clean"
expect_status 0 "warning passes at --fail-on error" -- "$RL" --fail-on error "$TMP/clean"
expect_status 0 "a disabled rule does not fire" -- "$RL" --disable insecure-http-url "$TMP/clean"
rm "$TMP/clean/warn.js"

expect_status 2 "unknown option" -- "$RL" --frobnicate
expect_grep "unknown option '--frobnicate'" "$TMP/err" "names the unknown option"
# The option named is the one at fault, wherever getopt stopped (issue 16).
expect_status 2 "unknown short option in a cluster" -- "$RL" -rf.js
expect_grep "unknown option '-r'" "$TMP/err" "names the short option, not argv[0]"
expect_no_grep "roomlint'" "$TMP/err" "does not name the program as the option"
expect_status 2 "unknown short option after a long one" -- "$RL" --verbose -rf.js
expect_grep "unknown option '-r'" "$TMP/err" "names the short option, not the previous argument"
expect_status 2 "unknown long option with a value" -- "$RL" --frob=1 .
expect_grep "unknown option '--frob'" "$TMP/err" "names the long option without its value"
expect_status 2 "a value for an option that takes none" -- "$RL" --list-rules=x
expect_grep "option '--list-rules' takes no value" "$TMP/err" "says the option takes no value"
expect_status 2 "missing value at the end of a cluster" -- "$RL" -vf
expect_grep "option '-f' needs a value" "$TMP/err" "names the short option missing its value"
expect_status 2 "missing value of a long option" -- "$RL" --verbose --format
expect_grep "option '--format' needs a value" "$TMP/err" "names the long option missing its value"
expect_status 2 "bad format" -- "$RL" -f xml .
expect_grep "'xml' is not one of text, json, sarif" "$TMP/err" "names the bad format"
expect_status 2 "bad --fail-on" -- "$RL" --fail-on fatal .
expect_status 2 "option without value" -- "$RL" --rules
expect_status 2 "bad --jobs" -- "$RL" -j 0 .
# Numeric options: an overflowing value is refused, a huge one is capped at
# the largest file roomlint reads, never wrapped into "skip everything".
printf "const appSecret = 'Zq8vR3kP1mX7wY2nB5tL9cF4hJ6dG0sA';\n" > "$TMP/s.js"
expect_status 1 "--max-file-size 2^64-1 still scans the file" -- "$RL" --no-config --max-file-size 18446744073709551615 "$TMP/s.js"
expect_grep "1 file scanned, 0 skipped" "$TMP/out" "the file was scanned, not skipped as too large"
expect_status 1 "--max-file-size 4G is capped, still scans" -- "$RL" --no-config --max-file-size 4G "$TMP/s.js"
for v in 18446744073709551616 17179869184G -1 0 12Q; do
  expect_status 2 "--max-file-size $v" -- "$RL" --no-config --max-file-size "$v" "$TMP/s.js"
  expect_grep "max-file-size: '$v' is not a size" "$TMP/err" "--max-file-size $v names the value"
done
for v in 99999999999999999999 -1 257 4x; do
  expect_status 2 "--jobs $v" -- "$RL" --no-config -j "$v" "$TMP/s.js"
  expect_grep "jobs: '$v' must be a number from 1 to 256" "$TMP/err" "--jobs $v names the range"
done
for v in 0.5 36600d 999999999999999999999999999999d; do
  expect_status 2 "--max-token-ttl $v" -- "$RL" --no-config --max-token-ttl "$v" "$TMP/s.js"
  expect_grep "max-token-ttl: '$v' is not a duration from 1 second to 100 years" "$TMP/err" "--max-token-ttl $v names the range"
done
expect_status 1 "--max-token-ttl 100y is the longest accepted" -- "$RL" --no-config --max-token-ttl 100y "$TMP/s.js"
expect_status 2 "unknown rule in --disable" -- "$RL" --disable no-such-rule .
expect_grep "unknown rule 'no-such-rule'" "$TMP/err" "names the unknown rule"
expect_status 2 "missing path" -- "$RL" "$TMP/does-not-exist"
expect_grep "does-not-exist" "$TMP/err" "names the missing path"
# A named path that cannot be read is exit 2, whatever the reason, and so is
# running out of descriptors; an old report is left as it was (issue 16).
if command -v prlimit >/dev/null; then
  echo "previous report" > "$TMP/old.txt"
  # Only 0, 1 and 2 open, and room for one more: the report's temporary file
  # takes it, so reading the named file runs out of descriptors.
  only_std_fds() {
    bash -c 'for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null; done; exec "$@"' _ "$@"
  }
  expect_status 2 "a named file read with no descriptor left" -- only_std_fds prlimit --nofile=4 "$RL" --no-config -o "$TMP/old.txt" "$TMP/s.js"
  expect_grep "^roomlint: .*s.js: .*Too many open files" "$TMP/err" "says the descriptors ran out"
  expect_grep "previous report" "$TMP/old.txt" "the old report survives"
fi
if [ -r /proc/self/mem ]; then
  expect_status 2 "a named file no read gets a byte from" -- "$RL" --no-config /proc/self/mem
  expect_grep "^roomlint: /proc/self/mem: Input/output error" "$TMP/err" "names the path and the error"
fi
expect_status 2 "unknown rule for --explain" -- "$RL" --explain nope

mkdir -p "$TMP/badpack"
printf '; id: x\n; severity: warning\n; title: t\n; message: m\n; languages: javascript\n(call_expresion) @finding\n' > "$TMP/badpack/x.scm"
expect_status 2 "broken rule pack" -- "$RL" --rules "$TMP/badpack" "$TMP/clean"
expect_grep "x.scm:6:2: unknown node type 'call_expresion'" "$TMP/err" "rule pack error names file, line, column"

# Write failures: exit 2, and an existing report is left as it was.
expect_status 2 "output into a missing directory" -- "$RL" -o "$TMP/nodir/report.txt" "$TMP/clean"
echo "previous report" > "$TMP/report.json"
chmod 0500 "$TMP" 2>/dev/null || true
if [ "$(id -u)" != 0 ]; then
  expect_status 2 "output into a read-only directory" -- "$RL" -f json -o "$TMP/report.json" "$TMP/clean"
  expect_grep "previous report" "$TMP/report.json" "the previous report survives a failed write"
fi
chmod 0700 "$TMP"
if [ -w /dev/full ]; then
  expect_status 2 "stdout that cannot be written (/dev/full)" -- sh -c "\"$RL\" -f sarif fixtures/demo-app > /dev/full"
fi
# Information commands and reports check their writes too: a full disk or a
# closed standard output is exit 2 with a message, never a silent exit 0.
for cmd in --version --help --list-rules "--explain insecure-http-url" "$TMP/clean" "-f json $TMP/clean"; do
  if [ -w /dev/full ]; then
    expect_status 2 "roomlint $cmd > /dev/full" -- sh -c "\"$RL\" $cmd > /dev/full"
    expect_grep "^roomlint: could not write .*No space left on device" "$TMP/err" "roomlint $cmd > /dev/full says why"
  fi
  expect_status 2 "roomlint $cmd >&-" -- sh -c "\"$RL\" $cmd >&-"
  expect_grep "^roomlint: could not write .*Bad file descriptor" "$TMP/err" "roomlint $cmd >&- says why"
done
expect_status 1 "-o /dev/null writes to the device, not beside it" -- "$RL" -o /dev/null fixtures/demo-app
if [ -c /dev/null ] && [ -z "$(ls /dev/null.tmp-* 2>/dev/null)" ]; then ok "/dev/null is still a device"; else not_ok "/dev/null was replaced"; fi
expect_status 1 "-o writes the report" -- "$RL" -f json -o "$TMP/report.json" fixtures/demo-app
expect_grep '"ruleId": "hardcoded-secret"' "$TMP/report.json" "report file has findings"

# Out of memory (issue 16): exit 2 with our message, whoever ran out (the
# parser here), no temporary file left, the old report intact. AddressSanitizer
# reserves terabytes of address space, so this cannot run under it.
if ldd "$RL" 2>/dev/null | grep libasan >/dev/null; then # (not -q: with pipefail, ldd killed by SIGPIPE would read as "no")
  echo "ok - out of memory under prlimit --as # skipped: ASan build"
elif command -v prlimit >/dev/null; then
  mkdir -p "$TMP/oom"
  python3 - "$TMP/oom/big.js" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write('fetch("http://api.example.io/x");\n')
    for i in range(100000):
        f.write("let a%d = [1, 2, 3, 4, 5, 6, 7, 8, 9, 0];\n" % i)
PY
  echo "previous report" > "$TMP/oom/out.json"
  expect_status 2 "out of memory while parsing" -- prlimit --as=150000000 "$RL" --no-config -j1 --fail-on none -f json -o "$TMP/oom/out.json" "$TMP/oom/big.js"
  expect_grep "^roomlint: out of memory$" "$TMP/err" "says so with our prefix"
  expect_grep "previous report" "$TMP/oom/out.json" "the old report survives"
  if ls "$TMP/oom/"*.tmp-* >/dev/null 2>&1; then not_ok "out of memory left a temporary file"; else ok "no temporary file left"; fi
  # A 2.2 GB sparse file (all NUL bytes) under a 3G limit is refused as
  # binary on its first 8 KiB, not read whole first: 500 MB of address space
  # is plenty for that and far too little for the whole file.
  truncate -s 2200M "$TMP/oom/huge.js"
  expect_status 0 "a 2.2 GB binary file is probed before it is read" -- prlimit --as=500000000 "$RL" --no-config -v --max-file-size 3G "$TMP/oom/huge.js"
  expect_grep "skipped +.*huge.js +binary file" "$TMP/out" "it is skipped as binary"
  rm -f "$TMP/oom/huge.js"
fi

# Interrupted (issue 16): SIGINT or SIGTERM during a scan with -o removes the
# temporary file and leaves the old report. The run is frozen with SIGSTOP
# while its temporary file exists, so the signal surely lands mid-scan.
mkdir -p "$TMP/slow"
python3 - "$TMP/slow" <<'PY'
import sys
for n in range(40):
    with open("%s/f%02d.js" % (sys.argv[1], n), "w") as f:
        f.write('fetch("http://api.example.io/x");\n')
        for i in range(20000):
            f.write("let a%d = [1, 2, 3, 4, 5, 6, 7, 8, 9, 0];\n" % i)
PY
set -m # background jobs of their own, which do not ignore SIGINT
for sig in INT TERM; do
  echo "previous report" > "$TMP/slow.json"
  caught=0
  for attempt in 1 2 3 4 5; do
    "$RL" --no-config -j1 -f json -o "$TMP/slow.json" "$TMP/slow" >/dev/null 2>&1 &
    pid=$!
    while [ ! -e "$TMP/slow.json.tmp-$pid" ] && kill -0 "$pid" 2>/dev/null; do sleep 0.01; done
    kill -STOP "$pid" 2>/dev/null || true
    if [ -e "$TMP/slow.json.tmp-$pid" ]; then
      kill -"$sig" "$pid"
      kill -CONT "$pid"
      # wait may first report the stop (128 + SIGSTOP): wait for the end.
      st=$((128 + $(kill -l STOP)))
      while [ "$st" = $((128 + $(kill -l STOP))) ]; do
        st=0
        wait "$pid" || st=$?
      done
      caught=1
      break
    fi
    kill -CONT "$pid" 2>/dev/null || true
    wait "$pid" || true
    echo "previous report" > "$TMP/slow.json"
  done
  if [ "$caught" = 1 ]; then
    want=$((128 + $(kill -l "$sig")))
    if [ "$st" = "$want" ]; then ok "SIG$sig ends the run by the signal (status $st)"; else not_ok "SIG$sig: status $st, wanted $want"; fi
    if [ -e "$TMP/slow.json.tmp-$pid" ]; then not_ok "SIG$sig left $TMP/slow.json.tmp-$pid"; else ok "SIG$sig: no temporary file left"; fi
    expect_grep "previous report" "$TMP/slow.json" "SIG$sig: the old report survives"
  else
    not_ok "SIG$sig: the scan never ran long enough to be interrupted"
  fi
done
set +m

# -o naming a scanned file is refused, by identity (issue 16); the source
# file is left as it was.
mkdir -p "$TMP/ov/src"
cp "$TMP/s.js" "$TMP/ov/src/a.js"
ln -s src "$TMP/ov/ln"
for form in "-o $TMP/ov/src/a.js $TMP/ov/src" "-o $TMP/ov/src/../src/a.js $TMP/ov/src/a.js" "-o $TMP/ov/src/a.js $TMP/ov/ln/a.js"; do
  expect_status 2 "roomlint $form is refused" -- "$RL" --no-config $form
  expect_grep "is the report file \(-o\): writing it would overwrite a scanned file" "$TMP/err" "says why ($form)"
  if cmp -s "$TMP/s.js" "$TMP/ov/src/a.js"; then ok "the source survives ($form)"; else not_ok "the source was overwritten ($form)"; fi
done
if ls "$TMP/ov/src/"*.tmp-* >/dev/null 2>&1; then not_ok "a refused -o left a temporary file"; else ok "a refused -o leaves no temporary file"; fi

# Overlapping PATHs scan each file once, at the first path (issue 16).
cp "$TMP/s.js" "$TMP/ov/src/a.js"
for form in "src src/a.js" ". ./src" "src/a.js src/a.js" "src/a.js src"; do
  expect_status 1 "roomlint $form" -- sh -c "cd \"$TMP/ov\" && \"$RL\" --no-config -f json $form"
  n=$(grep -c '"ruleId": "hardcoded-secret"' "$TMP/out" || true)
  if [ "$n" = 1 ]; then ok "roomlint $form reports the secret once"; else not_ok "roomlint $form reports it $n times"; fi
  expect_grep '"path": "src/a.js"' "$TMP/out" "roomlint $form names it src/a.js"
done

expect_status 0 "--version" -- "$RL" --version
expect_grep "^roomlint [0-9]+\.[0-9]+\.[0-9]+" "$TMP/out" "version line"
expect_grep "tree-sitter-javascript 0\.23\." "$TMP/out" "grammar versions"
expect_status 0 "--help" -- "$RL" --help
expect_grep "^Usage: roomlint" "$TMP/out" "usage text"
expect_status 0 "--list-rules" -- "$RL" --list-rules
expect_grep "^hardcoded-secret +error " "$TMP/out" "rules listed with severity"
expect_status 0 "--explain" -- "$RL" --explain insecure-http-url
expect_grep "^# insecure-http-url" "$TMP/out" "explain prints the doc"
finish
