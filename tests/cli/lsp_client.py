#!/usr/bin/env python3
"""A scripted LSP client for `roomlint lsp` (tests/cli/lsp.sh runs it).

Usage: lsp_client.py ROOMLINT WORKDIR

Drives the server over pipes as an editor would, and checks what comes back:
diagnostics with ranges, rule ids, severities, doc links, fix text and masked
secrets; clean text clears them; ignored files get none; malformed input gets
JSON-RPC errors without killing the server; shutdown/exit set the exit code.
Prints one "ok - ..." / "not ok - ..." line per check; exits 1 if any failed.
"""
import json
import os
import select
import subprocess
import sys
import time

RL, WORK = sys.argv[1], sys.argv[2]
SECRET = "Hx7pK2wQ9mZ4vL8rT3nB6yC1dF5gJ0sA2eU4iO7q"
failed = 0
passed = 0


def check(cond, what, detail=None):
    global failed, passed
    if cond:
        passed += 1
        print("ok - " + what)
    else:
        failed += 1
        print("not ok - " + what)
        if detail is not None:
            print("    " + json.dumps(detail)[:1500])


class Server:
    def __init__(self, *args):
        self.p = subprocess.Popen([RL, "lsp", *args], cwd=WORK, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.buf = b""
        self.next_id = 0

    def raw(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, method, params=None):
        self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return self.next_id

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def _read_some(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no answer from the server")
        r, _, _ = select.select([self.p.stdout], [], [], left)
        if not r:
            raise TimeoutError("no answer from the server")
        chunk = os.read(self.p.stdout.fileno(), 65536)
        if not chunk:
            raise EOFError("the server closed its output")
        self.buf += chunk

    def recv(self, timeout=20):
        """The next framed message (a generous timeout: a hang is a failure, not a timing)."""
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in self.buf:
            self._read_some(deadline)
        head, rest = self.buf.split(b"\r\n\r\n", 1)
        length = None
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        assert length is not None, head
        while len(rest) < length:
            self.buf = head + b"\r\n\r\n" + rest
            self._read_some(deadline)
            head, rest = self.buf.split(b"\r\n\r\n", 1)
        self.buf = rest[length:]
        return json.loads(rest[:length])

    def wait_for(self, pred):
        while True:
            m = self.recv()
            if pred(m):
                return m

    def response(self, rid):
        return self.wait_for(lambda m: m.get("id") == rid and ("result" in m or "error" in m))

    def diagnostics(self, uri):
        m = self.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                          and m["params"]["uri"] == uri)
        return m["params"]

    def finish(self):
        self.p.stdin.close()
        try:
            code = self.p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.p.kill()
            code = "hung"
        err = self.p.stderr.read().decode(errors="replace")
        self.p.stdout.close()
        self.p.stderr.close()
        return code, err


def uri(rel):
    return "file://" + os.path.join(WORK, rel).replace(" ", "%20")


def initialize(s, encodings=None):
    caps = {"textDocument": {"publishDiagnostics": {"codeDescriptionSupport": True}}}
    if encodings:
        caps["general"] = {"positionEncodings": encodings}
    rid = s.request("initialize", {"processId": os.getpid(), "rootUri": "file://" + WORK, "capabilities": caps})
    r = s.response(rid)
    s.notify("initialized", {})
    return r


def open_doc(s, rel, text, lang="javascript", version=1):
    s.notify("textDocument/didOpen", {"textDocument": {"uri": uri(rel), "languageId": lang,
                                                       "version": version, "text": text}})
    return s.diagnostics(uri(rel))


# ---- a session: open, change, save, close -------------------------------------------
s = Server()
r = initialize(s)
caps = r.get("result", {}).get("capabilities", {})
check(caps.get("textDocumentSync", {}).get("change") == 1, "initialize: full text sync (change: 1)", r)
check(caps.get("textDocumentSync", {}).get("openClose") is True, "initialize: open/close notifications", r)
check(caps.get("positionEncoding") == "utf-16", "initialize: UTF-16 positions when the client offers no other", r)
check(r["result"].get("serverInfo", {}).get("name") == "roomlint", "initialize: serverInfo names roomlint", r)

# The secret is on line 2 (0-based 1), after a non-BMP character on the same
# line: the columns count UTF-16 code units (the lock is two).
text = "// keys\nconst c = { note: '\U0001F512', appSecret: '%s' };\n" % SECRET


def utf16_col(line, i):
    return len(line[:i].encode("utf-16-le")) // 2
p = open_doc(s, "src/App.jsx", text, "javascriptreact")
diags = p["diagnostics"]
hs = [d for d in diags if d.get("code") == "hardcoded-secret"]
check(len(hs) == 1, "didOpen: one hardcoded-secret diagnostic", diags)
if hs:
    d = hs[0]
    l1 = text.split("\n")[1]
    col = utf16_col(l1, l1.index(SECRET))
    check(d["range"]["start"] == {"line": 1, "character": col - 1} or d["range"]["start"] == {"line": 1, "character": col},
          "the range starts at the secret's literal (0-based line 1)", d["range"])
    check(d["range"]["end"]["line"] == 1 and d["range"]["end"]["character"] in (col + len(SECRET), col + len(SECRET) + 1),
          "the range ends at the literal's end", d["range"])
    check(d.get("severity") == 1, "severity: error is 1", d)
    check(d.get("source") == "roomlint", "source is roomlint", d)
    href = d.get("codeDescription", {}).get("href", "")
    check(href.startswith("file://") and href.endswith("/hardcoded-secret.md") and os.path.exists(href[7:]),
          "codeDescription.href links the rule's doc, which exists", d)
    check("Rotate" in d.get("data", {}).get("fix", ""), "data.fix holds the rule's fix text", d)
    check(SECRET not in json.dumps(p), "the secret is masked in the notification", d)
    check("Hx7p\u2026(40 chars)" in d["message"], "the message shows the mask", d)
check(p.get("version") == 1, "publishDiagnostics carries the document version", p)

# A code action: a suppression comment above the finding's line.
if hs:
    rid = s.request("textDocument/codeAction", {"textDocument": {"uri": uri("src/App.jsx")},
                                                "range": hs[0]["range"], "context": {"diagnostics": [hs[0]]}})
    acts = s.response(rid).get("result") or []
    check(len(acts) == 1 and acts[0]["kind"] == "quickfix", "codeAction: one quick fix", acts)
    if acts:
        edit = acts[0]["edit"]["changes"][uri("src/App.jsx")][0]
        check(edit["newText"] == "// roomlint-disable-next-line hardcoded-secret -- reason\n"
              and edit["range"]["start"] == {"line": 1, "character": 0},
              "the quick fix inserts a roomlint-disable-next-line comment above the line", edit)
        # applied, the finding is suppressed: no diagnostic
        lines = text.split("\n")
        fixed = "\n".join(lines[:1] + [edit["newText"].rstrip("\n")] + lines[1:])
        s.notify("textDocument/didChange", {"textDocument": {"uri": uri("src/App.jsx"), "version": 2},
                                            "contentChanges": [{"text": fixed}]})
        p = s.diagnostics(uri("src/App.jsx"))
        check(not [d for d in p["diagnostics"] if d["code"] == "hardcoded-secret"],
              "with the quick fix applied the finding is suppressed", p)

# didChange to clean text: the diagnostics go away.
s.notify("textDocument/didChange", {"textDocument": {"uri": uri("src/App.jsx"), "version": 3},
                                    "contentChanges": [{"text": "const c = { appSecret: process.env.X };\n"}]})
p = s.diagnostics(uri("src/App.jsx"))
check(p["diagnostics"] == [] and p.get("version") == 3, "didChange to clean text: empty diagnostics", p)

# didSave with the text: scanned again.
s.notify("textDocument/didSave", {"textDocument": {"uri": uri("src/App.jsx")}, "text": text})
p = s.diagnostics(uri("src/App.jsx"))
check(any(d["code"] == "hardcoded-secret" for d in p["diagnostics"]), "didSave with text: scanned again", p)

# The project model reads other files from disk: when an imported helper
# changes there, the importing document's next scan sees the change.
os.makedirs(os.path.join(WORK, "api/lib"), exist_ok=True)
helper = os.path.join(WORK, "api/lib/tokens.js")
with open(helper, "w") as f:
    f.write("const jwt = require('jsonwebtoken');\n"
            "exports.roomToken = (room) => jwt.sign({ room }, process.env.HMS_APP_SECRET, { expiresIn: '1h' });\n")
route = ("const express = require('express');\nconst { roomToken } = require('./lib/tokens');\n"
         "const app = express();\n"
         "app.post('/rooms/join', (req, res) => res.json({ t: roomToken(req.body.room) }));\n")
p = open_doc(s, "api/server.js", route)
check(any(d["code"] == "unauthenticated-room-route" for d in p["diagnostics"]),
      "an imported helper that mints: the route is reported", p)
with open(helper, "w") as f:
    f.write("exports.roomToken = (room) => `${room}:${Date.now()}`;\n")
s.notify("textDocument/didChange", {"textDocument": {"uri": uri("api/server.js"), "version": 2},
                                    "contentChanges": [{"text": route + "\n"}]})
p = s.diagnostics(uri("api/server.js"))
check(not any(d["code"] == "unauthenticated-room-route" for d in p["diagnostics"]),
      "the helper changed on disk to mint nothing: the next scan says so", p)

# A server file: context judged by the path (a token route without auth).
srv = ("const express = require('express');\nconst app = express();\n"
       "app.post('/api/token', (req, res) => { res.json({ token: mint(req.body.room) }); });\n")
p = open_doc(s, "server/index.js", srv)
check(all(SECRET not in d["message"] for d in p["diagnostics"]), "server file: published", p)

# A dotenv document, the severity of a warning, and the .roomlint.yml rule off.
p = open_doc(s, "config/.env", "HMS_APP_SECRET=%s\n" % SECRET, "dotenv")
envd = [d for d in p["diagnostics"] if d["code"] == "secret-in-env-file"]
check(len(envd) == 1 and envd[0]["range"]["start"]["line"] == 0, "dotenv: secret-in-env-file on line 0", p)
check(SECRET not in json.dumps(p), "dotenv: the secret is masked", p)
p = open_doc(s, "src/http.js", "fetch('http://api.example.io/rooms');\n")
check(p["diagnostics"] == [], ".roomlint.yml honoured: a disabled rule reports nothing", p)

# Ignored files: .gitignore, .roomlintignore and the config's ignore: get no diagnostics.
for rel, why in (("legacy/old.js", ".gitignore"), ("gen/out.js", ".roomlintignore"),
                 ("src/api.generated.js", "the config's ignore:"), ("node_modules/x/index.js", "a default directory")):
    p = open_doc(s, rel, text, "javascript")
    check(p["diagnostics"] == [], "ignored by %s: empty diagnostics (%s)" % (why, rel), p)
# ...while a near miss that is not ignored is scanned
p = open_doc(s, "legacyish/old.js", text, "javascript")
check(len(p["diagnostics"]) >= 1, "a name like an ignored one is still scanned", p)

# didClose: the diagnostics are cleared.
s.notify("textDocument/didClose", {"textDocument": {"uri": uri("src/App.jsx")}})
p = s.diagnostics(uri("src/App.jsx"))
check(p["diagnostics"] == [], "didClose: empty diagnostics", p)

# ---- malformed input: errors per JSON-RPC, the server goes on -------------------------
s.raw(b"Content-Length: 9\r\n\r\n{not json")
m = s.recv()
check(m.get("error", {}).get("code") == -32700 and m.get("id") is None, "bad JSON: -32700 with id null", m)
s.send([{"jsonrpc": "2.0", "id": 90, "method": "shutdown"}])
m = s.recv()
check(m.get("error", {}).get("code") == -32600, "a batch: -32600 Invalid Request", m)
rid = s.request("textDocument/hover", {"textDocument": {"uri": uri("a.js")}, "position": {"line": 0, "character": 0}})
m = s.response(rid)
check(m.get("error", {}).get("code") == -32601, "an unsupported method: -32601 Method Not Found", m)
s.send({"jsonrpc": "2.0", "id": 91, "method": "textDocument/codeAction", "params": 5})
m = s.response(91)
check(m.get("error", {}).get("code") in (-32600, -32602), "params that are no object: an error", m)
s.send({"jsonrpc": "2.0", "id": {"x": 1}, "method": "shutdown"})
m = s.recv()
check(m.get("error", {}).get("code") == -32600, "an object as id: -32600", m)
s.raw(b"Content-Type: application/vscode-jsonrpc\r\n\r\n")
m = s.recv()
check(m.get("error", {}).get("code") == -32700 and "Content-Length" in m["error"]["message"],
      "headers without Content-Length: an error naming it", m)
s.raw(b"Content-Length: 12x\r\n\r\n")
m = s.recv()
check("error" in m, "a Content-Length that is no number: an error", m)
# A huge Content-Length: the body is read past, never held; the server answers.
big = 80 * 1024 * 1024
s.raw(b"Content-Length: %d\r\n\r\n" % big)
chunk = b" " * (1 << 20)
for _ in range(big >> 20):
    s.raw(chunk)
m = s.recv()
check(m.get("error", {}).get("code") == -32600 and "over the limit" in m["error"]["message"],
      "an 80 MiB message: refused with an error, read past", m)
# A didOpen of text that is not a string, a notification with a bad shape: no reply, no crash.
s.notify("textDocument/didOpen", {"textDocument": {"uri": uri("x.js"), "text": 42}})
s.notify("textDocument/didChange", {"textDocument": {"uri": "file:///nowhere/never-opened.js"},
                                    "contentChanges": [{"text": "x"}]})
rid = s.request("shutdown")
m = s.response(rid)
check("result" in m and m["result"] is None, "still alive after bad input: shutdown answers null", m)
rid = s.request("textDocument/codeAction", {"textDocument": {"uri": uri("a.js")}})
m = s.response(rid)
check(m.get("error", {}).get("code") == -32600, "a request after shutdown: -32600", m)
s.notify("exit", None)
code, err = s.finish()
check(code == 0, "shutdown then exit: exit status 0", {"code": code, "stderr": err})

# ---- exit codes and the order of the handshake ---------------------------------------
s = Server()
rid = s.request("textDocument/codeAction", {"textDocument": {"uri": uri("a.js")}})
m = s.response(rid)
check(m.get("error", {}).get("code") == -32002, "a request before initialize: -32002", m)
s.notify("exit", None)
code, err = s.finish()
check(code == 1, "exit without shutdown: exit status 1", {"code": code, "stderr": err})

s = Server()
initialize(s)
code, err = s.finish()
check(code == 1, "input closed without exit: exit status 1", {"code": code, "stderr": err})

# A workspace other than the working directory (whose config the server
# read): a warning in the log says so.
s = Server()
os.makedirs(os.path.join(WORK, "sub"), exist_ok=True)
rid = s.request("initialize", {"processId": None, "rootUri": "file://" + os.path.join(WORK, "sub"), "capabilities": {}})
s.response(rid)
m = s.wait_for(lambda m: m.get("method") == "window/logMessage")
check(m["params"]["type"] == 2 and "working directory" in m["params"]["message"],
      "a workspace elsewhere: a window/logMessage warning", m)
rid = s.request("shutdown")
s.response(rid)
s.notify("exit", None)
code, err = s.finish()
check(code == 0, "that session: exit status 0", {"code": code})

# UTF-8 positions when the client offers them.
s = Server()
r = initialize(s, ["utf-8", "utf-16"])
check(r["result"]["capabilities"].get("positionEncoding") == "utf-8", "initialize: utf-8 when offered", r)
p = open_doc(s, "src/App.jsx", text, "javascriptreact")
hs = [d for d in p["diagnostics"] if d.get("code") == "hardcoded-secret"]
line = text.split("\n")[1].encode()
bcol = line.index(SECRET.encode())
check(hs and hs[0]["range"]["start"]["character"] in (bcol - 1, bcol), "utf-8: columns in bytes", hs)
rid = s.request("shutdown")
s.response(rid)
s.notify("exit", None)
code, err = s.finish()
check(code == 0, "utf-8 session: exit status 0", {"code": code})

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
