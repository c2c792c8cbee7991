/* Routes that forward to an upstream token endpoint (forward.h). One walk
 * finds the requests, a few bounded passes follow their answer to the
 * response; nothing recurses over the tree. */
#include "forward.h"

#include <string.h>

#include "requrl.h"
#include "util.h"

#define MAX_CANDIDATES 4
#define MAX_NAMES 32

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && !strcmp(ts_node_type(n), t); }

/* ---- the URL and the body ------------------------------------------------------------ */

/* The path of an upstream URL and whether its host is a video provider's;
 * 0 when the URL is relative (the app's own origin) or has no path. */
static int upstream_path(const char *u, size_t n, const char **path, size_t *plen, int *video_host) {
  static const char *const video[] = {"100ms.live", "livekit", "agora", "twilio", "daily.co", "vonage",
                                      "opentok",    "whereby", "dyte",  "zego",   NULL};
  size_t i = 0;
  *video_host = 0;
  if (n >= 8 && !memcmp(u, "https://", 8))
    i = 8;
  else if (n >= 7 && !memcmp(u, "http://", 7))
    i = 7;
  else if (n == 0 || u[0] != RL_URL_SUB)
    return 0; /* relative, or not a URL */
  size_t host = i;
  while (i < n && u[i] != '/') i++;
  for (size_t k = 0; video[k]; k++)
    if (memmem(u + host, i - host, video[k], strlen(video[k]))) *video_host = 1;
  if (i >= n) return 0;
  *path = u + i;
  *plen = n - i;
  for (size_t k = 0; k < *plen; k++)
    if ((*path)[k] == '?' || (*path)[k] == '#') *plen = k;
  return 1;
}

/* 2: the path says token or join; 1: only auth (an auth service's /auth/me
 * is as likely: the request itself must then say video); 0: neither, or a
 * login / OAuth / refresh path. */
static int token_path(const char *p, size_t n) {
  static const char *const token[] = {"token", "tokens", "join", NULL};
  static const char *const auth[] = {"auth", NULL};
  static const char *const no[] = {"oauth",    "oauth2",   "login",    "signin",     "signup",
                                   "refresh",  "revoke",   "password", "verify",     "logout",
                                   "register", "callback", "userinfo", "introspect", NULL};
  if (rl_name_has_word(p, n, no)) return 0;
  return rl_name_has_word(p, n, token) ? 2 : rl_name_has_word(p, n, auth) ? 1 : 0;
}

typedef struct body_keys {
  rl_jsfile *jf;
  int login; /* an OAuth or password exchange */
  int room;  /* names a room, channel or role */
  int hops;
} body_keys;

static int key_visit(void *data, TSNode n);

static void scan_keys(body_keys *k, TSNode n) {
  if (!ts_node_is_null(n)) rl_js_walk(n, key_visit, k);
}

static int key_visit(void *data, TSNode n) {
  body_keys *k = data;
  static const char *const login[] = {"password",      "grant_type", "code",     "refresh_token",    "client_secret",
                                      "code_verifier", "username",   "passcode", "client_assertion", NULL};
  static const char *const room[] = {"room_id",     "roomId", "room",      "roomName",   "room_name", "channel",
                                     "channelName", "role",   "meetingId", "meeting_id", "identity",  NULL};
  const char *s = NULL;
  size_t l = 0;
  if (type_is(n, "pair") || type_is(n, "shorthand_property_identifier")) {
    if (!rl_js_pair_key(k->jf, n, &s, &l)) return 0;
  } else if (type_is(n, "identifier") && k->hops < 2) { /* body: JSON.stringify(payload), payload a const object */
    TSNode o = rl_js_object_of(k->jf, n);
    if (!ts_node_is_null(o)) {
      k->hops++;
      scan_keys(k, o);
      k->hops--;
    }
    return 0;
  } else {
    return 0;
  }
  for (size_t i = 0; login[i]; i++)
    if (strlen(login[i]) == l && !memcmp(s, login[i], l)) k->login = 1;
  for (size_t i = 0; room[i]; i++)
    if (strlen(room[i]) == l && !memcmp(s, room[i], l)) k->room = 1;
  return 0;
}

/* ---- the answer, followed to the response ---------------------------------------------- */

typedef struct answer {
  rl_jsfile *jf;
  TSNode handler;
  TSNode call; /* the forwarding request */
  const char *names[MAX_NAMES];
  size_t lens[MAX_NAMES];
  size_t n;
  int grew;
  int sent;
} answer;

static int contains(TSNode outer, TSNode inner) {
  return ts_node_start_byte(inner) >= ts_node_start_byte(outer) && ts_node_end_byte(inner) <= ts_node_end_byte(outer);
}

static int is_name(const answer *a, const char *s, size_t l) {
  for (size_t i = 0; i < a->n; i++)
    if (a->lens[i] == l && !memcmp(a->names[i], s, l)) return 1;
  return 0;
}

static void add_name(answer *a, TSNode id) {
  size_t l;
  const char *s = rl_js_text(a->jf, id, &l);
  if (!s || a->n >= MAX_NAMES || is_name(a, s, l)) return;
  a->names[a->n] = s;
  a->lens[a->n++] = l;
  a->grew = 1;
}

/* The names a pattern binds: x, { data }, { data: body }, [a, b]. */
static int bind_visit(void *data, TSNode n) {
  answer *a = data;
  if (type_is(n, "identifier") || type_is(n, "shorthand_property_identifier_pattern")) add_name(a, n);
  if (type_is(n, "pair_pattern")) { /* only the value side binds */
    rl_js_walk(rl_js_field(n, "value"), bind_visit, a);
    return 1;
  }
  return 0;
}

typedef struct mention {
  const answer *a;
  int found;
  int other_request; /* the expression makes another request */
} mention;

static int mention_visit(void *data, TSNode n) {
  mention *m = data;
  if (ts_node_eq(n, m->a->call)) {
    m->found = 1;
    return 1;
  }
  if (type_is(n, "identifier") || type_is(n, "shorthand_property_identifier")) {
    size_t l;
    const char *s = rl_js_text(m->a->jf, n, &l);
    if (s && is_name(m->a, s, l)) m->found = 1;
  } else if (type_is(n, "call_expression")) {
    rl_request r;
    if (rl_request_parse(m->a->jf, n, &r) && r.url && memchr(r.url, '/', r.url_len)) m->other_request = 1;
  }
  return 0;
}

static mention mentions(const answer *a, TSNode e) {
  mention m = {a, 0, 0};
  if (!ts_node_is_null(e)) rl_js_walk(e, mention_visit, &m);
  return m;
}

/* A const bound from the answer: its names carry the answer on. */
static int flow_visit(void *data, TSNode n) {
  answer *a = data;
  TSNode left, right;
  if (!rl_js_binding(n, 0, &left, &right)) return 0;
  if (ts_node_is_null(right)) return 0;
  mention m = mentions(a, right);
  if (m.found && (!m.other_request || contains(right, a->call))) rl_js_walk(left, bind_visit, a);
  return 0;
}

/* fetch(u).then((r) => r.json()).then((d) => res.json(d)): the parameters
 * of the callbacks chained on the request. */
static void then_params(answer *a) {
  TSNode c = a->call;
  for (int hop = 0; hop < 6; hop++) {
    TSNode p = rl_js_parent(c);
    if (type_is(p, "await_expression") || type_is(p, "parenthesized_expression")) {
      c = p;
      continue;
    }
    if (!type_is(p, "member_expression")) return;
    TSNode call = rl_js_parent(p);
    if (!type_is(call, "call_expression")) return;
    if (rl_js_text_is(a->jf, rl_js_field(p, "property"), "then")) {
      TSNode cb = rl_js_unwrap(rl_js_call_arg(call, 0));
      if (rl_js_is_function(cb)) {
        TSNode params = rl_js_field(cb, "parameters");
        TSNode first = ts_node_is_null(params) ? rl_js_field(cb, "parameter") : ts_node_named_child(params, 0);
        if (!ts_node_is_null(first)) rl_js_walk(first, bind_visit, a);
      }
    }
    c = call;
  }
}

static TSNode enclosing_function(TSNode n) {
  for (TSNode p = rl_js_parent(n); !ts_node_is_null(p); p = rl_js_parent(p))
    if (rl_js_is_function(p)) return p;
  return (TSNode){{0}, NULL, NULL};
}

/* Where the route answers: res.json(x) and its kin, NextResponse.json(x),
 * new Response(x), ctx.body = x, the handler's own `return x`. */
static int sink_visit(void *data, TSNode n) {
  answer *a = data;
  TSNode payload = {{0}, NULL, NULL};
  if (type_is(n, "call_expression")) {
    TSNode fn = rl_js_unwrap(rl_js_field(n, "function"));
    if (!type_is(fn, "member_expression")) return 0;
    static const char *const sends[] = {"json", "send", "end", "jsonp", "text", "html", NULL};
    TSNode prop = rl_js_field(fn, "property");
    for (size_t i = 0; sends[i] && ts_node_is_null(payload); i++)
      if (rl_js_text_is(a->jf, prop, sends[i])) payload = rl_js_field(n, "arguments");
  } else if (type_is(n, "new_expression")) {
    TSNode ctor = rl_js_unwrap(rl_js_field(n, "constructor"));
    if (rl_js_text_is(a->jf, ctor, "Response") || rl_js_text_is(a->jf, ctor, "NextResponse"))
      payload = rl_js_field(n, "arguments");
  } else if (type_is(n, "assignment_expression")) {
    size_t l;
    const char *s = rl_js_text(a->jf, rl_js_field(n, "left"), &l);
    if (s && l > 5 && !memcmp(s + l - 5, ".body", 5)) payload = rl_js_field(n, "right");
  } else if (type_is(n, "return_statement")) {
    if (ts_node_eq(enclosing_function(n), a->handler)) payload = n;
  }
  if (ts_node_is_null(payload) || !mentions(a, payload).found) return 0;
  a->sent = 1;
  return -1;
}

static int answer_sent(rl_jsfile *jf, TSNode handler, TSNode call) {
  answer a;
  memset(&a, 0, sizeof a);
  a.jf = jf;
  a.handler = handler;
  a.call = call;
  then_params(&a);
  for (int pass = 0; pass < 4; pass++) {
    a.grew = 0;
    rl_js_walk(handler, flow_visit, &a);
    if (!a.grew) break;
  }
  rl_js_walk(handler, sink_visit, &a);
  return a.sent;
}

/* ---- the route ------------------------------------------------------------------------ */

typedef struct candidates {
  rl_jsfile *jf;
  TSNode calls[MAX_CANDIDATES];
  rl_request reqs[MAX_CANDIDATES];
  int video[MAX_CANDIDATES]; /* the host or the body says video */
  size_t n;
  int token_only; /* the path must say token or join (not auth) */
} candidates;

static int candidate_visit(void *data, TSNode n) {
  candidates *c = data;
  if (c->n >= MAX_CANDIDATES) return -1;
  if (!type_is(n, "call_expression")) return 0;
  rl_request r;
  if (!rl_request_parse(c->jf, n, &r) || !r.url) return 0;
  const char *path;
  size_t plen;
  int video_host;
  if (!upstream_path(r.url, r.url_len, &path, &plen, &video_host)) return 0;
  int says = token_path(path, plen);
  if (says == 0 || (says == 1 && c->token_only)) return 0;
  body_keys k = {c->jf, 0, 0, 0};
  scan_keys(&k, r.init);
  scan_keys(&k, r.data);
  if (k.login || (says == 1 && !video_host && !k.room)) return 0;
  c->calls[c->n] = n;
  c->reqs[c->n] = r;
  c->video[c->n++] = video_host || k.room;
  return 0;
}

/* The first request of fn (a route handler or a helper) to an upstream
 * token endpoint whose answer fn sends or returns; video_needed: the
 * request itself must say video (host or body). */
static int forward_of(rl_jsfile *jf, TSNode fn, int video_needed, int token_only, TSNode *call, const char **url,
                      size_t *url_len) {
  candidates c;
  memset(&c, 0, sizeof c);
  c.jf = jf;
  c.token_only = token_only;
  rl_js_walk(fn, candidate_visit, &c);
  for (size_t i = 0; i < c.n; i++) {
    if (video_needed && !c.video[i]) continue;
    if (!answer_sent(jf, fn, c.calls[i])) continue;
    *call = c.calls[i];
    *url = c.reqs[i].url;
    *url_len = c.reqs[i].url_len;
    return 1;
  }
  return 0;
}

static const char *forward_words(rl_jsfile *jf, const char *url, size_t len) {
  rl_arena *a = rl_jsfile_arena(jf);
  return rl_arena_printf(a, "forwards to the token endpoint %s and returns its answer", rl_url_shown(a, url, len));
}

int rl_route_forwards_token(rl_jsfile *jf, const rl_route *r, rl_room_action *out) {
  if (ts_node_is_null(r->handler)) return 0;
  static const char *const not_token[] = {"login",    "signin",  "signup",   "register", "logout",  "oauth",
                                          "callback", "webhook", "webhooks", "password", "refresh", NULL};
  if (r->path && rl_name_has_word(r->path, strlen(r->path), not_token)) return 0;
  TSNode call;
  const char *url;
  size_t len;
  if (!forward_of(jf, r->handler, !rl_route_path_roomish(r->path), 0, &call, &url, &len)) return 0;
  memset(out, 0, sizeof *out);
  out->kind = RL_ROOM_MINT_CALL;
  out->node = call;
  out->what = forward_words(jf, url, len);
  return 1;
}

int rl_forward_bytes(const char *b, size_t n) {
  if (!memmem(b, n, "fetch", 5) && !memmem(b, n, "axios", 5)) return 0;
  return memmem(b, n, "oken", 4) || memmem(b, n, "OKEN", 4) || memmem(b, n, "join", 4);
}

const char *rl_fn_forwards_token(rl_jsfile *jf, TSNode fn, TSNode *at) {
  const rl_source *src = rl_jsfile_source(jf);
  if (!rl_forward_bytes(src->bytes, src->len)) return NULL;
  const char *url;
  size_t len;
  if (!forward_of(jf, fn, 1, 1, at, &url, &len)) return NULL;
  return forward_words(jf, url, len);
}
