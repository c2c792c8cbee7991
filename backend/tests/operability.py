#!/usr/bin/env python3
"""Integration tests for running tokend for real: CORS for browser apps, `--check-config` and `dev-token`,
Debian's nginx with TLS in front (started and stopped here), and the systemd unit.

usage: operability.py PATH/TO/tokend {cors|cli|nginx|systemd}
"""
import hashlib
import hmac
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time

import integration as it
from integration import claims, expect_error, hs_token, http, post_token

HERE = os.path.dirname(os.path.abspath(__file__))
DEPLOY = os.path.join(HERE, "..", "deploy")
ROOT = os.path.join(HERE, "..", "..")


def run(args, **env):
    full = {"PATH": os.environ.get("PATH", "")}
    for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if k in os.environ:
            full[k] = os.environ[k]
    full.update(it.BASE_ENV)
    for k, v in env.items():
        if v is None:
            full.pop(k, None)
        else:
            full[k] = str(v)
    p = subprocess.run([it.TOKEND, *args], env=full, capture_output=True, timeout=30)
    err = p.stderr.decode()
    assert "Sanitizer" not in err and "runtime error" not in err, err
    return p.returncode, p.stdout.decode(), err


# ---- CORS ------------------------------------------------------------------------------------------------

APP = "http://localhost:5173"


def preflight(port, origin, method="POST", path="/api/rooms/%s/token" % it.ROOM):
    h = {"Access-Control-Request-Method": method, "Access-Control-Request-Headers": "authorization,content-type"}
    if origin is not None:
        h["Origin"] = origin
    return http(port, "OPTIONS", path, h)


def never_wildcard(r):
    assert r.headers.get("access-control-allow-origin") != "*", r.raw


def suite_cors():
    user = hs_token(claims())
    with it.Server(CORS_ALLOWED_ORIGINS=APP + ", https://app.example.test") as srv:
        p = srv.port
        r = preflight(p, APP)
        assert r.status == 204 and r.body == b"", r.raw
        assert r.headers["access-control-allow-origin"] == APP, r.headers
        assert r.headers["vary"] == "Origin", r.headers
        assert r.headers["access-control-allow-methods"] == "POST", r.headers
        assert "Authorization" in r.headers["access-control-allow-headers"], r.headers
        assert "Content-Type" in r.headers["access-control-allow-headers"], r.headers
        assert "access-control-allow-credentials" not in r.headers, r.headers
        assert "content-type" not in r.headers, r.headers
        r = preflight(p, "https://app.example.test", "GET", "/api/config")
        assert r.status == 204 and r.headers["access-control-allow-methods"] == "GET, HEAD", r.raw

        r = post_token(p, user, headers={"Origin": APP})
        assert r.status == 200 and r.headers["access-control-allow-origin"] == APP, r.raw
        assert r.headers["vary"] == "Origin" and "access-control-allow-methods" not in r.headers, r.headers
        # errors carry the headers too, or the browser hides the reason from the app
        r = post_token(p, None, headers={"Origin": APP})
        assert r.status == 401 and r.headers["access-control-allow-origin"] == APP, r.raw

        # near misses: another port, a suffix, a prefix, another scheme, the opaque origin
        for other in ("http://localhost:5174", "https://app.example.test.evil.test", "https://evilapp.example.test",
                      "https://localhost:5173", "null", APP + "/"):
            r = preflight(p, other)
            expect_error(r, 403, "origin_not_allowed")
            assert "access-control-allow-origin" not in r.headers and r.headers["vary"] == "Origin", r.raw
            r = post_token(p, user, headers={"Origin": other})
            assert r.status == 200 and "access-control-allow-origin" not in r.headers, r.raw
            assert r.headers["vary"] == "Origin", r.headers
        # no Origin: not a browser's cross-origin call; a cache must still key on Origin
        r = post_token(p, user)
        assert "access-control-allow-origin" not in r.headers and r.headers["vary"] == "Origin", r.raw
        # OPTIONS that is not a preflight is what it always was
        r = http(p, "OPTIONS", "/api/rooms/%s/token" % it.ROOM, {"Origin": APP})
        expect_error(r, 405, "method_not_allowed")
        expect_error(preflight(p, APP, path="/nope"), 404)

    with it.Server(CORS_ALLOWED_ORIGINS=APP, CORS_ALLOW_CREDENTIALS="1") as srv:
        r = preflight(srv.port, APP)
        assert r.status == 204 and r.headers["access-control-allow-credentials"] == "true", r.raw
        assert r.headers["access-control-allow-origin"] == APP, r.headers
        r = post_token(srv.port, user, headers={"Origin": "http://other.test"})
        assert "access-control-allow-credentials" not in r.headers, r.headers
        never_wildcard(r)

    # Without CORS_ALLOWED_ORIGINS nothing changes: no CORS headers, OPTIONS is 405.
    with it.Server() as srv:
        r = preflight(srv.port, APP)
        expect_error(r, 405, "method_not_allowed")
        assert "vary" not in r.headers and "access-control-allow-origin" not in r.headers, r.raw
        r = post_token(srv.port, user, headers={"Origin": APP})
        assert r.status == 200 and "access-control-allow-origin" not in r.headers, r.raw

    for value in ("*", "http://localhost:5173/", "localhost:5173", "https://*.example.test", "HTTPS://APP.TEST",
                  APP + ",,https://b.test"):
        rc, out, err = it.run_config_error(CORS_ALLOWED_ORIGINS=value)
        assert rc == 2 and "CORS_ALLOWED_ORIGINS" in err and out == "", (value, err)
    rc, _, err = it.run_config_error(CORS_ALLOW_CREDENTIALS="1")
    assert rc == 2 and "CORS_ALLOW_CREDENTIALS" in err, err


# ---- --check-config and dev-token ---------------------------------------------------------------------------

def suite_cli():
    # Every bad setting at once, by name, never by value; nothing on stdout; exit 2.
    bad = {"HMS_APP_SECRET": "short-secret-x", "PORT": "80x", "LOG_LEVEL": "loud", "ALLOWED_ROLES": None,
           "AUTH_LEEWAY_SECONDS": "999", "CORS_ALLOWED_ORIGINS": "*", "TRUSTED_PROXIES": "10.0.0.1/8"}
    rc, out, err = run(["--check-config"], **bad)
    assert rc == 2 and out == "", (rc, out, err)
    for var in ("HMS_APP_SECRET", "PORT", "LOG_LEVEL", "ALLOWED_ROLES", "AUTH_LEEWAY_SECONDS",
                "CORS_ALLOWED_ORIGINS", "TRUSTED_PROXIES"):
        assert re.search(r"(?m)^tokend: %s: " % var, err), (var, err)
    for value in ("short-secret-x", "80x", "loud", "999", "10.0.0.1"):
        assert value not in err, (value, err)
    assert len(err.strip().split("\n")) == 7, err
    # the server itself reports the same list when it refuses to start
    rc, out, err2 = run([], **bad)
    assert rc == 2 and err2 == err, (err, err2)

    rc, out, err = run(["--check-config"])
    assert rc == 0 and out.startswith("tokend: configuration ok (PROVIDER=100ms") and err == "", (rc, out, err)
    # a key file that is no key is found without starting the server
    rc, out, err = run(["--check-config"], AUTH_JWT_ALG="RS256", AUTH_JWT_SECRET=None,
                       AUTH_JWT_PUBLIC_KEY_FILE=os.path.abspath(__file__))
    assert rc == 2 and "AUTH_JWT_PUBLIC_KEY_FILE" in err, err

    # dev-token: a user JWT the server accepts, with the roles asked for
    rc, out, err = run(["dev-token", "--sub", "alice", "--roles", "host"])
    assert rc == 0 and err == "", (rc, err)
    tok = out.strip()
    assert out.count("\n") == 1 and re.match(r"^[\w-]+\.[\w-]+\.[\w-]+$", tok), out
    head, payload, sig = tok.split(".")
    want = hmac.new(it.USER_SECRET.encode(), (head + "." + payload).encode(), hashlib.sha256).digest()
    assert hmac.compare_digest(it.unb64u(sig), want)
    c = json.loads(it.unb64u(payload))
    assert c["sub"] == "alice" and c["hms_roles"] == ["host"] and c["iss"] == it.ISSUER and c["aud"] == it.AUDIENCE, c
    assert c["exp"] - c["iat"] == 3600, c
    with it.Server() as srv:
        r = post_token(srv.port, tok, {"role": "host"})
        assert r.status == 200 and r.json()["user_id"] == "alice", r.raw
        rc, out, _ = run(["dev-token", "--sub", "bob", "--ttl", "60", "--rooms", it.ROOM])
        r = post_token(srv.port, out.strip(), {"role": "host"})
        expect_error(r, 403, "role_not_allowed")  # no hms_roles claim: not a host
        assert post_token(srv.port, out.strip(), {"role": "guest"}).status == 200

    # refused without an HS256 development key on loopback
    pub = os.path.join(it.TMP, "rsa.pub")
    if not os.path.exists(pub):
        key = os.path.join(it.TMP, "rsa.key")
        it.openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key)
        it.openssl("pkey", "-in", key, "-pubout", "-out", pub)
    for env in ({"AUTH_JWT_ALG": "RS256", "AUTH_JWT_SECRET": None, "AUTH_JWT_PUBLIC_KEY_FILE": pub},
                {"BIND_ADDR": "0.0.0.0", "INSECURE_HTTP": "1"}):
        rc, out, err = run(["dev-token", "--sub", "alice"], **env)
        assert rc == 2 and out == "" and "only with AUTH_JWT_ALG=HS256 and a loopback BIND_ADDR" in err, (env, err)
    for args in (["dev-token"], ["dev-token", "--sub"], ["dev-token", "--sub", "a", "--ttl", "86401"],
                 ["dev-token", "--sub", "a", "--roles", "ho st"], ["dev-token", "--sub", "a", "--bogus", "1"]):
        rc, out, err = run(args)
        assert rc == 2 and out == "" and err.startswith("tokend dev-token: "), (args, err)
    rc, out, err = run(["dev-token", "--sub", "alice"], AUTH_JWT_SECRET=None)
    assert rc == 2 and "AUTH_JWT_SECRET" in err and out == "", err


# ---- nginx with TLS in front ------------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log_tag(ip):
    derived = hmac.new(it.APP_SECRET.encode(), b"tokend/log-user-tag/v1", hashlib.sha256).digest()
    return hmac.new(derived, ip.encode(), hashlib.sha256).hexdigest()[:16]


def clients_logged(err):
    return [json.loads(l)["client"] for l in err.splitlines() if '"route":"/api/rooms/:room_id/token"' in l]


def from_addr(src, port, tls_ctx=None, xff=None, host="127.0.0.1"):
    """POSTs a token request from the source address src (any 127/8 address is ours on Linux)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=15, source_address=(src, 0))
    if tls_ctx is not None:
        s = tls_ctx.wrap_socket(s, server_hostname=host)
    h = {"Content-Type": "application/json", "Authorization": "Bearer " + hs_token(claims())}
    if xff is not None:
        h["X-Forwarded-For"] = xff
    with s:
        s.sendall(it.build("POST", "/api/rooms/%s/token" % it.ROOM, h, {"role": "guest"}))
        r = it.read_response(s)
    assert r is not None
    return r


class Nginx:
    def __init__(self, upstream_port):
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.dir = os.path.join(it.TMP, "nginx-%d" % time.monotonic_ns())
        os.makedirs(self.dir)
        os.chmod(self.dir, 0o755)
        cert, key = os.path.join(self.dir, "cert.pem"), os.path.join(self.dir, "key.pem")
        it.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
                   "-subj", "/CN=tokens.example.test", "-addext", "subjectAltName=DNS:tokens.example.test",
                   "-keyout", key, "-out", cert)
        self.cert = cert
        self.port = free_port()
        with open(os.path.join(DEPLOY, "nginx-tokend.conf")) as f:
            site = f.read()
        # The shipped example, with only its addresses, names and paths changed.
        site = site.replace("server 127.0.0.1:8080;", "server 127.0.0.1:%d;" % upstream_port)
        site = site.replace("listen 443 ssl;", "listen 127.0.0.1:%d ssl;" % self.port)
        site = site.replace("tokens.example.com", "tokens.example.test")
        site = site.replace("/etc/ssl/certs/tokens.example.test.pem", cert)
        site = site.replace("/etc/ssl/private/tokens.example.test.key", key)
        assert cert in site and key in site and str(upstream_port) in site, site
        tmp = lambda n: os.path.join(self.dir, n)
        conf = ("daemon off;\nworker_processes 1;\npid %s;\nerror_log %s warn;\nevents {}\nhttp {\n"
                "access_log off;\nclient_body_temp_path %s;\nproxy_temp_path %s;\nfastcgi_temp_path %s;\n"
                "uwsgi_temp_path %s;\nscgi_temp_path %s;\n%s\n}\n") % (
            tmp("nginx.pid"), tmp("error.log"), tmp("body"), tmp("proxy"), tmp("fcgi"), tmp("uwsgi"), tmp("scgi"),
            site)
        self.conf = tmp("nginx.conf")
        with open(self.conf, "w") as f:
            f.write(conf)
        test = subprocess.run([nginx, "-t", "-p", self.dir, "-c", self.conf], capture_output=True)
        assert test.returncode == 0, test.stderr.decode()
        self.proc = subprocess.Popen([nginx, "-p", self.dir, "-c", self.conf], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                assert self.proc.poll() is None, "nginx exited: %s" % self.errors()
                assert time.monotonic() < deadline, "nginx did not start listening"
                time.sleep(0.05)
        self.ctx = ssl.create_default_context(cafile=cert)

    def errors(self):
        try:
            with open(os.path.join(self.dir, "error.log")) as f:
                return f.read()
        except OSError:
            return ""

    def stop(self):
        self.proc.send_signal(signal.SIGQUIT)  # graceful: finish, then exit
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise


def suite_nginx():
    up = free_port()
    nginx = Nginx(up)
    try:
        # tokend trusts nginx: the client is the address nginx saw (127.0.0.2), not what the client forged
        srv = it.Server(PORT=up, TRUSTED_PROXIES="127.0.0.1", MAX_CONN_PER_IP="0")
        r = from_addr("127.0.0.2", nginx.port, nginx.ctx, host="tokens.example.test")
        assert r.status == 200, r.raw
        tok = r.json()["token"]
        assert it.verify_minted(tok)["user_id"] == "user_42"
        r = from_addr("127.0.0.3", nginx.port, nginx.ctx, xff="203.0.113.9, 127.0.0.1", host="tokens.example.test")
        assert r.status == 200, r.raw
        r = from_addr("127.0.0.2", nginx.port, nginx.ctx, xff="garbage", host="tokens.example.test")
        assert r.status == 200, r.raw
        # tokend's own refusals reach the client unchanged through nginx
        with nginx.ctx.wrap_socket(socket.create_connection(("127.0.0.1", nginx.port), timeout=15),
                                   server_hostname="tokens.example.test") as s:
            s.sendall(it.build("POST", "/api/rooms/%s/token" % it.ROOM, {"Content-Type": "application/json"},
                               {"role": "guest"}))
            expect_error(it.read_response(s), 401, "unauthenticated")
        # a direct connection is not a proxy: its X-Forwarded-For is ignored
        r = from_addr("127.0.0.4", up, xff="203.0.113.9")
        assert r.status == 200, r.raw
        err = srv.stop()
        got = clients_logged(err)
        want = [log_tag("127.0.0.2"), log_tag("127.0.0.3"), log_tag("127.0.0.2"), log_tag("127.0.0.1"),
                log_tag("127.0.0.4")]
        # the 401 went through nginx too: its client is 127.0.0.1, the test's own source address.
        # tokend writes a request's log line after its answer, so the client can
        # be answered and send the next request before the line is written: the
        # lines are compared as a multiset, not in order
        assert sorted(got) == sorted(want), (got, want)
        assert log_tag("203.0.113.9") not in err

        # tokend without TRUSTED_PROXIES: every request through nginx is nginx's own address
        srv = it.Server(PORT=up)
        r = from_addr("127.0.0.2", nginx.port, nginx.ctx, xff="203.0.113.9", host="tokens.example.test")
        assert r.status == 200, r.raw
        err = srv.stop()
        assert clients_logged(err) == [log_tag("127.0.0.1")], err
    finally:
        nginx.stop()
    errors = [l for l in nginx.errors().splitlines() if "[emerg]" in l or "[alert]" in l or "[crit]" in l]
    assert not errors, errors

    for value in ("10.0.0.1/8", "localhost", "10.0.0.0/33", "1.2.3.4,", "::1/129"):
        rc, _, err = it.run_config_error(TRUSTED_PROXIES=value)
        assert rc == 2 and "TRUSTED_PROXIES" in err and value not in err.replace("TRUSTED_PROXIES", ""), (value, err)


# ---- the systemd unit -----------------------------------------------------------------------------------

def suite_systemd():
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing (Debian package systemd)"
    d = os.path.join(it.TMP, "systemd")
    os.makedirs(os.path.join(d, "man", "man8"), exist_ok=True)
    shutil.copy(os.path.join(ROOT, "man", "tokend.8"), os.path.join(d, "man", "man8", "tokend.8"))
    with open(os.path.join(DEPLOY, "tokend.service")) as f:
        unit = f.read()
    for directive in ("DynamicUser=yes", "ProtectSystem=strict", "NoNewPrivileges=yes",
                      "LoadCredential=HMS_APP_SECRET:", "LoadCredential=AUTH_JWT_SECRET:",
                      "Environment=HMS_APP_SECRET_FILE=%d/HMS_APP_SECRET", "ExecStartPre=/usr/local/bin/tokend --check-config"):
        assert directive in unit, directive
    # verify needs the binary the unit names: point it at the one just built
    path = os.path.join(d, "tokend.service")
    with open(path, "w") as f:
        f.write(unit.replace("/usr/local/bin/tokend", os.path.abspath(it.TOKEND)))
    env = dict(os.environ, MANPATH=os.path.join(d, "man"))
    p = subprocess.run([analyze, "verify", path], capture_output=True, env=env, timeout=60)
    out = (p.stdout + p.stderr).decode()
    assert p.returncode == 0 and out.strip() == "", out
    # the same check does fail on a broken copy
    broken = os.path.join(d, "broken.service")
    with open(broken, "w") as f:
        f.write(unit.replace("/usr/local/bin/tokend", os.path.abspath(it.TOKEND)).replace("ProtectSystem=", "ProtectSystm="))
    p = subprocess.run([analyze, "verify", broken], capture_output=True, env=env, timeout=60)
    assert "ProtectSystm" in (p.stdout + p.stderr).decode()
    # systemd's own exposure score for the sandbox (0 best, 10 worst)
    p = subprocess.run([analyze, "security", "--offline=true", path], capture_output=True, env=env, timeout=60)
    m = re.search(r"Overall exposure level for tokend.service: (\d+\.\d)", p.stdout.decode())
    assert m and float(m.group(1)) <= 2.0, p.stdout.decode()[-500:]


SUITES = {"cors": suite_cors, "cli": suite_cli, "nginx": suite_nginx, "systemd": suite_systemd}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in SUITES:
        sys.exit("usage: operability.py TOKEND {%s}" % "|".join(SUITES))
    it.TOKEND = sys.argv[1]
    SUITES[sys.argv[2]]()
    print("tokend operability suite %s: ok" % sys.argv[2])
