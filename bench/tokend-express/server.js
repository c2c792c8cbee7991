// The token endpoint written the way the guide's own stack would: Node.js + express + jsonwebtoken.
// Same settings and the same checks as tokend's POST /api/rooms/:roomId/token, so the benchmark compares
// like with like. Keys are built once with crypto.createSecretKey. Prints "listening ADDR:PORT".
'use strict';
const crypto = require('crypto');
const express = require('express');
const jwt = require('jsonwebtoken');

const env = process.env;
const appKey = crypto.createSecretKey(Buffer.from(env.HMS_APP_SECRET, 'utf8'));
const userKey = crypto.createSecretKey(Buffer.from(env.AUTH_JWT_SECRET, 'utf8'));
const allowed = new Set((env.ALLOWED_ROLES || '').split(',').filter(Boolean));
const privileged = new Set((env.PRIVILEGED_ROLES || '').split(',').filter(Boolean));
const ttlDefault = Number(env.TOKEN_TTL_SECONDS || 3600);
const ttlMax = Number(env.TOKEN_MAX_TTL_SECONDS || 86400);
const verifyOptions = { algorithms: ['HS256'], clockTolerance: Number(env.AUTH_LEEWAY_SECONDS || 30) };
if (env.AUTH_JWT_ISSUER) verifyOptions.issuer = env.AUTH_JWT_ISSUER;
if (env.AUTH_JWT_AUDIENCE) verifyOptions.audience = env.AUTH_JWT_AUDIENCE;

const fail = (res, status, error, message) => res.status(status).json({ error, message });

function authenticateUser(req, res, next) {
  const h = req.get('authorization') || '';
  if (!h.startsWith('Bearer ')) return fail(res, 401, 'unauthenticated', 'a Bearer token is required');
  try {
    const user = jwt.verify(h.slice(7), userKey, verifyOptions);
    if (typeof user.sub !== 'string' || !user.sub || typeof user.exp !== 'number') throw new Error('claims');
    req.user = user;
    return next();
  } catch (e) {
    return fail(res, 401, 'invalid_token', 'token rejected');
  }
}

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: Number(env.MAX_BODY_BYTES || 4096), strict: true }));

app.post('/api/rooms/:roomId/token', authenticateUser, (req, res) => {
  const { roomId } = req.params;
  if (!/^[0-9a-f]{24}$/.test(roomId)) return fail(res, 400, 'bad_room_id', 'bad room id');
  const body = req.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return fail(res, 400, 'wrong_type', 'object');
  for (const k of Object.keys(body)) {
    if (k !== 'role' && k !== 'ttl_seconds') return fail(res, 400, 'unknown_key', 'unknown key');
  }
  const { role } = body;
  if (typeof role !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(role)) return fail(res, 400, 'bad_role', 'role');
  let ttl = ttlDefault;
  if (body.ttl_seconds !== undefined) {
    if (!Number.isInteger(body.ttl_seconds) || body.ttl_seconds < 1) return fail(res, 400, 'bad_ttl', 'ttl');
    if (body.ttl_seconds > ttlMax) return fail(res, 400, 'ttl_too_large', 'ttl');
    ttl = body.ttl_seconds;
  }
  const u = req.user;
  if (!allowed.has(role) || (privileged.has(role) && !(Array.isArray(u.hms_roles) && u.hms_roles.includes(role))))
    return fail(res, 403, 'role_not_allowed', 'role');
  if (Array.isArray(u.hms_rooms) && !u.hms_rooms.includes(roomId)) return fail(res, 403, 'room_not_allowed', 'room');
  const now = Math.floor(Date.now() / 1000);
  const token = jwt.sign(
    { access_key: env.HMS_ACCESS_KEY, room_id: roomId, user_id: u.sub, role, type: 'app', version: 2,
      iat: now, nbf: now, exp: now + ttl, jti: crypto.randomUUID() },
    appKey, { algorithm: 'HS256', noTimestamp: true });
  res.set('Cache-Control', 'no-store');
  return res.json({ token, room_id: roomId, role, user_id: u.sub, expires_at: now + ttl });
});

const server = app.listen(Number(env.PORT || 0), env.BIND_ADDR || '127.0.0.1', () => {
  const a = server.address();
  process.stdout.write(`listening ${a.address}:${a.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
