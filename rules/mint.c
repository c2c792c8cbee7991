/* Mint sites: see mint.h. */
#include "mint.h"

#include <string.h>

#include "arena.h"

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && strcmp(ts_node_type(n), t) == 0; }

static TSNode field(TSNode n, const char *name) {
  return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

static TSNode null_node(void) {
  TSNode n;
  memset(&n, 0, sizeof n);
  return n;
}

static int starts_with(const char *s, const char *p) { return s && strncmp(s, p, strlen(p)) == 0; }

/* s is "<module>:..." for module m, or "<m>/...:..." when sub is set. */
static int canon_module_is(const char *s, const char *m, int sub) {
  size_t n = strlen(m);
  if (!s || strncmp(s, m, n) != 0) return 0;
  return s[n] == ':' || (sub && s[n] == '/');
}

/* The part of a canonical name after "<module>:", or NULL. */
static const char *canon_path(const char *s) {
  const char *c = s ? strchr(s, ':') : NULL;
  return c ? c + 1 : NULL;
}

/* The `new` expression an instance expression comes from: a `new` directly,
 * or an identifier bound by const to one. Null otherwise. */
static TSNode instance_new(rl_jsfile *jf, TSNode n) {
  n = rl_js_unwrap(n);
  if (type_is(n, "identifier")) n = rl_js_unwrap(rl_js_const_init(jf, n));
  return type_is(n, "new_expression") ? n : null_node();
}

static int member_prop_is(rl_jsfile *jf, TSNode member, const char *name) {
  return type_is(member, "member_expression") && rl_js_text_is(jf, field(member, "property"), name);
}

static void set_payload(rl_jsfile *jf, rl_mint *m, TSNode arg) {
  m->payload_arg = arg;
  m->payload = ts_node_is_null(arg) ? null_node() : rl_js_object_of(jf, arg);
}

static void set_options(rl_jsfile *jf, rl_mint *m, TSNode arg) {
  m->options_arg = arg;
  m->options = ts_node_is_null(arg) ? null_node() : rl_js_object_of(jf, arg);
}

static void management_from_payload(rl_jsfile *jf, rl_mint *m) {
  if (ts_node_is_null(m->payload)) return;
  TSNode t = rl_js_object_get(jf, m->payload, "type");
  const char *v;
  size_t len;
  if (!ts_node_is_null(t) && rl_js_eval_string(jf, t, &v, &len) && len == 10 && !memcmp(v, "management", 10))
    m->is_management = 1;
}

/* jose: the .sign() call at the end of a builder chain rooted at new SignJWT. */
static int match_jose(rl_jsfile *jf, TSNode call, rl_mint *m) {
  TSNode fn = rl_js_unwrap(field(call, "function"));
  if (!member_prop_is(jf, fn, "sign")) return 0;
  TSNode n = rl_js_unwrap(field(fn, "object"));
  for (int guard = 0; guard < 64; guard++) {
    if (type_is(n, "call_expression")) {
      TSNode f = rl_js_unwrap(field(n, "function"));
      if (!type_is(f, "member_expression")) return 0;
      n = rl_js_unwrap(field(f, "object"));
      continue;
    }
    break;
  }
  TSNode ctor = instance_new(jf, n);
  if (ts_node_is_null(ctor)) return 0;
  const char *c = rl_js_callee(jf, ctor);
  if (!c || strcmp(c, "jose:SignJWT") != 0) return 0;
  m->kind = RL_MINT_JOSE;
  m->what = "jose SignJWT.sign()";
  m->package = "jose";
  m->ctor = ctor;
  set_payload(jf, m, rl_js_call_arg(ctor, 0));
  m->secret = rl_js_call_arg(call, 0);
  management_from_payload(jf, m);
  return 1;
}

/* Agora: <X>TokenBuilder.build*(appId, appCertificate, ...). */
static int match_agora(rl_jsfile *jf, const char *callee, TSNode call, rl_mint *m) {
  const char *pkg = NULL;
  if (canon_module_is(callee, "agora-token", 0))
    pkg = "agora-token";
  else if (canon_module_is(callee, "agora-access-token", 0))
    pkg = "agora-access-token";
  if (!pkg) return 0;
  const char *p = canon_path(callee);
  const char *dot = p ? strchr(p, '.') : NULL;
  if (!dot || dot - p < 12 || strncmp(dot - 12, "TokenBuilder", 12) != 0) return 0;
  if (!starts_with(dot + 1, "build") || strchr(dot + 1, '.')) return 0;
  m->kind = RL_MINT_AGORA;
  m->package = pkg;
  m->what = rl_arena_printf(rl_jsfile_arena(jf), "Agora %s()", p); /* "Agora RtcTokenBuilder.buildTokenWithUid()" */
  m->secret = rl_js_call_arg(call, 1);
  return 1;
}

int rl_mint_match(rl_jsfile *jf, TSNode call, rl_mint *out) {
  rl_mint m;
  memset(&m, 0, sizeof m);
  *out = m;
  call = rl_js_unwrap(call);
  if (ts_node_is_null(call)) return 0;
  m.call = call;
  const char *callee = rl_js_callee(jf, call);

  if (type_is(call, "new_expression")) {
    if (!callee) return 0;
    if (!strcmp(callee, "livekit-server-sdk:AccessToken")) {
      m.kind = RL_MINT_LIVEKIT;
      m.what = "LiveKit new AccessToken()";
      m.package = "livekit-server-sdk";
      m.secret = rl_js_call_arg(call, 1);
      set_options(jf, &m, rl_js_call_arg(call, 2));
      *out = m;
      return 1;
    }
    if (!strcmp(callee, "twilio:jwt.AccessToken") || canon_module_is(callee, "twilio/lib/jwt/AccessToken", 0)) {
      const char *p = canon_path(callee);
      if (canon_module_is(callee, "twilio/lib/jwt/AccessToken", 0) && p && *p && strcmp(p, "AccessToken") != 0)
        return 0;
      m.kind = RL_MINT_TWILIO;
      m.what = "Twilio new AccessToken()";
      m.package = "twilio";
      m.secret = rl_js_call_arg(call, 2);
      set_options(jf, &m, rl_js_call_arg(call, 3));
      *out = m;
      return 1;
    }
    return 0;
  }
  if (!type_is(call, "call_expression")) return 0;

  if (callee && !strcmp(callee, "jsonwebtoken:sign")) {
    m.kind = RL_MINT_JSONWEBTOKEN;
    m.what = "jsonwebtoken sign()";
    m.package = "jsonwebtoken";
    set_payload(jf, &m, rl_js_call_arg(call, 0));
    m.secret = rl_js_call_arg(call, 1);
    TSNode opts = rl_js_call_arg(call, 2);
    /* sign(payload, secret, callback) has no options */
    if (type_is(rl_js_unwrap(opts), "arrow_function") || type_is(rl_js_unwrap(opts), "function_expression") ||
        type_is(rl_js_unwrap(opts), "function"))
      opts = null_node();
    set_options(jf, &m, opts);
    management_from_payload(jf, &m);
    *out = m;
    return 1;
  }
  if (callee && match_agora(jf, callee, call, &m)) {
    *out = m;
    return 1;
  }
  if (match_jose(jf, call, &m)) {
    *out = m;
    return 1;
  }

  TSNode fn = rl_js_unwrap(field(call, "function"));
  if (!type_is(fn, "member_expression")) return 0;
  /* OpenTok: ot.generateToken(sessionId, options) */
  if (member_prop_is(jf, fn, "generateToken")) {
    TSNode ctor = instance_new(jf, field(fn, "object"));
    const char *c = ts_node_is_null(ctor) ? NULL : rl_js_callee(jf, ctor);
    if (c && canon_module_is(c, "opentok", 0) && !strcmp(canon_path(c), "")) {
      m.kind = RL_MINT_OPENTOK;
      m.what = "OpenTok generateToken()";
      m.package = "opentok";
      m.ctor = ctor;
      m.secret = rl_js_call_arg(ctor, 1);
      set_options(jf, &m, rl_js_call_arg(call, 1));
      *out = m;
      return 1;
    }
    return 0;
  }
  /* 100ms: sdk.auth.getAuthToken(config) / sdk.auth.getManagementToken(config) */
  int mgmt = member_prop_is(jf, fn, "getManagementToken");
  if (mgmt || member_prop_is(jf, fn, "getAuthToken")) {
    TSNode auth = rl_js_unwrap(field(fn, "object"));
    if (!member_prop_is(jf, auth, "auth")) return 0;
    TSNode ctor = instance_new(jf, field(auth, "object"));
    const char *c = ts_node_is_null(ctor) ? NULL : rl_js_callee(jf, ctor);
    if (!c || !canon_module_is(c, "@100mslive/server-sdk", 0)) return 0;
    m.kind = RL_MINT_HMS_SDK;
    m.what = mgmt ? "100ms getManagementToken()" : "100ms getAuthToken()";
    m.package = "@100mslive/server-sdk";
    m.ctor = ctor;
    m.secret = rl_js_call_arg(ctor, 1);
    set_payload(jf, &m, rl_js_call_arg(call, 0));
    m.options_arg = m.payload_arg; /* validForSeconds lives in the config */
    m.options = m.payload;
    m.is_management = mgmt;
    *out = m;
    return 1;
  }
  return 0;
}

typedef struct each_state {
  rl_jsfile *jf;
  rl_mint_cb cb;
  void *data;
  int stop_first;
  int found;
} each_state;

static int each_visit(void *data, TSNode n) {
  each_state *s = data;
  const char *t = ts_node_type(n);
  if (strcmp(t, "call_expression") != 0 && strcmp(t, "new_expression") != 0) return 0;
  rl_mint m;
  if (!rl_mint_match(s->jf, n, &m)) return 0;
  s->found = 1;
  if (s->stop_first) return -1;
  s->cb(s->data, &m);
  return 0;
}

void rl_mint_each(rl_jsfile *jf, TSNode subtree, rl_mint_cb cb, void *data) {
  if (ts_node_is_null(subtree)) return;
  each_state s = {jf, cb, data, 0, 0};
  rl_js_walk(subtree, each_visit, &s);
}

int rl_mint_any(rl_jsfile *jf, TSNode subtree) {
  if (ts_node_is_null(subtree)) return 0;
  each_state s = {jf, NULL, NULL, 1, 0};
  rl_js_walk(subtree, each_visit, &s);
  return s.found;
}

int rl_mint_token_expr(rl_jsfile *jf, TSNode expr, rl_mint *out) {
  TSNode n = rl_js_unwrap(expr);
  memset(out, 0, sizeof *out);
  for (int hops = 0; hops < 8 && type_is(n, "identifier"); hops++) n = rl_js_unwrap(rl_js_const_init(jf, n));
  if (!type_is(n, "call_expression")) return 0;
  TSNode fn = rl_js_unwrap(field(n, "function"));
  if (member_prop_is(jf, fn, "toJwt")) {
    TSNode ctor = instance_new(jf, field(fn, "object"));
    if (ts_node_is_null(ctor)) return 0;
    rl_mint m;
    if (rl_mint_match(jf, ctor, &m) && (m.kind == RL_MINT_LIVEKIT || m.kind == RL_MINT_TWILIO)) {
      *out = m;
      return 1;
    }
    return 0;
  }
  return rl_mint_match(jf, n, out);
}
