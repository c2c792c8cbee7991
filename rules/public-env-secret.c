/* public-env-secret: a secret in an environment variable that bundlers inline
 * into client code.
 *
 * Next.js (NEXT_PUBLIC_), Create React App (REACT_APP_), Expo (EXPO_PUBLIC_),
 * Vite (VITE_), Vue CLI (VUE_APP_), Nuxt (NUXT_PUBLIC_), Gatsby (GATSBY_),
 * SvelteKit and Astro (PUBLIC_)
 * replace reads of variables with these prefixes by their values at build
 * time, so the value ships in the JavaScript every visitor downloads. Reported:
 *   1. reads of a secret-named prefixed variable in JS/TS (process.env.X,
 *      process.env['X'], import.meta.env.X, destructuring process.env, and
 *      imports from SvelteKit's $env/static/public), in every context: the
 *      prefix itself means "ship to the client";
 *   2. definitions of such variables in dotenv files, templates included: a
 *      .env.example that defines VITE_HMS_SECRET= teaches every user to put
 *      the secret there, whatever placeholder it holds;
 *   3. build configs that hand values to the client: next.config.* `env` and
 *      `publicRuntimeConfig`, nuxt.config.* `runtimeConfig.public`, Expo's
 *      app.config.* `extra` (shipped in the app manifest),
 *      vite.config.* `define`, webpack's DefinePlugin: a secret-named key, or
 *      a value that reads a secret-named variable;
 *   4. e.PUBLIC_X where e is, by its local name and scope, the `env` of
 *      SvelteKit's $env/dynamic/public (`import { env as e }`); an `env` from
 *      $env/dynamic/private beside it is not.
 * "Secret-named" is rl_name_is_secret() applied to the part after the prefix,
 * except tokens that services issue for browsers (Mapbox public tokens,
 * publishable and anon keys). */
#include <string.h>

#include "analysis.h"
#include "bindname.h"
#include "dotenv.h"
#include "jsontext.h"
#include "prefilter.h"
#include "rule.h"
#include "secrets.h"
#include "util.h"

extern const char rl_doc__public_env_secret[];

static const char *const prefixes[] = {"NEXT_PUBLIC_", "NUXT_PUBLIC_", "EXPO_PUBLIC_", "REACT_APP_", "VUE_APP_",
                                       "VITE_",        "GATSBY_",      "PUBLIC_",      NULL};

/* If name starts with a public prefix and the rest is secret-named, returns
 * the prefix. */
static const char *public_secret(const char *name, size_t len) {
  for (size_t i = 0; prefixes[i]; i++) {
    size_t k = strlen(prefixes[i]);
    if (len <= k || memcmp(name, prefixes[i], k) != 0) continue;
    if (!rl_name_is_secret(name + k, len - k) || rl_name_is_public_by_design(name + k, len - k) ||
        rl_secret_allowed(name, len, NULL, 0))
      return NULL;
    return prefixes[i];
  }
  return NULL;
}

static void report_read(rl_ctx *ctx, TSNode at, const char *name, size_t len) {
  const char *prefix = public_secret(name, len);
  if (!prefix) return;
  rl_report(ctx, at, "secret '%.*s' is read through the %s prefix, which inlines it into the client bundle", (int)len,
            name, prefix);
}

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && strcmp(ts_node_type(n), t) == 0; }

static TSNode field(TSNode n, const char *name) { return rl_js_field(n, name); }

/* const { NEXT_PUBLIC_HMS_SECRET, VITE_X: x, PUBLIC_Y = '' } = process.env */
static void check_destructuring(rl_ctx *ctx, rl_jsfile *jf, TSNode pattern, TSNode source) {
  size_t sl;
  const char *st = rl_js_text(jf, rl_js_unwrap(source), &sl);
  if (!((sl == 11 && memcmp(st, "process.env", 11) == 0) || (sl == 15 && memcmp(st, "import.meta.env", 15) == 0)))
    return;
  for (uint32_t i = 0; i < ts_node_named_child_count(pattern); i++) {
    TSNode c = ts_node_named_child(pattern, i), key = {{0}, NULL, NULL};
    if (type_is(c, "shorthand_property_identifier_pattern"))
      key = c;
    else if (type_is(c, "pair_pattern"))
      key = field(c, "key");
    else if (type_is(c, "object_assignment_pattern"))
      key = field(c, "left");
    if (ts_node_is_null(key)) continue;
    const char *name;
    size_t len;
    if (type_is(key, "string")) {
      if (!rl_js_string_value(jf, key, &name, &len)) continue;
    } else if (type_is(key, "property_identifier") || type_is(key, "shorthand_property_identifier_pattern")) {
      name = rl_js_text(jf, key, &len);
    } else {
      continue;
    }
    report_read(ctx, key, name, len);
  }
}

/* The part of a name after PUBLIC_ is what rl_name_is_secret judges. */
static int svelte_public_secret(const char *t, size_t len) {
  if (len > 7 && memcmp(t, "PUBLIC_", 7) == 0) {
    t += 7;
    len -= 7;
  }
  return rl_name_is_secret(t, len) && !rl_name_is_public_by_design(t, len);
}

typedef struct dyn_reads {
  rl_ctx *ctx;
  rl_jsfile *jf;
  const char *local; /* the name `env` of $env/dynamic/public is bound to here */
  size_t local_len;
} dyn_reads;

/* publicEnv.PUBLIC_X where publicEnv is (in its scope) that import. */
static int dyn_read_visit(void *data, TSNode n) {
  dyn_reads *d = data;
  if (!type_is(n, "member_expression")) return 0;
  TSNode obj = field(n, "object"), prop = field(n, "property");
  if (!type_is(obj, "identifier") || !type_is(prop, "property_identifier") ||
      !rl_js_text_eq(d->jf, obj, d->local, d->local_len))
    return 0;
  const char *canon = rl_js_resolve(d->jf, obj);
  if (!canon || strcmp(canon, "$env/dynamic/public:env") != 0) return 0;
  size_t len;
  const char *t = rl_js_text(d->jf, prop, &len);
  if (svelte_public_secret(t, len))
    rl_report(d->ctx, n, "secret '%.*s' is read from $env/dynamic/public, which sends it to the browser", (int)len, t);
  return 0;
}

/* import { PUBLIC_HMS_SECRET } from '$env/static/public': the imported name
 * is the variable's, whatever local name it gets.
 * import { env as publicEnv } from '$env/dynamic/public'; publicEnv.PUBLIC_X:
 * the reads go by the LOCAL name, so `env` from $env/dynamic/private beside
 * it is not this module. */
static void check_svelte_import(rl_ctx *ctx, rl_jsfile *jf, TSNode import, TSNode module) {
  size_t ml;
  const char *mt = rl_js_text(jf, module, &ml);
  int dynamic = ml > 9 && memmem(mt, ml, "dynamic", 7) != NULL;
  for (uint32_t i = 0; i < ts_node_named_child_count(import); i++) {
    TSNode clause = ts_node_named_child(import, i);
    if (!type_is(clause, "import_clause")) continue;
    for (uint32_t j = 0; j < ts_node_named_child_count(clause); j++) {
      TSNode named = ts_node_named_child(clause, j);
      if (!type_is(named, "named_imports")) continue;
      for (uint32_t k = 0; k < ts_node_named_child_count(named); k++) {
        TSNode spec = ts_node_named_child(named, k);
        if (!type_is(spec, "import_specifier")) continue;
        TSNode name = field(spec, "name");
        if (!type_is(name, "identifier")) continue;
        size_t len;
        const char *t = rl_js_text(jf, name, &len);
        if (dynamic) {
          if (len != 3 || memcmp(t, "env", 3) != 0) continue;
          TSNode alias = field(spec, "alias");
          dyn_reads d = {ctx, jf, t, len};
          if (type_is(alias, "identifier")) d.local = rl_js_text(jf, alias, &d.local_len);
          rl_js_walk(rl_ctx_root(ctx), dyn_read_visit, &d);
        } else if (svelte_public_secret(t, len)) {
          rl_report(ctx, name,
                    "secret '%.*s' is imported from $env/static/public, which inlines it into the client bundle",
                    (int)len, t);
        }
      }
    }
  }
}

static const char *base_name(const rl_source *src) {
  const char *base = strrchr(src->path, '/');
  return base ? base + 1 : src->path;
}

/* next.config.js, vite.config.mts, ...: stem plus a JS/TS extension. */
static int config_file_is(const rl_source *src, const char *stem) {
  const char *base = base_name(src);
  size_t k = strlen(stem);
  if (strncmp(base, stem, k) != 0 || base[k] != '.') return 0;
  static const char *const exts[] = {"js", "mjs", "cjs", "ts", "mts", "cts", NULL};
  for (size_t i = 0; exts[i]; i++)
    if (strcmp(base + k + 1, exts[i]) == 0) return 1;
  return 0;
}

/* Under serverRuntimeConfig, `env` is not sent to the client. */
static int under_server_config(rl_jsfile *jf, TSNode n) {
  for (TSNode p = rl_js_parent(n); !ts_node_is_null(p); p = rl_js_parent(p)) {
    if (!type_is(p, "pair")) continue;
    const char *k;
    size_t kl;
    if (rl_js_pair_key(jf, p, &k, &kl) && kl == 19 && memcmp(k, "serverRuntimeConfig", 19) == 0) return 1;
  }
  return 0;
}

/* What a config entry passes on: JSON.stringify(x) and String(x) pass x. */
static TSNode passed_value(rl_jsfile *jf, TSNode v) {
  v = rl_js_unwrap(v);
  if (type_is(v, "call_expression")) {
    const char *c = rl_js_callee(jf, v);
    if (c && (strcmp(c, "JSON.stringify") == 0 || strcmp(c, "String") == 0)) v = rl_js_unwrap(rl_js_call_arg(v, 0));
  }
  return v;
}

static int is_literal(TSNode v) {
  static const char *const types[] = {"string", "template_string", "number", "null", "undefined",
                                      "true",   "false",           NULL};
  for (size_t i = 0; types[i]; i++)
    if (type_is(v, types[i])) return 1;
  return 0;
}

typedef struct config_site {
  const char *how;    /* "the env key", "define", ... */
  const char *effect; /* "inlines it into the client bundle" */
  int define;         /* keys are replaced expressions ('process.env.X') */
} config_site;

/* Each entry of obj reaches the client: a secret-named key, or a value that
 * reads a secret-named variable, is reported. */
static void check_entries(rl_ctx *ctx, rl_jsfile *jf, TSNode obj, const config_site *site) {
  const char *base = base_name(rl_ctx_source(ctx));
  for (uint32_t i = 0; i < ts_node_named_child_count(obj); i++) {
    TSNode c = ts_node_named_child(obj, i);
    TSNode value = {{0}, NULL, NULL};
    if (type_is(c, "pair"))
      value = passed_value(jf, field(c, "value"));
    else if (!type_is(c, "shorthand_property_identifier"))
      continue;
    const char *k;
    size_t kl;
    if (!rl_js_pair_key(jf, c, &k, &kl)) continue;
    /* define: { 'process.env.HMS_SECRET': ... } names HMS_SECRET */
    const char *name = k;
    size_t nl = kl;
    if (site->define) {
      const char *dot = memrchr(k, '.', kl);
      if (dot) {
        nl = kl - (size_t)(dot + 1 - k);
        name = dot + 1;
      }
    }
    const char *env = NULL;
    size_t el = 0;
    if (!ts_node_is_null(value) && !rl_js_env_read(jf, value, &env, &el)) env = NULL;
    /* A read of NEXT_PUBLIC_X is reported where it is read. */
    if (env && public_secret(env, el)) continue;
    /* define: { 'process.env.HMS_SECRET': 'undefined' } blanks a name out. */
    int literal = site->define && !ts_node_is_null(value) && is_literal(value);
    TSNode at = type_is(c, "pair") ? field(c, "key") : c;
    if (!literal && rl_name_is_secret(name, nl)) {
      rl_report(ctx, at, "secret '%.*s' is passed to the client through %s of %s, which %s", (int)nl, name, site->how,
                base, site->effect);
    } else if (env && rl_name_is_secret(env, el)) {
      rl_report(ctx, value, "secret '%.*s' is passed to the client as '%.*s' through %s of %s, which %s", (int)el, env,
                (int)kl, k, site->how, base, site->effect);
    }
  }
}

/* Config objects whose entries reach the client:
 *   next.config.*  { env: {...} }, { publicRuntimeConfig: {...} }
 *   nuxt.config.*  { runtimeConfig: { public: {...} } }
 *   vite.config.*  { define: {...} } */
static void check_config_pair(rl_ctx *ctx, rl_jsfile *jf, TSNode key, TSNode obj) {
  const rl_source *src = rl_ctx_source(ctx);
  TSNode pair = rl_js_parent(key);
  const char *k;
  size_t kl;
  if (!rl_js_pair_key(jf, pair, &k, &kl)) return;
  static const config_site next_env = {"the env key", "inlines it into the client bundle", 0};
  /* publicRuntimeConfig and Nuxt's public runtime config are serialised into
   * every page's HTML. */
  static const config_site next_public = {"publicRuntimeConfig", "sends it to every browser with the page", 0};
  static const config_site nuxt_public = {"runtimeConfig.public", "sends it to every browser with the page", 0};
  static const config_site vite_define = {"define", "inlines it into the client bundle", 1};
  /* Expo embeds `extra` in the manifest every installed app can read. */
  static const config_site expo_extra = {"extra", "ships it in the app manifest", 0};
  if (config_file_is(src, "next.config")) {
    if (under_server_config(jf, pair)) return;
    if (kl == 3 && memcmp(k, "env", 3) == 0)
      check_entries(ctx, jf, obj, &next_env);
    else if (kl == 19 && memcmp(k, "publicRuntimeConfig", 19) == 0)
      check_entries(ctx, jf, obj, &next_public);
  } else if (config_file_is(src, "nuxt.config")) {
    const char *ok;
    size_t okl;
    if (kl == 6 && memcmp(k, "public", 6) == 0 && rl_js_outer_key(jf, pair, &ok, &okl) && okl == 13 &&
        memcmp(ok, "runtimeConfig", 13) == 0)
      check_entries(ctx, jf, obj, &nuxt_public);
  } else if (config_file_is(src, "vite.config")) {
    if (kl == 6 && memcmp(k, "define", 6) == 0) check_entries(ctx, jf, obj, &vite_define);
  } else if (config_file_is(src, "app.config")) {
    if (kl == 5 && memcmp(k, "extra", 5) == 0) check_entries(ctx, jf, obj, &expo_extra);
  }
}

/* new webpack.DefinePlugin({ 'process.env.HMS_SECRET': JSON.stringify(...) }) */
static void check_define_plugin(rl_ctx *ctx, rl_jsfile *jf, TSNode obj) {
  static const config_site plugin = {"DefinePlugin", "inlines it into the bundle", 1};
  check_entries(ctx, jf, obj, &plugin);
}

static void on_match(rl_ctx *ctx, const rl_match *m) {
  rl_jsfile *jf = rl_ctx_js(ctx);
  if (!jf) return;
  switch (m->pattern) {
  case 0:
  case 1: {
    TSNode read = rl_match_capture(m, "read");
    const char *name;
    size_t len;
    if (!ts_node_is_null(read) && rl_js_env_read(jf, read, &name, &len)) report_read(ctx, read, name, len);
    break;
  }
  case 2: check_destructuring(ctx, jf, rl_match_capture(m, "pattern"), rl_match_capture(m, "source")); break;
  case 3: check_svelte_import(ctx, jf, rl_match_capture(m, "import"), rl_match_capture(m, "module")); break;
  case 4: check_config_pair(ctx, jf, rl_match_capture(m, "key"), rl_match_capture(m, "obj")); break;
  case 5: check_define_plugin(ctx, jf, rl_match_capture(m, "obj")); break;
  default: break;
  }
}

/* Expo's app.json: string members under expo.extra (or extra, in an
 * app.config.json without the expo wrapper) ship in the app manifest. */
typedef struct expo_json {
  rl_ctx *ctx;
  const char *b;
} expo_json;

static int span_is(const char *b, rl_json_span s, const char *word) {
  return s.end - s.start == strlen(word) && memcmp(b + s.start, word, s.end - s.start) == 0;
}

static int on_expo_member(void *arg, const rl_json_member *m) {
  expo_json *x = arg;
  size_t k = 0;
  if (m->depth > 0 && span_is(x->b, m->path[0], "expo")) k = 1;
  if (m->depth <= k || !span_is(x->b, m->path[k], "extra")) return 0;
  const char *key = x->b + m->key.start, *v = x->b + m->value.start;
  size_t kl = m->key.end - m->key.start, vl = m->value.end - m->value.start;
  if (m->escaped || !rl_name_is_secret(key, kl) || rl_name_is_public_by_design(key, kl) ||
      !rl_secret_value_is_credential(v, vl))
    return 0;
  rl_ctx_mark_secret(x->ctx, m->value.start, m->value.end);
  rl_report_range(x->ctx, m->key.start, m->key.end,
                  "secret '%.*s' is set in extra of %s, which ships it in the app manifest", (int)kl, key,
                  base_name(rl_ctx_source(x->ctx)));
  return 0;
}

static void on_file(rl_ctx *ctx) {
  const rl_source *src = rl_ctx_source(ctx);
  if (src->lang == RL_LANG_JSON) {
    expo_json x = {ctx, src->bytes};
    rl_json_each_member(src->bytes, src->len, on_expo_member, &x);
    return;
  }
  if (rl_ctx_source(ctx)->lang != RL_LANG_DOTENV) return;
  size_t n = 0;
  const rl_dotenv_entry *e = rl_ctx_dotenv(ctx, &n);
  for (size_t i = 0; i < n; i++) {
    const char *prefix = public_secret(e[i].key, e[i].key_len);
    if (!prefix) continue;
    /* a value its service issues for browsers (a Datadog client token, a
     * publishable key): the prefix is where it belongs */
    if (e[i].value_len > 0 &&
        (rl_secret_public_value(e[i].value, e[i].value_len) || rl_secret_allowed(NULL, 0, e[i].value, e[i].value_len)))
      continue;
    if (e[i].value_len > 0 && !rl_value_is_placeholder(e[i].value, e[i].value_len))
      rl_ctx_mark_secret(ctx, e[i].value_start, e[i].value_end);
    rl_report_range(ctx, e[i].key_start, e[i].key_start + (uint32_t)e[i].key_len,
                    "secret '%.*s' is defined with the %s prefix, which bundlers inline into client code",
                    (int)e[i].key_len, e[i].key, prefix);
  }
}

/* Every JS finding involves "env" (process.env, import.meta.env, $env, the
 * env key) except define maps, DefinePlugin and Nuxt's runtimeConfig. */
static const char *const needles[] = {"env",    "PUBLIC_",      "REACT_APP_",    "VUE_APP_", "VITE_", "GATSBY_",
                                      "define", "DefinePlugin", "runtimeConfig", "extra",    NULL};

/* ---- prefilter ------------------------------------------------------------------- */

/* Every finding names a variable or key, and reaches rl_name_is_secret one of
 * these ways:
 *   - a prefixed name (reads, destructuring, dotenv keys, PUBLIC_ names from
 *     $env): the bytes hold a prefix, and the rest of the name after it is
 *     secret-named. Every prefix ends in PUBLIC_, REACT_APP_, VUE_APP_, VITE_
 *     or GATSBY_, and what follows the matched prefix also follows that ending,
 *     so public_name_possible tries each ending in the bytes with every end
 *     the name could have on its line (an identifier and a string differ in
 *     where they stop);
 *   - a whole name imported from or read through SvelteKit's $env modules:
 *     the module's name is in the bytes and the name is an identifier
 *     (rl_pf_secret_name);
 *   - a build config's entry: a key written `env: {`, `public: {`,
 *     `define: {` or `publicRuntimeConfig: {` (the query's pair with an
 *     object value; quotes allowed), or `DefinePlugin`; and then a
 *     secret-named key (rl_pf_secret_name, or for define maps the part of a
 *     quoted key after its last dot) or a value that reads the environment,
 *     whose name may be a computed constant (rl_pf_env_read). */
static int public_name_possible(const rl_prefilter *pf) {
  static const char *const endings[] = {"PUBLIC_", "REACT_APP_", "VUE_APP_", "VITE_", "GATSBY_", NULL};
  size_t n;
  const char *b = rl_pf_bytes(pf, &n);
  const char *end = b + n;
  for (size_t i = 0; endings[i]; i++) {
    size_t k = strlen(endings[i]);
    const char *p = b;
    const char *hit;
    while ((hit = memmem(p, (size_t)(end - p), endings[i], k)) != NULL) {
      const char *rest = hit + k;
      for (size_t len = 1; len <= 256 && rest + len <= end; len++) {
        char c = rest[len - 1];
        if (c == '\\') return 1; /* an escape: the name's text is unknown */
        if (c == '\n' || c == '\r') break;
        if (rl_name_is_secret(rest, len)) return 1;
      }
      p = hit + 1;
    }
  }
  return 0;
}

/* Past blanks and comments (the prefilter's lexer, as the grammar skips them). */
static const char *skip_blank(const char *b, const char *p, const char *end) {
  return b + rl_pf_skip_blank(b, (size_t)(end - b), (size_t)(p - b));
}

/* `word`, an optional quote, ':' and '{', with white space between. */
static int object_key_possible(const rl_prefilter *pf, const char *word) {
  size_t n, k = strlen(word);
  const char *b = rl_pf_bytes(pf, &n);
  const char *end = b + n, *p = b, *hit;
  while ((hit = memmem(p, (size_t)(end - p), word, k)) != NULL) {
    const char *q = hit + k;
    p = hit + 1;
    if (q < end && (*q == '\'' || *q == '"')) q++;
    q = skip_blank(b, q, end);
    if (q >= end || *q != ':') continue;
    q = skip_blank(b, q + 1, end);
    if (q < end && *q == '{') return 1;
  }
  return 0;
}

/* define: { 'process.env.HMS_SECRET': ... } names what follows the last dot. */
static int dotted_key_is_secret(const char *text, size_t len, int escaped, void *arg) {
  (void)arg;
  if (escaped) return 1;
  const char *dot = len ? memrchr(text, '.', len) : NULL;
  if (!dot) return 0;
  size_t rest = len - (size_t)(dot + 1 - text);
  return rest > 0 && rest <= 256 && rl_name_is_secret(dot + 1, rest);
}

/* Config entries count only in next.config.*, nuxt.config.*, vite.config.* and app.config.*
 * (config_file_is); a path the prefilter does not know could be any. */
static int config_path_possible(const rl_prefilter *pf) {
  const char *path = rl_pf_path(pf);
  if (!path) return 1;
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  return !strncmp(base, "next.config.", 12) || !strncmp(base, "nuxt.config.", 12) ||
         !strncmp(base, "vite.config.", 12) || !strncmp(base, "app.config.", 11);
}

static int can_fire(rl_prefilter *pf) {
  if (public_name_possible(pf)) return 1;
  if ((rl_pf_has(pf, "$env/static/public") || rl_pf_has(pf, "$env/dynamic/public")) && rl_pf_secret_name(pf)) return 1;
  if (rl_pf_lang(pf) == RL_LANG_DOTENV) return 0; /* dotenv findings are prefixed names */
  if (rl_pf_lang(pf) == RL_LANG_JSON) return rl_pf_has(pf, "\"extra\"") && rl_pf_secret_name(pf);
  static const char *const keys[] = {"env", "public", "define", "publicRuntimeConfig", "extra", NULL};
  int config = rl_pf_has(pf, "DefinePlugin");
  for (size_t i = 0; !config && keys[i] && config_path_possible(pf); i++) config = object_key_possible(pf, keys[i]);
  if (!config) return 0;
  return rl_pf_secret_name(pf) || rl_pf_env_read(pf) || rl_pf_each_quoted(pf, NULL, dotted_key_is_secret, NULL);
}

const rl_rule rl_rule_public_env_secret = {
    .id = "public-env-secret",
    .title = "Secret exposed through a client-side environment variable",
    .severity = RL_SEV_ERROR,
    .cwe = 200,
    .doc = rl_doc__public_env_secret,
    .langs = RL_LANGS_ALL | RL_LANG_BIT(RL_LANG_JSON),
    .contexts = 0,
    .query =
        /* 0: process.env.X, import.meta.env.X */
    "((member_expression object: (member_expression property: (property_identifier) @_env)"
    " property: (property_identifier) @name) @read (#eq? @_env \"env\"))\n"
    /* 1: process.env['X'] */
    "((subscript_expression object: (member_expression property: (property_identifier) @_env)"
    " index: (string) @name) @read (#eq? @_env \"env\"))\n"
    /* 2: const { X } = process.env */
    "((variable_declarator name: (object_pattern) @pattern"
    " value: (member_expression property: (property_identifier) @_env) @source) (#eq? @_env \"env\"))\n"
    /* 3: import { PUBLIC_X } from '$env/static/public',
         * import { env as e } from '$env/dynamic/public' (its reads: e.PUBLIC_X) */
    "((import_statement source: (string) @module) @import"
    " (#match? @module \"^.\\\\$env/(static|dynamic)/public.$\"))\n"
    /* 4: config objects: next.config env / publicRuntimeConfig, nuxt.config
         * runtimeConfig.public, vite.config define */
    "((pair key: (_) @key value: (object) @obj)"
    " (#match? @key \"^[\\\"']?(env|publicRuntimeConfig|public|define|extra)[\\\"']?$\"))\n"
    /* 5: new webpack.DefinePlugin({...}) */
    "((new_expression constructor: (_) @ctor arguments: (arguments . (object) @obj))"
    " (#match? @ctor \"DefinePlugin$\"))\n",
    .on_match = on_match,
    .on_file = on_file,
    .needles = needles,
    .can_fire = can_fire,
    .bad_example = "export async function joinRoom(hmsActions, roomCode) {\n"
                   "  const secret = process.env.NEXT_PUBLIC_HMS_APP_SECRET;\n"
                   "  const authToken = await mintToken(roomCode, secret);\n"
                   "  await hmsActions.join({ userName: 'guest', authToken });\n"
                   "}\n",
    .good_example = "export async function joinRoom(hmsActions, roomCode) {\n"
                    "  const res = await fetch(`/api/token?room=${roomCode}`);\n"
                    "  const { token } = await res.json();\n"
                    "  await hmsActions.join({ userName: 'guest', authToken: token });\n"
                    "}\n",
    .precision = "very-high",
    .security_severity = "8.2",
};
