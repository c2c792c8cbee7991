/* Command-line scripts (script.h): one walk over the top level for what
 * servers and modules do, one for the console calls the top level runs. */
#include "script.h"

#include <string.h>

#include "mint.h"
#include "project.h"
#include "routes.h"
#include "util.h"

#define MAX_RUN 32
#define MAX_UP 16

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && strcmp(ts_node_type(n), t) == 0; }

static TSNode field(TSNode n, const char *name) { return rl_js_field(n, name); }

static const char R_SHEBANG[] = "a #! line";
static const char R_PATH[] = "under scripts/ or bin/";
static const char R_TOP[] = "it mints and prints at top level with no server, route or export";
static const char R_NONE[] = ""; /* memo: computed, not a script */

static int under_script_dir(const char *path) {
  return !strncmp(path, "scripts/", 8) || strstr(path, "/scripts/") || !strncmp(path, "bin/", 4) ||
         strstr(path, "/bin/");
}

typedef struct scan {
  rl_jsfile *jf;
  int server;               /* listen(), serve(), an export... */
  const char *run[MAX_RUN]; /* names the top level calls: main */
  size_t runlen[MAX_RUN];
  uint32_t nrun;
  int prints;
  int mints;
  rl_callee_fn lookup;
  void *lookup_data;
} scan;

/* Calls and statements that make a file a server or a module. */
static int server_visit(void *data, TSNode n) {
  scan *s = data;
  const char *t = ts_node_type(n);
  if (!strcmp(t, "export_statement")) {
    /* `export {};` only makes a TypeScript file a module (for top-level await) */
    TSNode c = ts_node_named_child(n, 0);
    if (ts_node_named_child_count(n) == 1 && type_is(c, "export_clause") && ts_node_named_child_count(c) == 0) return 1;
    s->server = 1;
    return -1;
  }
  if (!strcmp(t, "assignment_expression")) {
    size_t l;
    const char *x = rl_js_text(s->jf, field(n, "left"), &l);
    if ((l >= 14 && !memcmp(x, "module.exports", 14)) || (l > 8 && !memcmp(x, "exports.", 8))) {
      s->server = 1;
      return -1;
    }
    return 0;
  }
  if (strcmp(t, "call_expression") != 0) return 0;
  TSNode fn = rl_js_unwrap(field(n, "function"));
  TSNode name = type_is(fn, "member_expression") ? field(fn, "property") : fn;
  static const char *const starts[] = {"listen", "createServer", "serve", NULL};
  for (size_t i = 0; starts[i]; i++)
    if (rl_js_text_is(s->jf, name, starts[i])) {
      s->server = 1;
      return -1;
    }
  /* a service worker / Workers fetch listener */
  const char *ev;
  size_t el;
  if (rl_js_text_is(s->jf, name, "addEventListener") && rl_js_string_value(s->jf, rl_js_call_arg(n, 0), &ev, &el) &&
      el == 5 && !memcmp(ev, "fetch", 5)) {
    s->server = 1;
    return -1;
  }
  return 0;
}

/* The function a top-level statement calls: main() / main().catch(f) /
 * await main() / void main() / main().then(...). */
static void note_run(scan *s, TSNode e) {
  for (int i = 0; i < MAX_UP; i++) {
    e = rl_js_unwrap(e);
    if (type_is(e, "unary_expression")) {
      e = field(e, "argument");
      continue;
    }
    if (!type_is(e, "call_expression")) return;
    TSNode fn = rl_js_unwrap(field(e, "function"));
    if (type_is(fn, "identifier")) {
      if (s->nrun < MAX_RUN) {
        s->run[s->nrun] = rl_js_text(s->jf, fn, &s->runlen[s->nrun]);
        s->nrun++;
      }
      return;
    }
    if (!type_is(fn, "member_expression")) return;
    e = field(fn, "object"); /* main().catch(...) */
  }
}

/* Statements of the top level, also inside if / try / blocks there
 * (`if (require.main === module) main();`), not inside functions. */
static int run_visit(void *data, TSNode n) {
  scan *s = data;
  const char *t = ts_node_type(n);
  if (!strcmp(t, "function_declaration") || !strcmp(t, "class_declaration") || !strcmp(t, "lexical_declaration") ||
      !strcmp(t, "variable_declaration"))
    return 1;
  if (!strcmp(t, "expression_statement")) {
    note_run(s, ts_node_named_child(n, 0));
    return 1;
  }
  return 0;
}

static int runs(const scan *s, const char *name, size_t l) {
  for (uint32_t i = 0; i < s->nrun; i++)
    if (s->runlen[i] == l && !memcmp(s->run[i], name, l)) return 1;
  return 0;
}

/* The name a function is declared or bound under, or NULL. */
static const char *fn_name(scan *s, TSNode fn, size_t *l) {
  TSNode nm = field(fn, "name");
  if (type_is(nm, "identifier")) return rl_js_text(s->jf, nm, l);
  TSNode p = rl_js_parent(fn);
  if (type_is(p, "variable_declarator") && type_is(field(p, "name"), "identifier"))
    return rl_js_text(s->jf, field(p, "name"), l);
  return NULL;
}

/* 1 if the top level runs node n: every function around it is an IIFE, a
 * function the top level calls by name, or a callback handed to a call that
 * runs. */
static int top_runs(scan *s, TSNode n) {
  for (int i = 0; i < MAX_UP; i++) {
    TSNode fn = rl_js_enclosing_function(n);
    if (ts_node_is_null(fn)) return 1;
    TSNode p = rl_js_parent(fn);
    while (type_is(p, "parenthesized_expression")) p = rl_js_parent(p);
    size_t l;
    const char *name;
    if (type_is(p, "call_expression")) {
      /* (async () => { ... })() */
      n = p;
      continue;
    }
    if (type_is(p, "arguments") && type_is(rl_js_parent(p), "call_expression")) {
      /* a callback the call runs: jwt.sign(p, k, opts, (err, token) => ...),
       * main().then((t) => ...), when the call itself runs */
      n = rl_js_parent(p);
      continue;
    }
    if ((name = fn_name(s, fn, &l)) && runs(s, name, l)) {
      n = fn;
      continue;
    }
    return 0;
  }
  return 0;
}

static int print_visit(void *data, TSNode n) {
  scan *s = data;
  if (!type_is(n, "call_expression")) return 0;
  TSNode fn = rl_js_unwrap(field(n, "function"));
  if (!type_is(fn, "member_expression") || !rl_js_text_is(s->jf, field(fn, "object"), "console")) return 0;
  if (top_runs(s, n)) {
    s->prints = 1;
    return -1;
  }
  return 0;
}

static void on_mint(void *data, const rl_mint *m) {
  (void)m;
  ((scan *)data)->mints = 1;
}

/* A call of a helper another project file exports that mints (the project
 * model): `console.log(await mintToken())` in a generator script. */
static int helper_mint_visit(void *data, TSNode n) {
  scan *s = data;
  if (!type_is(n, "call_expression")) return 0;
  const rl_symbol *sym = s->lookup(s->lookup_data, n);
  if (sym && (sym->effects & RL_EFF_MINT)) {
    s->mints = 1;
    return -1;
  }
  return 0;
}

static const char *top_level_script(rl_jsfile *jf, TSNode root, const char *path, rl_callee_fn lookup, void *data) {
  scan s;
  memset(&s, 0, sizeof s);
  s.jf = jf;
  rl_js_walk(root, server_visit, &s);
  if (s.server) return NULL;
  rl_js_walk(root, run_visit, &s);
  rl_js_walk(root, print_visit, &s);
  if (!s.prints) return NULL;
  rl_mint_each(jf, root, on_mint, &s);
  if (!s.mints && lookup) {
    s.lookup = lookup;
    s.lookup_data = data;
    rl_js_walk(root, helper_mint_visit, &s);
  }
  if (!s.mints || rl_routes_any(jf, root, path)) return NULL;
  return R_TOP;
}

const char *rl_script_reason(rl_jsfile *jf, TSNode root, const char *path, rl_callee_fn lookup, void *data) {
  const char **memo = (const char **)rl_jsfile_memo(jf, RL_JS_MEMO_SCRIPT);
  if (*memo) return **memo ? *memo : NULL;
  const rl_source *src = rl_jsfile_source(jf);
  if (!path) path = src->path;
  const char *r = NULL;
  if (src->len >= 2 && src->bytes[0] == '#' && src->bytes[1] == '!')
    r = R_SHEBANG;
  else if (path && under_script_dir(path))
    r = R_PATH;
  else
    r = top_level_script(jf, root, path, lookup, data);
  *memo = r ? r : R_NONE;
  return r;
}
