/* secret-logged: a log call that prints a secret.
 *
 * Log calls: console.log/info/warn/error/debug/trace/dir/table, and the same
 * levels (plus fatal, verbose, silly, notice, critical) on a logger: an object
 * named log, logger, LOGGER or ending in Logger/_logger (this.logger, fastify.log,
 * request.log, ctx.logger...), winston/consola/signale used directly, an
 * identifier bound by const to pino(), winston.createLogger(), bunyan,
 * log4js.getLogger(), new Logger() (NestJS) and the like, or a .child() of
 * any of those; and calls of a `debug` instance (const log = debug('app')).
 *
 * An argument prints a secret when it evaluates to one of:
 *   - a secret environment variable (process.env.HMS_APP_SECRET, or an
 *     identifier bound to such a read), or the whole process.env;
 *   - a secret-named identifier or property (APP_SECRET, config.appSecret,
 *     session.accessToken, `{ token }`, `{ appSecret: x }`);
 *   - a freshly minted token (rl_mint_token_expr: jwt.sign(...), at.toJwt(),
 *     or a const bound to one);
 *   - the result of a function another file exports that returns a secret
 *     environment variable or a token it mints (the project model,
 *     facts/returns.c: tokenService.getManagementToken()).
 * Looked through: template strings, `+`, `||`/`??`, both branches of `?:`,
 * object and array literals (also through a const bound to one, or to a
 * `+` / template that builds a value: const bearer = 'Bearer ' + KEY),
 * JSON.stringify/String/util.inspect/util.format/Buffer.from, and
 * .toString()/.trim()/.toUpperCase()/.toLowerCase() on the value. Not
 * printing the secret: the condition of `?:`, the left of `&&`, `!x`,
 * `typeof x`, comparisons, `x.length` and other properties, and calls of any
 * other function (Boolean(x), mask(x), x.slice(0, 4), jwt.decode(x)...):
 * what they return is derived from the secret, not the secret.
 * Test files are skipped (they log fakes), and so are console calls in
 * command-line scripts (facts/script.h: a shebang, under scripts/ or bin/,
 * or a file that mints and prints at top level with no server, route or
 * export): there stdout is the program's output, e.g. a script that prints a
 * management token for curl. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "project.h"
#include "summary.h"
#include "mint.h"
#include "prefilter.h"
#include "script.h"
#include "rule.h"
#include "secrets.h"
#include "util.h"

extern const char rl_doc__secret_logged[];

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && strcmp(ts_node_type(n), t) == 0; }

static TSNode field(TSNode n, const char *name) { return rl_js_field(n, name); }

static int ends_with(const char *s, size_t n, const char *suffix) {
  size_t k = strlen(suffix);
  return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* ---- what is a log call ----------------------------------------------------- */

static const char *const logger_names[] = {"log",     "logger",  "LOGGER",  "Logger", "console",
                                           "winston", "consola", "signale", NULL};

static int is_logger_name(const char *s, size_t n) {
  return rl_str_in_list(s, n, logger_names) ||
         (n > 6 && (ends_with(s, n, "Logger") || ends_with(s, n, "_logger") || ends_with(s, n, "_LOGGER")));
}

/* Callees whose result is a logger: pino(), winston.createLogger(),
 * bunyan.createLogger(), log4js.getLogger(), new Logger(...), consola.create(). */
static int makes_logger(rl_jsfile *jf, TSNode init) {
  init = rl_js_unwrap(init);
  if (!type_is(init, "call_expression") && !type_is(init, "new_expression")) return 0;
  const char *c = rl_js_callee(jf, init);
  if (!c) return 0;
  static const char *const makers[] = {"pino", "winston", "bunyan", "log4js", "Logger", "logger", "consola", NULL};
  for (size_t i = 0; makers[i]; i++)
    if (strstr(c, makers[i])) return 1;
  return 0;
}

/* 1 if obj (the object of `obj.method(...)`) is a logger; *is_console when it
 * is the console. */
static int is_logger(rl_jsfile *jf, TSNode obj, int *is_console) {
  *is_console = 0;
  for (int hop = 0; hop < 4; hop++) {
    obj = rl_js_unwrap(obj);
    /* logger.child({ reqId }).info(...) */
    if (type_is(obj, "call_expression")) {
      TSNode fn = field(obj, "function");
      TSNode prop = field(fn, "property");
      if (!type_is(fn, "member_expression") || !rl_js_text_is(jf, prop, "child")) return 0;
      obj = field(fn, "object");
      continue;
    }
    size_t n;
    const char *t;
    if (type_is(obj, "identifier")) {
      t = rl_js_text(jf, obj, &n);
      if (n == 7 && memcmp(t, "console", 7) == 0) {
        *is_console = 1;
        return 1;
      }
      if (is_logger_name(t, n)) return 1;
      TSNode init = rl_js_const_init(jf, obj);
      return !ts_node_is_null(init) && makes_logger(jf, init);
    }
    if (type_is(obj, "member_expression")) {
      TSNode prop = field(obj, "property");
      t = rl_js_text(jf, prop, &n);
      if (n == 7 && memcmp(t, "console", 7) == 0) *is_console = 1;
      return is_logger_name(t, n);
    }
    return 0;
  }
  return 0;
}

/* const log = debug('hms'), createDebug('x'), require('debug')('x'); also
 * const log = console.log and console.log.bind(console). */
static int is_debug_instance(rl_jsfile *jf, TSNode fn) {
  TSNode init = rl_js_unwrap(rl_js_const_init(jf, fn));
  if (type_is(init, "call_expression") && type_is(field(init, "function"), "member_expression") &&
      rl_js_text_is(jf, field(field(init, "function"), "property"), "bind"))
    init = rl_js_unwrap(field(field(init, "function"), "object"));
  if (type_is(init, "member_expression")) {
    int is_console;
    return is_logger(jf, field(init, "object"), &is_console);
  }
  if (!type_is(init, "call_expression")) return 0;
  TSNode callee = rl_js_unwrap(field(init, "function"));
  if (type_is(callee, "call_expression")) {
    const char *c = rl_js_callee(jf, callee);
    const char *v;
    size_t vl;
    return c && strcmp(c, "require") == 0 && rl_js_string_value(jf, rl_js_call_arg(callee, 0), &v, &vl) && vl == 5 &&
           memcmp(v, "debug", 5) == 0;
  }
  const char *c = rl_js_callee(jf, init);
  return c && strncmp(c, "debug:", 6) == 0;
}

/* ---- what an argument prints ------------------------------------------------ */

typedef struct hit {
  const char *what; /* "APP_SECRET", "config.appSecret" */
  const char *why;  /* "a secret read from HMS_APP_SECRET" */
} hit;

#define MAX_HITS 2
#define MAX_NODES 128

typedef struct printed {
  rl_ctx *ctx;
  rl_jsfile *jf;
  rl_arena *a;
  hit hits[MAX_HITS];
  size_t nhits;
  size_t more;
  TSNode stack[MAX_NODES];
  /* The path a value was reached by, for messages: console.log(cfg) with
   * cfg = { hms: { secret: ... } } names "cfg.hms.secret". */
  const char *vias[MAX_NODES];
  const char *via; /* of the node being looked at */
  size_t nstack;
  size_t budget; /* nodes left to look at */
} printed;

static void push_via(printed *p, TSNode n, const char *via) {
  if (ts_node_is_null(n) || p->nstack >= MAX_NODES || p->budget == 0) return;
  p->budget--;
  p->vias[p->nstack] = via;
  p->stack[p->nstack++] = n;
}

static void push(printed *p, TSNode n) { push_via(p, n, p->via); }

/* A short display of a node: its text when short and on one line. */
static const char *display(printed *p, TSNode n, const char *fallback, size_t fallback_len) {
  if (p->via) return p->via;
  size_t len;
  const char *t = rl_js_text(p->jf, n, &len);
  if (len <= 48 && !memchr(t, '\n', len)) return rl_arena_printf(p->a, "%.*s", (int)len, t);
  return rl_arena_printf(p->a, "%.*s", (int)fallback_len, fallback);
}

static void add_hit(printed *p, const char *what, const char *why) {
  for (size_t i = 0; i < p->nhits; i++)
    if (strcmp(p->hits[i].what, what) == 0) return;
  if (p->nhits < MAX_HITS) {
    p->hits[p->nhits].what = what;
    p->hits[p->nhits].why = why;
    p->nhits++;
  } else {
    p->more++;
  }
}

static const char *mint_why(printed *p, const rl_mint *m) {
  return rl_arena_printf(p->a, "a %s minted by %s", m->is_management ? "management token" : "token", m->what);
}

/* A call of a function another file exports that returns a secret or a
 * token it mints (the project model, facts/returns.c): adds a hit,
 * returns 1. */
static int imported_hit(printed *p, TSNode call, const char *what) {
  const rl_symbol *x = rl_ctx_callee(p->ctx, call);
  if (!x || !(x->effects & (RL_EFF_RETURNS_SECRET | RL_EFF_RETURNS_TOKEN))) return 0;
  TSNode c = rl_js_unwrap(call);
  size_t cl, fl;
  const char *ct = rl_js_text(p->jf, c, &cl);
  const char *ft = rl_js_text(p->jf, field(c, "function"), &fl);
  const char *shown = what ? what : display(p, c, ct, cl);
  const char *fn = fl <= 48 && !memchr(ft, '\n', fl) ? rl_arena_printf(p->a, "%.*s", (int)fl, ft) : "the function";
  if (x->effects & RL_EFF_RETURNS_SECRET)
    add_hit(
        p, shown,
        rl_arena_printf(p->a, "the secret %s, which %s (%s:%u) returns", x->secret_name, fn, x->def.path, x->def.line));
  else
    add_hit(p, shown,
            rl_arena_printf(p->a, "a %s that %s (%s:%u) mints with %s",
                            x->returns_management ? "management token" : "token", fn, x->def.path, x->def.line,
                            x->returns_what));
  return 1;
}

/* A read of a secret-named environment variable: adds a hit, returns 1. */
static int env_hit(printed *p, TSNode n, const char *what) {
  const char *name;
  size_t len;
  if (!rl_js_env_read(p->jf, n, &name, &len) || !rl_name_is_secret(name, len)) return 0;
  /* NEXT_PUBLIC_DATADOG_CLIENT_TOKEN, an allowed name: not secret */
  if (rl_name_is_public_by_design(name, len) || rl_secret_allowed(name, len, NULL, 0)) return 0;
  {
    size_t tl;
    const char *t = rl_js_text(p->jf, n, &tl);
    /* The read itself, or a destructured name: "a secret environment
     * variable"; a binding of another name: where it comes from. */
    int same = (!what && !p->via) || (what && tl == len && memcmp(t, name, len) == 0);
    const char *why = same ? "a secret environment variable"
                           : rl_arena_printf(p->a, "a secret read from %.*s", (int)len, name);
    add_hit(p, what ? what : display(p, n, name, len), why);
  }
  return 1;
}

/* A secret-named binding that is not a secret: its constant value is one
 * its service issues for browsers (a Datadog client token, a publishable
 * key), or .roomlint.yml allows the name or the value. */
static int public_literal(printed *p, TSNode init, const char *name, size_t len) {
  if (rl_secret_allowed(name, len, NULL, 0) || rl_name_is_public_by_design(name, len)) return 1;
  const char *v;
  size_t vl;
  if (ts_node_is_null(init) || !rl_js_string_value(p->jf, rl_js_unwrap(init), &v, &vl)) return 0;
  return rl_secret_public_value(v, vl) != NULL || rl_secret_allowed(NULL, 0, v, vl);
}

/* An identifier (or shorthand property) in a printed position. */
static void on_identifier(printed *p, TSNode n) {
  size_t len;
  const char *t = rl_js_text(p->jf, n, &len);
  const char *what = p->via ? p->via : rl_arena_printf(p->a, "%.*s", (int)len, t);
  if (len == 9 && memcmp(t, "undefined", 9) == 0) return;
  if (env_hit(p, n, what)) return;
  TSNode init = rl_js_const_init(p->jf, n);
  if (!ts_node_is_null(init) && env_hit(p, rl_js_unwrap(init), what)) return;
  /* NestJS ConfigService and similar: config.get('HMS_APP_SECRET'). */
  TSNode ci = rl_js_unwrap(init);
  if (type_is(ci, "call_expression") && type_is(field(ci, "function"), "member_expression")) {
    TSNode fn = field(ci, "function");
    const char *v;
    size_t vl;
    if ((rl_js_text_is(p->jf, field(fn, "property"), "get") ||
         rl_js_text_is(p->jf, field(fn, "property"), "getOrThrow")) &&
        rl_js_string_value(p->jf, rl_js_call_arg(ci, 0), &v, &vl) && rl_name_is_secret(v, vl)) {
      add_hit(p, what, rl_arena_printf(p->a, "a secret read from config key %.*s", (int)vl, v));
      return;
    }
  }
  if (type_is(ci, "call_expression") && imported_hit(p, ci, what)) return;
  rl_mint m;
  /* rl_mint_token_expr follows identifiers; `{ t }` is followed here. */
  if (rl_mint_token_expr(p->jf, n, &m) || (!ts_node_is_null(init) && rl_mint_token_expr(p->jf, init, &m))) {
    add_hit(p, what, mint_why(p, &m));
    return;
  }
  if (rl_name_is_secret(t, len) && !public_literal(p, init, t, len)) {
    add_hit(p, what, "a secret-named value");
    return;
  }
  /* console.log(config) with const config = { appSecret: ... } */
  TSNode obj = rl_js_object_of(p->jf, n);
  if (!ts_node_is_null(obj)) {
    push_via(p, obj, what);
    return;
  }
  /* const bearer = 'Bearer ' + API_KEY (or a template): what is joined into
   * it is printed with it */
  if (type_is(ci, "binary_expression") || type_is(ci, "template_string")) push_via(p, ci, what);
}

static const char *const passthrough_calls[] = {
    "JSON.stringify", "String",      "util.inspect", "util:inspect",      "util.format",      "util:format", "inspect",
    "format",         "Buffer.from", "Buffer:from",  "node:util:inspect", "node:util:format", NULL};
static const char *const passthrough_methods[] = {"toString", "trim",   "toUpperCase", "toLowerCase",
                                                  "concat",   "toJSON", NULL};

static void on_call(printed *p, TSNode n) {
  if (env_hit(p, n, NULL)) return; /* Deno.env.get('HMS_APP_SECRET') */
  rl_mint m;
  if (rl_mint_token_expr(p->jf, n, &m)) {
    add_hit(p, display(p, n, "a token", 7), mint_why(p, &m));
    return;
  }
  if (imported_hit(p, n, NULL)) return;
  TSNode fn = rl_js_unwrap(field(n, "function"));
  TSNode args = field(n, "arguments");
  const char *c = rl_js_callee(p->jf, n);
  if (c && rl_str_in_list(c, strlen(c), passthrough_calls)) {
    /* util.format('%o', x) prints every argument; the others print the first. */
    if (strstr(c, "format"))
      for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) push(p, ts_node_named_child(args, i));
    else
      push(p, rl_js_call_arg(n, 0));
    return;
  }
  if (type_is(fn, "member_expression")) {
    size_t ml;
    const char *mt = rl_js_text(p->jf, field(fn, "property"), &ml);
    if (rl_str_in_list(mt, ml, passthrough_methods)) {
      push(p, field(fn, "object"));
      if (ml == 6 && memcmp(mt, "concat", 6) == 0)
        for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) push(p, ts_node_named_child(args, i));
    }
  }
  /* Any other function: its result is derived from the argument (a mask,
   * a boolean, a hash, a decoded payload), not the argument. */
}

static void step(printed *p, TSNode n);

static void step(printed *p, TSNode n) {
  n = rl_js_unwrap(n);
  if (ts_node_is_null(n)) return;
  const char *t = ts_node_type(n);
  if (!strcmp(t, "identifier") || !strcmp(t, "shorthand_property_identifier")) {
    on_identifier(p, n);
  } else if (!strcmp(t, "member_expression") || !strcmp(t, "subscript_expression")) {
    size_t len;
    const char *txt = rl_js_text(p->jf, n, &len);
    if ((len == 11 && memcmp(txt, "process.env", 11) == 0) || (len == 15 && memcmp(txt, "import.meta.env", 15) == 0)) {
      add_hit(p, rl_arena_printf(p->a, "%.*s", (int)len, txt), "every environment variable, secrets included");
      return;
    }
    if (env_hit(p, n, NULL)) return;
    rl_mint m;
    if (rl_mint_token_expr(p->jf, n, &m)) {
      add_hit(p, display(p, n, "a token", 7), mint_why(p, &m));
      return;
    }
    const char *k = NULL;
    size_t kl = 0;
    if (!strcmp(t, "member_expression")) {
      k = rl_js_text(p->jf, field(n, "property"), &kl);
    } else if (!rl_js_string_value(p->jf, field(n, "index"), &k, &kl)) {
      k = NULL;
    }
    if (k && rl_name_is_secret(k, kl) && !rl_name_is_public_by_design(k, kl) && !rl_secret_allowed(k, kl, NULL, 0))
      add_hit(p, display(p, n, k, kl), "a secret-named value");
  } else if (!strcmp(t, "template_string")) {
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
      TSNode c = ts_node_named_child(n, i);
      if (type_is(c, "template_substitution") && ts_node_named_child_count(c) > 0) push(p, ts_node_named_child(c, 0));
    }
  } else if (!strcmp(t, "binary_expression")) {
    TSNode op = field(n, "operator");
    const char *o = ts_node_type(op);
    if (!strcmp(o, "+") || !strcmp(o, "||") || !strcmp(o, "??")) {
      push(p, field(n, "left"));
      push(p, field(n, "right"));
    } else if (!strcmp(o, "&&")) {
      push(p, field(n, "right")); /* the left is printed only when falsy */
    }
  } else if (!strcmp(t, "ternary_expression")) {
    push(p, field(n, "consequence"));
    push(p, field(n, "alternative"));
  } else if (!strcmp(t, "object")) {
    const char *via = p->via;
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
      TSNode c = ts_node_named_child(n, i);
      const char *k;
      size_t kl;
      if (type_is(c, "spread_element")) {
        if (ts_node_named_child_count(c) > 0) push_via(p, ts_node_named_child(c, 0), via);
        continue;
      }
      if (!type_is(c, "pair") && !type_is(c, "shorthand_property_identifier")) continue;
      if (!rl_js_pair_key(p->jf, c, &k, &kl)) continue;
      const char *child = via ? rl_arena_printf(p->a, "%s.%.*s", via, (int)kl, k) : NULL;
      if (type_is(c, "shorthand_property_identifier")) {
        push_via(p, c, child);
        continue;
      }
      TSNode v = rl_js_unwrap(field(c, "value"));
      if (rl_name_is_secret(k, kl) &&
          (type_is(v, "identifier") || type_is(v, "member_expression") || type_is(v, "subscript_expression"))) {
        /* { appSecret: cfg.value }: the key says what the value is, unless
         * the value says it better (an env read, a minted token). One level:
         * a reference's step pushes, it does not step again. */
        size_t before = p->nhits + p->more;
        p->via = child;
        step(p, v);
        p->via = via;
        if (p->nhits + p->more == before)
          add_hit(p, child ? child : rl_arena_printf(p->a, "%.*s", (int)kl, k), "a secret-named value");
      } else {
        push_via(p, v, child);
      }
    }
  } else if (!strcmp(t, "array")) {
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) push(p, ts_node_named_child(n, i));
  } else if (!strcmp(t, "call_expression")) {
    on_call(p, n);
  } else if (!strcmp(t, "spread_element") && ts_node_named_child_count(n) > 0) {
    push(p, ts_node_named_child(n, 0));
  }
  /* Everything else (literals, !x, typeof x, comparisons, new, functions)
   * prints no secret. */
}

/* Drains the work stack from n on (iterative: the stack is explicit). */
static void evaluate(printed *p, TSNode n) {
  size_t base = p->nstack;
  push_via(p, n, NULL);
  while (p->nstack > base) {
    p->nstack--;
    p->via = p->vias[p->nstack];
    step(p, p->stack[p->nstack]);
  }
}

/* ---- the rule -------------------------------------------------------------- */

static void check_call(rl_ctx *ctx, rl_jsfile *jf, TSNode call, TSNode args, const char *how) {
  /* On the stack (a few KiB): a file may hold thousands of log calls, and
   * the arena lives as long as the file. */
  printed pr;
  printed *p = &pr;
  memset(p, 0, sizeof *p);
  p->ctx = ctx;
  p->jf = jf;
  p->a = rl_ctx_arena(ctx);
  p->budget = 512;
  for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
    TSNode arg = ts_node_named_child(args, i);
    if (type_is(arg, "comment")) continue;
    evaluate(p, arg);
  }
  if (p->nhits == 0) return;
  const char *text = rl_arena_printf(p->a, "%s prints %s (%s)", how, p->hits[0].what, p->hits[0].why);
  if (p->nhits > 1) text = rl_arena_printf(p->a, "%s and %s (%s)", text, p->hits[1].what, p->hits[1].why);
  if (p->more) text = rl_arena_printf(p->a, "%s and %zu more", text, p->more);
  rl_report(ctx, call, "%s", text);
}

static const rl_symbol *callee_of(void *data, TSNode call) { return rl_ctx_callee(data, call); }

/* The methods a logger logs with: the walk's and the prefilter's one list. */
static const char *const log_methods[] = {"log",     "info",  "warn",   "warning",  "error", "debug", "trace", "fatal",
                                          "verbose", "silly", "notice", "critical", "dir",   "table", NULL};

static int debug_fn_name(const char *s, size_t n);

/* One call: a logger's method (obj.method(...), from_logger 1) or a debug
 * instance (fn(...)). */
static void on_log_call(rl_ctx *ctx, rl_jsfile *jf, TSNode call, TSNode args, TSNode obj, int from_logger) {
  if (rl_js_unreachable(call)) return; /* after a return: it never prints */
  TSNode fn = field(call, "function");
  size_t fl;
  const char *ft = rl_js_text(jf, fn, &fl);
  if (from_logger) {
    int is_console;
    if (!is_logger(jf, obj, &is_console)) return;
    if (is_console && rl_script_reason(jf, rl_ctx_root(ctx), NULL, callee_of, ctx)) return; /* facts/script.h */
  } else {
    if (!is_debug_instance(jf, fn)) return;
  }
  const char *how = fl <= 40 && !memchr(ft, '\n', fl) ? rl_arena_printf(rl_ctx_arena(ctx), "%.*s", (int)fl, ft)
                                                      : "a log call";
  check_call(ctx, jf, call, args, how);
}

/* Every call in document order, from the file's node index (two query
 * patterns, `obj.method(args)` and `fn(args)`, cost more than the rest of
 * the rule on large files). */
static int call_visit(void *data, TSNode n) {
  rl_ctx *ctx = data;
  if (strcmp(ts_node_type(n), "call_expression")) return 0;
  TSNode args = field(n, "arguments");
  if (ts_node_is_null(args) || strcmp(ts_node_type(args), "arguments")) return 0; /* a tagged template */
  rl_jsfile *jf = rl_ctx_js(ctx);
  TSNode fn = field(n, "function");
  const char *ft = ts_node_type(fn);
  size_t l;
  if (!strcmp(ft, "member_expression")) {
    TSNode prop = field(fn, "property");
    if (ts_node_is_null(prop) || strcmp(ts_node_type(prop), "property_identifier")) return 0;
    const char *m = rl_js_text(jf, prop, &l);
    if (rl_str_in_list(m, l, log_methods)) on_log_call(ctx, jf, n, args, field(fn, "object"), 1);
  } else if (!strcmp(ft, "identifier")) {
    const char *name = rl_js_text(jf, fn, &l);
    if (debug_fn_name(name, l)) on_log_call(ctx, jf, n, args, fn, 0);
  }
  return 0;
}

static void on_file(rl_ctx *ctx) {
  if (rl_ctx_js(ctx)) rl_js_walk(rl_ctx_root(ctx), call_visit, ctx);
}

/* Every log call names its level or the debug instance: one of these is in
 * the callee's text. */
static const char *const needles[] = {"log",    "Log",      "info",  "warn",  "error",   "debug",
                                      "Debug",  "dbg",      "trace", "fatal", "verbose", "silly",
                                      "notice", "critical", "dir",   "table", NULL};

/* Every finding needs a log call and a hit in its arguments.
 *
 * The log call is one of call_visit's two shapes:
 *   0. `obj.method(...)`: a '.' (white space or a comment may follow it),
 *      one of the method names as a whole word, and then, after white space
 *      or comments, the call's '(' (or '<' of type arguments, '?.' of an
 *      optional call): member_call_possible;
 *   1. `fn(...)` with a debug_fn_name, which is_debug_instance
 *      accepts only when fn is bound by `const fn = <init>` (or
 *      `const fn: T = ...`): such a name followed by '(' (or '<', '?') and
 *      also by '=' or ':', and "const": debug_call_possible.
 * A non-ASCII byte may be Unicode white space (or part of a Unicode name),
 * so one next to a name lets anything stand there.
 * Either way is_logger / is_debug_instance needs `console`, a logger name
 * (log, logger, LOGGER, Logger, *Logger, *_logger, *_LOGGER, winston,
 * consola, signale) or a const bound to a call whose callee names pino,
 * winston, bunyan, log4js, Logger, logger or consola (a callee's canonical
 * name is made of the file's own identifiers and module specifiers), or
 * `debug` (require('debug'), an import from 'debug'). So the bytes hold
 * "log" in some case, or console, winston, consola, signale, pino, bunyan
 * or debug.
 *
 * The hit: a secret-named identifier, property, object key or string key
 * (rl_pf_secret_name: identifier runs and quoted text as written); a
 * minted token (rl_mint_token_expr, whose sites all come from a mint
 * package's import: rl_mint_possible); or an environment read. A read is of
 * process.env / import.meta.env / Bun.env / Deno.env or of `env` imported from
 * 'process', and its name may be a constant computed by concatenation (not a
 * secret name in the bytes), so it needs "env" and one of process, Bun,
 * import, Deno. The whole process.env / import.meta.env is covered by this
 * too. */
static int space_byte(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

/* The first byte after white space from p on ('\0' at the end). A '/' may
 * open a comment: callers treat it as "anything may follow". */
static char next_byte(const char *p, const char *end) {
  while (p < end && space_byte(*p)) p++;
  return p < end ? *p : '\0';
}

/* The last byte before p that is not white space. Past a line break, the
 * line before may end in a // comment, so whatever that line holds, '/' is
 * returned for it. */
static char prev_byte(const char *b, const char *p) {
  while (p > b && space_byte(p[-1])) {
    p--;
    if (*p != '\n' && *p != '\r') continue;
    const char *line = p;
    while (line > b && line[-1] != '\n' && line[-1] != '\r') line--;
    if (memmem(line, (size_t)(p - line), "//", 2)) return '/';
  }
  return p > b ? p[-1] : '\0';
}

/* '(' of a call, '<' of type arguments, '?.' of an optional call, a
 * comment, or a non-ASCII byte (Unicode white space may stand there). */
static int call_follows(char c) { return c == '(' || c == '<' || c == '?' || c == '/' || (unsigned char)c >= 0x80; }

/* ---- what the arguments of one log call could print ------------------------------ */

typedef struct arg_scan {
  const rl_prefilter *pf;
  const char *b;
  size_t n;
  size_t budget;                   /* bytes left to read; then say yes */
  int mint;                        /* a mint package or a local module is imported: a call may return a token */
  size_t following[8], nfollowing; /* offsets of the names being followed: a cycle adds nothing */
  struct name_memo *memo;          /* answers for names asked from a call's arguments */
} arg_scan;

/* Answers for names asked at the top (a log call's own arguments), where no
 * cycle assumption is in force, so each is final. */
#define NAME_MEMO_SLOTS 4096
typedef struct name_memo {
  size_t at, len; /* the name's bytes; len 0 = empty slot */
  int answer;
} name_memo;

static name_memo *memo_find(arg_scan *a, size_t at, size_t len) {
  if (!a->memo) return NULL;
  size_t h = 5381;
  for (size_t k = 0; k < len; k++) h = h * 33 + (unsigned char)a->b[at + k];
  for (size_t k = 0; k < 64; k++) {
    name_memo *m = &a->memo[(h + k) % NAME_MEMO_SLOTS];
    if (m->len == 0 || (m->len == len && !memcmp(a->b + m->at, a->b + at, len))) return m;
  }
  return NULL;
}

static int text_may_print(arg_scan *a, size_t i, int depth, int one_value);
static int space_byte(char c);

static int secret_word(const char *t, size_t len) {
  return (len == 3 && !memcmp(t, "env", 3)) || rl_name_is_secret(t, len);
}

typedef struct decl_scan {
  arg_scan *a;
  size_t len;
  int depth;
  int declared; /* `const X`, `let X`, `var X` seen */
} decl_scan;

/* The declaring keyword or list comma right before a candidate at b[at]
 * (len bytes long). After a comma only `X =` or `X: T =` declares (const
 * a = 1, X = ...); `, X: 1` is a key and `, X: T)` a parameter. */
static int declares(const char *b, size_t n, size_t at, size_t len, int *keyword) {
  size_t p = at;
  while (p > 0 && space_byte(b[p - 1])) p--;
  *keyword = 0;
  if (p > 0 && b[p - 1] == ',') {
    size_t j = rl_pf_skip_blank(b, n, at + len);
    if (j < n && b[j] == ':')
      while (j < n && !strchr("=,;)}\n", b[j])) j++;
    return j < n && b[j] == '=' && (j + 1 >= n || (b[j + 1] != '=' && b[j + 1] != '>'));
  }
  static const char *const words[] = {"const", "let", "var", NULL};
  for (size_t k = 0; words[k]; k++) {
    size_t l = strlen(words[k]);
    if (p >= l && !memcmp(b + p - l, words[k], l) &&
        (p == l || !(isalnum((unsigned char)b[p - l - 1]) || b[p - l - 1] == '_' || b[p - l - 1] == '$'))) {
      *keyword = 1;
      return 1;
    }
  }
  return 0;
}

static int count_declared(size_t at, void *arg) {
  decl_scan *d = arg;
  int keyword;
  if (declares(d->a->b, d->a->n, at, d->len, &keyword) && keyword) d->declared++;
  return 0;
}

/* A name's value is followed through a binding that is the name's only one
 * (rl_js_const_init, rl_js_object_of: const or let, bound once): the value
 * of a declaration of the name decides, a few hops deep. */
static int decl_may_print(size_t at, void *arg) {
  decl_scan *d = arg;
  int keyword;
  if (!declares(d->a->b, d->a->n, at, d->len, &keyword)) return 0; /* an assignment or a key: not followed */
  size_t j = rl_pf_skip_blank(d->a->b, d->a->n, at + d->len);
  if (j >= d->a->n) return 0;
  arg_scan *a = d->a;
  for (size_t k = 0; k < a->nfollowing; k++)
    if (a->following[k] == at) return 0; /* already being followed */
  if (d->depth >= 8 || a->nfollowing == RL_ARRAY_LEN(a->following)) return 1;
  a->following[a->nfollowing++] = at;
  int r = text_may_print(a, j + 1, d->depth + 1, 1);
  a->nfollowing--;
  return r;
}

/* Calls whose result is their argument, or holds it (on_call): everything
 * else returns something derived (a mask, a hash, a boolean), not printed. */
static int passes_through(const char *t, size_t len) {
  static const char *const names[] = {"stringify", "String", "inspect",     "format",      "from",   "toString",
                                      "trim",      "concat", "toUpperCase", "toLowerCase", "toJSON", NULL};
  for (size_t k = 0; names[k]; k++)
    if (strlen(names[k]) == len && !memcmp(t, names[k], len)) return 1;
  return 0;
}

/* A method call's arguments are printed only through a pass-through
 * (on_call reads the property's own name). A plain name could alias one
 * (`const show = util.inspect`, `import { inspect as show }`, a
 * destructured require), so its arguments are always read. */
static int call_args_printed(const arg_scan *a, size_t s, size_t len, int member) {
  return !member || passes_through(a->b + s, len);
}

/* 1 if the code from b[i] could print a secret: up to the closing bracket of
 * a call's arguments (one_value = 0), or to the end of one value (one_value:
 * a ',' or ';' at its own level, or a closing bracket). Strings count by
 * their text too (config.get('HMS_APP_SECRET')). A regex or division, or a
 * template's nesting past what is tracked, means "maybe". */
static int text_may_print(arg_scan *a, size_t i, int depth, int one_value) {
  const char *b = a->b;
  size_t n = a->n;
  int level = 0;
  unsigned char tmpl[32]; /* per open template: the brace level its ${ opened at, +1 */
  int nt = 0;
  while (i < n) {
    if (a->budget == 0) return 1;
    a->budget--;
    unsigned char c = (unsigned char)b[i];
    if (nt > 0 && tmpl[nt - 1] == 0) { /* in a template's text */
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == '`') {
        nt--;
        i++;
        continue;
      }
      if (c == '$' && i + 1 < n && b[i + 1] == '{') {
        tmpl[nt - 1] = (unsigned char)(level + 1);
        level++;
        i += 2;
        continue;
      }
      /* words in a template's text are printed as text, but judge them
       * anyway: they may be a substitution-free value's name */
      if (isalpha(c) || c == '_') {
        size_t s = i;
        while (i < n && (isalnum((unsigned char)b[i]) || b[i] == '_' || b[i] == '$')) i++;
        if (secret_word(b + s, i - s)) return 1;
        continue;
      }
      i++;
      continue;
    }
    if (c == '\'' || c == '"') {
      size_t k = rl_pf_string_end(b, n, i, NULL);
      if (!k) return 1;
      if (k > i + 2 && k - i - 2 <= 256 && rl_name_is_secret(b + i + 1, k - i - 2)) return 1;
      i = k;
      continue;
    }
    if (c == '`') {
      if (nt == (int)sizeof tmpl) return 1;
      tmpl[nt++] = 0;
      i++;
      continue;
    }
    if (c == '/') {
      size_t j = rl_pf_slash_end(b, n, i);
      if (!j) return 1; /* an unclosed regex: brackets may hide in it */
      i = j;
      continue;
    }
    if (c == '(' || c == '[' || c == '{') {
      level++;
      i++;
      continue;
    }
    if (c == ')' || c == ']' || c == '}') {
      if (nt > 0 && c == '}' && tmpl[nt - 1] == level) { /* the end of a ${...} */
        tmpl[nt - 1] = 0;
        level--;
        i++;
        continue;
      }
      if (level == 0) return 0;
      level--;
      i++;
      continue;
    }
    if (c == '=' && i + 1 < n && b[i + 1] == '>') { /* an arrow's block body is never printed */
      size_t j = rl_pf_skip_blank(b, n, i + 2);
      if (j < n && b[j] == '{') {
        size_t k = rl_pf_group_end(a->b, a->n, j, &a->budget);
        if (!k) return 1;
        i = k;
        continue;
      }
    }
    if ((c == ',' || c == ';') && level == 0 && nt == 0 && one_value) return 0;
    if (c >= 0x80) return 1; /* a Unicode name: not judged here */
    if (isalpha(c) || c == '_' || c == '$') {
      size_t s = i;
      while (i < n && (isalnum((unsigned char)b[i]) || b[i] == '_' || b[i] == '$')) i++;
      if (i < n && (unsigned char)b[i] >= 0x80) return 1;
      if (secret_word(b + s, i - s)) return 1;
      size_t wl = i - s;
      if ((wl == 5 && !memcmp(b + s, "class", 5)) || (wl == 8 && !memcmp(b + s, "function", 8)) ||
          (wl == 3 && !memcmp(b + s, "new", 3))) {
        /* a class or function value, or an instance: never printed as a
         * secret (step() follows neither); skip to the end of its body or
         * arguments: the first group at this level, and a function's body */
        size_t j = i;
        while (j < n && b[j] != '{' && b[j] != '(' && b[j] != ';' && b[j] != ',' && b[j] != ')' && b[j] != '\n') j++;
        if (j >= n || (b[j] != '{' && b[j] != '(')) continue;
        size_t k = rl_pf_group_end(a->b, a->n, j, &a->budget);
        if (!k) return 1;
        if (b[j] == '(' && wl == 8) { /* function (params) { body } */
          k = rl_pf_skip_blank(b, n, k);
          if (k < n && b[k] == '{') k = rl_pf_group_end(a->b, a->n, k, &a->budget);
          if (!k) return 1;
        }
        i = k;
        continue;
      }
      size_t j = rl_pf_skip_blank(b, n, i);
      char before = s > 0 ? b[s - 1] : ' ';
      if (j < n && b[j] == '(') {
        if (a->mint) return 1; /* a call may mint a token */
        if (!call_args_printed(a, s, i - s, before == '.')) {
          size_t k = rl_pf_group_end(a->b, a->n, j, &a->budget); /* a derived value: its arguments are not printed */
          if (!k) return 1;
          i = k;
          continue;
        }
      }
      if (before == '.' || i - s >= 64) continue; /* a property: judged by its name */
      name_memo *m = depth == 0 ? memo_find(a, s, i - s) : NULL;
      if (m && m->len) {
        if (m->answer) return 1;
        continue;
      }
      decl_scan d = {a, i - s, depth, 0};
      rl_pf_each_decl(a->pf, b + s, i - s, count_declared, &d);
      /* declared twice or more: bound more than once, never followed */
      int answer = d.declared < 2 && rl_pf_each_decl(a->pf, b + s, i - s, decl_may_print, &d);
      if (m) *m = (name_memo){s, i - s, answer};
      if (answer) return 1;
      continue;
    }
    i++;
  }
  return 0;
}

/* `} = process.env` and the like: names bound by destructuring an env
 * object are env reads whatever they are called. */
static int env_destructured(const rl_prefilter *pf) {
  size_t n;
  const char *b = rl_pf_bytes(pf, &n);
  for (size_t at = rl_pf_word_from(pf, 0, "env"); at < n; at = rl_pf_word_from(pf, at + 1, "env")) {
    size_t p = at;
    while (p > 0 && at - p < 48 && b[p - 1] != '=' && b[p - 1] != ';' && b[p - 1] != '\n') p--;
    if (p == 0 || b[p - 1] != '=') continue;
    p--;
    while (p > 0 && space_byte(b[p - 1])) p--;
    if (p > 0 && (b[p - 1] == '}' || b[p - 1] == ']' || b[p - 1] == '/')) return 1;
  }
  return 0;
}

/* The arguments of the call whose name ends at b[i]: 1 if they could print a
 * secret (or the call's shape is unsure). */
static int call_may_print(arg_scan *a, size_t i) {
  size_t j = rl_pf_skip_blank(a->b, a->n, i);
  if (j + 1 < a->n && a->b[j] == '?') { /* log?.(...) calls; log ? a : b does not */
    if (a->b[j + 1] != '.') return 0;
    j = rl_pf_skip_blank(a->b, a->n, j + 2);
  }
  if (j >= a->n || a->b[j] != '(') return 1; /* type arguments, a Unicode name...: unsure */
  return text_may_print(a, j + 1, 0, 0);
}

/* A logger method call whose arguments could print a secret (a NULL scan:
 * any such call). */
static int member_call_possible(const rl_prefilter *pf, arg_scan *a) {
  const char *const *methods = log_methods;
  size_t n;
  const char *b = rl_pf_bytes(pf, &n);
  for (size_t i = 0; methods[i]; i++) {
    size_t k = strlen(methods[i]);
    for (size_t at = rl_pf_word_from(pf, 0, methods[i]); at < n; at = rl_pf_word_from(pf, at + 1, methods[i])) {
      char before = prev_byte(b, b + at);
      int member = before == '.' || before == '/' || (unsigned char)before >= 0x80;
      if (member && call_follows(next_byte(b + at + k, b + n)) && (!a || call_may_print(a, at + k))) return 1;
    }
  }
  return 0;
}

/* A debug instance's name: debug, dbg, log, trace, or ending in Debug, Log,
 * _debug or _log. */
static int debug_fn_name(const char *s, size_t n) {
  static const char *const whole[] = {"debug", "dbg", "log", "trace", NULL};
  static const char *const tails[] = {"Debug", "Log", "_debug", "_log", NULL};
  for (size_t i = 0; whole[i]; i++)
    if (strlen(whole[i]) == n && memcmp(s, whole[i], n) == 0) return 1;
  for (size_t i = 0; tails[i]; i++) {
    size_t k = strlen(tails[i]);
    if (n >= k && memcmp(s + n - k, tails[i], k) == 0) return 1;
  }
  return 0;
}

typedef struct debug_scan {
  const rl_prefilter *pf;
  arg_scan *args; /* NULL: any call counts */
} debug_scan;

static int any_decl(size_t at, void *arg) {
  (void)at;
  (void)arg;
  return 1;
}

/* name (an ASCII piece of an identifier run) is called at text..text+len and
 * bound somewhere. A non-ASCII byte next to it may be Unicode white space,
 * after which anything may follow. */
static int debug_piece(debug_scan *ds, const char *text, size_t len) {
  size_t n;
  const char *b = rl_pf_bytes(ds->pf, &n);
  char after = next_byte(text + len, b + n);
  if (!debug_fn_name(text, len) || !call_follows(after)) return 0;
  /* bound somewhere: the name followed by '=' or ':' (rl_pf_each_decl) */
  if (!rl_pf_each_decl(ds->pf, text, len, any_decl, NULL)) return 0;
  return !ds->args || call_may_print(ds->args, (size_t)(text + len - b));
}

/* A run of identifier bytes names a debug instance that is called here and
 * bound somewhere. Non-ASCII bytes may be Unicode letters or Unicode white
 * space, so each ASCII piece between them is tried as the name (debug_fn_name
 * takes a whole name or a tail, both of which end a piece). */
static int debug_call_at(const char *text, size_t len, void *arg) {
  size_t i = 0;
  while (i < len) {
    if ((unsigned char)text[i] >= 0x80) {
      i++;
      continue;
    }
    size_t start = i;
    while (i < len && (unsigned char)text[i] < 0x80) i++;
    if (debug_piece(arg, text + start, i - start)) return 1;
  }
  return 0;
}

static int debug_call_possible(const rl_prefilter *pf, arg_scan *a) {
  debug_scan ds = {pf, a};
  return rl_pf_has(pf, "const") && rl_pf_each_ident(pf, debug_call_at, &ds);
}

/* A log call, whose arguments could print a secret when a is not NULL. */
static int log_call_possible(const rl_prefilter *pf, arg_scan *a) {
  static const char *const words[] = {"console", "winston", "consola", "signale", "pino", "bunyan", "debug", NULL};
  int named = rl_pf_has_caseless(pf, "log");
  for (size_t i = 0; !named && words[i]; i++) named = rl_pf_has(pf, words[i]);
  return named && (member_call_possible(pf, a) || debug_call_possible(pf, a));
}

/* Past the file-wide needs, each log call's arguments are read: a secret
 * name or `env` in them (strings and template text included), a call when
 * a mint package or a local module is imported, or a name whose declarations could bind it to
 * such a text (text_may_print). Names bound by destructuring an env object
 * are not followed, so a file that destructures one is judged file-wide. */
static int can_fire(rl_prefilter *pf) {
  /* a call may return a token: a mint package's, or a function another
   * file exports (rl_ctx_callee) */
  int mint = rl_mint_possible(pf) || rl_summary_possible(pf);
  if (!(rl_pf_env_read(pf) || rl_pf_secret_name(pf) || mint)) return 0;
  if (env_destructured(pf)) return log_call_possible(pf, NULL);
  size_t n;
  const char *b = rl_pf_bytes(pf, &n);
  arg_scan a = {pf, b, n, 4 * n + 65536, mint, {0}, 0, rl_xcalloc(NAME_MEMO_SLOTS, sizeof(name_memo))};
  int yes = log_call_possible(pf, &a);
  free(a.memo);
  return yes;
}

const rl_rule rl_rule_secret_logged = {
    .id = "secret-logged",
    .title = "Secret or token written to a log",
    .severity = RL_SEV_WARNING,
    .cwe = 532,
    .doc = rl_doc__secret_logged,
    .langs = RL_LANGS_CODE,
    .contexts = RL_CTX_BIT(RL_CTX_CLIENT) | RL_CTX_BIT(RL_CTX_SERVER) | RL_CTX_BIT(RL_CTX_UNKNOWN),
    .query = NULL,
    .on_file = on_file,
    .needles = needles,
    .can_fire = can_fire,
    .bad_example = "const jwt = require('jsonwebtoken');\n"
                   "const APP_SECRET = process.env.HMS_APP_SECRET;\n"
                   "function issue(roomId, userId) {\n"
                   "  const token = jwt.sign({ room_id: roomId, user_id: userId }, APP_SECRET, { expiresIn: '2h' });\n"
                   "  console.log('issued', token);\n"
                   "  return token;\n"
                   "}\n"
                   "module.exports = { issue };\n",
    .good_example = "const jwt = require('jsonwebtoken');\n"
                    "const APP_SECRET = process.env.HMS_APP_SECRET;\n"
                    "function issue(roomId, userId) {\n"
                    "  const token = jwt.sign({ room_id: roomId, user_id: userId }, APP_SECRET, { expiresIn: '2h' });\n"
                    "  console.log('issued a token for', userId, 'in room', roomId);\n"
                    "  return token;\n"
                    "}\n"
                    "module.exports = { issue };\n",
    .precision = "high",
    .security_severity = "5.5",
};
