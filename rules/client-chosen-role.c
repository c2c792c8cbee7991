/* client-chosen-role: client code tells the token endpoint which role to
 * put in its token.
 *
 * A token's role decides what its holder may do in the room (publish, mute
 * others, end the room). When the client sends it, any user can ask for
 * "host" by editing one request. This is a note, not an error: the server may
 * check the requested role against what the user is allowed; the finding
 * asks the reader to make sure it does, or better, to stop sending it.
 * Reported: a request (requrl.h) whose URL's words include token or auth
 * (`/api/token`, `${SERVER}/get-token`, `/auth/room`; a URL-named identifier
 * from another file with those words) that carries a `role`:
 *   - in a body object: fetch's `body` (an object, JSON.stringify(obj),
 *     new URLSearchParams(obj)), ky's `json`, axios's data argument or
 *     config `data`, or the second argument of a wrapper call;
 *   - in the query: `?role=` / `&role=` in the URL, a URLSearchParams built
 *     from an object with `role` or given `.set/.append('role', ...)`,
 *     axios `params` / ky `searchParams`.
 * The keys are `role` and the grant flags of grant_keys (canPublish,
 * is_owner, isHost...; a flag fixed off, `false` or 0, is nobody's choice);
 * nested objects (GraphQL `variables`) and
 * reading `role` from the response are not sends. A role fixed in the code to
 * the least-privileged one (`role: 'guest'`) is nobody's choice: that is the
 * request tokend, the reference backend, takes and allow-lists. */
#include <string.h>

#include "analysis.h"
#include "bindname.h"
#include "prefilter.h"
#include "requrl.h"
#include "rule.h"
#include "util.h"

extern const char rl_doc__client_chosen_role[];

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && strcmp(ts_node_type(n), t) == 0; }

static TSNode field(TSNode n, const char *name) { return rl_js_field(n, name); }

static TSNode null_node(void) {
  TSNode n;
  memset(&n, 0, sizeof n);
  return n;
}

/* Keys whose value picks what the token may do: the role, and the grant
 * booleans video APIs take (LiveKit canPublish / canPublishData / roomAdmin,
 * Daily is_owner, the isHost-style flags apps map to a role). Exact
 * spellings: the prefilter looks for these words. */
static const char *const grant_keys[] = {"role",         "canPublish",  "canPublishData", "can_publish", "roomAdmin",
                                         "isOwner",      "is_owner",    "isHost",         "is_host",     "isPublisher",
                                         "is_publisher", "isModerator", "is_moderator",   NULL};

/* The grant key k[0..n) is, or NULL. */
static const char *grant_key(const char *k, size_t n) {
  for (size_t i = 0; grant_keys[i]; i++)
    if (strlen(grant_keys[i]) == n && memcmp(grant_keys[i], k, n) == 0) return grant_keys[i];
  return NULL;
}

static const char *const endpoint_words[] = {"token", "tokens", "auth", "authenticate", "authorize", "jwt", NULL};
static const char *const url_name_words[] = {"url", "uri", "endpoint", "path", "route", "api", "server", "base", NULL};

/* A path or URL, not an event name or a key: `/api/token`, `https://...`,
 * `${SERVER}/token`, `?room=1`; or the function name of
 * supabase.functions.invoke('get-token', ...). */
static int url_like(rl_jsfile *jf, const rl_request *r) {
  const char *u = r->url;
  size_t n = r->url_len, i = strspn(u, "\x1a");
  if (i < n && (u[i] == '/' || u[i] == '?' || u[i] == '.')) return 1;
  if (n >= 7 && rl_strncasecmp_ascii(u, "http://", 7) == 0) return 1;
  if (n >= 8 && rl_strncasecmp_ascii(u, "https://", 8) == 0) return 1;
  const char *c = rl_js_callee(jf, r->call);
  size_t cl = c ? strlen(c) : 0;
  return cl >= 16 && strcmp(c + cl - 16, "functions.invoke") == 0;
}

/* The URL names a token or auth endpoint. Static text decides; when the URL
 * is a bare name we cannot resolve (an import), the name's words do. */
static int endpoint_named(rl_jsfile *jf, TSNode u);

static int token_endpoint(rl_jsfile *jf, const rl_request *r) {
  size_t n = 0;
  for (size_t i = 0; i < r->url_len; i++)
    if (r->url[i] != RL_URL_SUB) n++;
  if (n > 0) {
    if (!url_like(jf, r)) return 0;
    /* drop the query: `?role=...&auth=1` says nothing about the endpoint */
    const char *q = memchr(r->url, '?', r->url_len);
    size_t len = q ? (size_t)(q - r->url) : r->url_len;
    if (rl_name_has_word(r->url, len, endpoint_words)) return 1;
    /* `${TOKEN_SERVER_URL}?channel=...`: nothing but a substitution before
     * the query, whose name says token endpoint (its value may be a pick
     * between a dev and a production URL) */
    size_t lead = strspn(r->url, "\x1a");
    TSNode u = rl_js_unwrap(r->url_expr);
    if (lead == 0 || lead != len || !type_is(u, "template_string")) return 0;
    for (uint32_t i = 0; i < ts_node_named_child_count(u); i++) {
      TSNode c = ts_node_named_child(u, i);
      if (type_is(c, "template_substitution")) return endpoint_named(jf, rl_js_unwrap(ts_node_named_child(c, 0)));
    }
    return 0;
  }
  return endpoint_named(jf, rl_js_unwrap(r->url_expr));
}

/* A bare name we cannot resolve (an import): the name's words decide. */
static int endpoint_named(rl_jsfile *jf, TSNode u) {
  const char *name;
  size_t len;
  if (type_is(u, "identifier"))
    name = rl_js_text(jf, u, &len);
  else if (type_is(u, "member_expression"))
    name = rl_js_text(jf, field(u, "property"), &len);
  else
    return 0;
  return rl_name_has_word(name, len, endpoint_words) && rl_name_has_word(name, len, url_name_words);
}

/* A role value fixed in the code to the least-privileged role: nobody
 * chooses it, and the reference backend (tokend) takes exactly this request
 * and allow-lists it. Variables, ternaries and privileged literals are
 * choices. */
static int unprivileged_text(const char *s, size_t n) {
  static const char *const least[] = {"guest",       "guests",    "viewer",   "viewers",   "listener",
                                      "listeners",   "audience",  "attendee", "attendees", "student",
                                      "participant", "spectator", "visitor",  NULL};
  static const char *const privileged[] = {"host",      "cohost",  "broadcaster", "admin",   "moderator",
                                           "presenter", "teacher", "owner",       "speaker", NULL};
  return n > 0 && rl_name_has_word(s, n, least) && !rl_name_has_word(s, n, privileged);
}

/* A grant flag fixed off: false, 'false', 0, '0'. */
static int off_text(const char *s, size_t n) {
  return (n == 5 && memcmp(s, "false", 5) == 0) || (n == 1 && s[0] == '0');
}

static int fixed_unprivileged(rl_jsfile *jf, TSNode value, const char *key) {
  const char *s;
  size_t n;
  if (ts_node_is_null(value)) return 0;
  int role = strcmp(key, "role") == 0;
  if (!role) {
    TSNode v = rl_js_unwrap(value);
    double d;
    if (type_is(v, "false")) return 1;
    if (type_is(v, "number") && rl_js_eval_number(jf, v, &d) && d == 0) return 1;
    return rl_js_eval_string(jf, v, &s, &n) && off_text(s, n);
  }
  if (!rl_js_eval_string(jf, value, &s, &n)) return 0;
  return unprivileged_text(s, n);
}

/* The first entry of an object (pair or shorthand) with a grant key that is
 * not fixed to the least privilege, or null; *key names it. */
static TSNode grant_entry(rl_jsfile *jf, TSNode obj, const char **key) {
  if (ts_node_is_null(obj)) return null_node();
  for (uint32_t i = 0; i < ts_node_named_child_count(obj); i++) {
    TSNode c = ts_node_named_child(obj, i);
    if (!type_is(c, "pair") && !type_is(c, "shorthand_property_identifier")) continue;
    const char *k;
    size_t kl;
    const char *g;
    if (!rl_js_pair_key(jf, c, &k, &kl) || !(g = grant_key(k, kl))) continue;
    if (fixed_unprivileged(jf, type_is(c, "pair") ? field(c, "value") : c, g)) continue;
    *key = g;
    return c;
  }
  return null_node();
}

/* What a body expression sends: obj, JSON.stringify(obj),
 * new URLSearchParams(obj), qs.stringify(obj). */
static TSNode sent_object(rl_jsfile *jf, TSNode v) {
  v = rl_js_unwrap(v);
  for (int hops = 0; hops < 3; hops++) {
    if (type_is(v, "identifier")) {
      TSNode o = rl_js_object_of(jf, v);
      if (!ts_node_is_null(o)) return o;
      TSNode init = rl_js_const_init(jf, v);
      if (ts_node_is_null(init)) return null_node();
      v = rl_js_unwrap(init);
      continue;
    }
    if (type_is(v, "object")) return v;
    if (type_is(v, "call_expression") || type_is(v, "new_expression")) {
      const char *c = rl_js_callee(jf, v);
      if (!c) return null_node();
      const char *dot = strrchr(c, '.');
      const char *last = dot ? dot + 1 : c;
      const char *colon = strrchr(last, ':');
      if (colon) last = colon + 1;
      if (strcmp(c, "JSON.stringify") == 0 || strcmp(last, "URLSearchParams") == 0 || strcmp(last, "stringify") == 0) {
        v = rl_js_unwrap(rl_js_call_arg(v, 0));
        continue;
      }
    }
    return null_node();
  }
  return null_node();
}

/* params.set('role', x) / params.append('role', x) on identifier `name` in
 * the function around the request. */
typedef struct set_find {
  rl_jsfile *jf;
  const char *name;
  size_t len;
  TSNode hit;
  const char *key;
} set_find;

static int find_role_set(void *data, TSNode n) {
  set_find *f = data;
  if (!type_is(n, "call_expression")) return 0;
  TSNode fn = field(n, "function");
  if (!type_is(fn, "member_expression")) return 0;
  TSNode obj = field(fn, "object");
  size_t ol;
  const char *o = rl_js_text(f->jf, obj, &ol);
  if (ol != f->len || memcmp(o, f->name, ol) != 0) return 0;
  TSNode prop = field(fn, "property");
  if (!rl_js_text_is(f->jf, prop, "set") && !rl_js_text_is(f->jf, prop, "append")) return 0;
  const char *k;
  size_t kl;
  const char *g;
  if (rl_js_string_value(f->jf, rl_js_call_arg(n, 0), &k, &kl) && (g = grant_key(k, kl)) &&
      !fixed_unprivileged(f->jf, rl_js_call_arg(n, 1), g)) {
    f->hit = n;
    f->key = g;
    return -1;
  }
  return 0;
}

/* A URLSearchParams in the URL's substitutions that carries a grant key. */
static TSNode grant_in_params(rl_jsfile *jf, TSNode url_expr, TSNode call, const char **key) {
  TSNode u = rl_js_unwrap(url_expr);
  if (type_is(u, "identifier")) {
    TSNode init = rl_js_const_init(jf, u);
    if (!ts_node_is_null(init)) u = rl_js_unwrap(init);
  }
  if (!type_is(u, "template_string")) return null_node();
  for (uint32_t i = 0; i < ts_node_named_child_count(u); i++) {
    TSNode sub = ts_node_named_child(u, i);
    if (!type_is(sub, "template_substitution")) continue;
    TSNode e = rl_js_unwrap(ts_node_named_child(sub, 0));
    /* params.toString() */
    if (type_is(e, "call_expression") && type_is(field(e, "function"), "member_expression") &&
        rl_js_text_is(jf, field(field(e, "function"), "property"), "toString"))
      e = rl_js_unwrap(field(field(e, "function"), "object"));
    TSNode src = e;
    if (type_is(e, "identifier")) {
      TSNode init = rl_js_const_init(jf, e);
      if (!ts_node_is_null(init)) src = rl_js_unwrap(init);
    }
    if (!type_is(src, "new_expression")) continue;
    const char *c = rl_js_callee(jf, src);
    if (!c || strcmp(c, "URLSearchParams") != 0) continue;
    TSNode hit = grant_entry(jf, rl_js_object_of(jf, rl_js_call_arg(src, 0)), key);
    if (!ts_node_is_null(hit)) return hit;
    if (type_is(e, "identifier")) {
      set_find f = {jf, NULL, 0, null_node(), NULL};
      f.name = rl_js_text(jf, e, &f.len);
      TSNode fnode = rl_js_enclosing_function(call);
      rl_js_walk(ts_node_is_null(fnode) ? rl_js_parent(call) : fnode, find_role_set, &f);
      if (!ts_node_is_null(f.hit)) {
        *key = f.key;
        return f.hit;
      }
    }
  }
  return null_node();
}

static void report(rl_ctx *ctx, TSNode at, const rl_request *r, const char *key, const char *how) {
  /* `${TOKEN_SERVER}/api/token` shows as the route, /api/token */
  size_t lead = strspn(r->url, "\x1a");
  const char *shown = rl_url_shown(rl_ctx_arena(ctx), r->url + lead, r->url_len - lead);
  if (lead == r->url_len || !*shown) {
    /* the URL is a name, or a name and a query: `${TOKEN_SERVER_URL}?role=...` */
    TSNode u = rl_js_unwrap(r->url_expr);
    TSNode sub = type_is(u, "template_string") && ts_node_named_child_count(u) > 0 ? ts_node_named_child(u, 0)
                                                                                   : null_node();
    if (type_is(sub, "template_substitution")) u = ts_node_named_child(sub, 0);
    size_t n;
    const char *t = rl_js_text(rl_ctx_js(ctx), u, &n);
    shown = rl_arena_printf(rl_ctx_arena(ctx), "%.*s", (int)(n > 60 ? 60 : n), t);
  }
  rl_report(ctx, at,
            "client code sends '%s' %s to the token endpoint %s%s%s: the server must pick the %s from the "
            "user's session and its own rules, not from the request",
            key, how, r->method ? r->method : "", r->method ? " " : "", shown,
            strcmp(key, "role") ? "token's grants" : "role");
}

/* A grant key right after '?' or '&' of the URL's text with a value not
 * fixed to the least privilege; *key names it. */
static int grant_in_query(const rl_request *r, const char **key) {
  const char *q = memchr(r->url, '?', r->url_len);
  if (!q) return 0;
  size_t rest = r->url_len - (size_t)(q - r->url);
  for (size_t i = 0; i < rest; i++) {
    if (q[i] != '?' && q[i] != '&') continue;
    const char *k = q + i + 1;
    size_t kn = 0;
    while (i + 1 + kn < rest && k[kn] != '=' && k[kn] != '&' && k[kn] != '#') kn++;
    const char *g = grant_key(k, kn);
    if (!g || i + 1 + kn >= rest || k[kn] != '=') continue;
    const char *v = k + kn + 1;
    size_t vn = 0;
    while (i + 2 + kn + vn < rest && v[vn] != '&' && v[vn] != '#') vn++;
    if (!memchr(v, RL_URL_SUB, vn) && (strcmp(g, "role") ? off_text(v, vn) : unprivileged_text(v, vn))) continue;
    *key = g;
    return 1;
  }
  return 0;
}

static void check_call(rl_ctx *ctx, rl_jsfile *jf, TSNode call) {
  rl_request r;
  if (!rl_request_parse(jf, call, &r) || !token_endpoint(jf, &r)) return;
  const char *key = NULL;
  /* query string */
  if (grant_in_query(&r, &key)) {
    report(ctx, r.url_expr, &r, key, "in the query string");
    return;
  }
  TSNode hit = grant_in_params(jf, r.url_expr, call, &key);
  if (!ts_node_is_null(hit)) {
    report(ctx, hit, &r, key, "in the query string");
    return;
  }
  /* body: axios data, wrapper's second argument */
  if (!ts_node_is_null(r.data)) {
    hit = grant_entry(jf, sent_object(jf, r.data), &key);
    if (!ts_node_is_null(hit)) {
      report(ctx, hit, &r, key, "in the request body");
      return;
    }
  }
  if (ts_node_is_null(r.init)) return;
  hit = grant_entry(jf, r.init, &key);
  if (!ts_node_is_null(hit)) {
    report(ctx, hit, &r, key, "in the request body");
    return;
  }
  static const char *const body_keys[] = {"body", "json", "data", "form", NULL};
  static const char *const query_keys[] = {"params", "searchParams", "query", NULL};
  for (size_t i = 0; body_keys[i]; i++) {
    hit = grant_entry(jf, sent_object(jf, rl_js_object_get(jf, r.init, body_keys[i])), &key);
    if (!ts_node_is_null(hit)) {
      report(ctx, hit, &r, key, "in the request body");
      return;
    }
  }
  for (size_t i = 0; query_keys[i]; i++) {
    hit = grant_entry(jf, sent_object(jf, rl_js_object_get(jf, r.init, query_keys[i])), &key);
    if (!ts_node_is_null(hit)) {
      report(ctx, hit, &r, key, "in the query string");
      return;
    }
  }
}

/* Every call with an argument, in document order, from the file's node
 * index (a query for them cost more than the rest of the rule on large
 * files). */
static int call_visit(void *data, TSNode n) {
  rl_ctx *ctx = data;
  if (strcmp(ts_node_type(n), "call_expression")) return 0;
  TSNode args = rl_js_field(n, "arguments");
  if (!ts_node_is_null(args) && !strcmp(ts_node_type(args), "arguments") && ts_node_named_child_count(args) > 0)
    check_call(ctx, rl_ctx_js(ctx), n);
  return 0;
}

static void on_file(rl_ctx *ctx) {
  if (rl_ctx_js(ctx)) rl_js_walk(rl_ctx_root(ctx), call_visit, ctx);
}

/* ---- prefilter ------------------------------------------------------------------- */

/* Every finding sends a grant key (grant_keys: `role`, `canPublish`...): an
 * object key (identifier, 'role', ['role'] or the shorthand `{ role }`), a
 * `role=` right after '?' or '&' of the URL's text, or .set/.append('role',
 * ...). Each spells the key with no identifier byte on either side
 * (rl_pf_word). And token_endpoint holds: either the
 * URL's static text has the word token, tokens, auth, authenticate,
 * authorize or jwt, and that text is made of the file's string and template
 * literals (rl_url_text: literals, `+`, consts, this.x, obj.x), so some
 * quoted text holds "token", "auth" or "jwt" in some case (read as written);
 * or the URL is a name with an endpoint word and a URL word, an identifier
 * run of the bytes (endpoint_name). */
static int quoted_has_endpoint_word(const char *text, size_t len, int escaped, void *arg) {
  (void)arg;
  (void)escaped; /* read as written, like every text the prefilter looks for */
  return rl_memcasemem(text, len, "token") || rl_memcasemem(text, len, "auth") || rl_memcasemem(text, len, "jwt");
}

static int endpoint_name(const char *text, size_t len, void *arg) {
  (void)arg;
  if (len < 6 ||
      !(rl_memcasemem(text, len, "token") || rl_memcasemem(text, len, "auth") || rl_memcasemem(text, len, "jwt")))
    return 0; /* every endpoint word holds one of these; a URL word makes 3 more bytes */
  return rl_name_has_word(text, len, endpoint_words) && rl_name_has_word(text, len, url_name_words);
}

static int can_fire(rl_prefilter *pf) {
  int any = 0;
  for (size_t i = 0; grant_keys[i] && !any; i++) any = rl_pf_word(pf, grant_keys[i]);
  if (!any) return 0;
  return rl_pf_each_quoted(pf, NULL, quoted_has_endpoint_word, NULL) || rl_pf_each_ident(pf, endpoint_name, NULL);
}

/* Every finding sends a key or query parameter spelled as a grant key. */
static const char *const needles[] = {"role",        "canPublish",   "can_publish", "roomAdmin",   "isOwner",
                                      "is_owner",    "isHost",       "is_host",     "isPublisher", "is_publisher",
                                      "isModerator", "is_moderator", NULL};

const rl_rule rl_rule_client_chosen_role = {
    .id = "client-chosen-role",
    .title = "Client code chooses the role of its own token",
    .severity = RL_SEV_NOTE,
    .cwe = 639,
    .doc = rl_doc__client_chosen_role,
    .langs = RL_LANGS_CODE,
    .contexts = RL_CTX_BIT(RL_CTX_CLIENT),
    .query = NULL,
    .on_file = on_file,
    .needles = needles,
    .can_fire = can_fire,
    .bad_example = "import { useHMSActions } from '@100mslive/react-sdk';\n"
                   "\n"
                   "export async function joinAs(hmsActions, roomId, role) {\n"
                   "  const res = await fetch('/api/token', {\n"
                   "    method: 'POST',\n"
                   "    body: JSON.stringify({ roomId, role }),\n"
                   "  });\n"
                   "  const { token } = await res.json();\n"
                   "  await hmsActions.join({ userName: 'me', authToken: token });\n"
                   "}\n",
    .good_example = "import { useHMSActions } from '@100mslive/react-sdk';\n"
                    "\n"
                    "export async function joinAs(hmsActions, roomId) {\n"
                    "  const res = await fetch('/api/token', {\n"
                    "    method: 'POST',\n"
                    "    body: JSON.stringify({ roomId }),\n"
                    "  });\n"
                    "  const { token, role } = await res.json();\n"
                    "  await hmsActions.join({ userName: role, authToken: token });\n"
                    "}\n",
    .precision = "medium",
    .security_severity = "4.3",
};
