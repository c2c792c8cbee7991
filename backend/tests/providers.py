#!/usr/bin/env python3
"""Integration tests for PROVIDER=livekit|twilio|agora: the real tokend binary mints room tokens, and each
provider's own official server SDK (tests/npm, run by verify_tokens.mjs under node) verifies them.

usage: providers.py PATH/TO/tokend {livekit|twilio|agora}
"""
import json
import os
import subprocess
import sys
import time

import integration as it
from integration import claims, expect_error, hs_token, http, post_token

HERE = os.path.dirname(os.path.abspath(__file__))
NPM = os.path.join(HERE, "..", "..", "tests", "npm", "node_modules")
VERIFY = os.path.join(HERE, "verify_tokens.mjs")

NO_HMS = {"HMS_ACCESS_KEY": None, "HMS_APP_SECRET": None, "HMS_TEMPLATE_ID": None}

CREDS = {
    "livekit": ({"LIVEKIT_API_KEY": "APIdevkey42", "LIVEKIT_API_SECRET": "lk_secret_for_tests_0123456789abcdefghij"},
                lambda e: {"apiKey": e["LIVEKIT_API_KEY"], "apiSecret": e["LIVEKIT_API_SECRET"]}),
    "twilio": ({"TWILIO_ACCOUNT_SID": "AC" + "0123456789abcdef" * 2, "TWILIO_API_KEY_SID": "SK" + "fedcba9876543210" * 2,
                "TWILIO_API_KEY_SECRET": "tw_secret_for_tests_0123456789ab"},
               lambda e: {"accountSid": e["TWILIO_ACCOUNT_SID"], "keySid": e["TWILIO_API_KEY_SID"],
                          "keySecret": e["TWILIO_API_KEY_SECRET"]}),
    "agora": ({"AGORA_APP_ID": "0123456789abcdef0123456789abcd01", "AGORA_APP_CERTIFICATE": "fedcba9876543210fedcba98765432ff"},
              lambda e: {"appId": e["AGORA_APP_ID"], "appCertificate": e["AGORA_APP_CERTIFICATE"]}),
}
ROOMS = {"livekit": "team-standup.2026", "twilio": "RM0123456789abcdef0123456789abcdef", "agora": "chan:1(a)+b"}
BAD_ROOMS = {"livekit": ["a" * 129, "has%20space", "semi;colon"], "twilio": ["a" * 129, "a,b"],
             "agora": ["c" * 64, "pct%25in", "quote%22"]}


def sdk_check(cases):
    if not os.path.isdir(NPM):
        raise AssertionError("tests/npm/node_modules is missing: run sh scripts/setup (npm ci of tests/npm)")
    p = subprocess.run(["node", VERIFY], input=json.dumps(cases).encode(), capture_output=True, timeout=120)
    assert p.returncode == 0, p.stderr.decode()
    out = json.loads(p.stdout)
    assert len(out) == len(cases)
    return out


def case(provider, creds, token, room, identity, grants, iat, ttl):
    return {"provider": provider, "token": token, "creds": creds, "room": room, "identity": identity,
            "grants": grants, "iat": iat, "ttl": ttl}


def tamper(token):
    """Flips one character in the middle of the token (inside the signed part)."""
    i = len(token) // 2
    return token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1:]


def check_claims(provider, res, room, identity, grants, iat, exp, creds):
    c = res["claims"]
    if provider == "livekit":
        v = c["video"]
        assert v["room"] == room and v["roomJoin"] is True, c
        assert v["canPublish"] == ("publish" in grants) and v["canSubscribe"] == ("subscribe" in grants), c
        assert v["canPublishData"] == ("data" in grants), c
        assert c["sub"] == identity and c["iss"] == creds["apiKey"] and c["exp"] == exp, c
        assert abs(c["nbf"] - iat) <= 2, c
    elif provider == "twilio":
        assert c["grants"] == {"identity": identity, "video": {"room": room}}, c
        assert c["iss"] == creds["keySid"] and c["sub"] == creds["accountSid"] and c["exp"] == exp, c
        assert c["jti"] == "%s-%d" % (creds["keySid"], c["iat"]), c
        assert res["header"] == {"alg": "HS256", "typ": "JWT", "cty": "twilio-fpa;v=1"}, res["header"]
    else:
        assert c["appId"] == creds["appId"] and c["channel"] == room and c["account"] == identity, c
        assert c["issueTs"] + c["expire"] == exp and abs(c["issueTs"] - iat) <= 2, c
        assert 1 <= c["salt"] <= 99999999, c
        want = {"1": c["expire"]}  # join
        if "publish" in grants:
            want.update({"2": c["expire"], "3": c["expire"]})
        if "data" in grants:
            want["4"] = c["expire"]
        assert c["privileges"] == want, c


def suite(provider):
    env, creds_of = CREDS[provider]
    creds = creds_of(env)
    room = ROOMS[provider]
    base = dict(NO_HMS, PROVIDER=provider, ROLE_GRANTS="viewer=subscribe,guest=publish+subscribe", **env)
    with it.Server(**base) as srv:
        p = srv.port
        r = http(p, "GET", "/api/config")
        assert r.status == 200 and r.json() == {"provider": provider}, r.raw
        for secret in env.values():
            assert secret.encode() not in r.raw

        minted = []
        for role, grants, user_claims, ttl in (
                ("host", ["publish", "subscribe", "data"], claims(sub="alice", hms_roles=["host"]), 900),
                ("viewer", ["subscribe"], claims(sub="bob@example.test"), None),
                ("guest", ["publish", "subscribe"], claims(sub="user_42"), 86400)):
            body = {"role": role} if ttl is None else {"role": role, "ttl_seconds": ttl}
            t0 = int(time.time())
            r = post_token(p, hs_token(user_claims), body, room=room)
            assert r.status == 200, r.raw
            j = r.json()
            assert j["room_id"] == room and j["role"] == role and j["user_id"] == user_claims["sub"], j
            # time(NULL) reads a coarse clock that may lag time.time() by a tick
            assert j["expires_at"] - t0 in range((ttl or 3600) - 1, (ttl or 3600) + 3), j
            minted.append((j, grants, t0))

        # The SDK rebuilds each token with its clock set to the token's issue time (read from the token).
        cases = []
        for j, g, _ in minted:
            iat = issue_time(provider, j["token"])
            cases.append(case(provider, creds, j["token"], room, j["user_id"], g, iat, j["expires_at"] - iat))
        results = sdk_check(cases)
        for res, (j, grants, t0) in zip(results, minted):
            assert res["ok"], res
            check_claims(provider, res, room, j["user_id"], grants, t0, j["expires_at"], creds)
            assert res["rebuilt_equal"], "the SDK builds a different token from the same inputs: %r" % res

        # The same tokens fail the SDK's check with the wrong secret and when tampered with.
        wrong = dict(creds)
        key = {"livekit": "apiSecret", "twilio": "keySecret", "agora": "appCertificate"}[provider]
        wrong[key] = ("0123456789abcdef" * 3)[:len(creds[key])]
        tok = minted[0][0]["token"]
        bad = sdk_check([case(provider, wrong, tok, room, "alice", [], 0, 1),
                         case(provider, creds, tamper(tok), room, "alice", [], 0, 1)])
        assert not bad[0]["ok"], bad
        assert not bad[1]["ok"], bad

        # The same guarantees as the 100ms path.
        expect_error(post_token(p, None, {"role": "guest"}, room=room), 401, "unauthenticated")
        expect_error(post_token(p, hs_token(claims(sub="alice")), {"role": "host"}, room=room), 403,
                     "role_not_allowed")
        expect_error(post_token(p, hs_token(claims()), {"role": "admin"}, room=room), 403, "role_not_allowed")
        expect_error(post_token(p, hs_token(claims()), {"role": "guest", "ttl_seconds": 86401}, room=room), 400,
                     "ttl_too_large")
        expect_error(post_token(p, hs_token(claims(hms_rooms=["other"])), {"role": "guest"}, room=room), 403,
                     "room_not_allowed")
        for bad_room in BAD_ROOMS[provider]:
            expect_error(post_token(p, hs_token(claims()), {"role": "guest"}, room=bad_room), 400, "bad_room_id")
        if provider == "agora":  # Agora user accounts have their own alphabet
            expect_error(post_token(p, hs_token(claims(sub="caf\u00e9")), {"role": "guest"}, room=room), 400,
                         "bad_user_id")
        else:
            assert post_token(p, hs_token(claims(sub="caf\u00e9")), {"role": "guest"}, room=room).status == 200
        # room creation is a 100ms API; the route does not exist for the others
        expect_error(http(p, "POST", "/api/rooms", {"Authorization": "Bearer " + hs_token(claims()),
                                                    "Content-Type": "application/json"}, {"name": "x"}), 404)

        # Expiry as the SDK sees it: a 1-second token is refused once it is over.
        if provider != "agora":
            r = post_token(p, hs_token(claims()), {"role": "guest", "ttl_seconds": 1}, room=room)
            assert r.status == 200, r.raw
            time.sleep(2.2)
            late = sdk_check([case(provider, creds, r.json()["token"], room, "user_42", [], 0, 1)])
            assert not late[0]["ok"] and "exp" in late[0]["error"], late


def issue_time(provider, token):
    if provider == "agora":
        import base64
        import zlib
        raw = zlib.decompress(base64.b64decode(token[3:]))
        n = int.from_bytes(raw[0:2], "little")  # signature length
        off = 2 + n
        idlen = int.from_bytes(raw[off:off + 2], "little")
        off += 2 + idlen
        return int.from_bytes(raw[off:off + 4], "little")
    payload = json.loads(it.unb64u(token.split(".")[1]))
    return payload.get("iat", payload.get("nbf"))


def config_refusals():
    """Each provider's settings are checked at start, by name, never echoing a value."""
    for provider, (env, _) in CREDS.items():
        base = dict(NO_HMS, PROVIDER=provider, **env)
        for var in env:
            rc, out, err = it.run_config_error(**dict(base, **{var: None}))
            assert rc == 2 and var in err and out == "", (var, rc, err)
            rc, _, err = it.run_config_error(**dict(base, **{var: "bad value!"}))
            assert rc == 2 and var in err and "bad value" not in err, (var, err)
        rc, _, err = it.run_config_error(**dict(base, HMS_TEMPLATE_ID="tmpl"))
        assert rc == 2 and "HMS_TEMPLATE_ID" in err, err
    rc, _, err = it.run_config_error(PROVIDER="zoom")
    assert rc == 2 and "PROVIDER" in err, err
    rc, _, err = it.run_config_error(ROLE_GRANTS="admin=publish")
    assert rc == 2 and "ROLE_GRANTS" in err, err
    rc, _, err = it.run_config_error(ROLE_GRANTS="guest=publish+fly")
    assert rc == 2 and "ROLE_GRANTS" in err, err


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in CREDS:
        sys.exit("usage: providers.py TOKEND {livekit|twilio|agora}")
    it.TOKEND = sys.argv[1]
    suite(sys.argv[2])
    if sys.argv[2] == "livekit":
        config_refusals()
    print("tokend provider suite %s: ok" % sys.argv[2])
