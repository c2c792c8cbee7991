/* privileged-room-code-in-client: client code holds a room code that joins
 * a room with a privileged role.
 *
 * A 100ms room code (three, four and three lower-case letters: xvm-wxwo-gbl)
 * is bound to one role of one room: whoever has it joins with that role, no
 * other credential needed. A guest or viewer code in a client is how Prebuilt
 * links work; a host, broadcaster or admin code in a client lets every user
 * of the app (and anyone reading the bundle) end the room, remove peers and
 * mute everyone. Reported in client code:
 *   1. a room-code-shaped literal bound to a privileged name: the name has a
 *      privileged word (host, cohost, broadcaster, admin, moderator,
 *      presenter, teacher, owner) and says it is a code (hostRoomCode,
 *      HOST_CODE, broadcasterCode), or it is a privileged key of a
 *      code-named object (`roomCodes = { host: '...' }`,
 *      `roomCodes.host = '...'`), or an object pairs the code with a
 *      privileged role (`{ role: 'host', code: '...' }`);
 *   2. a read of an environment variable whose name has a privileged word and
 *      says code (EXPO_PUBLIC_HOST_ROOM_CODE, VITE_BROADCASTER_CODE).
 * The letters-only shape keeps CSS classes and slugs out only when they are
 * not bound to such a name: `hostButton = 'btn-host-red'` has no code word. */
#include <string.h>

#include "analysis.h"
#include "bindname.h"
#include "prefilter.h"
#include "rule.h"
#include "util.h"

extern const char rl_doc__privileged_room_code_in_client[];

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && strcmp(ts_node_type(n), t) == 0; }

static const char *const privileged_words[] = {"host",         "hosts", "cohost",    "broadcaster",
                                               "broadcasters", "admin", "moderator", "presenter",
                                               "teacher",      "owner", NULL};
static const char *const code_words[] = {"code", "codes", "roomcode", "roomcodes", NULL};

static int room_code_shape(const char *s, size_t n) {
  static const size_t parts[] = {3, 4, 3};
  size_t i = 0;
  for (size_t p = 0; p < 3; p++) {
    for (size_t k = 0; k < parts[p]; k++, i++)
      if (i >= n || s[i] < 'a' || s[i] > 'z') return 0;
    if (p < 2) {
      if (i >= n || s[i] != '-') return 0;
      i++;
    }
  }
  return i == n;
}

static int privileged_code_name(const char *name, size_t len) {
  return rl_name_has_word(name, len, privileged_words) && rl_name_has_word(name, len, code_words);
}

/* For the pair holding a value, the name of the object it belongs to
 * (`roomCodes` in `const roomCodes = { host: '...' }`). */
static int object_name(rl_jsfile *jf, TSNode pair, const char **name, size_t *len) {
  if (!type_is(pair, "pair")) return 0;
  TSNode obj = rl_js_parent(pair);
  if (!type_is(obj, "object")) return 0;
  rl_binding ob;
  if (!rl_bound_name(jf, obj, &ob)) return 0;
  *name = ob.display;
  *len = ob.display_len;
  return 1;
}

/* { role: 'host', code: '...' } */
static int paired_with_privileged_role(rl_jsfile *jf, TSNode pair) {
  if (!type_is(pair, "pair")) return 0;
  TSNode obj = rl_js_parent(pair);
  if (!type_is(obj, "object")) return 0;
  static const char *const role_keys[] = {"role", "roleName", "role_name", NULL};
  for (size_t i = 0; role_keys[i]; i++) {
    TSNode v = rl_js_object_get(jf, obj, role_keys[i]);
    const char *s;
    size_t sl;
    if (!ts_node_is_null(v) && rl_js_eval_string(jf, v, &s, &sl) && rl_name_has_word(s, sl, privileged_words)) return 1;
  }
  return 0;
}

static void check_literal(rl_ctx *ctx, rl_jsfile *jf, TSNode lit) {
  const char *v;
  size_t vl;
  if (!rl_js_string_value(jf, lit, &v, &vl) || !room_code_shape(v, vl)) return;
  rl_binding b;
  if (!rl_bound_name(jf, lit, &b)) return;
  /* `process.env.HOST_ROOM_CODE ?? '...'` is reported at the read */
  if (b.env && privileged_code_name(b.env, b.env_len)) return;
  const char *why = NULL;
  const char *oname;
  size_t olen;
  if (privileged_code_name(b.name, b.name_len)) {
    why = "";
  } else if (rl_name_has_word(b.name, b.name_len, privileged_words) &&
             (rl_name_has_word(b.display, b.display_len, code_words) ||
              (object_name(jf, b.holder, &oname, &olen) && rl_name_has_word(oname, olen, code_words)))) {
    why = "";
  } else if (rl_name_has_word(b.name, b.name_len, code_words) && paired_with_privileged_role(jf, b.holder)) {
    why = " (paired with a privileged role)";
  }
  if (!why) return;
  uint32_t s = ts_node_start_byte(lit) + 1, e = ts_node_end_byte(lit) - 1;
  rl_ctx_mark_secret(ctx, s, e);
  const char *masked = rl_mask_secret(rl_ctx_arena(ctx), v, vl);
  const char *display = b.display;
  size_t dlen = b.display_len;
  if (type_is(b.holder, "pair") && object_name(jf, b.holder, &oname, &olen) && olen < 60) {
    display = rl_arena_printf(rl_ctx_arena(ctx), "%.*s.%.*s", (int)olen, oname, (int)b.name_len, b.name);
    dlen = strlen(display);
  }
  rl_report(ctx, lit,
            "client code holds the privileged room code '%.*s' = '%s'%s: anyone with the app can join with that "
            "role; hand privileged codes out from a server after checking the user",
            (int)dlen, display, masked, why);
}

static void check_env(rl_ctx *ctx, rl_jsfile *jf, TSNode read) {
  const char *name;
  size_t len;
  if (!rl_js_env_read(jf, read, &name, &len) || !privileged_code_name(name, len)) return;
  rl_report(ctx, read,
            "client code reads the privileged room code '%.*s': the bundler inlines its value, so anyone with the app "
            "can join with that role; hand privileged codes out from a server after checking the user",
            (int)len, name);
}

static void on_match(rl_ctx *ctx, const rl_match *m) {
  rl_jsfile *jf = rl_ctx_js(ctx);
  if (!jf) return;
  if (m->pattern <= 1)
    check_literal(ctx, jf, rl_match_capture(m, "code"));
  else
    check_env(ctx, jf, rl_match_capture(m, "read"));
}

/* ---- prefilter ------------------------------------------------------------------- */

/* Every finding is one of two:
 *   - a literal: the query's string or template whose text is a quote, the
 *     code's 12 bytes and a quote, so the bytes hold that run (room_code_run);
 *     and every way check_literal reports has a code word (code, codes,
 *     roomcode, roomcodes: all spell "code") in the binding's name, its
 *     display or its object's name, all source text;
 *   - an env read: its name is a property identifier or a plain string
 *     index right after `env` (the query's two shapes), and is itself
 *     privileged_code_name (read as written: a name spelled with escapes is
 *     not seen, as with every needle). */
static int quote_byte(char c) { return c == '\'' || c == '"' || c == '`'; }

static int room_code_run(const char *b, size_t n) {
  for (const char *p = b; (p = memchr(p, '-', (size_t)(b + n - p))) != NULL; p++) {
    /* p is the first dash of q xxx-xxxx-xxx q */
    size_t at = (size_t)(p - b);
    if (at < 4 || at + 10 > n || !quote_byte(b[at - 4]) || !quote_byte(b[at + 9])) continue;
    if (room_code_shape(b + at - 3, 12)) return 1;
  }
  return 0;
}

static int ident_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
         c >= 0x80;
}

/* The query's env reads are `<x>.env.NAME` and `<x>.env['NAME']` (with ?.
 * too): a privileged code name right after an `env`. */
static int env_code_read_possible(const rl_prefilter *pf) {
  size_t n;
  const char *b = rl_pf_bytes(pf, &n);
  for (size_t i = rl_pf_word_from(pf, 0, "env"); i < n; i = rl_pf_word_from(pf, i + 1, "env")) {
    size_t j = rl_pf_skip_blank(b, n, i + 3);
    if (j + 1 < n && b[j] == '?' && b[j + 1] == '.') j++;
    if (j < n && b[j] == '.') j = rl_pf_skip_blank(b, n, j + 1);
    if (j < n && b[j] == '[') {
      j = rl_pf_skip_blank(b, n, j + 1);
      if (j >= n || (b[j] != '\'' && b[j] != '"')) continue;
      char q = b[j];
      size_t s = ++j;
      while (j < n && b[j] != q && b[j] != '\n') j++;
      if (j < n && b[j] == q && privileged_code_name(b + s, j - s)) return 1;
      continue;
    }
    size_t s = j;
    while (j < n && ident_char((unsigned char)b[j])) j++;
    if (j > s && privileged_code_name(b + s, j - s)) return 1;
  }
  return 0;
}

static int can_fire(rl_prefilter *pf) {
  size_t n;
  const char *b = rl_pf_bytes(pf, &n);
  if (room_code_run(b, n) && rl_pf_has_caseless(pf, "code")) return 1;
  return env_code_read_possible(pf);
}

/* Every finding has a privileged word in a name or role string, spelled in
 * one of these cases. */
static const char *const needles[] = {
    "host",    "Host",      "HOST",      "broadcaster", "Broadcaster", "BROADCASTER", "admin",     "Admin",
    "ADMIN",   "moderator", "Moderator", "MODERATOR",   "presenter",   "Presenter",   "PRESENTER", "teacher",
    "Teacher", "TEACHER",   "owner",     "Owner",       "OWNER",       NULL};

const rl_rule rl_rule_privileged_room_code_in_client = {
    .id = "privileged-room-code-in-client",
    .title = "Host or broadcaster room code in client code",
    .severity = RL_SEV_WARNING,
    .cwe = 284,
    .doc = rl_doc__privileged_room_code_in_client,
    .langs = RL_LANGS_CODE,
    .contexts = RL_CTX_BIT(RL_CTX_CLIENT),
    .query = "((string) @code (#match? @code \"^.[a-z]{3}-[a-z]{4}-[a-z]{3}.$\"))\n"
             "((template_string) @code (#match? @code \"^.[a-z]{3}-[a-z]{4}-[a-z]{3}.$\"))\n"
             "((member_expression object: (member_expression property: (property_identifier) @_env)"
             " property: (property_identifier)) @read (#eq? @_env \"env\"))\n"
             "((subscript_expression object: (member_expression property: (property_identifier) @_env)"
             " index: (string)) @read (#eq? @_env \"env\"))\n",
    .on_match = on_match,
    .needles = needles,
    .can_fire = can_fire,
    .bad_example = "import { HMSPrebuilt } from '@100mslive/roomkit-react';\n"
                   "\n"
                   "const roomCodes = { host: 'xvm-wxwo-gbl', guest: 'pqr-stuv-wxy' };\n"
                   "\n"
                   "export function Stage({ isHost }) {\n"
                   "  return <HMSPrebuilt roomCode={isHost ? roomCodes.host : roomCodes.guest} />;\n"
                   "}\n",
    .good_example = "import { HMSPrebuilt } from '@100mslive/roomkit-react';\n"
                    "\n"
                    "const GUEST_ROOM_CODE = 'pqr-stuv-wxy';\n"
                    "\n"
                    "export function Stage({ code }) {\n"
                    "  return <HMSPrebuilt roomCode={code || GUEST_ROOM_CODE} />;\n"
                    "}\n",
    .precision = "high",
    .security_severity = "6.5",
};
