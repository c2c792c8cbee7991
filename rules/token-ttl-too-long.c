/* token-ttl-too-long: a minted token that lives longer than --max-token-ttl
 * (default 24 h; exactly the limit passes).
 *
 * Lifetimes come from rl_mint_lifetime (rules/mint.h): jsonwebtoken
 * expiresIn, an exp claim written as now + N, jose setExpirationTime, LiveKit
 * and Twilio ttl, OpenTok expireTime, 100ms validForSeconds, Agora expiry
 * arguments, the exp property of a Daily meeting token asked of Daily's REST
 * API (rl_mint_rest_each). Only values that fold to a number through literals and const
 * bindings are judged (constants imported from other files too, folded
 * there by the project model: the message says where the value is written);
 * env reads and computed values are left alone, except a lifetime that a
 * route handler takes from the request with nothing bounding it
 * (rl_reqin_number): the client then chooses how long its token lives. Applies
 * in client, server and unknown files: a long-lived token is a problem
 * wherever it is minted. Test files are skipped: they never ship, and test
 * suites mint long-lived or expired tokens on purpose.
 * agora-token's privilegeExpire is not the token's lifetime: given a timestamp
 * while tokenExpire is fine, it is a note (check_privilege). */
#include <stdio.h>
#include <string.h>

#include "analysis.h"
#include "arena.h"
#include "project.h"
#include "mint.h"
#include "reqinput.h"
#include "routes.h"
#include "rule.h"
#include "util.h"

extern const char rl_doc__token_ttl_too_long[];

#define MAX_SHOWN 40

/* "30 days", "36 hours", "90 minutes", "45 seconds" */
static const char *human(rl_arena *a, double s) {
  static const struct {
    double secs;
    const char *one, *many;
  } units[] = {{365.0 * 86400, "year", "years"},
               {86400, "day", "days"},
               {3600, "hour", "hours"},
               {60, "minute", "minutes"},
               {1, "second", "seconds"}};
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
    double v = s / units[i].secs;
    if (v < 1.0 && i + 1 < sizeof units / sizeof units[0]) continue;
    /* prefer a whole count of a smaller unit: 36 hours, not 1.5 days */
    if (!rl_num_whole(v) && i + 1 < sizeof units / sizeof units[0] && v < 10) {
      double w = s / units[i + 1].secs;
      if (rl_num_whole(w)) {
        v = w;
        i++;
      }
    }
    if (v >= 1e6) /* a lifetime nobody wrote on purpose: 7e+84 years */
      return rl_arena_printf(a, "%.3g %s", v, units[i].many);
    if (rl_num_whole(v)) return rl_arena_printf(a, "%lld %s", (long long)v, v == 1.0 ? units[i].one : units[i].many);
    return rl_arena_printf(a, "%.1f %s", v, units[i].many);
  }
  return "?";
}

/* "24-hour", "7-day", "90-minute" */
static const char *limit_text(rl_arena *a, double s) {
  if (s >= 86400 * 2 && rl_num_whole(s / 86400)) return rl_arena_printf(a, "%lld-day", (long long)(s / 86400));
  if (s >= 3600 && rl_num_whole(s / 3600)) return rl_arena_printf(a, "%lld-hour", (long long)(s / 3600));
  if (s >= 60 && rl_num_whole(s / 60)) return rl_arena_printf(a, "%lld-minute", (long long)(s / 60));
  return rl_arena_printf(a, "%.0f-second", s);
}

typedef struct origin {
  rl_jsfile *jf;
  const rl_symbol *x;
  TSNode ref;
} origin;

static int find_import(void *data, TSNode n) {
  origin *o = data;
  const char *t = ts_node_type(n);
  if (strcmp(t, "identifier") && strcmp(t, "member_expression") && strcmp(t, "subscript_expression")) return 0;
  const rl_symbol *x = rl_js_imported(o->jf, n);
  if (!x || !x->def.path) return 0;
  o->x = x;
  o->ref = n;
  return -1;
}

/* "; TOKEN_TTL is 2592000 (constants.ts:3)" when the lifetime is a
 * constant another file exports, else "". */
static const char *imported_from(rl_ctx *ctx, TSNode where) {
  origin o;
  memset(&o, 0, sizeof o);
  o.jf = rl_ctx_js(ctx);
  rl_js_walk(where, find_import, &o);
  if (!o.x) return "";
  rl_arena *a = rl_ctx_arena(ctx);
  size_t len;
  const char *t = rl_js_text(o.jf, o.ref, &len);
  const char *value =
      o.x->string
          ? rl_arena_printf(a, "'%.*s'", (int)(o.x->string_len > MAX_SHOWN ? MAX_SHOWN : o.x->string_len), o.x->string)
          : rl_arena_printf(a, "%.0f", o.x->number);
  if (len > MAX_SHOWN || memchr(t, '\n', len))
    return rl_arena_printf(a, "; the value is %s (%s:%u)", value, o.x->def.path, o.x->def.line);
  return rl_arena_printf(a, "; %.*s is %s (%s:%u)", (int)len, t, value, o.x->def.path, o.x->def.line);
}

#define MAX_HANDLERS 64

typedef struct ttl_scan {
  rl_ctx *ctx;
  int have_routes; /* the routes are looked up once, at the first mint that needs them */
  TSNode handler[MAX_HANDLERS];
  const char *req_name[MAX_HANDLERS];
  size_t nhandlers;
} ttl_scan;

static void on_route(void *data, const rl_route *r) {
  ttl_scan *t = data;
  if (ts_node_is_null(r->handler) || t->nhandlers == MAX_HANDLERS) return;
  t->handler[t->nhandlers] = r->handler;
  t->req_name[t->nhandlers++] = r->req_name;
}

/* A lifetime the route's request sets, unbounded: reported as such (1). */
static int check_from_request(ttl_scan *t, const rl_mint *m, const rl_lifetime *l) {
  rl_ctx *ctx = t->ctx;
  rl_jsfile *jf = rl_ctx_js(ctx);
  if (!t->have_routes) {
    t->have_routes = 1;
    rl_routes_each(jf, rl_ctx_root(ctx), NULL, on_route, t);
  }
  uint32_t at = ts_node_start_byte(m->call);
  for (size_t i = 0; i < t->nhandlers; i++) {
    TSNode h = t->handler[i];
    if (at < ts_node_start_byte(h) || at >= ts_node_end_byte(h)) continue;
    rl_reqin in;
    rl_reqin_scan(&in, jf, rl_ctx_arena(ctx), h, t->req_name[i]);
    TSNode read = {{0}, NULL, NULL};
    const char *desc = rl_reqin_number(&in, l->where, &read);
    if (!desc) return 0;
    size_t rl;
    const char *rt = rl_js_text(jf, ts_node_is_null(read) ? l->where : read, &rl);
    const char *paren = strstr(desc, " (");
    int dl = paren ? (int)(paren - desc) : (int)strlen(desc);
    rl_report(ctx, l->where,
              "%s takes its %s from %.*s (%.*s) with nothing bounding it: the client chooses how long its token "
              "lives; cap it on the server (%s at most)",
              m->what, l->how, (int)(rl > MAX_SHOWN ? MAX_SHOWN : rl), rt, dl, desc,
              human(rl_ctx_arena(ctx), rl_ctx_max_token_ttl(ctx)));
    return 1;
  }
  return 0;
}

/* agora-token given a timestamp as privilegeExpire while the token's own
 * tokenExpire is not too long: the token cannot be used to join after it
 * expires, but a user already in the channel keeps its privileges for
 * decades. A note, at the privilege argument. */
static void check_privilege(rl_ctx *ctx, const rl_mint *m, const rl_lifetime *l) {
  if (ts_node_is_null(l->privilege_where)) return;
  rl_jsfile *jf = rl_ctx_js(ctx);
  rl_arena *a = rl_ctx_arena(ctx);
  size_t len, shown = 0;
  const char *t = rl_js_text(jf, l->privilege_where, &len);
  while (shown < len && shown < MAX_SHOWN && t[shown] != '\n' && t[shown] != '\r') shown++;
  const char *token = l->known ? rl_arena_printf(a, " (%s)", human(a, l->seconds)) : "";
  rl_ctx_cap_severity(ctx, RL_SEV_NOTE);
  rl_report(ctx, l->privilege_where,
            "privilegeExpire %.*s%s is a timestamp (now + %s), but %s reads it as seconds from now: the token "
            "itself expires after tokenExpire%s and cannot join later, but the privileges it grants in the channel "
            "outlast it by decades, so expiry never removes a user who joined; pass %s",
            (int)shown, t, shown < len ? "..." : "", human(a, l->privilege_seconds), m->package, token,
            rl_arena_printf(a, "%.0f", l->privilege_seconds));
}

static void check_mint(void *data, const rl_mint *m) {
  ttl_scan *ts = data;
  rl_ctx *ctx = ts->ctx;
  rl_jsfile *jf = rl_ctx_js(ctx);
  rl_arena *a = rl_ctx_arena(ctx);
  rl_lifetime l;
  rl_mint_lifetime(jf, m, &l);
  if (l.state == RL_LIFE_SET && !l.known && !ts_node_is_null(l.where)) {
    check_from_request(ts, m, &l);
    return;
  }
  /* now + X with X the client's, unbounded: that is the more telling finding */
  if (l.state == RL_LIFE_SET && l.timestamp_as_seconds && l.seconds < 0 && check_from_request(ts, m, &l)) return;
  if (l.state != RL_LIFE_SET || !l.known) return;
  double limit = rl_ctx_max_token_ttl(ctx);
  size_t len;
  const char *t = rl_js_text(jf, l.where, &len);
  /* one line of source, at most MAX_SHOWN bytes */
  size_t shown = 0;
  while (shown < len && shown < MAX_SHOWN && t[shown] != '\n' && t[shown] != '\r') shown++;
  const char *ell = shown < len ? "..." : "";
  if (l.ms_divisor > 0) { /* today's timestamp times 1000 / divisor: at least ten times it */
    double times = 1000 / l.ms_divisor;
    const char *made = l.ms_divisor == 1 ? "is a time in milliseconds"
                                         : rl_arena_printf(a, "divides milliseconds by %g, not 1000", l.ms_divisor);
    const char *far = times < 20 ? "centuries" : "thousands of years";
    /* OpenTok documents 30 days as the longest expireTime; its SDK does not
     * check, and whether the service refuses such a token is not known here */
    const char *fate =
        m->kind == RL_MINT_OPENTOK
            ? rl_arena_printf(a,
                              "%s past the 30-day maximum OpenTok documents: either the service refuses the token "
                              "or it outlives the %s limit by %s",
                              far, limit_text(a, limit), far)
            : rl_arena_printf(a, "so the token expires %s from now, beyond the %s limit", far, limit_text(a, limit));
    rl_report(ctx, l.where,
              "%s %.*s%s %s, but %s reads seconds since 1970: about %.0f times today's timestamp, %s; divide the "
              "milliseconds by 1000",
              l.how, (int)shown, t, ell, made, m->package, times, fate);
    return;
  }
  if (l.timestamp_as_seconds) {
    /* now + X with X not known (a parameter without a written fallback) */
    const char *plus = l.seconds < 0 ? "now plus an offset" : rl_arena_printf(a, "now + %s", human(a, l.seconds));
    rl_report(ctx, l.where,
              "%s %.*s%s is a timestamp (%s), but %s reads %s as seconds from now: the token lives for "
              "decades, beyond the %s limit",
              l.how, (int)shown, t, ell, plus, m->package, l.how, limit_text(a, limit));
    return;
  }
  if (!(l.seconds > limit)) {
    check_privilege(ctx, m, &l);
    return;
  }
  const char *from = imported_from(ctx, l.where);
  if (rl_mint_tokend_provider(m))
    rl_report(ctx, l.where, "%s %.*s%s (%s) is longer than the %s limit%s; tokend with PROVIDER=%s caps it at 24 hours",
              l.how, (int)shown, t, ell, human(a, l.seconds), limit_text(a, limit), from, rl_mint_tokend_provider(m));
  else /* a REST mint's lifetime is one property among the request's: name the request */
    rl_report(ctx, l.where, "%s%s %.*s%s (%s) is longer than the %s limit%s",
              m->kind == RL_MINT_DAILY_REST ? rl_arena_printf(a, "%s: ", m->what) : "", l.how, (int)shown, t, ell,
              human(a, l.seconds), limit_text(a, limit), from);
}

static void on_file(rl_ctx *ctx) {
  rl_jsfile *jf = rl_ctx_js(ctx);
  if (!jf) return;
  ttl_scan t;
  memset(&t, 0, sizeof t);
  t.ctx = ctx;
  rl_mint_each(jf, rl_ctx_root(ctx), check_mint, &t);
  rl_mint_rest_each(jf, rl_ctx_root(ctx), check_mint, &t);
}

static int can_fire(rl_prefilter *pf) { return rl_mint_possible(pf) || rl_mint_rest_possible(pf); }

const rl_rule rl_rule_token_ttl_too_long = {
    .id = "token-ttl-too-long",
    .title = "Token lifetime longer than the limit",
    .severity = RL_SEV_WARNING,
    .cwe = 613,
    .doc = rl_doc__token_ttl_too_long,
    .langs = RL_LANGS_CODE,
    /* test files never ship, and test suites mint odd tokens on purpose */
    .contexts = RL_CTX_BIT(RL_CTX_CLIENT) | RL_CTX_BIT(RL_CTX_SERVER) | RL_CTX_BIT(RL_CTX_UNKNOWN),
    .on_file = on_file,
    .needles = rl_mint_needles,
    .can_fire = can_fire,
    .bad_example = "const jwt = require('jsonwebtoken');\n"
                   "\n"
                   "function roomToken(roomId, userId) {\n"
                   "  return jwt.sign(\n"
                   "    { access_key: process.env.HMS_ACCESS_KEY, room_id: roomId, user_id: userId, role: 'guest',\n"
                   "      type: 'app', version: 2 },\n"
                   "    process.env.HMS_SECRET,\n"
                   "    { algorithm: 'HS256', expiresIn: '30d' },\n"
                   "  );\n"
                   "}\n"
                   "module.exports = { roomToken };\n",
    .good_example = "const jwt = require('jsonwebtoken');\n"
                    "\n"
                    "function roomToken(roomId, userId) {\n"
                    "  return jwt.sign(\n"
                    "    { access_key: process.env.HMS_ACCESS_KEY, room_id: roomId, user_id: userId, role: 'guest',\n"
                    "      type: 'app', version: 2 },\n"
                    "    process.env.HMS_SECRET,\n"
                    "    { algorithm: 'HS256', expiresIn: '2h' },\n"
                    "  );\n"
                    "}\n"
                    "module.exports = { roomToken };\n",
    .precision = "very-high",
    .security_severity = "5.4",
};
