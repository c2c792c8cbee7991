#ifndef RL_FORWARD_H
#define RL_FORWARD_H
/* A route that forwards to an upstream token endpoint is a token route:
 *
 *   app.post('/api/token', async (req, res) => {
 *     const r = await fetch(`${process.env.TOKEN_ENDPOINT}api/token`, {
 *       method: 'POST', body: JSON.stringify({ room_id, user_id, role }) });
 *     res.json(await r.json());
 *   });
 *
 * The handler (same file) makes a request (rl_request_parse) to another
 * server -- an absolute URL, or one whose start is unknown (an environment
 * base) -- whose path says token, tokens, auth or join (getToken), and the
 * request's answer reaches the route's response: a const bound from it (and
 * consts bound from those, not through another request), a .then callback's
 * parameter, or the request itself, in res.json/send/end, reply.send,
 * c.json, NextResponse.json, Response.json, new Response, ctx.body = ..., or
 * the handler's own return. It is a video token, not a login, when the
 * route path says room/token/call (rl_route_path_roomish), the host is a
 * video provider's, or the body names a room, channel or role (for a path
 * that says only auth, the host or the body must); OAuth and
 * password exchanges (grant_type, code, refresh_token, client_secret,
 * password, username in the body; oauth, login, refresh, verify in the URL)
 * and routes whose path says login, callback or webhook are not forwards.
 * A helper (any function: the project model's summaries ask) forwards when
 * it makes such a request with fetch or axios to a path that says token or
 * join, its host or body says video, and it returns the answer: a route
 * calling it from another file forwards through it. */
#include "routes.h"

/* Fills *out (kind RL_ROOM_MINT_CALL, what "forwards to the token endpoint
 * <url> and returns its answer", node the request) and returns 1 when route
 * r's handler forwards. Strings in jf's arena. */
int rl_route_forwards_token(rl_jsfile *jf, const rl_route *r, rl_room_action *out);

/* The words for a function fn that forwards ("forwards to the token
 * endpoint <url> and returns its answer", in jf's arena) and the request
 * (*at), or NULL. */
const char *rl_fn_forwards_token(rl_jsfile *jf, TSNode fn, TSNode *at);

/* Prefilter for rl_fn_forwards_token: 0 when no function of a file with
 * these bytes can forward (it needs fetch or axios, and token or join, in
 * the bytes). */
int rl_forward_bytes(const char *bytes, size_t len);

#endif
