# Generates a hostile source tree at run time (sourced, not run; never
# committed). Used by tests/cli/hostile_inputs.sh and tests/cli/determinism.sh.
#
#   make_hostile_tree DIR     builds DIR (which must not exist) and fills
#                             HOSTILE_EXPECT_SKIP (path|reason-id pairs) and
#                             HOSTILE_EXPECT_FIND (path|rule-id pairs)
#   HOSTILE_VANISH            the file hostile_vanish_run deletes mid-scan
#   HOSTILE_DEEP              files that end inside 65,536 or more unfinished
#                             constructs, which tree-sitter 0.20.7 miscounts: not parsed
#   make_hostile_shapes DIR EXPECT
#                             adds one file (or folder) of each shape family of
#                             tests/support/gen-shape at the size that hung
#                             before issue 17, and writes what each must report
#                             to EXPECT (check-expect lines, paths under DIR)
#
# Every hostile file is beside a genuine finding the scan must still report.
# Needs python3 (bytes the shell cannot write portably, the socket, 10 000 files).

# A 100ms management token (fake, signed with a made-up key).
HOSTILE_MGMT_JWT='eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhY2Nlc3Nfa2V5IjoiNjRmMWMyYTllNGIwZDFhMmIzYzRkNWU2IiwidHlwZSI6Im1hbmFnZW1lbnQiLCJ2ZXJzaW9uIjoyLCJqdGkiOiI4ZDNjN2YyYS0xYjRlLTRjOWEtOWYxZC0yZTZiN2E4YzlkMGUiLCJpYXQiOjE3MzI3MDAwMDAsIm5iZiI6MTczMjcwMDAwMCwiZXhwIjoxNzMyNzg2NDAwfQ.61skmM5lMHFUrLlm2jGTpLL-E3RqafPhraOz6hhaBrg'

make_hostile_tree() {
  local T=$1
  mkdir -p "$T"
  HOSTILE_VANISH="many/zz-vanish.js"
  HOSTILE_DEEP="deep/unclosed.js deep/assign-chain.js deep/not-chain.js"
  HOSTILE_MGMT_JWT=$HOSTILE_MGMT_JWT python3 - "$T" <<'PY'
import os, socket, sys
T = sys.argv[1]
jwt = os.environ["HOSTILE_MGMT_JWT"]
def w(rel, data):
    p = os.path.join(T, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)

URL = "fetch('http://api.evil-demo.io/token');\n"
# Genuine findings, plain.
w("src/mgmt.js", "export const managementToken = '%s';\n" % jwt)
w("src/public-env.js", "export const appSecret = process.env.NEXT_PUBLIC_HMS_APP_SECRET;\n")
w("src/endpoint.js", "export async function join() {\n  return " + URL + "}\n")
# Encodings: a finding behind each oddity.
w("enc/invalid-utf8.js", b"// caf\xe9 \xc3\x28 \xff\xfe \xed\xa0\x80 (not UTF-8)\nconst label = '\xff\xc0\xaf';\n" + URL.encode())
w("enc/invalid-utf8-in-token.js", b"export const managementToken = '" + jwt.encode() + b"'; // \xff\xfe\n")
w("enc/bom.ts", "\ufeffexport const appSecret = process.env.NEXT_PUBLIC_HMS_APP_SECRET;\n")
w("enc/crlf.js", ("// Windows line endings\r\nexport async function join() {\r\n  return " + URL.strip() + "\r\n}\r\n"))
w("enc/cr-only.js", "// old Mac line endings\rconst a = 1;\r" + URL.strip() + "\r")
w("enc/utf16.js", ("\ufeff" + URL).encode("utf-16-le"))
# NUL bytes: in the first 8 KiB (binary), and only after it (scanned).
w("nul/early.js", b"const a = 1;\0\0\n" + URL.encode())
w("nul/late.js", URL.encode() + (b"// padding padding padding padding padding padding padding padding\n" * 130) + b"const b = '\0\0';\n\0\0\0\n" + URL.encode())
# Size: 50 MB on one line (too large), a 1 MB string literal on one line (minified)
# and a 1 MB template literal over many lines (parsed).
w("big/huge-line.js", b"var x='" + b"a" * (50 * 1024 * 1024) + b"';\n")
w("big/string-1mb.js", "const blob = '" + "s" * (1024 * 1024) + "';\n" + URL)
w("big/template-1mb.js", "const doc = `\n" + ("t" * 99 + "\n") * 10486 + "`;\n" + URL)
# Nesting 100 000 deep, on lines short enough not to count as minified.
deep = 100000
w("deep/parens.js", URL + "const p = " + ("(" * 100 + "\n") * (deep // 100) + "1" + (")" * 100 + "\n") * (deep // 100) + ";\n")
w("deep/brackets.js", URL + "const q = " + ("[" * 100 + "\n") * (deep // 100) + (("]" * 100) + "\n") * (deep // 100) + ";\n")
w("deep/objects.js", URL + "const o = " + ("{a:" * 25 + "\n") * (deep // 25) + "1" + ("}" * 100 + "\n") * (deep // 100) + ";\n")
w("deep/unclosed.js", URL + "f" + ("(" * 100 + "\n") * (deep // 100))
# Chains left open at the end: as many unfinished nodes, no brackets at all.
w("deep/assign-chain.js", URL + "a =\n" * 70000)
w("deep/not-chain.js", URL + "!\n" * 70000)
# Deep, but within what is parsed: the finding inside must be reported.
w("deep/moderate.js", "const m = " + ("(" * 50 + "\n") * 100 + URL.strip().rstrip(";") + (")" * 50 + "\n") * 100 + ";\n")
# 10 000 files in one folder, and the file hostile_vanish_run removes mid-scan.
os.makedirs(os.path.join(T, "many"))
for i in range(10000):
    with open(os.path.join(T, "many", "f%05d.js" % i), "w") as f:
        f.write("export const v%d = %d;\n" % (i, i))
w("many/zz-vanish.js", URL)
# Empty files.
w("src/empty.js", b"")
w("src/.env", b"")
# Special files: a FIFO and a socket, named like sources.
os.makedirs(os.path.join(T, "special"))
os.mkfifo(os.path.join(T, "special", "pipe.js"))
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(os.path.join(T, "special", "sock.js"))
s.close()
# Symbolic links: a loop of two, a link to its own directory, one to a
# missing file, and links out of the root (a file and a directory).
os.makedirs(os.path.join(T, "links"))
os.symlink("b.js", os.path.join(T, "links", "a.js"))
os.symlink("a.js", os.path.join(T, "links", "b.js"))
os.symlink(".", os.path.join(T, "links", "self"))
os.symlink("missing.js", os.path.join(T, "links", "dangling.js"))
os.symlink("/etc/hostname", os.path.join(T, "links", "outside.js"))
os.symlink("/usr/share/doc", os.path.join(T, "links", "outside-dir"))
os.symlink("../src/endpoint.js", os.path.join(T, "links", "inside.js"))
# .gitignore files with pathological patterns (backtracking bait, deep **,
# broken classes, a 4 KiB pattern, thousands of lines); one ordinary pattern
# among them still ignores ign/ignored.js and nothing else.
patho = ["*a" * 40 + "*b", "**/" * 200 + "x", "[[[[[[", "[]", "[!]", "\\", "!", "/", "**a**a**a**a**a**a**a**a**b",
         "a" * 4096 + "*", "#!*", "\\!keep", "trailing\\ \\ ", "?" * 300, "[a-" * 100, "ignored.js"]
patho += ["gen%04d/**/*.tmp" % i for i in range(3000)]
w("ign/.gitignore", "\n".join(patho) + "\n")
w("ign/" + "a" * 200 + ".js", URL)
w("ign/ignored.js", URL)
w("ign/deeper/.gitignore", "**\n!**/\n!*.js\n" + "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b\n" * 50)
w("ign/deeper/" + "a" * 120 + "c.js", URL)
PY
  HOSTILE_EXPECT_SKIP=(
    "enc/utf16.js|binary" "nul/early.js|binary" "big/huge-line.js|too-large" "big/string-1mb.js|minified"
    "special/pipe.js|special-file" "special/sock.js|special-file" "links/a.js|symlink-loop"
    "links/b.js|symlink-loop" "links/dangling.js|symlink-loop" "links/self|symlink-loop"
    "links/outside.js|symlink-outside-root" "links/outside-dir|symlink-outside-root"
  )
  HOSTILE_EXPECT_FIND=(
    "src/mgmt.js|hardcoded-secret" "src/public-env.js|public-env-secret" "src/endpoint.js|insecure-http-url"
    "enc/invalid-utf8.js|insecure-http-url" "enc/invalid-utf8-in-token.js|hardcoded-secret"
    "enc/bom.ts|public-env-secret" "enc/crlf.js|insecure-http-url" "enc/cr-only.js|insecure-http-url"
    "nul/late.js|insecure-http-url" "big/template-1mb.js|insecure-http-url" "deep/moderate.js|insecure-http-url"
    "deep/parens.js|insecure-http-url" "deep/brackets.js|insecure-http-url" "deep/objects.js|insecure-http-url"
    "ign/$(printf 'a%.0s' $(seq 200)).js|insecure-http-url" "ign/deeper/$(printf 'a%.0s' $(seq 120))c.js|insecure-http-url"
  )
}

# hostile_shape_size FAMILY: the size at which FAMILY hung (or lost its
# deepest findings) before the analysis was linear; RL_SHAPES_SMALL=1
# (sanitizer builds) shrinks every family to a few thousand nodes.
hostile_shape_size() {
  if [ -n "${RL_SHAPES_SMALL:-}" ]; then
    case $1 in reexports) echo 75 ;; *) echo 1500 ;; esac
    return
  fi
  case $1 in
  calls | template | object | array | ifs | args | shadows) echo 25000 ;; # the old bracket guard refused 30,000
  reexports) echo 10000 ;;
  decls | imports | class | routes) echo 20000 ;;
  *) echo 100000 ;;
  esac
}

make_hostile_shapes() {
  local dir=$1 expect=$2 gen="$RL_SOURCE_DIR/tests/support/gen-shape" fam
  mkdir -p "$dir"
  : >"$expect"
  for fam in $("$gen" --list); do
    "$gen" "$fam" "$(hostile_shape_size "$fam")" "$dir/$fam" |
      sed "s#^\(expect\|deny\) \([^ ]*\) #\1 \2 $(basename "$dir")/$fam/#" >>"$expect" || return 1
  done
}

# hostile_vanish_run RL TREE OUT: scans TREE (text, -v: a line per file, written
# as it goes) into a FIFO; once the
# pipe is full (so roomlint is blocked writing, with many/ listed but its last
# file not yet looked at) deletes TREE/$HOSTILE_VANISH, then reads the rest of
# the report into OUT. Prints roomlint's exit status. Deterministic: the
# report of the files before it is far larger than a pipe.
hostile_vanish_run() {
  local rl=$1 tree=$2 out=$3
  python3 - "$rl" "$tree" "$out" "$HOSTILE_VANISH" <<'PY'
import fcntl, os, subprocess, sys, tempfile, termios, time, array
rl, tree, out, victim = sys.argv[1:5]
d = tempfile.mkdtemp(prefix="rl-vanish-")
fifo = os.path.join(d, "report.fifo")
os.mkfifo(fifo)
p = subprocess.Popen([rl, "-v", "-j", "2", "-o", fifo, tree], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
fd = os.open(fifo, os.O_RDONLY)
cap = fcntl.fcntl(fd, 1032)  # F_GETPIPE_SZ
buf = array.array("i", [0])
deadline = time.monotonic() + 600
while True:
    fcntl.ioctl(fd, termios.FIONREAD, buf, True)
    if buf[0] >= cap or p.poll() is not None or time.monotonic() > deadline:
        break
    time.sleep(0.01)
os.unlink(os.path.join(tree, victim))
with open(out, "wb") as f:
    while True:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        f.write(chunk)
os.close(fd)
print(p.wait())
os.unlink(fifo)
os.rmdir(d)
PY
}
