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
 * video provider's, or the body names a room, channel or role; OAuth and
 * password exchanges (grant_type, code, refresh_token, client_secret,
 * password, username in the body; oauth, login, refresh, verify in the URL)
 * and routes whose path says login, callback or webhook are not forwards.
 * Not seen: a forward made by a helper in another file. */
#include "routes.h"

/* Fills *out (kind RL_ROOM_MINT_CALL, what "forwards to the token endpoint
 * <url> and returns its answer", node the request) and returns 1 when route
 * r's handler forwards. Strings in jf's arena. */
int rl_route_forwards_token(rl_jsfile *jf, const rl_route *r, rl_room_action *out);

#endif
