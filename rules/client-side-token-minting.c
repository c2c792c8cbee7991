/* client-side-token-minting: client code that mints a token.
 *
 * A mint site (rules/mint.h: jsonwebtoken sign, jose SignJWT...sign, LiveKit
 * and Twilio `new AccessToken`, Agora *TokenBuilder.build*, OpenTok
 * generateToken, the 100ms server SDK's getAuthToken/getManagementToken, a
 * JWT signed by hand with an HMAC API over base64url(header).base64url(claims)),
 * resolved through imports, requires and const aliases, in a file classified
 * as client code. Whatever signs a token holds the signing secret, so the
 * secret ships with the bundle. Server, test and unknown files are not
 * looked at: minting there is what the guide asks for.
 *
 * Server-only code inside a client file is skipped too: Next.js
 * getServerSideProps / getStaticProps (removed from the client bundle by the
 * compiler), Remix loader / action exports of route modules (app/routes/),
 * and functions whose body starts with a "use server" directive (server
 * actions).
 *
 * Across files (the project model): a Next.js module without a directive
 * that a "use client" module imports is client code (src/model_client.c),
 * so its mint is reported where the key is used, with each client module's
 * call of it as a related location and the "use client" module named in
 * the message. Otherwise a client file that calls a function another file
 * exports which mints a token is reported at the call, with the mint site
 * as the related location -- unless the mint's file is client code this
 * run scans (reported there, once) or stays on the server ("use server":
 * the call is a server action's request). */
#include <string.h>

#include "analysis.h"
#include "bindname.h"
#include "project.h"
#include "summary.h"
#include "mint.h"
#include "rule.h"
#include "util.h"

extern const char rl_doc__client_side_token_minting[];

/* The name of a function node: its own, or the variable it initialises. */
static int name_is(const char *name, size_t len, const char *s) { return strlen(s) == len && !memcmp(name, s, len); }

/* A function body that starts with the "use server" directive. */
static int use_server(rl_jsfile *jf, TSNode fn) {
  TSNode body = rl_js_field(fn, "body");
  if (ts_node_is_null(body) || strcmp(ts_node_type(body), "statement_block") != 0) return 0;
  TSNode first = ts_node_named_child(body, 0);
  if (ts_node_is_null(first) || strcmp(ts_node_type(first), "expression_statement") != 0) return 0;
  const char *v;
  size_t len;
  return rl_js_string_value(jf, ts_node_named_child(first, 0), &v, &len) && name_is(v, len, "use server");
}

/* 1 if n runs only on the server although the file is client code. */
static int server_only(rl_ctx *ctx, rl_jsfile *jf, TSNode n) {
  const char *path = rl_ctx_source(ctx)->path;
  int remix_route = path && (strstr(path, "app/routes/") != NULL);
  for (TSNode fn = rl_js_enclosing_function(n); !ts_node_is_null(fn); fn = rl_js_enclosing_function(fn)) {
    if (use_server(jf, fn)) return 1;
    const char *name;
    size_t len;
    if (!rl_js_function_name(jf, fn, &name, &len)) continue;
    if (name_is(name, len, "getServerSideProps") || name_is(name, len, "getStaticProps")) return 1;
    if (remix_route && (name_is(name, len, "loader") || name_is(name, len, "action"))) return 1;
  }
  return 0;
}

static void report_mint(void *data, const rl_mint *m) {
  rl_ctx *ctx = data;
  if (server_only(ctx, rl_ctx_js(ctx), m->call)) return;
  size_t pl = strlen(m->package);
  rl_arena *a = rl_ctx_arena(ctx);
  /* "jsonwebtoken sign()" names its package already; the SDKs get it added */
  const char *what =
      !rl_strncasecmp_ascii(m->what, m->package, pl) ? m->what : rl_arena_printf(a, "%s (%s)", m->what, m->package);
  /* a provider SDK's token: name the tokend provider that mints it on a server */
  const char *prov = rl_mint_tokend_provider(m);
  const char *fix = prov ? rl_arena_printf(a, "; tokend with PROVIDER=%s mints it on a server", prov) : "";
  /* a module without a directive that a "use client" module imports: the
   * import is what puts the key in the bundle */
  const char *roots[8];
  rl_site by[8];
  size_t n = rl_ctx_client_importers(ctx, roots, by, 8);
  if (n) {
    for (size_t i = 0; i < n && i < 8; i++)
      rl_ctx_related(ctx, by[i].path, by[i].line, by[i].col,
                     "client code that uses it: the import bundles this file with it");
    const char *through = strcmp(by[0].path, roots[0]) ? rl_arena_printf(a, " (through %s)", by[0].path) : "";
    const char *more = n > 1 ? rl_arena_printf(a, " and %zu more client module%s", n - 1, n > 2 ? "s" : "") : "";
    rl_report(ctx, m->call,
              "%s mints a token in client code: %s (\"use client\") imports this file%s%s, so the signing secret "
              "ships with its bundle%s",
              what, roots[0], through, more, fix);
    return;
  }
  rl_report(ctx, m->call, "%s mints a token in client code: the signing secret ships with the bundle%s", what, fix);
}

/* A call of a function another file exports that mints a token (the
 * project model): whatever signs holds the key, and the key is bundled
 * with whatever imports it. */
static int call_visit(void *data, TSNode n) {
  rl_ctx *ctx = data;
  if (strcmp(ts_node_type(n), "call_expression")) return 0;
  rl_jsfile *jf = rl_ctx_js(ctx);
  const rl_symbol *x = rl_ctx_callee(ctx, n);
  if (!x || !(x->effects & RL_EFF_MINT) || !x->mint.where.path || server_only(ctx, jf, n)) return 0;
  /* the file that signs is client code this run scans: it is reported
   * there, where the secret is used, once (report_mint) */
  if (rl_ctx_scanned_client(ctx, x->mint.where.path)) return 0;
  /* a "use server" module's export is a server action: the client's call
   * is a request, the key stays on the server */
  if (rl_ctx_file_server_bound(ctx, x->mint.where.path) || rl_ctx_file_server_bound(ctx, x->def.path)) return 0;
  size_t fl;
  const char *ft = rl_js_text(jf, rl_js_field(n, "function"), &fl);
  const char *fn = fl <= 48 && !memchr(ft, '\n', fl) ? rl_arena_printf(rl_ctx_arena(ctx), "%.*s", (int)fl, ft)
                                                     : "the function";
  rl_ctx_related(ctx, x->mint.where.path, x->mint.where.line, x->mint.where.col,
                 "the token is signed here, with the key");
  rl_report(ctx, n,
            "%s (%s:%u) mints a token with %s, and client code calls it: the signing secret ships with the bundle", fn,
            x->def.path, x->def.line, x->mint.what);
  return 0;
}

static void on_file(rl_ctx *ctx) {
  rl_jsfile *jf = rl_ctx_js(ctx);
  if (!jf) return;
  rl_mint_each(jf, rl_ctx_root(ctx), report_mint, ctx);
  rl_js_walk(rl_ctx_root(ctx), call_visit, ctx);
}

/* Mint packages (rl_mint_needles) or an import of a project file
 * (rl_summary_possible). */
static const char *const needles[] = {"jsonwebtoken", "jose",      "server-sdk", "twilio", "agora-", "opentok", "Hmac",
                                      "HMAC",         "crypto-js", "./",         "@/",     "~/",     NULL};

static int can_fire(rl_prefilter *pf) { return rl_mint_possible(pf) || rl_summary_possible(pf); }

/* Every mint site resolves through an import or require of one of these. */
const rl_rule rl_rule_client_side_token_minting = {
    .id = "client-side-token-minting",
    .title = "Token minted in client code",
    .severity = RL_SEV_ERROR,
    .cwe = 602,
    .doc = rl_doc__client_side_token_minting,
    .langs = RL_LANGS_CODE,
    .contexts = RL_CTX_BIT(RL_CTX_CLIENT),
    .on_file = on_file,
    .needles = needles,
    .can_fire = can_fire,
    .bad_example =
        "import jwt from 'jsonwebtoken';\n"
        "import { useState } from 'react';\n"
        "\n"
        "export function useRoomToken(roomId, userId) {\n"
        "  const [token] = useState(() =>\n"
        "    jwt.sign({ access_key: import.meta.env.VITE_HMS_ACCESS_KEY, room_id: roomId, user_id: userId,\n"
        "      role: 'guest', type: 'app', version: 2 }, import.meta.env.VITE_HMS_SECRET, { expiresIn: '1h' }));\n"
        "  return token;\n"
        "}\n",
    .good_example =
        "import { useEffect, useState } from 'react';\n"
        "\n"
        "export function useRoomToken(roomId) {\n"
        "  const [token, setToken] = useState(null);\n"
        "  useEffect(() => {\n"
        "    fetch('/api/token', { method: 'POST', credentials: 'include', body: JSON.stringify({ roomId }) })\n"
        "      .then((r) => r.json())\n"
        "      .then((d) => setToken(d.token));\n"
        "  }, [roomId]);\n"
        "  return token;\n"
        "}\n",
    .precision = "high",
    .security_severity = "9.1",
};
