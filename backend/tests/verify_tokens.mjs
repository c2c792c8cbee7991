// Checks room tokens minted by tokend with each provider's own official server SDK (pinned in
// tests/npm/package.json), not with anything of ours. Reads a JSON array of cases on stdin, writes a JSON
// array of results on stdout, one per case:
//   case:   {provider, token, creds, room, identity, grants: [...], iat, ttl}
//   result: {ok: true, claims, rebuilt_equal} or {ok: false, error}
// `rebuilt_equal` says whether the SDK's own builder, given the same inputs (and the same clock/salt),
// produces the same token (LiveKit, Twilio) or the same signed content (Agora).
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";
import zlib from "node:zlib";

const here = path.dirname(fileURLToPath(import.meta.url));
const npm = path.join(here, "..", "..", "tests", "npm");
const requireNpm = createRequire(path.join(npm, "package.json"));
const livekit = await import(requireNpm.resolve("livekit-server-sdk"));
const twilio = requireNpm("twilio");
// The JWT library Twilio's helper signs its access tokens with, as twilio itself resolves it.
const jwt = createRequire(requireNpm.resolve("twilio"))("jsonwebtoken");
const agora = requireNpm("agora-token/src/AccessToken2");

// Runs fn with the clock stopped at `seconds` (both `new Date()` and `Date.now()`, which the SDKs use).
async function withClock(seconds, fn) {
  const Real = globalThis.Date;
  const ms = seconds * 1000;
  class Fixed extends Real {
    constructor(...args) {
      if (args.length === 0) super(ms);
      else super(...args);
    }
    static now() {
      return ms;
    }
  }
  globalThis.Date = Fixed;
  try {
    return await fn();
  } finally {
    globalThis.Date = Real;
  }
}

async function checkLivekit(c) {
  const verifier = new livekit.TokenVerifier(c.creds.apiKey, c.creds.apiSecret);
  const claims = await verifier.verify(c.token, 0);
  const rebuilt = await withClock(c.iat, () => {
    const at = new livekit.AccessToken(c.creds.apiKey, c.creds.apiSecret, { identity: c.identity, ttl: c.ttl });
    at.addGrant({
      room: c.room,
      roomJoin: true,
      canPublish: c.grants.includes("publish"),
      canSubscribe: c.grants.includes("subscribe"),
      canPublishData: c.grants.includes("data"),
    });
    return at.toJwt();
  });
  return { claims, rebuilt_equal: rebuilt === c.token };
}

async function checkTwilio(c) {
  const decoded = jwt.verify(c.token, c.creds.keySecret, {
    algorithms: ["HS256"],
    issuer: c.creds.keySid,
    subject: c.creds.accountSid,
    complete: true,
  });
  if (decoded.header.cty !== "twilio-fpa;v=1") throw new Error("header cty is not twilio-fpa;v=1");
  const rebuilt = await withClock(c.iat, () => {
    const at = new twilio.jwt.AccessToken(c.creds.accountSid, c.creds.keySid, c.creds.keySecret, {
      identity: c.identity,
      ttl: c.ttl,
    });
    at.addGrant(new twilio.jwt.AccessToken.VideoGrant({ room: c.room }));
    return at.toJwt();
  });
  return { claims: decoded.payload, header: decoded.header, rebuilt_equal: rebuilt === c.token };
}

function checkAgora(c) {
  const t = new agora.AccessToken2();
  if (!t.from_string(c.token)) throw new Error("agora-token cannot parse the token");
  if (!t.verifySignature(c.creds.appCertificate)) throw new Error("agora-token: signature does not verify");
  const rtc = t.getServices(agora.kRtcServiceType);
  if (rtc.length !== 1 || t.services.length !== 1) throw new Error("expected exactly one RTC service");
  const s = rtc[0];
  // Rebuilt by the SDK from the same inputs, issue time and salt: the signed content must be identical.
  const b = new agora.AccessToken2(c.creds.appId, c.creds.appCertificate, t.issueTs, t.expire);
  b.salt = t.salt;
  const svc = new agora.ServiceRtc(c.room, c.identity);
  for (const [k, v] of Object.entries(s.__privileges)) svc.add_privilege(Number(k), v);
  b.add_service(svc);
  const inflate = (tok) => zlib.inflateSync(Buffer.from(tok.substring(3), "base64"));
  return {
    claims: {
      appId: t.appId.toString(),
      issueTs: t.issueTs,
      expire: t.expire,
      salt: t.salt,
      channel: s.__channel_name.toString(),
      account: s.__uid.toString(),
      privileges: s.__privileges,
    },
    rebuilt_equal: inflate(b.build()).equals(inflate(c.token)),
  };
}

const checks = { livekit: checkLivekit, twilio: checkTwilio, agora: checkAgora };
let input = "";
for await (const chunk of process.stdin) input += chunk;
const out = [];
for (const c of JSON.parse(input)) {
  try {
    out.push({ ok: true, ...(await checks[c.provider](c)) });
  } catch (e) {
    out.push({ ok: false, error: String(e && e.message ? e.message : e) });
  }
}
process.stdout.write(JSON.stringify(out));
