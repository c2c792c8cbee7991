/* Client, server, test or unknown: where does a file's code run?
 *
 * Precedence, first match wins (the reason string names the winner):
 *   1. test path: __tests__/, __mocks__/, test/, tests/, spec/, e2e/, cypress/,
 *      *.test.*, *.spec.*, *.cy.*  -- runs in Node, never bundled.
 *   2. a "use client" / "use server" directive in the program's prologue
 *      (decisive: the author said so, and Next.js enforces it).
 *   2b. an import of 'server-only' (Next.js fails the build of a client
 *      bundle that holds it), and any file below app/ or src/app/ of a
 *      Next.js package with no "use client": the app router renders it as a
 *      Server Component, JSX and all.
 *   2c. in a Next.js package, a file that a "use client" module imports
 *      (directly or through modules it imports; src/model_client.c follows
 *      the imports) is client code: Next.js bundles it for the browser,
 *      directive or not. Not for a file certainly on the server
 *      (rl_context_server_bound: "use server", server-only, framework server
 *      paths, modules only a server runs), nor with --no-project.
 *   3. framework server paths: pages/api/, app/.../route.*, supabase/functions/,
 *      Expo Router API routes (*+api.ts), SvelteKit's +server.ts and its
 *      server-only modules (+page.server.ts, hooks.server.ts, any *.server.ts,
 *      src/lib/server/), whatever package.json lists. These files are never bundled for a
 *      browser, whatever they contain: Next.js OG-image routes legitimately
 *      render JSX (pages/api/og.tsx), and treating them as client would make
 *      every client-bundle rule fire on server code. A DOM global in an API
 *      route is a bug that crashes at runtime, not a sign the file ships.
 *   4. browser signals: a client SDK or UI framework import, JSX, a DOM global
 *      (window, document, localStorage, sessionStorage, navigator). These beat
 *      server imports: a server SDK imported next to them is the mistake.
 *      Except an import of Bun's own modules ('bun', 'bun:sqlite'): only the
 *      Bun runtime has them, so the file is a Bun server.
 *      A DOM global does not count when the file declares a binding of that
 *      name (`function save(document)` on a Mongo server), nor when the file
 *      tests `typeof <global>`: such a guard means the author wrote the file
 *      to run on the server too (isomorphic), so it says nothing about where
 *      it ships; the other signals decide.
 *   5. conventional server paths: server/, functions/, api/ -- except directly
 *      under src/ or lib/ (src/api/, lib/api/, src/functions/ are where front
 *      ends keep fetch wrappers and helpers), and api/ in a React Native/Expo
 *      package (Expo has no api/ convention; its server routes are *+api.ts).
 *   6. imports that need a server runtime: Node builtins (fs, http,
 *      child_process, ...; any "node:" specifier), server frameworks, DB
 *      drivers, server-only, dotenv, next/server. A bundle holding them would
 *      not build, so even inside a client app's package they mean a Node
 *      script. Builtins that bundlers commonly polyfill (buffer, events, path,
 *      url, util, stream, crypto without "node:") are not server signals.
 *   7. package.json says React Native/Expo: Metro bundles every file of the
 *      package, so a file importing jsonwebtoken or a server SDK there is
 *      client code (the demo app's token minting in lib/ is exactly that).
 *      Likewise a Vite or Create React App package (no server framework, no
 *      Next.js) for files under its src/; and in a package with Vite and a
 *      web framework beside a server one (a front end with its own dev
 *      server), a src/ file that reads import.meta.env (Vite's).
 *   8. server SDK imports (jsonwebtoken, agora-token, livekit-server-sdk,
 *      twilio, @100mslive/server-sdk): server-only by purpose, but bundlable,
 *      so they yield to 4 and 7.
 *   9. package.json says server app (a server framework and no UI framework).
 *      This beats the client paths below: `app/` is also a common folder name
 *      in Express projects.
 *  10. client paths: other pages/ and app/ files (Next.js, Expo Router).
 *  11. package.json says Vite/Create React App client app (any file).
 *  12. unknown.
 * Type-only imports (`import type`, `export type ... from`, imports whose
 * every specifier is `type`) are erased by the compiler and never count.
 * Dotenv files are classified by path only (1, 3, 5); otherwise unknown.
 *
 * Path signals look only at the components below the project root (the
 * directory holding .git, else the one holding the nearest package.json) when
 * that root is known, so scanning /home/me/tests/app or a CI checkout at
 * /builds/api/ does not turn every file into a test or server file. The
 * package.json lookup holds the cache's mutex while it reads files; after
 * the first file of a directory it is a hash lookup. */
#include "context.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "model_pkg.h"
#include "routes.h"
#include "prefilter.h"
#include "util.h"

/* ---- static tables (sorted by strcmp; checked by tables_sorted) --------- */

static const char *const client_sdks[] = {
    "@100mslive/hms-video",
    "@100mslive/hms-video-store",
    "@100mslive/react-native-hms",
    "@100mslive/react-sdk",
    "@100mslive/roomkit-react",
    "@daily-co/daily-js",
    "@daily-co/daily-react",
    "@daily-co/react-native-daily-js",
    "@livekit/components-react",
    "@livekit/react-native",
    "@opentok/client",
    "@twilio/video-react-native-sdk",
    "agora-rtc-react",
    "agora-rtc-sdk",
    "agora-rtc-sdk-ng",
    "livekit-client",
    "react-native-agora",
    "twilio-video",
};

static const char *const ui_frameworks[] = {
    "preact", "react", "react-dom", "react-native", "solid-js", "svelte", "vue",
};

/* Package names that are React Native / Expo only, matched as prefixes. */
static const char *const ui_prefixes[] = {
    "@expo/", "@react-native-", "@react-native/", "@react-navigation/", "expo-", "react-native-",
};

/* Modules that need a server runtime (Node builtins, server frameworks, DB
 * drivers): a bundle containing them would not even build. Matched against
 * the package name, or the whole specifier for "a/b". */
static const char *const server_modules[] = {
    "@hapi/hapi",
    "@koa/router",
    "@prisma/client",
    "body-parser",
    "bun",
    "child_process",
    "cluster",
    "dgram",
    "dns",
    "dotenv",
    "elysia",
    "express",
    "fastify",
    "firebase-admin",
    "firebase-functions",
    "fs",
    "hono",
    "http",
    "http2",
    "https",
    "inspector",
    "koa",
    "module",
    "mongoose",
    "mysql2",
    "net",
    "next/headers",
    "next/server",
    "os",
    "perf_hooks",
    "pg",
    "readline",
    "server-only",
    "tls",
    "v8",
    "vm",
    "worker_threads",
};

/* Server SDKs and credential libraries: server-only by purpose, but a bundler
 * will happily pack them into client code -- the mistake rules look for. */
static const char *const server_sdks[] = {
    "@100mslive/server-sdk", "agora-access-token", "agora-token", "jsonwebtoken", "livekit-server-sdk", "twilio",
};

static const char *const server_prefixes[] = {"@nestjs/"};

static const char *const dom_globals[] = {"document", "localStorage", "navigator", "sessionStorage", "window"};

static int sorted(const char *const *v, size_t n) {
  for (size_t i = 1; i < n; i++) {
    if (strcmp(v[i - 1], v[i]) >= 0) return 0;
  }
  return 1;
}

static int tables_sorted(void);

static void on_bun_import(void *arg, const char *spec, size_t n, TSNode at) {
  (void)at;
  int *found = arg;
  if ((n == 3 && !memcmp(spec, "bun", 3)) || (n > 4 && !memcmp(spec, "bun:", 4))) *found = 1;
}

/* Bun's own modules ('bun', 'bun:sqlite'): a file that loads one runs on the
 * Bun runtime, whatever client SDK it also imports (a Bun server that keeps
 * an unused livekit-client import). */
static int imports_bun(const rl_source *src, TSNode root, rl_arena *arena) {
  if (!memmem(src->bytes, src->len, "'bun", 4) && !memmem(src->bytes, src->len, "\"bun", 4)) return 0;
  int found = 0;
  rl_context_each_import(src, root, arena, on_bun_import, &found);
  return found;
}

/* The lookup tables are binary-searched; a misordered edit would silently
 * lose entries, so check once per run (also in release builds). */
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;
static void tables_check(void) {
  if (!tables_sorted()) {
    fputs("roomlint: internal error: context.c tables are not sorted\n", stderr);
    abort();
  }
}
static void check_tables(void) { pthread_once(&tables_once, tables_check); }

static int tables_sorted(void) {
  return sorted(client_sdks, RL_ARRAY_LEN(client_sdks)) && sorted(ui_frameworks, RL_ARRAY_LEN(ui_frameworks)) &&
         sorted(server_modules, RL_ARRAY_LEN(server_modules)) && sorted(server_sdks, RL_ARRAY_LEN(server_sdks)) &&
         sorted(dom_globals, RL_ARRAY_LEN(dom_globals));
}

/* Binary search of [p, p+n) in a sorted table; index or -1. p is bytes
 * from the scanned file and may hold NULs: compared by length, never as a
 * C string (strncmp stopped at a NUL in p and then read past the entry). */
static int table_find(const char *const *v, size_t count, const char *p, size_t n) {
  size_t lo = 0, hi = count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    size_t l = strlen(v[mid]);
    int c = memcmp(v[mid], p, l < n ? l : n);
    if (c == 0) c = (l > n) - (l < n);
    if (c == 0) return (int)mid;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

static int has_prefix(const char *const *v, size_t count, const char *p, size_t n) {
  for (size_t i = 0; i < count; i++) {
    size_t l = strlen(v[i]);
    if (n >= l && memcmp(p, v[i], l) == 0) return 1;
  }
  return 0;
}

/* ---- path signals -------------------------------------------------------- */

typedef struct comp {
  const char *p;
  size_t n;
} comp;

static int comp_is(comp c, const char *s) { return strlen(s) == c.n && memcmp(c.p, s, c.n) == 0; }

typedef struct path_signals {
  const char *test, *strong, *server, *api, *client; /* reasons, or NULL */
} path_signals;

/* Looks at the last `ncomp` components of path (all if ncomp < 0). */
static path_signals scan_path(const char *path, int ndirs, rl_arena *arena) {
  path_signals ps = {NULL, NULL, NULL, NULL, NULL};
  const char *start = path;
  if (ndirs >= 0) {
    int want = ndirs + 1, seen = 0;
    const char *p = path + strlen(path);
    while (p > path) {
      if (p[-1] == '/') {
        if (++seen == want) break;
      }
      p--;
    }
    start = p;
  }
  /* Split into components; the last one is the base name. */
  comp prev = {NULL, 0};
  const char *p = start;
  for (;;) {
    const char *s = p;
    while (*p && *p != '/') p++;
    comp c = {s, (size_t)(p - s)};
    int is_base = *p == '\0';
    if (!is_base) {
      if (c.n > 0) {
        if (!ps.test && (comp_is(c, "__tests__") || comp_is(c, "__mocks__") || comp_is(c, "test") ||
                         comp_is(c, "tests") || comp_is(c, "spec") || comp_is(c, "e2e") || comp_is(c, "cypress")))
          ps.test = rl_arena_printf(arena, "test directory %.*s/", (int)c.n, c.p);
        if (!ps.server && comp_is(c, "server")) ps.server = "path server/";
        /* src/api/, lib/api/, src/functions/: a front end's fetch wrappers and helpers */
        int helper_dir = prev.p && (comp_is(prev, "src") || comp_is(prev, "lib"));
        if (!ps.server && comp_is(c, "functions") && !helper_dir) ps.server = "path functions/";
        if (!ps.api && comp_is(c, "api") && !helper_dir && !(prev.p && comp_is(prev, "pages"))) ps.api = "path api/";
        if (!ps.client && (comp_is(c, "pages") || comp_is(c, "app")))
          ps.client = comp_is(c, "pages") ? "path pages/" : "path app/";
        prev = c;
      }
      p++;
      continue;
    }
    /* base name */
    for (size_t i = 0; !ps.test && i + 4 < c.n; i++) {
      if (i + 6 < c.n && memcmp(c.p + i, ".test.", 6) == 0) ps.test = "test file (*.test.*)";
      if (i + 6 < c.n && memcmp(c.p + i, ".spec.", 6) == 0) ps.test = "test file (*.spec.*)";
      if (memcmp(c.p + i, ".cy.", 4) == 0) ps.test = "test file (*.cy.*)";
    }
    break;
  }
  /* The frameworks' server-only paths: one answer, the route walk's. */
  rl_path_kind pk;
  rl_path_framework(start, arena, &pk);
  ps.strong = pk.server_only;
  return ps;
}

/* ---- tree signals -------------------------------------------------------- */

typedef struct tree_signals {
  const char *bytes;
  size_t len;
  rl_arena *arena;
  const char *client; /* reason for the first decisive browser signal */
  const char *server; /* reason for the first import needing a server runtime */
  const char *sdk;    /* reason for the first server SDK import */
  int server_only;    /* imports 'server-only': Next.js refuses it in a client bundle */
  unsigned dom_used;  /* bit i: dom_globals[i] used as a value */
  unsigned dom_declared;
  int dom_guard; /* typeof <dom global> seen */
  int vite_env;  /* reads import.meta.env (Vite's build-time environment) */
  TSNode dom_first[RL_ARRAY_LEN(dom_globals)];
  /* Ancestors of the node being visited (ts_node_parent is O(depth * siblings)
   * in tree-sitter 0.20; the walk knows the parent for free). */
  TSNode *parents;
  size_t depth, cap;
  /* rl_context_each_import: told of every module loaded at run time, and the
   * walk goes on past the first browser signal */
  void (*on_import)(void *arg, const char *spec, size_t n, TSNode at);
  void *import_arg;
} tree_signals;

static int node_is(TSNode n, const char *type) { return strcmp(ts_node_type(n), type) == 0; }

/* The inside of a string literal node (quotes removed). */
static int string_value(const tree_signals *t, TSNode s, const char **p, size_t *n) {
  if (ts_node_is_null(s) || !node_is(s, "string")) return 0;
  uint32_t a = ts_node_start_byte(s), b = ts_node_end_byte(s);
  if (b < a + 2 || b > t->len) return 0;
  *p = t->bytes + a + 1;
  *n = b - a - 2;
  return 1;
}

/* Length of the package name in a specifier: "@scope/name" or "name". */
static size_t package_len(const char *m, size_t n) {
  const char *slash = memchr(m, '/', n);
  if (m[0] == '@' && slash) {
    const char *s2 = memchr(slash + 1, '/', n - (size_t)(slash + 1 - m));
    return s2 ? (size_t)(s2 - m) : n;
  }
  return slash ? (size_t)(slash - m) : n;
}

/* An import of it makes a file client code: a client SDK, a UI framework. */
static int module_is_client(const char *m, size_t n, size_t pn) {
  return table_find(client_sdks, RL_ARRAY_LEN(client_sdks), m, pn) >= 0 || rl_config_is_client_sdk(m, pn) ||
         rl_config_is_client_sdk(m, n) || table_find(ui_frameworks, RL_ARRAY_LEN(ui_frameworks), m, pn) >= 0 ||
         (pn == 4 && memcmp(m, "expo", 4) == 0) || has_prefix(ui_prefixes, RL_ARRAY_LEN(ui_prefixes), m, pn);
}

static void on_module(tree_signals *t, const char *m, size_t n) {
  if (n == 0) return;
  if (n == 11 && memcmp(m, "server-only", 11) == 0) t->server_only = 1;
  if (n > 5 && memcmp(m, "node:", 5) == 0) {
    if (!t->server) t->server = rl_arena_printf(t->arena, "imports %.*s", (int)n, m); /* Node-only scheme */
    return;
  }
  size_t pn = package_len(m, n);
  if (module_is_client(m, n, pn)) {
    t->client = rl_arena_printf(t->arena, "imports %.*s", (int)pn, m);
    return;
  }
  if (!t->sdk && table_find(server_sdks, RL_ARRAY_LEN(server_sdks), m, pn) >= 0) {
    t->sdk = rl_arena_printf(t->arena, "imports %.*s", (int)pn, m);
    return;
  }
  if (t->server) return;
  if (table_find(server_modules, RL_ARRAY_LEN(server_modules), m, n) >= 0 ||
      table_find(server_modules, RL_ARRAY_LEN(server_modules), m, pn) >= 0 || rl_config_is_server_framework(m, pn) ||
      has_prefix(server_prefixes, RL_ARRAY_LEN(server_prefixes), m, pn)) {
    int whole = table_find(server_modules, RL_ARRAY_LEN(server_modules), m, n) >= 0;
    size_t shown = whole ? n : pn;
    t->server = rl_arena_printf(t->arena, "imports %.*s", (int)shown, m);
  }
}

/* A module the file loads at run time (import, export-from, require, import()). */
static void loaded(tree_signals *t, const char *m, size_t n, TSNode at) {
  on_module(t, m, n);
  if (t->on_import && n) t->on_import(t->import_arg, m, n, at);
}

/* Has an anonymous child token of this type (e.g. "type" in `import type`). */
static int has_token_child(TSNode n, const char *type) {
  uint32_t c = ts_node_child_count(n);
  for (uint32_t i = 0; i < c; i++) {
    TSNode k = ts_node_child(n, i);
    if (!ts_node_is_named(k) && node_is(k, type)) return 1;
  }
  return 0;
}

/* `import { type A, type B } from 'm'`: erased entirely by TypeScript. */
static int import_is_type_only(TSNode imp) {
  if (has_token_child(imp, "type")) return 1;
  TSNode clause = ts_node_named_child(imp, 0);
  if (ts_node_is_null(clause) || !node_is(clause, "import_clause") || ts_node_named_child_count(clause) != 1) return 0;
  TSNode named = ts_node_named_child(clause, 0);
  if (!node_is(named, "named_imports")) return 0;
  uint32_t ns = ts_node_named_child_count(named);
  if (ns == 0) return 0; /* `import {} from 'm'` still loads m */
  for (uint32_t i = 0; i < ns; i++) {
    TSNode spec = ts_node_named_child(named, i);
    if (node_is(spec, "import_specifier") && !has_token_child(spec, "type")) return 0;
  }
  return 1;
}

static int dom_index(const tree_signals *t, TSNode id) {
  uint32_t a = ts_node_start_byte(id), b = ts_node_end_byte(id);
  if (b > t->len || b - a < 6 || b - a > 14) return -1;
  return table_find(dom_globals, RL_ARRAY_LEN(dom_globals), t->bytes + a, b - a);
}

/* Is identifier `id` (child of `parent`) a binding rather than a use? */
static int is_binding(TSNode parent, TSNode id) {
  static const char *const binders[] = {
      "array_pattern",
      "catch_clause",
      "class_declaration",
      "formal_parameters",
      "function_declaration",
      "function_expression",
      "generator_function_declaration",
      "import_clause",
      "import_specifier",
      "namespace_import",
      "optional_parameter",
      "required_parameter",
      "rest_pattern",
  };
  const char *pt = ts_node_type(parent);
  for (size_t i = 0; i < RL_ARRAY_LEN(binders); i++) {
    if (strcmp(pt, binders[i]) == 0) return 1;
  }
  const char *field = NULL;
  if (strcmp(pt, "variable_declarator") == 0) field = "name";
  if (strcmp(pt, "assignment_pattern") == 0) field = "left";
  if (strcmp(pt, "pair_pattern") == 0) field = "value";
  if (field) {
    TSNode f = rl_js_field(parent, field);
    return !ts_node_is_null(f) && ts_node_eq(f, id);
  }
  return 0;
}

static void on_dom_identifier(tree_signals *t, TSNode id, int which) {
  if (t->depth == 0) return;
  TSNode parent = t->parents[t->depth - 1];
  if (node_is(parent, "type_query")) return; /* `typeof window` in a type: erased */
  if (node_is(parent, "unary_expression") && has_token_child(parent, "typeof")) {
    t->dom_guard = 1;
    return;
  }
  if (is_binding(parent, id)) {
    t->dom_declared |= 1u << which;
    return;
  }
  if (!(t->dom_used & (1u << which))) t->dom_first[which] = id;
  t->dom_used |= 1u << which;
}

/* Visits one node; returns 1 to descend into its children. */
static int visit(tree_signals *t, TSNode n) {
  const char *type = ts_node_type(n);
  switch (type[0]) {
  case 'i':
    if (strcmp(type, "import_statement") == 0) {
      if (import_is_type_only(n)) return 0;
      TSNode src = rl_js_field(n, "source");
      if (ts_node_is_null(src)) { /* import x = require('m') */
        uint32_t c = ts_node_named_child_count(n);
        for (uint32_t i = 0; i < c && ts_node_is_null(src); i++) {
          TSNode k = ts_node_named_child(n, i);
          if (node_is(k, "import_require_clause")) src = rl_js_field(k, "source");
        }
      }
      const char *p;
      size_t len;
      if (string_value(t, src, &p, &len)) loaded(t, p, len, n);
      return 0;
    }
    if (strcmp(type, "identifier") == 0) {
      int w = dom_index(t, n);
      if (w >= 0) on_dom_identifier(t, n, w);
      return 0;
    }
    return 1;
  case 'e':
    if (strcmp(type, "export_statement") == 0) {
      TSNode src = rl_js_field(n, "source");
      const char *p;
      size_t len;
      if (!has_token_child(n, "type") && string_value(t, src, &p, &len)) loaded(t, p, len, n);
    }
    return 1;
  case 'c':
    if (strcmp(type, "call_expression") == 0) {
      TSNode fn = rl_js_field(n, "function");
      int is_load = 0;
      if (node_is(fn, "import")) is_load = 1;
      if (node_is(fn, "identifier")) {
        uint32_t a = ts_node_start_byte(fn), b = ts_node_end_byte(fn);
        is_load = b <= t->len && b - a == 7 && memcmp(t->bytes + a, "require", 7) == 0;
      }
      if (is_load) {
        TSNode args = rl_js_field(n, "arguments");
        const char *p;
        size_t len;
        if (!ts_node_is_null(args) && ts_node_named_child_count(args) > 0 &&
            string_value(t, ts_node_named_child(args, 0), &p, &len))
          loaded(t, p, len, n);
      }
    } else if (strcmp(type, "comment") == 0) {
      return 0;
    }
    return 1;
  case 'm':
    /* import.meta.env.X: Vite replaces it when it bundles the file */
    if (strcmp(type, "member_expression") == 0 && !t->vite_env) {
      TSNode obj = rl_js_field(n, "object"), prop = rl_js_field(n, "property");
      uint32_t a = ts_node_start_byte(prop), b = ts_node_end_byte(prop);
      if (node_is(obj, "meta_property") && b <= t->len && b - a == 3 && memcmp(t->bytes + a, "env", 3) == 0)
        t->vite_env = 1;
    }
    return 1;
  case 'j':
    if (strcmp(type, "jsx_element") == 0 || strcmp(type, "jsx_self_closing_element") == 0 ||
        strcmp(type, "jsx_fragment") == 0) {
      t->client = "JSX";
      return 0;
    }
    return 1;
  case 's':
    if (strcmp(type, "shorthand_property_identifier") == 0) { /* { window } */
      int w = dom_index(t, n);
      if (w >= 0) on_dom_identifier(t, n, w);
      return 0;
    }
    if (strcmp(type, "string") == 0) return 0;
    return 1;
  default: return 1;
  }
}

/* Iterative pre-order walk; stops at the first decisive browser signal. */
static void scan_tree(tree_signals *t, TSNode root) {
  TSTreeCursor cur = ts_tree_cursor_new(root);
  for (;;) {
    TSNode node = ts_tree_cursor_current_node(&cur);
    int down = visit(t, node);
    if (t->client && !t->on_import) break;
    if (down && ts_tree_cursor_goto_first_child(&cur)) {
      if (t->depth == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->parents = rl_xreallocarray(t->parents, t->cap, sizeof *t->parents);
      }
      t->parents[t->depth++] = node;
      continue;
    }
    int moved = 0;
    for (;;) {
      if (ts_tree_cursor_goto_next_sibling(&cur)) {
        moved = 1;
        break;
      }
      if (!ts_tree_cursor_goto_parent(&cur)) break;
      if (t->depth > 0) t->depth--;
    }
    if (!moved) break;
  }
  ts_tree_cursor_delete(&cur);
  free(t->parents);
  t->parents = NULL;
  t->depth = t->cap = 0;
}

/* "use client" / "use server" among the leading string statements. */
static rl_context directive(const tree_signals *t, TSNode root, const char **why) {
  uint32_t c = ts_node_named_child_count(root);
  for (uint32_t i = 0; i < c; i++) {
    TSNode st = ts_node_named_child(root, i);
    if (node_is(st, "comment") || node_is(st, "hash_bang_line") || node_is(st, "hashbang_comment")) continue;
    if (!node_is(st, "expression_statement") || ts_node_named_child_count(st) != 1) break;
    TSNode s = ts_node_named_child(st, 0);
    const char *p;
    size_t n;
    if (!string_value(t, s, &p, &n)) break;
    if (n == 10 && memcmp(p, "use client", 10) == 0) {
      *why = "\"use client\" directive";
      return RL_CTX_CLIENT;
    }
    if (n == 10 && memcmp(p, "use server", 10) == 0) {
      *why = "\"use server\" directive";
      return RL_CTX_SERVER;
    }
  }
  return RL_CTX_UNKNOWN;
}

static int quoted_is_client(const char *text, size_t len, int escaped, void *arg) {
  (void)escaped;
  (void)arg;
  return len > 0 && len < 256 && module_is_client(text, len, package_len(text, len));
}

/* JSX could be in the bytes: TSX, or JavaScript with a '<' before a name or
 * '>' (TypeScript's grammar has no JSX). */
static int may_have_jsx(const rl_source *src) {
  if (src->lang == RL_LANG_TSX) return 1;
  if (src->lang != RL_LANG_JS) return 0;
  for (const char *p = src->bytes, *end = src->bytes + src->len; (p = memchr(p, '<', (size_t)(end - p))) != NULL;) {
    p++;
    if (p < end && (*p == '>' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) return 1;
  }
  return 0;
}

unsigned rl_context_possible(const rl_source *src, const rl_prefilter *pf, const char *fs_path, rl_pkgcache *pkg,
                             rl_arena *arena) {
  check_tables();
  rl_pkg_info info = rl_pkgcache_info(pkg, fs_path);
  path_signals ps = scan_path(src->path ? src->path : "", info.rel_dirs, arena);
  if (ps.test) return RL_CTX_BIT(RL_CTX_TEST);
  unsigned out = RL_CTX_BIT(RL_CTX_SERVER);
  /* what only the tree could say makes it client: the directive, a client
   * import, JSX, a browser global (each leaves its text in the bytes) */
  int client_bytes = rl_pf_has(pf, "use client") || may_have_jsx(src);
  for (size_t i = 0; !client_bytes && i < RL_ARRAY_LEN(dom_globals); i++) client_bytes = rl_pf_word(pf, dom_globals[i]);
  if (!client_bytes) client_bytes = rl_pf_each_quoted(pf, NULL, quoted_is_client, NULL);
  if (!client_bytes && info.vite_web && info.under_src) client_bytes = rl_pf_has(pf, "import.meta.env");
  if (client_bytes || ps.client || info.kind == RL_PKG_MOBILE || info.kind == RL_PKG_WEB ||
      (info.next && rl_pkgcache_client_importer(pkg, fs_path)))
    out |= RL_CTX_BIT(RL_CTX_CLIENT);
  /* unknown only when neither the path nor the package decides */
  int decided = ps.strong || ps.server || (ps.api && info.kind != RL_PKG_MOBILE) || info.next_app ||
                info.kind == RL_PKG_SERVER || info.kind == RL_PKG_MOBILE || info.kind == RL_PKG_WEB || ps.client;
  if (!decided) out |= RL_CTX_BIT(RL_CTX_UNKNOWN);
  return out;
}

rl_context rl_context_classify(const rl_source *src, TSNode root, const char *fs_path, rl_pkgcache *pkg,
                               rl_arena *arena, const char **reason) {
  const char *why = NULL;
  rl_context ctx = RL_CTX_UNKNOWN;
  const char *path = src->path ? src->path : "";
  int dotenv = src->lang == RL_LANG_DOTENV || ts_node_is_null(root);
  /* For dotenv files, and code files left unparsed, only the path is used. */
  check_tables();
  rl_pkg_info info = rl_pkgcache_info(pkg, fs_path);
  path_signals ps = scan_path(path, info.rel_dirs, arena);

  if (ps.test) {
    ctx = RL_CTX_TEST;
    why = ps.test;
    goto done;
  }
  if (dotenv) {
    const char *w = ps.strong ? ps.strong : ps.server ? ps.server : ps.api;
    if (w) {
      ctx = RL_CTX_SERVER;
      why = w;
    } else if (src->lang == RL_LANG_DOTENV) {
      why = "dotenv file; its path says neither client nor server";
    } else {
      /* No tree: the prefilter found no rule that could fire, or the scan is
       * text-level (--history). */
      why = "not parsed (no rule needs its tree); its path says neither client nor server";
    }
    goto done;
  }
  tree_signals t;
  memset(&t, 0, sizeof t);
  t.bytes = src->bytes;
  t.len = src->len;
  t.arena = arena;
  ctx = directive(&t, root, &why);
  if (ctx != RL_CTX_UNKNOWN) goto done;
  if (ps.strong) {
    ctx = RL_CTX_SERVER;
    why = ps.strong;
    goto done;
  }
  scan_tree(&t, root);
  if (t.server_only) { /* the author said so, and Next.js enforces it */
    ctx = RL_CTX_SERVER;
    why = "imports server-only";
    goto done;
  }
  if (info.next && !t.server) {
    /* Next.js bundles what a "use client" module imports for the browser,
     * directive or not (the project model follows the imports) */
    const char *by = rl_pkgcache_client_importer(pkg, fs_path);
    if (by) {
      ctx = RL_CTX_CLIENT;
      why = rl_arena_printf(
          arena, "imported by the \"use client\" module %s (or what it imports): bundled for the browser", by);
      goto done;
    }
  }
  if (info.next_app) { /* no "use client" (the directive above decides that) */
    ctx = RL_CTX_SERVER;
    why = "Next.js app router: a Server Component (no \"use client\")";
    goto done;
  }
  if (t.client && imports_bun(src, root, arena)) {
    ctx = RL_CTX_SERVER;
    why = "imports bun, a module only the Bun runtime has (no browser bundle holds it)";
    goto done;
  }
  if (t.client) {
    ctx = RL_CTX_CLIENT;
    why = t.client;
    goto done;
  }
  unsigned dom = t.dom_guard ? 0 : t.dom_used & ~t.dom_declared;
  if (dom) { /* name the first use in the file */
    size_t best = RL_ARRAY_LEN(dom_globals);
    for (size_t i = 0; i < RL_ARRAY_LEN(dom_globals); i++) {
      if ((dom & (1u << i)) && (best == RL_ARRAY_LEN(dom_globals) ||
                                ts_node_start_byte(t.dom_first[i]) < ts_node_start_byte(t.dom_first[best])))
        best = i;
    }
    ctx = RL_CTX_CLIENT;
    why = rl_arena_printf(arena, "uses %s", dom_globals[best]);
    goto done;
  }
  if (ps.server || (ps.api && info.kind != RL_PKG_MOBILE)) {
    ctx = RL_CTX_SERVER;
    why = ps.server ? ps.server : ps.api;
    goto done;
  }
  if (t.server) {
    ctx = RL_CTX_SERVER;
    why = t.server;
    goto done;
  }
  if (info.kind == RL_PKG_MOBILE || (info.kind == RL_PKG_WEB && info.under_src)) {
    ctx = RL_CTX_CLIENT;
    why = info.why;
    goto done;
  }
  if (t.vite_env && info.vite_web && info.under_src) {
    /* a Vite front end beside its own Express dev server (so the package
     * is no plain Vite app): a src/ module that reads import.meta.env is
     * one Vite bundles */
    ctx = RL_CTX_CLIENT;
    why = "reads import.meta.env under src/ of a Vite app: bundled for the browser";
    goto done;
  }
  if (t.sdk) {
    ctx = RL_CTX_SERVER;
    why = t.sdk;
    goto done;
  }
  if (info.kind == RL_PKG_SERVER) {
    ctx = RL_CTX_SERVER;
    why = info.why;
    goto done;
  }
  if (ps.client) {
    ctx = RL_CTX_CLIENT;
    why = ps.client;
    goto done;
  }
  if (info.kind == RL_PKG_WEB) {
    ctx = RL_CTX_CLIENT;
    why = info.why;
    goto done;
  }
  why = "no client or server signal";
done:
  if (reason) *reason = rl_arena_strdup(arena, why);
  return ctx;
}

rl_context rl_context_directive(const rl_source *src, TSNode root) {
  tree_signals t;
  memset(&t, 0, sizeof t);
  t.bytes = src->bytes;
  t.len = src->len;
  const char *why;
  return ts_node_is_null(root) ? RL_CTX_UNKNOWN : directive(&t, root, &why);
}

static void no_import(void *arg, const char *spec, size_t n, TSNode at) {
  (void)arg;
  (void)spec;
  (void)n;
  (void)at;
}

static void scan_imports(tree_signals *t, const rl_source *src, TSNode root, rl_arena *arena,
                         void (*fn)(void *, const char *, size_t, TSNode), void *arg) {
  memset(t, 0, sizeof *t);
  t->bytes = src->bytes;
  t->len = src->len;
  t->arena = arena;
  t->on_import = fn ? fn : no_import;
  t->import_arg = arg;
  scan_tree(t, root);
}

void rl_context_each_import(const rl_source *src, TSNode root, rl_arena *arena,
                            void (*fn)(void *arg, const char *spec, size_t n, TSNode at), void *arg) {
  if (ts_node_is_null(root)) return;
  tree_signals t;
  scan_imports(&t, src, root, arena, fn, arg);
}

int rl_context_server_bound(const rl_source *src, TSNode root, const char *fs_path, rl_pkgcache *pkg, rl_arena *arena) {
  check_tables();
  rl_pkg_info info = rl_pkgcache_info(pkg, fs_path);
  path_signals ps = scan_path(src->path ? src->path : "", info.rel_dirs, arena);
  if (ps.test || ps.strong) return 1;
  if (ts_node_is_null(root) || rl_context_directive(src, root) == RL_CTX_SERVER) return 1;
  tree_signals t;
  scan_imports(&t, src, root, arena, NULL, NULL);
  return t.server_only || t.server != NULL;
}
