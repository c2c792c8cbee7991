#!/usr/bin/env python3
"""Integration tests for tokend: the real binary, raw sockets on 127.0.0.1, standard library only.

usage: integration.py PATH/TO/tokend SUITE    (SUITE: http auth limits tls drain rooms framing jwks redis)

Every case starts from a known server configuration, talks HTTP/1.1 over a plain socket (or TLS with a
throwaway certificate made by the openssl CLI), and checks what a client would see. Each server is
stopped with SIGTERM and must exit 0 with no sanitizer report, so ASan/UBSan findings fail the suite.
"""
import base64
import hashlib
import hmac
import http.server as httpserver
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

TOKEND = None
TMP = tempfile.mkdtemp(prefix="tokend-it-")

APP_SECRET = "test_app_secret_0123456789abcdef"
ACCESS_KEY = "test_access_key_0123456789"
USER_SECRET = "user_jwt_secret_for_tests_0123456789abcdef"
ISSUER = "https://auth.example.test"
AUDIENCE = "roomlint-app"
ROOM = "65f1a2b3c4d5e6f7a8b9c0d1"
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")

BASE_ENV = {
    "HMS_ACCESS_KEY": ACCESS_KEY,
    "HMS_APP_SECRET": APP_SECRET,
    "HMS_TEMPLATE_ID": "tmpl_test_1",
    "AUTH_JWT_ALG": "HS256",
    "AUTH_JWT_SECRET": USER_SECRET,
    "AUTH_JWT_ISSUER": ISSUER,
    "AUTH_JWT_AUDIENCE": AUDIENCE,
    "AUTH_LEEWAY_SECONDS": "5",
    "ALLOWED_ROLES": "guest,host,viewer",
    "PRIVILEGED_ROLES": "host",
    "PORT": "0",
    "THREADS": "2",
    "CONN_TIMEOUT_SECONDS": "3",
    "RATE_LIMIT_PER_MIN": "60000",
    "RATE_LIMIT_BURST": "1000",
    "SHUTDOWN_GRACE_SECONDS": "5",
    "LOG_LEVEL": "info",
}


# ---- JWT helpers (independent of tokend's C code) ---------------------------------------------------

def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64u(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def enc_json(obj):
    return b64u(json.dumps(obj, separators=(",", ":")).encode())


def hs_token(claims, secret=USER_SECRET, alg="HS256", header=None):
    head = header if header is not None else {"alg": alg, "typ": "JWT"}
    signing_input = enc_json(head) + "." + enc_json(claims)
    digest = {"HS256": hashlib.sha256, "HS512": hashlib.sha512}[alg]
    key = secret if isinstance(secret, bytes) else secret.encode()
    return signing_input + "." + b64u(hmac.new(key, signing_input.encode(), digest).digest())


def claims(**over):
    now = int(time.time())
    c = {"sub": "user_42", "exp": now + 600, "iat": now, "iss": ISSUER, "aud": AUDIENCE}
    for k, v in over.items():
        if v is None:
            c.pop(k, None)
        else:
            c[k] = v
    return c


def openssl(*args, data=None):
    return subprocess.run(["openssl", *args], input=data, capture_output=True, check=True).stdout


def pkey_token(claims_, key_path, alg):
    signing_input = enc_json({"alg": alg, "typ": "JWT"}) + "." + enc_json(claims_)
    der = openssl("dgst", "-sha256", "-sign", key_path, data=signing_input.encode())
    if alg == "ES256":
        der = der_to_raw_ecdsa(der)
    return signing_input + "." + b64u(der)


def der_to_raw_ecdsa(der):
    # SEQUENCE { INTEGER r, INTEGER s } -> r||s, 32 bytes each
    assert der[0] == 0x30
    i = 2 if der[1] < 0x80 else 3
    out = b""
    for _ in range(2):
        assert der[i] == 0x02
        n = der[i + 1]
        out += der[i + 2:i + 2 + n].lstrip(b"\x00").rjust(32, b"\x00")
        i += 2 + n
    return out


def verify_minted(token, secret=APP_SECRET):
    """Checks a 100ms token with Python's hmac, not with anything from tokend. Returns its claims."""
    head, payload, sig = token.split(".")
    assert json.loads(unb64u(head)) == {"alg": "HS256", "typ": "JWT"}, head
    want = hmac.new(secret.encode(), (head + "." + payload).encode(), hashlib.sha256).digest()
    assert hmac.compare_digest(unb64u(sig), want), "minted token signature does not verify"
    return json.loads(unb64u(payload))


# ---- server process -----------------------------------------------------------------------------------

class Server:
    def __init__(self, **env):
        full = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            if k in os.environ:
                full[k] = os.environ[k]
        full.update(BASE_ENV)
        for k, v in env.items():
            if v is None:
                full.pop(k, None)
            else:
                full[k] = str(v)
        self.log_path = os.path.join(TMP, "stderr-%d.log" % time.monotonic_ns())
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([TOKEND], env=full, stdout=subprocess.PIPE, stderr=self.log)
        line = self.proc.stdout.readline().decode()
        m = re.match(r"^listening (\S+):(\d+)\n$", line)
        if not m:
            self.proc.wait(timeout=10)
            raise AssertionError("tokend did not start: %r %s" % (line, self.stderr()))
        self.port = int(m.group(2))

    def stderr(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(timeout=30)
        self.log.close()
        err = self.stderr()
        assert "Sanitizer" not in err and "runtime error" not in err, err
        assert rc == 0, "tokend exited %d: %s" % (rc, err[-2000:])
        return err

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self.stop()
        else:
            self.proc.kill()
            self.proc.wait()


def run_config_error(**env):
    full = {"PATH": os.environ.get("PATH", "")}
    full.update(BASE_ENV)
    for k, v in env.items():
        if v is None:
            full.pop(k, None)
        else:
            full[k] = str(v)
    p = subprocess.run([TOKEND], env=full, capture_output=True, timeout=30)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


# ---- raw HTTP -----------------------------------------------------------------------------------------

class Response:
    def __init__(self, raw):
        head, _, body = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        m = re.match(r"^HTTP/1\.[01] (\d{3}) ", lines[0] + " ")
        assert m, "not an HTTP response: %r" % raw[:200]
        self.status = int(m.group(1))
        self.headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            self.headers[k.strip().lower()] = v.strip()
        self.body = body
        self.raw = raw

    def json(self):
        return json.loads(self.body)


def read_response(sock):
    """Reads one response: headers, then Content-Length bytes (or until close)."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            if not buf:
                return None
            break
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    m = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
    if m:
        need = int(m.group(1))
        while len(rest) < need:
            chunk = sock.recv(65536)
            if not chunk:
                break
            rest += chunk
    return Response(head + b"\r\n\r\n" + rest)


def build(method, path, headers=None, body=b"", close=True):
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
    elif isinstance(body, str):
        body = body.encode()
    h = {"Host": "127.0.0.1"}
    if body or method == "POST":
        h["Content-Length"] = str(len(body))
    if close:
        h["Connection"] = "close"
    h.update(headers or {})
    head = "%s %s HTTP/1.1\r\n" % (method, path)
    head += "".join("%s: %s\r\n" % (k, v) for k, v in h.items() if v is not None)
    return head.encode() + b"\r\n" + body


def connect(port, tls_ctx=None):
    s = socket.create_connection(("127.0.0.1", port), timeout=15)
    if tls_ctx is not None:
        s = tls_ctx.wrap_socket(s, server_hostname="127.0.0.1")
    return s


def http(port, method, path, headers=None, body=b"", tls_ctx=None):
    with connect(port, tls_ctx) as s:
        s.sendall(build(method, path, headers, body))
        r = read_response(s)
        assert r is not None, "connection closed without a response"
        return r


def post_token(port, token=None, body=None, room=ROOM, headers=None, tls_ctx=None):
    h = {"Content-Type": "application/json"}
    if token is not None:
        h["Authorization"] = "Bearer " + token
    h.update(headers or {})
    return http(port, "POST", "/api/rooms/%s/token" % room, h, body if body is not None else {"role": "guest"},
                tls_ctx)


def expect_error(r, status, code=None):
    assert r.status == status, "want %d, got %d: %r" % (status, r.status, r.raw[:400])
    assert r.headers.get("content-type") == "application/json", r.headers
    j = r.json()
    assert set(j) == {"error", "message"}, j
    if code is not None:
        assert j["error"] == code, j
    return j


# ---- suites ---------------------------------------------------------------------------------------------

def suite_http():
    user = hs_token(claims())
    with Server() as srv:
        p = srv.port
        tokens_seen = []

        r = http(p, "GET", "/healthz")
        assert r.status == 200 and r.json() == {"status": "ok"}
        r = http(p, "HEAD", "/healthz")
        assert r.status == 200 and r.body == b""
        r = http(p, "GET", "/readyz")
        assert r.status == 200
        r = http(p, "GET", "/api/config")
        assert r.status == 200 and r.json() == {"templateId": "tmpl_test_1"}, r.body
        assert APP_SECRET.encode() not in r.raw and ACCESS_KEY.encode() not in r.raw

        expect_error(http(p, "GET", "/nope"), 404, "not_found")
        expect_error(http(p, "GET", "/api/rooms/%s/tokens" % ROOM), 404)
        expect_error(http(p, "GET", "/api/rooms//token"), 404)
        r = http(p, "POST", "/healthz", {"Content-Type": "application/json"}, b"{}")
        expect_error(r, 405, "method_not_allowed")
        assert r.headers["allow"] == "GET, HEAD"
        r = http(p, "GET", "/api/rooms/%s/token" % ROOM)
        expect_error(r, 405)
        assert r.headers["allow"] == "POST"
        r = http(p, "DELETE", "/api/rooms")
        expect_error(r, 405)
        assert r.headers["allow"] == "POST"

        # 200: the token verifies with an independent HMAC and carries exactly the documented claims.
        r = post_token(p, user)
        assert r.status == 200, r.raw
        assert r.headers["cache-control"] == "no-store"
        j = r.json()
        assert set(j) == {"token", "room_id", "role", "user_id", "expires_at"}, j
        c = verify_minted(j["token"])
        tokens_seen.append(j["token"])
        assert set(c) == {"access_key", "room_id", "user_id", "role", "type", "version", "iat", "nbf", "exp", "jti"}
        assert c["access_key"] == ACCESS_KEY and c["room_id"] == ROOM and c["user_id"] == "user_42"
        assert c["role"] == "guest" and c["type"] == "app" and c["version"] == 2
        assert c["nbf"] == c["iat"] and c["exp"] - c["iat"] == 3600 and j["expires_at"] == c["exp"]
        assert abs(c["iat"] - time.time()) < 120
        assert UUID4.match(c["jti"]), c["jti"]
        r2 = post_token(p, user)
        c2 = verify_minted(r2.json()["token"])
        tokens_seen.append(r2.json()["token"])
        assert c2["jti"] != c["jti"], "jti must be fresh per token"

        r = post_token(p, user, {"role": "viewer", "ttl_seconds": 60})
        assert r.status == 200, r.raw
        c = verify_minted(r.json()["token"])
        tokens_seen.append(r.json()["token"])
        assert c["exp"] - c["iat"] == 60 and c["role"] == "viewer"

        # 400s
        expect_error(post_token(p, user, '{"role": "guest"'), 400, "malformed_json")
        expect_error(post_token(p, user, '{"role": "guest", "role": "host"}'), 400, "duplicate_key")
        expect_error(post_token(p, user, {"role": "guest", "user_id": "someone_else"}), 400, "unknown_key")
        expect_error(post_token(p, user, {"role": 7}), 400, "wrong_type")
        expect_error(post_token(p, user, {}), 400, "wrong_type")
        expect_error(post_token(p, user, ["guest"]), 400, "wrong_type")
        expect_error(post_token(p, user, {"role": "guest", "ttl_seconds": "60"}), 400, "wrong_type")
        expect_error(post_token(p, user, {"role": "guest", "ttl_seconds": 1.5}), 400, "wrong_type")
        expect_error(post_token(p, user, {"role": "gu est"}), 400, "bad_role")
        expect_error(post_token(p, user, {"role": "x" * 65}), 400, "bad_role")
        expect_error(post_token(p, user, {"role": "guest", "ttl_seconds": 86401}), 400, "ttl_too_large")
        expect_error(post_token(p, user, {"role": "guest", "ttl_seconds": 0}), 400, "bad_ttl")
        for bad_room in (ROOM.upper(), ROOM[:-1], ROOM + "0", "zz" + ROOM[2:], "%2e%2e"):
            expect_error(post_token(p, user, room=bad_room), 400, "bad_room_id")

        # 403s
        expect_error(post_token(p, user, {"role": "admin"}), 403, "role_not_allowed")
        expect_error(post_token(p, user, {"role": "host"}), 403, "role_not_allowed")
        host = hs_token(claims(hms_roles=["host"]))
        assert post_token(p, host, {"role": "host"}).status == 200
        scoped = hs_token(claims(hms_rooms=["aaaaaaaaaaaaaaaaaaaaaaaa"]))
        expect_error(post_token(p, scoped), 403, "room_not_allowed")
        assert post_token(p, scoped, room="aaaaaaaaaaaaaaaaaaaaaaaa").status == 200

        # 415
        expect_error(post_token(p, user, headers={"Content-Type": "text/plain"}), 415, "unsupported_media_type")
        expect_error(post_token(p, user, headers={"Content-Type": None}), 415)
        assert post_token(p, user, headers={"Content-Type": "application/json; charset=utf-8"}).status == 200

        # 413 by Content-Length (sent before any body) and by a chunked body.
        with connect(p) as s:
            s.sendall(build("POST", "/api/rooms/%s/token" % ROOM,
                            {"Authorization": "Bearer " + user, "Content-Type": "application/json",
                             "Content-Length": "5000"}))
            expect_error(read_response(s), 413, "body_too_large")
        with connect(p) as s:
            big = json.dumps({"role": "guest", "pad": "x" * 6000}).encode()
            chunked = b"".join(b"%x\r\n%s\r\n" % (len(big[i:i + 1000]), big[i:i + 1000])
                               for i in range(0, len(big), 1000)) + b"0\r\n\r\n"
            s.sendall(build("POST", "/api/rooms/%s/token" % ROOM,
                            {"Authorization": "Bearer " + user, "Content-Type": "application/json",
                             "Transfer-Encoding": "chunked", "Content-Length": None}) + chunked)
            expect_error(read_response(s), 413, "body_too_large")
        # Content-Length and Transfer-Encoding together are refused, not guessed at.
        with connect(p) as s:
            s.sendall(build("POST", "/api/rooms/%s/token" % ROOM,
                            {"Authorization": "Bearer " + user, "Content-Type": "application/json",
                             "Transfer-Encoding": "chunked", "Content-Length": "3"}) + b"0\r\n\r\n")
            expect_error(read_response(s), 400, "bad_framing")
        # A small chunked body is fine.
        with connect(p) as s:
            small = b'{"role":"guest"}'
            s.sendall(build("POST", "/api/rooms/%s/token" % ROOM,
                            {"Authorization": "Bearer " + user, "Content-Type": "application/json",
                             "Transfer-Encoding": "chunked", "Content-Length": None})
                      + b"%x\r\n%s\r\n0\r\n\r\n" % (len(small), small))
            r = read_response(s)
            assert r.status == 200, r.raw
            tokens_seen.append(r.json()["token"])

        # 431: over our 8 KiB header cap (JSON answer), and far over libmicrohttpd's buffer.
        expect_error(http(p, "GET", "/healthz", {"X-Big": "a" * 9000}), 431, "headers_too_large")
        r = http(p, "GET", "/healthz", {"X-Big": "a" * 40000})
        assert r.status == 431, r.raw[:200]

        # Keep-alive: two requests on one connection.
        with connect(p) as s:
            s.sendall(build("GET", "/healthz", close=False))
            assert read_response(s).status == 200
            s.sendall(build("GET", "/readyz", close=False))
            assert read_response(s).status == 200

    # Logs: one JSON line per request, and nothing secret in them.
    err = srv.stderr()
    lines = [json.loads(l) for l in err.splitlines() if l.strip()]
    reqs = [l for l in lines if "route" in l]
    assert len(reqs) >= 40, len(reqs)
    for l in reqs:
        assert {"method", "route", "status", "duration_ms", "user"} <= set(l), l
    assert any(l["status"] == 200 and l["route"] == "/api/rooms/:room_id/token" and l["user"] for l in reqs)
    for secret in [user, host, APP_SECRET, USER_SECRET, "Bearer", "Authorization", "user_42", ROOM] + tokens_seen:
        assert secret not in err, "log leaks %r" % secret[:20]


def suite_auth():
    now = int(time.time())
    with Server() as srv:
        p = srv.port
        r = post_token(p, None)
        expect_error(r, 401, "unauthenticated")
        assert r.headers["www-authenticate"].startswith("Bearer")
        expect_error(post_token(p, None, headers={"Authorization": "Basic dXNlcjpwYXNz"}), 401)
        expect_error(post_token(p, None, headers={"Authorization": "Bearer "}), 401)
        good = hs_token(claims())
        assert post_token(p, good).status == 200
        bad = {
            "garbage": "not-a-jwt",
            "three garbage parts": "a.b.c",
            "four parts": good + ".x",
            "expired": hs_token(claims(exp=now - 3600)),
            "not yet valid": hs_token(claims(nbf=now + 3600)),
            "wrong secret": hs_token(claims(), secret="another_secret_that_is_long_enough_0123"),
            "alg none": enc_json({"alg": "none", "typ": "JWT"}) + "." + enc_json(claims()) + ".",
            "alg none, signed": hs_token(claims(), header={"alg": "none"}),
            "HS512 instead of HS256": hs_token(claims(), alg="HS512"),
            "no alg": hs_token(claims(), header={"typ": "JWT"}),
            "no sub": hs_token(claims(sub=None)),
            "empty sub": hs_token(claims(sub="")),
            "no exp": hs_token(claims(exp=None)),
            "exp as string": hs_token(claims(exp=str(now + 600))),
            "wrong issuer": hs_token(claims(iss="https://evil.example")),
            "no issuer": hs_token(claims(iss=None)),
            "wrong audience": hs_token(claims(aud="other-app")),
            "hms_roles not a list": hs_token(claims(hms_roles="host")),
            "tampered payload": good.split(".")[0] + "." + enc_json(claims(sub="admin")) + "." + good.split(".")[2],
            "padded signature": good + "=",
            "duplicate claim": (lambda si: si + "." + b64u(hmac.new(USER_SECRET.encode(), si.encode(),
                                                                     hashlib.sha256).digest()))(
                enc_json({"alg": "HS256"}) + "." + b64u(
                    ('{"sub":"a","sub":"b","exp":%d,"iss":"%s","aud":"%s"}' % (now + 600, ISSUER, AUDIENCE)).encode())),
        }
        for name, tok in bad.items():
            r = post_token(p, tok)
            assert r.status == 401, "%s: got %d %r" % (name, r.status, r.body)
            expect_error(r, 401, "invalid_token")
        assert post_token(p, hs_token(claims(aud=["x", AUDIENCE]))).status == 200
        assert post_token(p, hs_token(claims(exp=now - 2))).status == 200, "within leeway"

    # RS256: a real signature passes; HS256 signed with the public key (key confusion) and HS256 fail.
    rsa_key = os.path.join(TMP, "rsa.pem")
    rsa_pub = os.path.join(TMP, "rsa.pub.pem")
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", rsa_key)
    openssl("pkey", "-in", rsa_key, "-pubout", "-out", rsa_pub)
    pub_pem = open(rsa_pub, "rb").read()
    with Server(AUTH_JWT_ALG="RS256", AUTH_JWT_SECRET=None, AUTH_JWT_PUBLIC_KEY_FILE=rsa_pub) as srv:
        assert post_token(srv.port, pkey_token(claims(), rsa_key, "RS256")).status == 200
        expect_error(post_token(srv.port, hs_token(claims(), secret=pub_pem)), 401, "invalid_token")
        expect_error(post_token(srv.port, hs_token(claims())), 401, "invalid_token")
        tok = pkey_token(claims(), rsa_key, "RS256")
        h, pl, sig = tok.split(".")
        expect_error(post_token(srv.port, h + "." + enc_json(claims(sub="mallory")) + "." + sig), 401)

    ec_key = os.path.join(TMP, "ec.pem")
    ec_pub = os.path.join(TMP, "ec.pub.pem")
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", ec_key)
    openssl("pkey", "-in", ec_key, "-pubout", "-out", ec_pub)
    with Server(AUTH_JWT_ALG="ES256", AUTH_JWT_SECRET=None, AUTH_JWT_PUBLIC_KEY_FILE=ec_pub) as srv:
        tok = pkey_token(claims(), ec_key, "ES256")
        assert post_token(srv.port, tok).status == 200
        h, pl, sig = tok.split(".")
        raw = bytearray(unb64u(sig))
        raw[5] ^= 1
        expect_error(post_token(srv.port, h + "." + pl + "." + b64u(bytes(raw))), 401)
        expect_error(post_token(srv.port, pkey_token(claims(), rsa_key, "RS256")), 401)
        expect_error(post_token(srv.port, hs_token(claims(), secret=open(ec_pub, "rb").read())), 401)

    # An RSA key configured for ES256 is refused at start-up.
    rc, _, err = run_config_error(AUTH_JWT_ALG="ES256", AUTH_JWT_SECRET=None, AUTH_JWT_PUBLIC_KEY_FILE=rsa_pub)
    assert rc == 2 and "AUTH_JWT_PUBLIC_KEY_FILE" in err, (rc, err)

    # Start-up refusals: exit 2, the variable named, its value never printed.
    cases = [
        ({"HMS_APP_SECRET": None}, "HMS_APP_SECRET", APP_SECRET),
        ({"TOKEN_MAX_TTL_SECONDS": "86401"}, "TOKEN_MAX_TTL_SECONDS", "86401"),
        ({"TOKEN_TTL_SECONDS": "7200", "TOKEN_MAX_TTL_SECONDS": "3600"}, "TOKEN_TTL_SECONDS", "7200"),
        ({"AUTH_JWT_SECRET": "short_secret_value"}, "AUTH_JWT_SECRET", "short_secret_value"),
        ({"AUTH_JWT_ALG": "HS256,RS256"}, "AUTH_JWT_ALG", "HS256,RS256"),
        ({"AUTH_JWT_ALG": "none"}, "AUTH_JWT_ALG", None),
        ({"AUTH_LEEWAY_SECONDS": "61"}, "AUTH_LEEWAY_SECONDS", None),
        ({"BIND_ADDR": "0.0.0.0"}, "BIND_ADDR", None),
        ({"PORT": "http"}, "PORT", None),
        ({"MAX_BODY_BYTES": "-1"}, "MAX_BODY_BYTES", None),
        ({"HMS_API_BASE": "http://api.example.test/v2"}, "HMS_API_BASE", "api.example.test"),
        # userinfo hides the real host behind the '@': libcurl would send the token to evil.example
        ({"HMS_API_BASE": "http://127.0.0.1:80@evil.example/v2"}, "HMS_API_BASE", "evil.example"),
        ({"HMS_API_BASE": "http://localhost:x@evil.example/v2"}, "HMS_API_BASE", "evil.example"),
        ({"HMS_API_BASE": "http://[::1]:1@evil.example/v2"}, "HMS_API_BASE", "evil.example"),
        ({"PRIVILEGED_ROLES": "admin"}, "PRIVILEGED_ROLES", None),
        ({"HMS_APP_SECRET_FILE": "/nonexistent"}, "HMS_APP_SECRET", APP_SECRET),
        ({"TLS_CERT_FILE": "/etc/hostname"}, "TLS_", None),
    ]
    for env, var, value in cases:
        rc, out, err = run_config_error(**env)
        assert rc == 2, "%s: exit %d, %s" % (env, rc, err)
        assert var in err, "%s: %r" % (env, err)
        assert out == "", out
        if value:
            assert value not in err, "%s: value leaked: %r" % (env, err)

    # Near misses of the userinfo refusals still start.
    for base in ("http://127.0.0.1:9/v2", "http://[::1]:9", "https://api.example.test/v2"):
        with Server(HMS_API_BASE=base) as srv:
            assert http(srv.port, "GET", "/healthz").status == 200, base

    # Secrets from *_FILE: a token minted by a tokend whose app secret file holds `content`.
    path = os.path.join(TMP, "app_secret")

    def minted_with_secret_file(content):
        with open(path, "wb") as f:
            f.write(content)
        with Server(HMS_APP_SECRET=None, HMS_APP_SECRET_FILE=path) as srv:
            r = post_token(srv.port, hs_token(claims()))
            assert r.status == 200
            return r.json()["token"]

    verify_minted(minted_with_secret_file(APP_SECRET.encode() + b"\n"))
    # A file written on Windows ends in CRLF: the \r goes too, or every token would be signed with a
    # secret one byte longer than the operator's. Only one line end is dropped.
    verify_minted(minted_with_secret_file(APP_SECRET.encode() + b"\r\n"))
    verify_minted(minted_with_secret_file(APP_SECRET.encode() + b"\n\n"), APP_SECRET + "\n")


def suite_limits():
    user = hs_token(claims())
    other = hs_token(claims(sub="user_43"))
    with Server(RATE_LIMIT_PER_MIN="60", RATE_LIMIT_BURST="3") as srv:
        p = srv.port
        for _ in range(3):
            assert post_token(p, user).status == 200
        r = post_token(p, user)
        expect_error(r, 429, "rate_limited")
        assert int(r.headers["retry-after"]) >= 1
        assert post_token(p, other).status == 200, "the bucket is per user"

    with Server(CONN_TIMEOUT_SECONDS="1", MAX_CONN_PER_IP="4") as srv:
        p = srv.port
        # Slowloris: headers that never finish. The server must hang up on its own (recv sees EOF).
        with connect(p) as s:
            s.sendall(b"POST /api/rooms/%s/token HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " % ROOM.encode())
            s.settimeout(20)
            assert s.recv(4096) == b"", "slow client was answered instead of dropped"
        # A body that trickles in one byte at a time never gets a token.
        with connect(p) as s:
            s.sendall(build("POST", "/api/rooms/%s/token" % ROOM,
                            {"Authorization": "Bearer " + user, "Content-Type": "application/json",
                             "Content-Length": "4000"}, close=False))
            got = b""
            try:
                for _ in range(60):
                    s.sendall(b" ")
                    time.sleep(0.2)
                    s.setblocking(False)
                    try:
                        chunk = s.recv(4096)
                    except BlockingIOError:
                        chunk = None
                    s.setblocking(True)
                    s.settimeout(15)
                    if chunk == b"":
                        break
                    if chunk:
                        got += chunk
            except (BrokenPipeError, ConnectionResetError):
                pass
            assert b"200 OK" not in got
            assert len(got) == 0 or got.startswith(b"HTTP/1.1 4"), got[:100]
        # Per-IP limit: 4 idle connections are held, a 5th is closed without an answer.
        held = [connect(p) for _ in range(4)]
        for s in held:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert read_response(s).status == 200
        with connect(p) as s:
            try:
                s.sendall(build("GET", "/healthz"))
                assert read_response(s) is None, "fifth connection from one IP was served"
            except ConnectionResetError:
                pass
        for s in held:
            s.close()
        for _ in range(400):  # the server notices the closes asynchronously
            try:
                if http(p, "GET", "/healthz").status == 200:
                    break
            except (AssertionError, ConnectionResetError):
                time.sleep(0.05)
        else:
            raise AssertionError("server did not recover after connections closed")

    # Global limit: at MAX_CONNECTIONS the server stops accepting; a further client waits in the
    # kernel's backlog and is served only once a held connection goes away.
    with Server(MAX_CONNECTIONS="3", MAX_CONN_PER_IP="0", CONN_TIMEOUT_SECONDS="60") as srv:
        held = [connect(srv.port) for _ in range(3)]
        for s in held:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert read_response(s).status == 200
        with connect(srv.port) as s:
            s.sendall(build("GET", "/healthz"))
            s.settimeout(1.5)
            try:
                data = s.recv(4096)
            except socket.timeout:
                data = None
            assert not data, "connection over MAX_CONNECTIONS was served: %r" % data
            held.pop().close()
            s.settimeout(20)
            r = read_response(s)
            assert r is not None and r.status == 200
        for s in held:
            s.close()


def suite_tls():
    cert = os.path.join(TMP, "cert.pem")
    key = os.path.join(TMP, "key.pem")
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert)
    ctx = ssl.create_default_context(cafile=cert)
    with Server(TLS_CERT_FILE=cert, TLS_KEY_FILE=key) as srv:
        p = srv.port
        r = http(p, "GET", "/healthz", tls_ctx=ctx)
        assert r.status == 200
        r = post_token(p, hs_token(claims()), tls_ctx=ctx)
        assert r.status == 200, r.raw
        verify_minted(r.json()["token"])
        expect_error(post_token(p, None, tls_ctx=ctx), 401)
        # Plain HTTP to the TLS port gets no HTTP answer.
        with connect(p) as s:
            s.sendall(build("GET", "/healthz"))
            try:
                data = s.recv(4096)
            except ConnectionResetError:
                data = b""
            assert not data.startswith(b"HTTP/1.1 200"), data[:100]
    rc, _, err = run_config_error(TLS_CERT_FILE=cert)
    assert rc == 2 and "TLS_KEY_FILE" in err, err


def suite_drain():
    user = hs_token(claims())
    srv = Server(SHUTDOWN_GRACE_SECONDS="10")
    p = srv.port
    # An in-flight request: headers and half of the body sent.
    body = json.dumps({"role": "guest"}).encode()
    inflight = connect(p)
    # "Expect: 100-continue" makes the server say when it has started on the request: the interim
    # 100 is sent only after the handler accepted the headers, so the request is in flight.
    whole = build("POST", "/api/rooms/%s/token" % ROOM,
                  {"Authorization": "Bearer " + user, "Content-Type": "application/json",
                   "Expect": "100-continue"}, body, close=False)
    inflight.sendall(whole[:-len(body)])
    interim = read_response(inflight)
    assert interim is not None and interim.status == 100, interim and interim.raw
    inflight.sendall(body[:5])
    idle = connect(p)
    idle.sendall(build("GET", "/readyz", close=False))
    assert read_response(idle).status == 200
    srv.proc.send_signal(signal.SIGTERM)
    for _ in range(1000):  # polls until the signal has been handled; ends at the first 503
        idle.sendall(build("GET", "/readyz", close=False))
        r = read_response(idle)
        assert r is not None, "idle connection closed without an answer: " + srv.stderr()
        if r.status == 503:
            assert r.headers.get("connection", "").lower() == "close"
            break
        time.sleep(0.02)
    else:
        raise AssertionError("readyz never reported 503 while draining")
    idle.close()
    try:
        with socket.create_connection(("127.0.0.1", p), timeout=5) as s:
            s.sendall(build("GET", "/healthz"))
            s.settimeout(5)
            assert read_response(s) is None, "a new connection was served while draining"
    except (ConnectionRefusedError, ConnectionResetError, socket.timeout):
        pass
    assert srv.proc.poll() is None, "exited before the in-flight request finished"
    inflight.sendall(body[5:])
    r = read_response(inflight)
    assert r.status == 200, r.raw
    assert r.headers.get("connection", "").lower() == "close"
    verify_minted(r.json()["token"])
    inflight.close()
    srv.stop()  # asserts exit status 0

    # Keep-alive clients busy at SIGTERM lose nothing. Without waiting for each open connection, most
    # rounds lost requests; a few rounds make a pass by luck unlikely.
    for _ in range(4):
        keepalive_drain_round()

    # An idle keep-alive connection does not hold the drain up to the grace period: it is closed.
    srv = Server(SHUTDOWN_GRACE_SECONDS="600", CONN_TIMEOUT_SECONDS="600")
    idle = connect(srv.port)
    idle.sendall(build("GET", "/healthz", close=False))
    assert read_response(idle).status == 200
    srv.proc.send_signal(signal.SIGTERM)
    assert srv.proc.wait(timeout=60) == 0
    assert idle.recv(1) == b""
    idle.close()
    srv.stop()

    # SIGINT, SIGHUP and SIGQUIT drain the same way; an idle server exits 0 at once. SIGUSR1 and
    # SIGUSR2 are ignored: the server keeps serving (by default they would kill it).
    for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGQUIT):
        srv = Server()
        assert http(srv.port, "GET", "/healthz").status == 200
        for ignored in (signal.SIGUSR1, signal.SIGUSR2):
            srv.proc.send_signal(ignored)
            assert http(srv.port, "GET", "/healthz").status == 200, "%s stopped the server" % ignored
            assert srv.proc.poll() is None, "%s: exit %s" % (ignored, srv.proc.returncode)
        srv.proc.send_signal(sig)
        assert srv.proc.wait(timeout=30) == 0, "%s: exit %d" % (sig, srv.proc.returncode)
        err = srv.stop()
        assert "signal %d: draining" % sig in err, err


def exchange(port, raw):
    """Sends raw bytes, reads until the server closes; returns the list of responses (parsed in turn)."""
    with connect(port) as s:
        s.sendall(raw)
        data = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        except ConnectionResetError:
            pass
    out = []
    while data:
        head, sep, rest = data.partition(b"\r\n\r\n")
        assert sep, "truncated response: %r" % data[:200]
        m = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
        n = int(m.group(1)) if m else 0
        out.append(Response(head + sep + rest[:n]))
        data = rest[n:]
    return out


def suite_framing():
    user = hs_token(claims())
    with Server(CONN_TIMEOUT_SECONDS="10") as srv:
        p = srv.port

        def refused(raw, status=400, code=None):
            rs = exchange(p, raw)
            assert len(rs) == 1, "want one answer, got %d: %r" % (len(rs), [r.raw[:80] for r in rs])
            expect_error(rs[0], status, code)
            assert rs[0].headers.get("connection", "").lower() == "close", rs[0].raw[:300]
            return rs[0]

        # The issue's reproduction: a proxy honouring the last Content-Length sees one request (with a
        # 56-byte body); tokend must not answer the body as a second request.
        inner = b"GET /api/config HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " 
        inner += b"p" * (56 - len(inner) - 4) + b"\r\n\r\n"
        assert len(inner) == 56
        refused(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nContent-Length: 56\r\n\r\n" + inner,
                400, "bad_framing")
        # Equal duplicates are refused too (RFC 9112 allows merging them; we do not guess).
        refused(b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n", 400, "bad_framing")

        tok = "POST /api/rooms/%s/token HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n" \
              "Content-Type: application/json\r\n" % (ROOM, user)
        body = b'{"role":"guest"}'
        chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
        tok = tok.encode()
        # Whitespace before the colon: libmicrohttpd keeps it in the name and does not see chunked.
        refused(tok + b"Transfer-Encoding : chunked\r\n\r\n" + chunked, 400, "bad_header")
        refused(tok + b"Transfer-Encoding\t: chunked\r\n\r\n" + chunked, 400, "bad_header")
        refused(tok + b"Content-Length : 16\r\n\r\n" + body, 400, "bad_header")
        refused(tok + b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked, 400, "bad_framing")
        refused(tok + b"Transfer-Encoding: chunked\r\nContent-Length: 16\r\n\r\n" + chunked, 400, "bad_framing")
        refused(tok + b"Transfer-Encoding: gzip\r\n\r\n" + chunked, 400, "bad_framing")
        refused(tok + b"Transfer-Encoding: chunked, gzip\r\n\r\n" + chunked, 400, "bad_framing")
        refused(tok + b"Transfer-Encoding: chunked, chunked\r\n\r\n" + chunked, 400, "bad_framing")
        refused(tok + b"Transfer-Encoding: gzip, chunked\r\n\r\n" + chunked, 501, "unsupported_transfer_coding")
        refused(tok.replace(b"HTTP/1.1", b"HTTP/1.0") + b"Transfer-Encoding: chunked\r\n\r\n" + chunked, 400)
        # Header sections that are not what they seem.
        refused(b"GET /healthz HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 400, "bad_header")
        refused(tok + b"Authorization: Bearer x\r\nContent-Length: 16\r\n\r\n" + body, 400, "bad_header")
        refused(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n", 400, "bad_header")
        refused(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: ab\r\r\n\r\n", 400, "bad_header")
        refused(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\nX-B: c\r\n\r\n", 400, "bad_header")
        refused(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n", 400, "bad_header")
        refused(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n", 400, "bad_header")
        refused(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: ab\r\n cd\r\n\r\n", 400, "bad_header")
        refused(b"GET /healthz HTTP/1.1\r\nHost: x\nX-A: ab\r\n\r\n", 400, "bad_header")
        # Near misses are served.
        for extra in (b"X-Empty:\r\n", b"X-Sp: a b \r\n", b"X-Tab: a\tb\r\n", b"X-Utf8: caf\xc3\xa9\r\n",
                      b"Content-Length: 0\r\n"):
            rs = exchange(p, b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + extra + b"Connection: close\r\n\r\n")
            assert [r.status for r in rs] == [200], (extra, [r.raw[:100] for r in rs])
        rs = exchange(p, tok + b"Transfer-Encoding: Chunked\r\nConnection: close\r\n\r\n" + chunked)
        assert [r.status for r in rs] == [200], [r.raw[:200] for r in rs]
        verify_minted(rs[0].json()["token"])

        # Large header sections get an answer: ours (JSON) up to libmicrohttpd's per-connection memory,
        # libmicrohttpd's own 431 beyond it. Only a ~200-byte band just below that limit is closed
        # without one (see README: no room is left to write an answer), so the steps avoid it.
        for n in list(range(9000, 32000, 1000)) + [16000, 16100]:
            rs = exchange(p, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * n + b"\r\n\r\n")
            assert len(rs) == 1, "%d bytes: %d answers" % (n, len(rs))
            expect_error(rs[0], 431, "headers_too_large")
        for n in (33000, 40000, 100000):
            rs = exchange(p, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * n + b"\r\n\r\n")
            assert [r.status for r in rs] == [431], n
        assert http(p, "GET", "/healthz").status == 200


def keepalive_drain_round(clients=16):
    """Keep-alive clients post tokens in a loop; SIGTERM lands mid-way. Every request a client has
    written must get an answer: the server may only close a connection after a Connection: close
    answer, or before the client wrote (seen as a clean close before writing)."""
    import select
    srv = Server(SHUTDOWN_GRACE_SECONDS="20", RATE_LIMIT_BURST="100000", RATE_LIMIT_PER_MIN="100000000")
    p = srv.port
    enough = threading.Barrier(clients + 1)
    lost, answered, errors = [], [0] * clients, []

    def client(i):
        tok = hs_token(claims(sub="user_%d" % i))
        req = build("POST", "/api/rooms/%s/token" % ROOM,
                    {"Authorization": "Bearer " + tok, "Content-Type": "application/json"},
                    {"role": "guest"}, close=False)
        waited = False
        try:
            s = connect(p)
            while True:
                if not waited and answered[i] >= 20:
                    waited = True
                    enough.wait(60)  # every client is mid-loop when the signal is sent
                readable, _, _ = select.select([s], [], [], 0)
                if readable and s.recv(1, socket.MSG_PEEK) == b"":
                    break  # closed by the server before we wrote: nothing lost
                s.sendall(req)
                r = read_response(s)
                if r is None:
                    lost.append(i)
                    break
                answered[i] += 1
                if r.headers.get("connection", "").lower() == "close":
                    break
            s.close()
        except (ConnectionResetError, BrokenPipeError) as e:
            lost.append((i, repr(e)))
        except Exception as e:  # reported below, the test fails on it
            errors.append(repr(e))
        finally:
            if not waited:
                enough.abort()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    enough.wait(60)
    srv.proc.send_signal(signal.SIGTERM)
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert not lost, "requests sent and never answered on %d connections: %r" % (len(lost), lost)
    srv.stop()
    return sum(answered)


TEMPLATE_ROLES = ("host", "guest", "viewer", "broadcaster")


def fake_code(room_id, role):
    """A room code of 100ms's shape (3-4-3 lower-case letters), derived from the room and the role."""
    h = hashlib.sha256(("%s/%s" % (room_id, role)).encode()).digest()
    letters = "".join(chr(ord("a") + b % 26) for b in h[:10])
    return "%s-%s-%s" % (letters[:3], letters[3:7], letters[7:])


class FakeHms(httpserver.BaseHTTPRequestHandler):
    """A loopback stand-in for the 100ms REST API (rooms, room codes) and for the auth service Prebuilt
    calls to turn a room code into a token: checks the management token, records the request."""
    records = []
    codes = {}  # code -> {"room_id", "role", "enabled"}
    arrived = threading.Event()  # a "slow-upstream" request is being held
    release = threading.Event()
    fail_codes = False

    def log_message(self, *args):
        pass

    def reply(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def room_codes(self, room_id, create):
        if create:
            for role in TEMPLATE_ROLES:
                FakeHms.codes[fake_code(room_id, role)] = {"room_id": room_id, "role": role,
                                                           "enabled": not (role == "viewer" and room_id.startswith("77"))}
        data = [{"code": c, "room_id": v["room_id"], "role": v["role"], "enabled": v["enabled"],
                 "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}
                for c, v in FakeHms.codes.items() if v["room_id"] == room_id]
        return {"data": data}

    def token_by_code(self, body):
        """What Prebuilt does with a room code: no management token, the code is the credential."""
        entry = FakeHms.codes.get(body.get("code"))
        if entry is None or not entry["enabled"]:
            return self.reply(404, {"message": "room code not found"})
        now = int(time.time())
        c = {"access_key": ACCESS_KEY, "room_id": entry["room_id"], "user_id": body.get("user_id") or "anon",
             "role": entry["role"], "type": "app", "version": 2, "iat": now, "nbf": now, "exp": now + 3600,
             "jti": "00000000-0000-4000-8000-000000000000"}
        head = enc_json({"alg": "HS256", "typ": "JWT"}) + "." + enc_json(c)
        sig = b64u(hmac.new(APP_SECRET.encode(), head.encode(), hashlib.sha256).digest())
        return self.reply(200, {"token": head + "." + sig})

    def do_GET(self):
        self.do_POST()

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(n)) if n else {}
        if self.path == "/v2/token":
            return self.token_by_code(body)
        auth = self.headers.get("Authorization", "")
        ok, claims_ = False, None
        try:
            assert auth.startswith("Bearer ")
            claims_ = verify_minted(auth[7:])
            now = time.time()
            assert set(claims_) == {"access_key", "type", "version", "iat", "nbf", "exp", "jti"}, claims_
            assert claims_["access_key"] == ACCESS_KEY and claims_["type"] == "management"
            assert claims_["version"] == 2 and claims_["iat"] <= now + 5 and claims_["exp"] > now
            assert claims_["nbf"] == claims_["iat"] and UUID4.match(claims_["jti"])
            ok = True
        except Exception as e:  # recorded and answered 401, the test asserts on it
            claims_ = {"error": repr(e)}
        FakeHms.records.append({"path": self.path, "method": self.command, "body": body, "claims": claims_,
                                "ok": ok, "content_type": self.headers.get("Content-Type")})
        m = re.match(r"^/v2/room-codes/room/([0-9a-f]{24})$", self.path)
        if not ok:
            status, reply = 401, {"error": "bad management token"}
        elif m and FakeHms.fail_codes:
            status, reply = 500, {"error": "codes boom"}
        elif m:
            status, reply = 200, self.room_codes(m.group(1), self.command == "POST")
        elif self.command != "POST" or self.path != "/v2/rooms":
            status, reply = 404, {"error": "no such endpoint"}
        elif not ok:
            status, reply = 401, {"error": "bad management token"}
        elif body.get("name") == "fail-upstream":
            status, reply = 500, {"error": "boom"}
        elif body.get("name") == "slow-upstream":
            FakeHms.arrived.set()
            FakeHms.release.wait(30)
            status, reply = 200, {"id": "77aa00bb11cc22dd33ee44ff", "name": "slow-upstream"}
        else:
            status, reply = 200, {"id": "6601aa00bb11cc22dd33ee44", "name": body.get("name"), "enabled": True}
        self.reply(status, reply)


def suite_rooms():
    fake = httpserver.ThreadingHTTPServer(("127.0.0.1", 0), FakeHms)
    fake.handle_error = lambda *args: None  # a client tokend abandoned hangs up on the stand-in
    threading.Thread(target=fake.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d/v2" % fake.server_address[1]
    creator = hs_token(claims(can_create_rooms=True))

    def create(token, body):
        h = {"Content-Type": "application/json"}
        if token:
            h["Authorization"] = "Bearer " + token
        return http(srv.port, "POST", "/api/rooms", h, body)

    try:
        with Server(HMS_API_BASE=base) as srv:
            r = create(creator, {"name": "standup-2026", "description": "daily"})
            assert r.status == 201, r.raw
            room_id = "6601aa00bb11cc22dd33ee44"
            # The codes come with the room, and only for roles this (unprivileged) creator may take:
            # host is privileged, broadcaster is not allow-listed.
            assert r.json() == {"id": room_id, "name": "standup-2026",
                                "codes": [{"role": "guest", "code": fake_code(room_id, "guest")},
                                          {"role": "viewer", "code": fake_code(room_id, "viewer")}]}, r.body
            rec, codes_rec = FakeHms.records[-2:]
            assert rec["ok"], rec
            assert rec["path"] == "/v2/rooms"
            assert rec["body"] == {"name": "standup-2026", "description": "daily", "template_id": "tmpl_test_1"}
            assert rec["content_type"] == "application/json"
            assert codes_rec["ok"] and codes_rec["method"] == "POST", codes_rec
            assert codes_rec["path"] == "/v2/room-codes/room/" + room_id, codes_rec
            assert fake_code(room_id, "host") not in r.raw.decode()
            # A creator who holds the privileged role gets the host code too.
            host_creator = hs_token(claims(sub="host_1", can_create_rooms=True, hms_roles=["host"]))
            r = create(host_creator, {"name": "retro"})
            assert r.status == 201, r.raw
            assert [c["role"] for c in r.json()["codes"]] == ["host", "guest", "viewer"], r.body
            assert FakeHms.records[-1]["claims"]["jti"] == rec["claims"]["jti"], "management token is cached"

            # The Prebuilt flow: the app takes the guest code from tokend's answer and joins with it
            # (HMSPrebuilt roomCode=...), which asks the auth service for a token by that code.
            guest_code = [c["code"] for c in r.json()["codes"] if c["role"] == "guest"][0]
            with socket.create_connection(("127.0.0.1", fake.server_address[1]), timeout=10) as sock:
                sock.sendall(build("POST", "/v2/token", {"Content-Type": "application/json"},
                                   {"code": guest_code, "user_id": "user_42"}))
                joined = read_response(sock)
            assert joined.status == 200, joined.raw
            jc = verify_minted(joined.json()["token"])
            assert jc["room_id"] == room_id and jc["role"] == "guest" and jc["user_id"] == "user_42", jc

            # GET /api/rooms/:id/codes: privileged users only, filtered the same way, scoped by hms_rooms.
            def codes(token, room=room_id):
                h = {"Authorization": "Bearer " + token} if token else {}
                return http(srv.port, "GET", "/api/rooms/%s/codes" % room, h)
            host_user = hs_token(claims(sub="host_2", hms_roles=["host"]))
            n = len(FakeHms.records)
            r = codes(host_user)
            assert r.status == 200, r.raw
            assert r.json() == {"room_id": room_id, "codes": [
                {"role": "host", "code": fake_code(room_id, "host")},
                {"role": "guest", "code": fake_code(room_id, "guest")},
                {"role": "viewer", "code": fake_code(room_id, "viewer")}]}, r.body
            assert FakeHms.records[-1]["method"] == "GET" and len(FakeHms.records) == n + 1
            expect_error(codes(None), 401, "unauthenticated")
            expect_error(codes(hs_token(claims())), 403, "forbidden")
            expect_error(codes(hs_token(claims(can_create_rooms=True))), 403, "forbidden")
            expect_error(codes(hs_token(claims(hms_roles=["host"], hms_rooms=["aaaaaaaaaaaaaaaaaaaaaaaa"]))), 403,
                         "room_not_allowed")
            expect_error(codes(host_user, room_id.upper()), 400, "bad_room_id")
            r = http(srv.port, "POST", "/api/rooms/%s/codes" % room_id,
                     {"Authorization": "Bearer " + host_user, "Content-Type": "application/json"}, b"{}")
            expect_error(r, 405, "method_not_allowed")
            assert len(FakeHms.records) == n + 1, "refused code requests must not reach 100ms"
            # Disabled codes are left out.
            r = codes(host_user, "77aa00bb11cc22dd33ee44ff")
            assert r.status == 200 and r.json()["codes"] == [], r.body  # no codes made for that room yet
            FakeHms.fail_codes = True
            expect_error(codes(host_user), 502, "upstream_error")
            expect_error(create(creator, {"name": "codes-fail"}), 502, "upstream_error")
            FakeHms.fail_codes = False
            n = len(FakeHms.records)
            expect_error(create(None, {"name": "x"}), 401)
            expect_error(create(hs_token(claims()), {"name": "x"}), 403, "forbidden")
            expect_error(create(hs_token(claims(can_create_rooms=False)), {"name": "x"}), 403)
            expect_error(create(creator, {"name": "has space"}), 400, "bad_name")
            expect_error(create(creator, {"name": ""}), 400, "bad_name")
            expect_error(create(creator, {}), 400, "wrong_type")
            expect_error(create(creator, {"name": "ok", "description": 5}), 400, "wrong_type")
            expect_error(create(creator, {"name": "ok", "template_id": "evil"}), 400, "unknown_key")
            expect_error(create(creator, {"name": "ok", "description": "d" * 501}), 400, "bad_description")
            assert len(FakeHms.records) == n, "rejected requests must not reach 100ms"
            expect_error(create(creator, {"name": "fail-upstream"}), 502, "upstream_error")
            err = srv.stop()
            assert creator not in err and APP_SECRET not in err
            assert rec["claims"]["jti"] not in err

        # A slow 100ms API does not hold the (single) HTTP worker: while the fake sits on a room
        # creation, other requests are still answered. If the worker were blocked, the healthz call
        # below would hang until the socket timeout and fail the suite.
        with Server(HMS_API_BASE=base, THREADS="1") as srv:
            result = {}
            t = threading.Thread(target=lambda: result.update(r=create(creator, {"name": "slow-upstream"})))
            t.start()
            assert FakeHms.arrived.wait(20), "room creation never reached the stand-in"
            r = http(srv.port, "GET", "/healthz")
            assert r.status == 200
            assert post_token(srv.port, hs_token(claims())).status == 200
            FakeHms.release.set()
            t.join(30)
            assert result["r"].status == 201, result["r"].raw
            slow = "77aa00bb11cc22dd33ee44ff"
            assert result["r"].json() == {"id": slow, "name": "slow-upstream", "codes": [
                {"role": "guest", "code": fake_code(slow, "guest")}]}, result["r"].body  # viewer's is disabled

        # A room creation still waiting on 100ms at SIGTERM does not outlast SHUTDOWN_GRACE_SECONDS
        # (the stand-in holds it for 30 s, libcurl's own timeout is 10 s): it is abandoned and
        # answered 502 within the grace period, and tokend exits 0.
        FakeHms.arrived.clear()
        FakeHms.release.clear()
        srv = Server(HMS_API_BASE=base, SHUTDOWN_GRACE_SECONDS="2")
        result = {}
        t = threading.Thread(target=lambda: result.update(r=create(creator, {"name": "slow-upstream"})))
        t.start()
        assert FakeHms.arrived.wait(20), "room creation never reached the stand-in"
        srv.proc.send_signal(signal.SIGTERM)
        try:
            assert srv.proc.wait(timeout=7) == 0
        except subprocess.TimeoutExpired:
            raise AssertionError("tokend still waiting on 100ms well past SHUTDOWN_GRACE_SECONDS")
        finally:
            FakeHms.release.set()
        t.join(30)
        expect_error(result["r"], 502, "upstream_error")
        assert result["r"].headers.get("connection", "").lower() == "close"
        srv.stop()
    finally:
        FakeHms.release.set()
        fake.shutdown()


# ---- JWKS: keys served by a local stand-in of an identity provider ---------------------------------

def make_key(kind, path):
    """Generates a key with the openssl CLI; returns its public JWK members (without kid)."""
    if kind == "RSA":
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", path)
        mod = openssl("pkey", "-in", path, "-pubout").decode()
        n = openssl("rsa", "-pubin", "-noout", "-modulus", data=mod.encode()).decode().strip().split("=", 1)[1]
        return {"kty": "RSA", "n": b64u(bytes.fromhex(n)), "e": b64u((65537).to_bytes(3, "big"))}
    if kind == "EC":
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path)
        der = openssl("pkey", "-in", path, "-pubout", "-outform", "DER")
        point = der[-65:]
        assert point[0] == 4
        return {"kty": "EC", "crv": "P-256", "x": b64u(point[1:33]), "y": b64u(point[33:])}
    openssl("genpkey", "-algorithm", "ED25519", "-out", path)
    der = openssl("pkey", "-in", path, "-pubout", "-outform", "DER")
    return {"kty": "OKP", "crv": "Ed25519", "x": b64u(der[-32:])}


def jwk_token(claims_, key_path, alg, kid):
    head = {"alg": alg, "typ": "JWT"}
    if kid is not None:
        head["kid"] = kid
    signing_input = enc_json(head) + "." + enc_json(claims_)
    if alg == "EdDSA":
        msg = os.path.join(TMP, "msg-%d" % time.monotonic_ns())
        with open(msg, "wb") as f:
            f.write(signing_input.encode())
        sig = openssl("pkeyutl", "-sign", "-rawin", "-inkey", key_path, "-in", msg)
    else:
        sig = openssl("dgst", "-sha256", "-sign", key_path, data=signing_input.encode())
        if alg == "ES256":
            sig = der_to_raw_ecdsa(sig)
    return signing_input + "." + b64u(sig)


class FakeJwks(httpserver.BaseHTTPRequestHandler):
    doc = {"keys": []}
    fetched = []  # monotonic times of the GETs
    paths = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        FakeJwks.fetched.append(time.monotonic())
        FakeJwks.paths.append(self.path)
        data = json.dumps(FakeJwks.doc).encode()
        known = self.path.endswith("/.well-known/jwks.json") or self.path.endswith("/protocol/openid-connect/certs")
        self.send_response(200 if known else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


JWKS_ENV = {"AUTH_JWT_ALG": None, "AUTH_JWT_SECRET": None}


def suite_jwks():
    keys = {}
    for kid, kind in (("rsa-1", "RSA"), ("ec-1", "EC"), ("ed-1", "ED25519"), ("rsa-2", "RSA")):
        path = os.path.join(TMP, kid + ".pem")
        keys[kid] = (path, dict(make_key(kind, path), kid=kid, use="sig"))
    algs = {"rsa-1": "RS256", "ec-1": "ES256", "ed-1": "EdDSA", "rsa-2": "RS256"}
    tok = lambda kid, alg=None, c=None, key=None: jwk_token(c or claims(), keys[key or kid][0], alg or algs[kid], kid)
    FakeJwks.doc = {"keys": [keys["rsa-1"][1], keys["ec-1"][1], keys["ed-1"][1],
                             {"kty": "oct", "kid": "hmac-1", "k": b64u(b"x" * 32)},
                             dict(keys["rsa-2"][1], kid="enc-1", use="enc")]}
    fake = httpserver.ThreadingHTTPServer(("127.0.0.1", 0), FakeJwks)
    threading.Thread(target=fake.serve_forever, daemon=True).start()
    url = "http://127.0.0.1:%d/.well-known/jwks.json" % fake.server_address[1]
    refresh = 3
    try:
        # Settings: the JWKS replaces the fixed key; mixing them, or leaving out the issuer, is refused.
        for extra, var in (({"AUTH_JWT_ALG": "RS256"}, "AUTH_JWKS_URL"),
                           ({"AUTH_JWT_SECRET": USER_SECRET}, "AUTH_JWKS_URL"),
                           ({"AUTH_JWT_ISSUER": None}, "AUTH_JWT_ISSUER"),
                           ({"AUTH_JWKS_URL": "http://idp.example.test/jwks"}, "AUTH_JWKS_URL"),
                           ({"AUTH_JWKS_REFRESH_SECONDS": "0"}, "AUTH_JWKS_REFRESH_SECONDS")):
            env = dict(JWKS_ENV, AUTH_JWKS_URL=url)
            env.update(extra)
            rc, _, err = run_config_error(**env)
            assert rc == 2 and var in err, (extra, rc, err)

        with Server(AUTH_JWKS_URL=url, AUTH_JWKS_REFRESH_SECONDS=str(refresh), **JWKS_ENV) as srv:
            p = srv.port
            assert len(FakeJwks.fetched) == 1, "one fetch at start"
            for kid in ("rsa-1", "ec-1", "ed-1"):
                r = post_token(p, tok(kid))
                assert r.status == 200, (kid, r.raw)
                assert verify_minted(r.json()["token"])["user_id"] == "user_42"
            # The claims are checked as with a fixed key.
            expect_error(post_token(p, tok("rsa-1", c=claims(iss="https://other.example"))), 401, "invalid_token")
            expect_error(post_token(p, tok("ec-1", c=claims(aud="other-app"))), 401, "invalid_token")
            expect_error(post_token(p, tok("ed-1", c=claims(exp=int(time.time()) - 60))), 401, "invalid_token")
            # The key decides the algorithm; the token cannot choose another one or no key at all.
            for bad in (tok("rsa-1", alg="ES256", key="ec-1"), tok("ec-1", alg="RS256", key="rsa-1"),
                        jwk_token(claims(), keys["rsa-1"][0], "RS256", None),
                        hs_token(claims(), header={"alg": "HS256", "typ": "JWT", "kid": "hmac-1"}, secret=b"x" * 32),
                        hs_token(claims(), header={"alg": "HS256", "typ": "JWT", "kid": "rsa-1"})):
                j = expect_error(post_token(p, bad), 401, "invalid_token")
                assert j["message"] in ("token algorithm not accepted", "token has no key id (kid)",
                                        "token signing key not found", "token signature invalid"), j
            # A key published for encryption is not a signing key.
            j = expect_error(post_token(p, tok("enc-1", alg="RS256", key="rsa-2")), 401, "invalid_token")
            assert j["message"] == "token signing key not found", j
            # Signed by another key under a known kid.
            j = expect_error(post_token(p, tok("rsa-1", key="rsa-2")), 401, "invalid_token")
            assert j["message"] == "token signature invalid", j
            # Unknown kids just now fetched: refused without another fetch ("enc-1" above was one).
            fetched = len(FakeJwks.fetched)
            assert fetched <= 2, FakeJwks.fetched

            # Rotation: rsa-1 is withdrawn and rsa-2 published. A burst of rsa-2 tokens and made-up
            # kids costs at most one fetch per AUTH_JWKS_REFRESH_SECONDS; once the set is fetched again,
            # rsa-2 passes and rsa-1 no longer does.
            FakeJwks.doc = {"keys": [keys["rsa-2"][1], keys["ec-1"][1], keys["ed-1"][1]]}
            old = tok("rsa-1")
            ok = False
            deadline = time.monotonic() + 4 * refresh + 10
            while not ok and time.monotonic() < deadline:
                for i in range(20):
                    r = post_token(p, tok("rsa-1", key="rsa-1", c=claims()).replace(
                        enc_json({"alg": "RS256", "typ": "JWT", "kid": "rsa-1"}),
                        enc_json({"alg": "RS256", "typ": "JWT", "kid": "made-up-%d" % i})))
                    expect_error(r, 401, "invalid_token")
                r = post_token(p, tok("rsa-2"))
                ok = r.status == 200
                if not ok:
                    expect_error(r, 401, "invalid_token")
                    time.sleep(0.5)
            assert ok, "the rotated key was never fetched"
            j = expect_error(post_token(p, old), 401, "invalid_token")
            assert j["message"] == "token signing key not found", j
            assert post_token(p, tok("ec-1")).status == 200
            gaps = [b - a for a, b in zip(FakeJwks.fetched, FakeJwks.fetched[1:])]
            assert all(g >= refresh - 0.25 for g in gaps), ("fetched more than once per interval", gaps)
            assert len(FakeJwks.fetched) >= fetched + 1
            err = srv.stop()
            assert old not in err

        # Presets: AUTH_PROVIDER derives the JWKS URL (and a fixed audience) from the issuer.
        origin = "http://127.0.0.1:%d" % fake.server_address[1]
        realm = origin + "/realms/test"
        with Server(AUTH_PROVIDER="keycloak", AUTH_JWT_ISSUER=realm, **JWKS_ENV) as srv:
            assert FakeJwks.paths[-1] == "/realms/test/protocol/openid-connect/certs", FakeJwks.paths[-1]
            assert post_token(srv.port, tok("ec-1", c=claims(iss=realm))).status == 200
            expect_error(post_token(srv.port, tok("ec-1")), 401, "invalid_token")  # another issuer
        supa = origin + "/auth/v1"
        with Server(AUTH_PROVIDER="supabase", AUTH_JWT_ISSUER=supa, AUTH_JWT_AUDIENCE=None, **JWKS_ENV) as srv:
            assert FakeJwks.paths[-1] == "/auth/v1/.well-known/jwks.json", FakeJwks.paths[-1]
            assert post_token(srv.port, tok("ed-1", c=claims(iss=supa, aud="authenticated"))).status == 200
            expect_error(post_token(srv.port, tok("ed-1", c=claims(iss=supa))), 401, "invalid_token")
        for extra in ({"AUTH_PROVIDER": "okta"},
                      {"AUTH_PROVIDER": "auth0", "AUTH_JWT_ISSUER": origin + "/", "AUTH_JWT_AUDIENCE": None},
                      {"AUTH_PROVIDER": "firebase", "AUTH_JWT_ISSUER": origin + "/x"},
                      {"AUTH_PROVIDER": "keycloak", "AUTH_JWT_ISSUER": None}):
            env = dict(JWKS_ENV)
            env.update(extra)
            rc, _, err = run_config_error(**env)
            assert rc == 2 and ("AUTH_PROVIDER" in err or "AUTH_JWT_ISSUER" in err), (extra, rc, err)

        # The identity provider away at start: tokend starts, says so once, and takes tokens once the
        # keys can be fetched.
        fake.shutdown()
        fake.server_close()
        with Server(AUTH_JWKS_URL=url, AUTH_JWKS_REFRESH_SECONDS="1", **JWKS_ENV) as srv:
            j = expect_error(post_token(srv.port, tok("ec-1")), 401, "invalid_token")
            assert j["message"] == "token signing key not found", j
            err = srv.stop()
            assert err.count("could not fetch the keys") == 1, err
    finally:
        try:
            fake.shutdown()
        except Exception:
            pass


# ---- Redis: several instances sharing limits and the management token ---------------------------------

class Redis:
    """Debian's redis-server on a unix socket in a temporary directory, no persistence."""

    def __init__(self, sock=None):
        self.dir = tempfile.mkdtemp(dir=TMP, prefix="redis-")
        self.sock = sock or os.path.join(self.dir, "redis.sock")
        self.log = open(os.path.join(self.dir, "log"), "wb")
        self.proc = subprocess.Popen(["redis-server", "--port", "0", "--unixsocket", self.sock, "--unixsocketperm",
                                      "700", "--save", "", "--appendonly", "no", "--dir", self.dir],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while True:
            try:
                if self.cmd("PING") == "PONG":
                    break
            except OSError:
                pass
            assert self.proc.poll() is None and time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def cmd(self, *args):
        """One command in RESP; returns a str, int, None or list."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(5)
            s.connect(self.sock)
            out = b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a.encode()), a.encode()) for a in args)
            s.sendall(out)
            f = s.makefile("rb")

            def read():
                line = f.readline().rstrip(b"\r\n")
                kind, rest = line[:1], line[1:].decode()
                if kind == b"+":
                    return rest
                if kind == b"-":
                    raise AssertionError("redis error: " + rest)
                if kind == b":":
                    return int(rest)
                if kind == b"$":
                    return None if rest == "-1" else f.read(int(rest) + 2)[:-2].decode()
                if kind == b"*":
                    return [read() for _ in range(int(rest))]
                raise AssertionError("bad reply %r" % line)
            return read()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)
        self.log.close()


class KeepAlive:
    """Token requests on a keep-alive connection, opened again after an answer that closes it (a
    refusal sent before the body is read closes the connection)."""

    def __init__(self, port, token):
        self.port, self.sock = port, None
        self.req = build("POST", "/api/rooms/%s/token" % ROOM,
                         {"Authorization": "Bearer " + token, "Content-Type": "application/json"},
                         {"role": "guest"}, close=False)

    def send(self):
        if self.sock is None:
            self.sock = connect(self.port)
        self.sock.sendall(self.req)
        r = read_response(self.sock)
        assert r is not None, "connection closed without an answer"
        if r.status == 429:
            assert int(r.headers["retry-after"]) >= 1
        if r.headers.get("connection", "").lower() == "close":
            self.close()
        return r.status

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None


def keepalive_tokens(port, token, n, results):
    """n token requests; appends each status to results."""
    k = KeepAlive(port, token)
    try:
        for _ in range(n):
            results.append(k.send())
    finally:
        k.close()


def suite_redis():
    for env, var in (({"REDIS_URL": "http://127.0.0.1:6379"}, "REDIS_URL"),
                     ({"REDIS_URL": "redis://:hunter2@127.0.0.1:6379"}, "REDIS_URL"),
                     ({"REDIS_URL": "redis://127.0.0.1:6379/99"}, "REDIS_URL"),
                     ({"REDIS_URL": "unix://relative.sock"}, "REDIS_URL"),
                     ({"REDIS_URL": "redis://127.0.0.1", "REDIS_FAILURE_POLICY": "maybe"}, "REDIS_FAILURE_POLICY")):
        rc, _, err = run_config_error(**env)
        assert rc == 2 and var in err and "hunter2" not in err, (env, rc, err)

    fake = httpserver.ThreadingHTTPServer(("127.0.0.1", 0), FakeHms)
    fake.handle_error = lambda *args: None
    threading.Thread(target=fake.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d/v2" % fake.server_address[1]
    burst = 600
    redis = Redis()
    servers = []
    try:
        env = dict(REDIS_URL="unix://" + redis.sock, RATE_LIMIT_PER_MIN="1", RATE_LIMIT_BURST=str(burst),
                   HMS_API_BASE=base, REDIS_TIMEOUT_MS="500")
        servers = [Server(**env) for _ in range(3)]
        ports = [srv.port for srv in servers]
        for p in ports:
            r = http(p, "GET", "/readyz")
            assert r.status == 200 and r.json() == {"status": "ready"}, r.raw

        # One user, requests spread round-robin over the three instances: the limit is global. Without
        # Redis each instance would allow the whole burst (3 x 600).
        alice = hs_token(claims(sub="alice"))
        results = [[] for _ in ports]
        rounds = 2 * burst
        conns = [KeepAlive(p, alice) for p in ports]
        t0 = time.monotonic()
        for i in range(rounds):
            st = conns[i % 3].send()
            assert st in (200, 429), st
            results[i % 3].append(st)
        elapsed = time.monotonic() - t0
        for k in conns:
            k.close()
        allowed = sum(st == 200 for res in results for st in res)
        expected = burst + elapsed / 60.0  # the burst, and one token a minute since
        assert abs(allowed - expected) <= 0.05 * expected, (allowed, expected)
        assert allowed <= expected + 1, ("more than the global limit", allowed, expected)
        assert all(any(st == 200 for st in res) and any(st == 429 for st in res) for res in results), \
            [(res.count(200), res.count(429)) for res in results]

        # Redis holds a keyed hash of the user id, never the id.
        keys = redis.cmd("KEYS", "*")
        assert keys and all("alice" not in k and "user_42" not in k for k in keys), keys

        # The management token: minted once, used by every instance.
        creator = hs_token(claims(can_create_rooms=True))
        before = len(FakeHms.records)
        for p in ports:
            r = http(p, "POST", "/api/rooms", {"Authorization": "Bearer " + creator,
                                               "Content-Type": "application/json"}, {"name": "shared-%d" % p})
            assert r.status == 201, r.raw
        jtis = {rec["claims"]["jti"] for rec in FakeHms.records[before:]}
        assert len(jtis) == 1 and all(rec["ok"] for rec in FakeHms.records[before:]), FakeHms.records[before:]

        # Redis stops while requests are in flight: every request is still answered (the local
        # limiter takes over), each instance says so in one log line, /readyz says degraded.
        bob = hs_token(claims(sub="bob"))
        done = threading.Event()
        during, errors = [], []

        def load(p):
            try:
                while not done.is_set():
                    keepalive_tokens(p, bob, 20, during)
            except Exception as e:  # the test fails on it below
                errors.append(repr(e))
        threads = [threading.Thread(target=load, args=(p,)) for p in ports]
        for t in threads:
            t.start()
        while len(during) < 60 and not errors:
            time.sleep(0.01)
        redis.stop()
        n_at_stop = len(during)
        while len(during) < n_at_stop + 150 and not errors:
            time.sleep(0.01)
        done.set()
        for t in threads:
            t.join(60)
        assert not errors, errors
        assert set(during) <= {200, 429} and during.count(200) > 0, set(during)
        for p in ports:
            r = http(p, "GET", "/readyz")
            assert r.status == 200 and r.json() == {"status": "degraded"}, r.raw
            assert post_token(p, hs_token(claims(sub="carol"))).status == 200
        # Rooms still get created: the instance uses (or mints) its own management token meanwhile.
        r = http(ports[1], "POST", "/api/rooms", {"Authorization": "Bearer " + creator,
                                                  "Content-Type": "application/json"}, {"name": "no-redis"})
        assert r.status == 201, r.raw

        # Redis back on the same socket: the instances use it again (after at most a second).
        redis = Redis(sock=redis.sock)
        for p in ports:
            deadline = time.monotonic() + 20
            while http(p, "GET", "/readyz").json() != {"status": "ready"}:
                assert time.monotonic() < deadline, "never ready again"
                time.sleep(0.2)
    except BaseException:
        for srv in servers:
            srv.proc.kill()
            srv.proc.wait()
        redis.proc.kill()
        raise
    finally:
        fake.shutdown()
    for srv in servers:
        err = srv.stop()
        assert err.count("redis: unreachable") == 1, err[-3000:]
        assert err.count("redis: reachable") == 1, err[-3000:]
        assert "alice" not in err and alice not in err
    redis.stop()

    # REDIS_PASSWORD (here from a file): the right one is ready, a wrong one is degraded, and the
    # password never shows in the log.
    pw_file = os.path.join(TMP, "redis-password")
    with open(pw_file, "w") as f:
        f.write("s3cret-redis-pass\n")
    locked = Redis()
    try:
        locked.cmd("CONFIG", "SET", "requirepass", "s3cret-redis-pass")
        with Server(REDIS_URL="unix://%s?db=2" % locked.sock, REDIS_PASSWORD_FILE=pw_file) as srv:
            r = http(srv.port, "GET", "/readyz")
            assert r.status == 200 and r.json() == {"status": "ready"}, r.raw
            assert post_token(srv.port, hs_token(claims())).status == 200
            err = srv.stop()
            assert "s3cret" not in err
        with Server(REDIS_URL="unix://" + locked.sock, REDIS_PASSWORD="wrong-pass") as srv:
            r = http(srv.port, "GET", "/readyz")
            assert r.status == 200 and r.json() == {"status": "degraded"}, r.raw
            err = srv.stop()
            assert "wrong-pass" not in err
    finally:
        locked.stop()

    # REDIS_FAILURE_POLICY=deny: without Redis, token requests are refused and the instance is not ready.
    gone = os.path.join(TMP, "no-such-redis.sock")
    with Server(REDIS_URL="unix://" + gone, REDIS_FAILURE_POLICY="deny") as srv:
        expect_error(post_token(srv.port, hs_token(claims())), 503, "limiter_unavailable")
        r = http(srv.port, "GET", "/readyz")
        assert r.status == 503 and r.json() == {"status": "degraded"}, r.raw
        assert http(srv.port, "GET", "/healthz").status == 200

    # A Redis that accepts and never answers: REDIS_TIMEOUT_MS bounds every request.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    held = []
    stop_accept = threading.Event()

    def hold():
        silent.settimeout(0.2)
        while not stop_accept.is_set():
            try:
                held.append(silent.accept()[0])
            except OSError:
                pass
    t = threading.Thread(target=hold)
    t.start()
    try:
        with Server(REDIS_URL="redis://127.0.0.1:%d" % silent.getsockname()[1], REDIS_TIMEOUT_MS="200") as srv:
            for _ in range(5):
                assert post_token(srv.port, hs_token(claims())).status == 200
            r = http(srv.port, "GET", "/readyz")
            assert r.status == 200 and r.json() == {"status": "degraded"}, r.raw
    finally:
        stop_accept.set()
        t.join()
        for c in held:
            c.close()
        silent.close()


SUITES = {"http": suite_http, "auth": suite_auth, "limits": suite_limits, "tls": suite_tls,
          "drain": suite_drain, "rooms": suite_rooms, "framing": suite_framing,
          "jwks": suite_jwks, "redis": suite_redis}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in SUITES:
        sys.exit("usage: integration.py TOKEND {%s}" % "|".join(SUITES))
    TOKEND = sys.argv[1]
    SUITES[sys.argv[2]]()
    print("tokend integration suite %s: ok" % sys.argv[2])
