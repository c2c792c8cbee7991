#include "engine.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis.h"
#include "baseline.h"
#include "bundle.h"
#include "context.h"
#include "dotenv.h"
#include "markup.h"
#include "model.h"
#include "model_values.h"
#include "parse.h"
#include "prefilter.h"
#include "query.h"
#include "regex.h"
#include "rulepack.h"
#include "overrides.h"
#include "suppress.h"
#include "util.h"
#include "walk.h"

#define DEFAULT_MAX_FILE_SIZE (5u * 1024 * 1024)
#define DEFAULT_MAX_TOKEN_TTL 86400.0
/* A secret at least this long is masked wherever its text shows in a
 * snippet or message; a shorter one (a two-letter password in a URL) only
 * where it was found, so it does not blank out unrelated code. */
#define RL_MASK_REPEAT_MIN 4
/* A tree-sitter query cursor keeps a state for every pattern match still in
 * progress, and on a deep chain (a.b.b.b..., 'a' + 'a' + ...) one for each
 * level, so its time grows with depth times size; in 0.20.7 it also loses
 * matches past 65 535 levels (its depths are 16-bit). A tree deeper than
 * this is queried subtree by subtree, each no higher than this; the nodes
 * above them are not queried, and the file says so. Real code nests far less. */
#define QUERY_MAX_DEPTH 400
/* The per-file work budget: analysis steps (see rl_jsfile_step) allowed per
 * node of the tree, plus a floor for small files. Far above what any real
 * file needs (the fixtures and the demo app stay under 60 steps a node), so
 * only a path that would grow faster than the tree reaches it. */
#define BUDGET_PER_NODE 400u
#define BUDGET_FLOOR 1000000u

/* ---- compiled rules ---------------------------------------------------------- */

/* Each rule's query for each language, compiled the first time a file needs
 * it (the prefilter let the rule through on a file of that language) and
 * kept for the engine's life. Compiling every rule for every language up
 * front was nearly all of a one-file scan's time (tree-sitter analyses each
 * query against the whole grammar); most runs need a few. Workers share the
 * cache under one lock; a query, once compiled, is read-only. */
typedef struct rule_query {
  rl_query *query;
  int state;   /* 0: not yet compiled, 1: compiled, -1: does not compile */
  char *error; /* state -1: why */
} rule_query;

typedef struct query_cache {
  pthread_mutex_t mu;
  rule_query *q; /* [rule * RL_LANG__COUNT + lang] */
} query_cache;

struct rl_engine {
  rl_engine_config cfg;
  const rl_rule **rules; /* built-in and pack rules, sorted by id */
  size_t nrules;
  unsigned char *enabled;
  rl_severity *severity;   /* effective severity per rule (config overrides) */
  rl_overrides *overrides; /* per-path ones, or NULL */
  rl_rulepack **packs;
  size_t npacks;
  query_cache *queries;
  rl_project *project; /* the project model (model.h), shared by the workers */
  rl_needles *needles; /* every rule's needles, matched in one pass per file */
  /* scratch for single-threaded use (rl_engine_scan_buffer, -j1) */
  rl_parser *parser;
  TSQueryCursor *cursor;
};

static int rule_cmp(const void *a, const void *b) {
  const rl_rule *x = *(const rl_rule *const *)a, *y = *(const rl_rule *const *)b;
  return strcmp(x->id, y->id);
}

static ssize_t rule_index(const rl_engine *e, const char *id) {
  size_t lo = 0, hi = e->nrules;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(e->rules[mid]->id, id);
    if (c == 0) return (ssize_t)mid;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

/* Rule ri's compiled query for lang, compiling it on first use; NULL when
 * it does not compile (*why says so; built-in queries always do, a test
 * checks, and packs are checked when loaded). Borrowed, engine lifetime. */
static const rl_query *rule_query_get(const rl_engine *e, size_t ri, rl_lang lang, const char **why) {
  query_cache *qc = e->queries;
  rule_query *rq = &qc->q[ri * RL_LANG__COUNT + (size_t)lang];
  pthread_mutex_lock(&qc->mu);
  if (rq->state == 0) {
    const char *src = e->rules[ri]->query;
    if (rl_query_new_cheap(&rq->query, lang, src, (uint32_t)strlen(src)) == 0) {
      rq->state = 1;
    } else {
      rq->state = -1;
      rq->error = rl_xstrdup(rl_error_last());
    }
  }
  pthread_mutex_unlock(&qc->mu);
  *why = rq->error;
  return rq->query;
}

static void query_cache_free(query_cache *qc, size_t nrules) {
  if (!qc) return;
  for (size_t i = 0; qc->q && i < nrules * RL_LANG__COUNT; i++) {
    rl_query_free(qc->q[i].query);
    free(qc->q[i].error);
  }
  free(qc->q);
  pthread_mutex_destroy(&qc->mu);
  free(qc);
}

static int set_enabled(rl_engine *e, const char *const *ids, unsigned char value) {
  for (size_t i = 0; ids && ids[i]; i++) {
    ssize_t k = rule_index(e, ids[i]);
    if (k < 0) {
      rl_error_set("unknown rule '%s' (see --list-rules)", ids[i]);
      return RL_EUSAGE;
    }
    e->enabled[k] = value;
  }
  return 0;
}

int rl_engine_new(rl_engine **out, const rl_engine_config *cfg) {
  int rc = 0;
  rl_engine *e = rl_xcalloc(1, sizeof *e);
  e->cfg = *cfg;
  if (e->cfg.max_file_size == 0) e->cfg.max_file_size = DEFAULT_MAX_FILE_SIZE;
  if (e->cfg.max_token_ttl <= 0) e->cfg.max_token_ttl = DEFAULT_MAX_TOKEN_TTL;
  *out = NULL;

  for (size_t i = 0; cfg->rule_dirs && cfg->rule_dirs[i]; i++) {
    e->packs = rl_xreallocarray(e->packs, e->npacks + 1, sizeof *e->packs);
    rc = rl_rulepack_load(&e->packs[e->npacks], cfg->rule_dirs[i]);
    if (rc < 0) goto fail;
    e->npacks++;
  }
  size_t total = rl_builtin_rule_count + cfg->nextra_rules;
  for (size_t i = 0; i < e->npacks; i++) total += rl_rulepack_count(e->packs[i]);
  e->rules = rl_xcalloc(total ? total : 1, sizeof *e->rules);
  for (size_t i = 0; i < rl_builtin_rule_count; i++) e->rules[e->nrules++] = rl_builtin_rules[i];
  for (size_t i = 0; i < e->npacks; i++)
    for (size_t j = 0; j < rl_rulepack_count(e->packs[i]); j++)
      e->rules[e->nrules++] = rl_rulepack_rule(e->packs[i], j);
  for (size_t i = 0; i < cfg->nextra_rules; i++) e->rules[e->nrules++] = cfg->extra_rules[i];
  qsort(e->rules, e->nrules, sizeof *e->rules, rule_cmp);
  for (size_t i = 1; i < e->nrules; i++) {
    if (strcmp(e->rules[i - 1]->id, e->rules[i]->id) == 0) {
      rl_error_set("rule id '%s' is defined twice (a rule pack may not reuse a built-in or another pack's id)",
                   e->rules[i]->id);
      rc = RL_EINVALID;
      goto fail;
    }
  }
  {
    const char *const **lists = rl_xcalloc(e->nrules ? e->nrules : 1, sizeof *lists);
    for (size_t i = 0; i < e->nrules; i++) lists[i] = e->rules[i]->needles;
    e->needles = rl_needles_new(lists, e->nrules);
    free(lists);
  }
  e->enabled = rl_xcalloc(e->nrules ? e->nrules : 1, 1);
  /* Every rule is on by default; --disable turns rules off and --enable
   * turns them back on (it wins, so a config's disable can be overridden). */
  memset(e->enabled, 1, e->nrules);
  if ((rc = set_enabled(e, cfg->disable, 0)) < 0) goto fail;
  if ((rc = set_enabled(e, cfg->enable, 1)) < 0) goto fail;
  e->severity = rl_xcalloc(e->nrules ? e->nrules : 1, sizeof *e->severity);
  for (size_t i = 0; i < e->nrules; i++) e->severity[i] = e->rules[i]->severity;
  for (size_t i = 0; i < cfg->nseverities; i++) {
    ssize_t k = rule_index(e, cfg->severities[i].rule_id);
    if (k < 0) {
      rl_error_set("unknown rule '%s' (see --list-rules)", cfg->severities[i].rule_id);
      rc = RL_EUSAGE;
      goto fail;
    }
    e->severity[k] = cfg->severities[i].severity;
  }
  for (size_t i = 0; i < cfg->noverrides; i++) {
    for (size_t k = 0; k < cfg->overrides[i].nrules; k++) {
      if (rule_index(e, cfg->overrides[i].rules[k].rule_id) < 0) {
        rl_error_set("unknown rule '%s' in overrides (see --list-rules)", cfg->overrides[i].rules[k].rule_id);
        rc = RL_EUSAGE;
        goto fail;
      }
    }
  }
  if (cfg->noverrides) e->overrides = rl_overrides_new(cfg->overrides, cfg->noverrides, cfg->extra_base);
  e->queries = rl_xcalloc(1, sizeof *e->queries);
  pthread_mutex_init(&e->queries->mu, NULL);
  e->queries->q = rl_xcalloc(e->nrules ? e->nrules * RL_LANG__COUNT : 1, sizeof *e->queries->q);
  rl_project_options po = {cfg->no_project,    e->cfg.max_file_size, cfg->no_ignore,
                           cfg->extra_ignores, cfg->extra_base,      e->cfg.no_prefilter};
  e->project = rl_project_new(&po);
  rl_project_set_roots(e->project, NULL, 0);
  *out = e;
  return 0;
fail:
  rl_engine_free(e);
  return rc;
}

void rl_engine_free(rl_engine *e) {
  if (!e) return;
  query_cache_free(e->queries, e->nrules);
  for (size_t i = 0; i < e->npacks; i++) rl_rulepack_free(e->packs[i]);
  free(e->packs);
  free(e->rules);
  free(e->enabled);
  free(e->severity);
  rl_overrides_free(e->overrides);
  rl_project_free(e->project);
  rl_needles_free(e->needles);
  rl_parser_free(e->parser);
  if (e->cursor) ts_query_cursor_delete(e->cursor);
  rl_regex_thread_done();
  free(e);
}

void rl_engine_set_baseline(rl_engine *e, const struct rl_baseline *b) { e->cfg.baseline = b; }

void rl_engine_set_git_source(rl_engine *e, int git_source, const char *rev) {
  e->cfg.git_source = git_source;
  e->cfg.git_rev = rev;
}

const rl_rule *const *rl_engine_rules(const rl_engine *e, size_t *n) {
  *n = e->nrules;
  return e->rules;
}

const rl_rule *rl_engine_rule_find(const rl_engine *e, const char *id) {
  ssize_t k = rule_index(e, id);
  return k < 0 ? NULL : e->rules[k];
}

int rl_engine_rule_enabled(const rl_engine *e, const rl_rule *r) {
  ssize_t k = rule_index(e, r->id);
  return k >= 0 && e->enabled[k];
}

/* ---- one file ------------------------------------------------------------------ */

typedef struct span {
  uint32_t start, end;
} span;

typedef struct secret_value {
  const char *p;
  size_t n;
} secret_value;

typedef struct tail_entry {
  uint32_t key;
  uint32_t value; /* index in ctx->values */
} tail_entry;

typedef struct pending_message {
  size_t finding; /* index in ctx->findings, before they are sorted */
  const char *tmpl;
  rl_match match; /* captures copied to the arena; nodes valid while the tree is */
} pending_message;

struct rl_ctx {
  const rl_engine *engine;
  rl_file_result *result; /* for rl_ctx_regex_limit's notification */
  rl_source src;
  TSNode root;
  rl_context context;
  rl_jsfile *js;
  rl_dotenv_entry *env;
  size_t nenv;
  int env_parsed;
  rl_arena *arena;
  const rl_rule *rule; /* the rule running now */
  /* per-path overrides of this file: severity per rule (RL_SEV_NONE: off),
   * or NULL when none applies */
  rl_severity *file_severity;
  /* findings under construction */
  rl_finding *findings;
  size_t nfindings, cap;
  span *secrets;
  size_t nsecrets, secrets_cap;
  /* the text of every secret (marked spans, joined concatenations): masked
   * wherever it shows, not only where it was marked */
  secret_value *values;
  size_t nvalues, values_cap;
  span last_chain; /* the last `+` chain marked whole: its pieces are done */
  /* rl_ctx_related: for the next finding */
  const char *related_path, *related_message;
  uint32_t related_line, related_col;
  rl_related *related_more; /* the places after the first */
  size_t nrelated_more;
  rl_severity sev_cap;        /* rl_ctx_cap_severity: for the next finding; RL_SEV_NONE = none */
  tail_entry *tails;          /* values by their last 4 bytes (prepare_masking) */
  unsigned char *tail_filter; /* 64 Ki flags: some value may end in these 4 bytes */
  uint32_t *reach;            /* reach[i]: the furthest end of secrets[0..i] */
  /* rule-pack findings whose messages quote captures: expanded once every
   * secret of the file is known */
  pending_message *pending;
  size_t npending, pending_cap;
  rl_project *project; /* the run's project model */
  const char *fs_path; /* where the file was read from, or NULL */
};

rl_project *rl_ctx__project(rl_ctx *ctx) { return ctx->project; }
const char *rl_ctx__fs_path(rl_ctx *ctx) { return ctx->fs_path; }

rl_source *rl_ctx_source(rl_ctx *ctx) { return &ctx->src; }
rl_context rl_ctx_context(const rl_ctx *ctx) { return ctx->context; }
TSNode rl_ctx_root(const rl_ctx *ctx) { return ctx->root; }
rl_arena *rl_ctx_arena(rl_ctx *ctx) { return ctx->arena; }
double rl_ctx_max_token_ttl(const rl_ctx *ctx) { return ctx->engine->cfg.max_token_ttl; }
const rl_rule *rl_ctx_rule(const rl_ctx *ctx) { return ctx->rule; }

rl_jsfile *rl_ctx_js(rl_ctx *ctx) {
  if (!ctx->js && !ts_node_is_null(ctx->root)) {
    ctx->js = rl_jsfile_new(&ctx->src, ctx->root, ctx->arena);
    rl_ctx__wire_imports(ctx, ctx->js); /* constants fold through imports */
  }
  return ctx->js;
}

const rl_dotenv_entry *rl_ctx_dotenv(rl_ctx *ctx, size_t *n) {
  if (!ctx->env_parsed && ctx->src.lang == RL_LANG_DOTENV) {
    rl_dotenv_parse(ctx->src.bytes, ctx->src.len, ctx->arena, &ctx->env, &ctx->nenv);
    ctx->env_parsed = 1;
  }
  *n = ctx->nenv;
  return ctx->env;
}

const char *rl_ctx_text(rl_ctx *ctx, TSNode node, size_t *n) {
  uint32_t s = ts_node_start_byte(node), e = ts_node_end_byte(node);
  if (e > ctx->src.len) e = (uint32_t)ctx->src.len;
  if (s > e) s = e;
  *n = e - s;
  return ctx->src.bytes + s;
}

TSNode rl_match_capture(const rl_match *m, const char *name) {
  for (uint32_t i = 0; i < m->ncaptures; i++) {
    uint32_t len;
    const char *cn = ts_query_capture_name_for_id(m->query, m->captures[i].index, &len);
    if (strlen(name) == len && memcmp(cn, name, len) == 0) return m->captures[i].node;
  }
  return (TSNode){{0}, NULL, NULL};
}

void rl_ctx_regex_limit(rl_ctx *ctx, uint32_t byte) {
  uint32_t line, col;
  rl_source_position(&ctx->src, byte, &line, &col);
  rl_file_result_note(ctx->result, RL_NOTE_WARNING, "regex-limit", line, col,
                      "%s: the regular expression of rule %s hit a PCRE2 limit searching from line %u, column "
                      "%u: it could not tell whether it matches there, so the rest of the file was not "
                      "searched for it",
                      ctx->src.path, ctx->rule->id, line, col);
}

static void add_secret_span(rl_ctx *ctx, uint32_t start, uint32_t end) {
  ctx->secrets = rl_arena_grow(ctx->arena, ctx->secrets, ctx->nsecrets, &ctx->secrets_cap, sizeof *ctx->secrets);
  ctx->secrets[ctx->nsecrets++] = (span){start, end};
}

static void add_secret_value(rl_ctx *ctx, const char *p, size_t n) {
  if (n < RL_MASK_REPEAT_MIN) return;
  ctx->values = rl_arena_grow(ctx->arena, ctx->values, ctx->nvalues, &ctx->values_cap, sizeof *ctx->values);
  ctx->values[ctx->nvalues++] = (secret_value){p, n};
}

static int node_type_is(TSNode n, const char *type) {
  return !ts_node_is_null(n) && strcmp(ts_node_type(n), type) == 0;
}

/* A `+` between two operands: the chain `'abc…' + '…xyz'` is one value. */
static int is_plus(TSNode n) {
  if (!node_type_is(n, "binary_expression")) return 0;
  TSNode op = rl_js_field(n, "operator");
  return !ts_node_is_null(op) && strcmp(ts_node_type(op), "+") == 0;
}

static int is_literal_string(TSNode n) { return node_type_is(n, "string") || node_type_is(n, "template_string"); }

/* When [start, end) is the whole content of a string literal that is one
 * operand of a `+` chain, the secret is the chain's value: every literal
 * piece of the chain is marked too, and so is their joined text (a copy of
 * it elsewhere in the file is masked as well). Walks with an explicit stack
 * and climbs with rl_js_parent (the file's parent index, counted against its
 * budget): a chain can be tens of thousands of operands deep. */
static void mark_concat_pieces(rl_ctx *ctx, uint32_t start, uint32_t end) {
  if (ts_node_is_null(ctx->root) || start == 0) return;
  if (ctx->last_chain.start <= start && end <= ctx->last_chain.end) return;
  TSNode n = ts_node_descendant_for_byte_range(ctx->root, start - 1, end + 1);
  while (!ts_node_is_null(n) && !is_literal_string(n) && ts_node_start_byte(n) + 1 >= start &&
         ts_node_end_byte(n) <= end + 1)
    n = rl_js_parent(n);
  if (!is_literal_string(n) || ts_node_start_byte(n) + 1 != start || ts_node_end_byte(n) != end + 1) return;
  TSNode top = n;
  for (;;) {
    TSNode up = rl_js_parent(top);
    if (!is_plus(up) && !node_type_is(up, "parenthesized_expression")) break;
    top = up;
  }
  if (ts_node_eq(top, n)) return;
  ctx->last_chain = (span){ts_node_start_byte(top), ts_node_end_byte(top)};
  rl_buf joined = {0};
  size_t cap = 64, depth = 0;
  TSNode *stack = rl_xmalloc(cap * sizeof *stack);
  stack[depth++] = top;
  while (depth > 0) {
    TSNode at = stack[--depth];
    if (is_literal_string(at)) {
      uint32_t s = ts_node_start_byte(at) + 1, e = ts_node_end_byte(at) - 1;
      if (e > s && e <= ctx->src.len) {
        add_secret_span(ctx, s, e);
        add_secret_value(ctx, ctx->src.bytes + s, e - s);
        rl_buf_put(&joined, ctx->src.bytes + s, e - s);
      }
      continue;
    }
    if (!is_plus(at) && !node_type_is(at, "parenthesized_expression")) continue;
    /* children pushed last first, so pieces come off the stack in order */
    for (uint32_t k = ts_node_named_child_count(at); k-- > 0;) {
      if (depth == cap) {
        cap *= 2;
        stack = rl_xreallocarray(stack, cap, sizeof *stack);
      }
      stack[depth++] = ts_node_named_child(at, k);
    }
  }
  free(stack);
  if (joined.len) add_secret_value(ctx, rl_arena_strndup(ctx->arena, joined.ptr, joined.len), joined.len);
  rl_buf_free(&joined);
}

void rl_ctx_mark_secret(rl_ctx *ctx, uint32_t start, uint32_t end) {
  if (end > ctx->src.len) end = (uint32_t)ctx->src.len;
  if (end <= start) return;
  add_secret_span(ctx, start, end);
  add_secret_value(ctx, ctx->src.bytes + start, end - start);
  mark_concat_pieces(ctx, start, end);
}

static void add_finding(rl_ctx *ctx, uint32_t start, uint32_t end, const char *message) {
  if (ctx->nfindings == ctx->cap) {
    size_t cap = ctx->cap ? ctx->cap * 2 : 8;
    rl_finding *f = rl_arena_calloc(ctx->arena, cap, sizeof *f);
    if (ctx->nfindings) memcpy(f, ctx->findings, ctx->nfindings * sizeof *f);
    ctx->findings = f;
    ctx->cap = cap;
  }
  rl_finding *f = &ctx->findings[ctx->nfindings++];
  memset(f, 0, sizeof *f);
  f->rule = ctx->rule;
  ssize_t ri = rule_index(ctx->engine, ctx->rule->id);
  f->severity = ri < 0 ? ctx->rule->severity : ctx->file_severity ? ctx->file_severity[ri] : ctx->engine->severity[ri];
  if (ctx->sev_cap != RL_SEV_NONE && f->severity > ctx->sev_cap) f->severity = ctx->sev_cap;
  ctx->sev_cap = RL_SEV_NONE;
  f->message = message;
  f->start_byte = start;
  f->end_byte = end < start ? start : end;
  if (ctx->related_path) {
    f->related_path = ctx->related_path;
    f->related_line = ctx->related_line;
    f->related_col = ctx->related_col;
    f->related_message = ctx->related_message;
    f->related_more = ctx->related_more;
    f->nrelated_more = ctx->nrelated_more;
    ctx->related_path = NULL;
    ctx->related_more = NULL;
    ctx->nrelated_more = 0;
  }
}

void rl_ctx_cap_severity(rl_ctx *ctx, rl_severity max) { ctx->sev_cap = max; }

void rl_ctx_related(rl_ctx *ctx, const char *path, uint32_t line, uint32_t col, const char *message) {
  if (ctx->related_path) { /* one more place for the same finding */
    rl_related *m = rl_arena_calloc(ctx->arena, ctx->nrelated_more + 1, sizeof *m);
    if (ctx->nrelated_more) memcpy(m, ctx->related_more, ctx->nrelated_more * sizeof *m);
    m[ctx->nrelated_more] =
        (rl_related){rl_arena_strdup(ctx->arena, path), line, col, rl_arena_strdup(ctx->arena, message ? message : "")};
    ctx->related_more = m;
    ctx->nrelated_more++;
    return;
  }
  ctx->related_path = rl_arena_strdup(ctx->arena, path);
  ctx->related_line = line;
  ctx->related_col = col;
  ctx->related_message = rl_arena_strdup(ctx->arena, message ? message : "");
}

void rl_report_range(rl_ctx *ctx, uint32_t start, uint32_t end, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = rl_arena_vprintf(ctx->arena, fmt, ap);
  va_end(ap);
  add_finding(ctx, start, end, msg);
}

void rl_report(rl_ctx *ctx, TSNode node, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = rl_arena_vprintf(ctx->arena, fmt, ap);
  va_end(ap);
  add_finding(ctx, ts_node_start_byte(node), ts_node_end_byte(node), msg);
}

/* ---- masking: one place for every snippet and message -------------------------- */

static int span_cmp(const void *a, const void *b) {
  const span *x = a, *y = b;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  return x->end < y->end ? -1 : (x->end > y->end);
}

static int value_cmp(const void *a, const void *b) {
  const secret_value *x = a, *y = b;
  int c = memcmp(x->p, y->p, x->n < y->n ? x->n : y->n);
  if (c) return c;
  return x->n < y->n ? -1 : (x->n > y->n);
}

/* Secrets are found by their last four bytes (random in a real secret,
 * unlike a JWT's or a key's shared prefix): one pass over a text costs a
 * filter test per byte, a binary search on a hit, and a compare per secret
 * that ends so. */
static uint32_t tail_key(const char *end) {
  const unsigned char *u = (const unsigned char *)end - 4;
  return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

static int tail_cmp(const void *a, const void *b) {
  const tail_entry *x = a, *y = b;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  return x->value < y->value ? -1 : (x->value > y->value);
}

static void add_span_to(rl_ctx *ctx, span **out, size_t *n, size_t *cap, size_t start, size_t end) {
  *out = rl_arena_grow(ctx->arena, *out, *n, cap, sizeof **out);
  (*out)[(*n)++] = (span){(uint32_t)start, (uint32_t)end};
}

/* Every copy of a secret's text in p[0..n), as spans relative to p. */
static void find_values(rl_ctx *ctx, const char *p, size_t n, span **out, size_t *nout, size_t *cap) {
  if (ctx->nvalues == 0) return;
  for (size_t e = RL_MASK_REPEAT_MIN; e <= n; e++) {
    uint32_t key = tail_key(p + e);
    if (!ctx->tail_filter[(key * 2654435761u) >> 16]) continue;
    size_t lo = 0, hi = ctx->nvalues;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (ctx->tails[mid].key < key)
        lo = mid + 1;
      else
        hi = mid;
    }
    for (size_t k = lo; k < ctx->nvalues && ctx->tails[k].key == key; k++) {
      const secret_value *v = &ctx->values[ctx->tails[k].value];
      if (v->n <= e && memcmp(p + e - v->n, v->p, v->n) == 0) add_span_to(ctx, out, nout, cap, e - v->n, e);
    }
  }
}

/* Once every rule has run: the distinct secret texts indexed, every copy of
 * one in the file added to the marked spans, the spans sorted with the
 * furthest end so far, for secrets_in. */
static void prepare_masking(rl_ctx *ctx) {
  if (ctx->nvalues > 1) {
    qsort(ctx->values, ctx->nvalues, sizeof *ctx->values, value_cmp);
    size_t w = 0;
    for (size_t i = 0; i < ctx->nvalues; i++)
      if (w == 0 || value_cmp(&ctx->values[w - 1], &ctx->values[i]) != 0) ctx->values[w++] = ctx->values[i];
    ctx->nvalues = w;
  }
  if (ctx->nvalues) {
    ctx->tails = rl_arena_calloc(ctx->arena, ctx->nvalues, sizeof *ctx->tails);
    ctx->tail_filter = rl_arena_calloc(ctx->arena, 65536, 1);
    for (size_t i = 0; i < ctx->nvalues; i++) {
      uint32_t key = tail_key(ctx->values[i].p + ctx->values[i].n);
      ctx->tails[i] = (tail_entry){key, (uint32_t)i};
      ctx->tail_filter[(key * 2654435761u) >> 16] = 1;
    }
    qsort(ctx->tails, ctx->nvalues, sizeof *ctx->tails, tail_cmp);
    find_values(ctx, ctx->src.bytes, ctx->src.len, &ctx->secrets, &ctx->nsecrets, &ctx->secrets_cap);
  }
  if (ctx->nsecrets > 1) qsort(ctx->secrets, ctx->nsecrets, sizeof *ctx->secrets, span_cmp);
  ctx->reach = rl_arena_calloc(ctx->arena, ctx->nsecrets ? ctx->nsecrets : 1, sizeof *ctx->reach);
  uint32_t far = 0;
  for (size_t i = 0; i < ctx->nsecrets; i++) {
    if (ctx->secrets[i].end > far) far = ctx->secrets[i].end;
    ctx->reach[i] = far;
  }
}

/* Sorts sp[0..n) by start and merges overlapping spans; returns the count. */
static size_t merge_spans(span *sp, size_t n) {
  if (n > 1) qsort(sp, n, sizeof *sp, span_cmp);
  size_t w = 0;
  for (size_t i = 0; i < n; i++) {
    if (w > 0 && sp[i].start <= sp[w - 1].end) {
      if (sp[i].end > sp[w - 1].end) sp[w - 1].end = sp[i].end;
      continue;
    }
    sp[w++] = sp[i];
  }
  return w;
}

/* The secrets that show in source bytes [lo, hi) (marked, or a copy of a
 * marked one's text), sorted by start and merged where they overlap.
 * Returns an arena array. Needs prepare_masking. */
static span *secrets_in(rl_ctx *ctx, size_t lo, size_t hi, size_t *out_n) {
  span *out = NULL;
  size_t n = 0, cap = 0;
  size_t a = 0, b = ctx->nsecrets; /* first span starting at or after hi */
  while (a < b) {
    size_t mid = a + (b - a) / 2;
    if (ctx->secrets[mid].start < hi)
      a = mid + 1;
    else
      b = mid;
  }
  for (size_t j = a; j-- > 0 && ctx->reach[j] > lo;)
    if (ctx->secrets[j].end > lo) add_span_to(ctx, &out, &n, &cap, ctx->secrets[j].start, ctx->secrets[j].end);
  *out_n = merge_spans(out, n);
  return out;
}

/* Appends base[from, to) to b, each secret in sp[0..n) (offsets into base,
 * sorted, disjoint) replaced by its mask: the whole secret's mask, once,
 * where it first shows, even when [from, to) holds only part of it. */
static void put_masked(rl_ctx *ctx, rl_buf *b, const char *base, size_t from, size_t to, const span *sp, size_t n) {
  size_t k = 0, i = from;
  while (i < to) {
    while (k < n && sp[k].end <= i) k++;
    if (k == n || sp[k].start >= to) {
      rl_buf_put(b, base + i, to - i);
      break;
    }
    if (sp[k].start > i) {
      rl_buf_put(b, base + i, sp[k].start - i);
      i = sp[k].start;
    }
    rl_buf_puts(b, rl_mask_secret(ctx->arena, base + sp[k].start, sp[k].end - sp[k].start));
    i = sp[k].end;
  }
}

static void put_masked_range(rl_ctx *ctx, rl_buf *b, size_t from, size_t to) {
  size_t n;
  const span *sp = secrets_in(ctx, from, to, &n);
  put_masked(ctx, b, ctx->src.bytes, from, to, sp, n);
}

/* s with every copy of a secret's text replaced by its mask (messages are
 * written by rules, which may quote source text); s itself if none shows. */
static const char *mask_text(rl_ctx *ctx, const char *s) {
  if (!s || ctx->nvalues == 0) return s;
  size_t len = strlen(s), n = 0, cap = 0;
  span *sp = NULL;
  find_values(ctx, s, len, &sp, &n, &cap);
  if (n == 0) return s;
  n = merge_spans(sp, n);
  rl_buf b = {0};
  put_masked(ctx, &b, s, 0, len, sp, n);
  const char *out = rl_arena_strndup(ctx->arena, b.ptr, b.len);
  rl_buf_free(&b);
  return out;
}

/* Rule-pack message: "{name}" becomes the text of capture @name. */
static const char *expand_message(rl_ctx *ctx, const char *tmpl, const rl_match *m) {
  rl_buf b = {0};
  for (const char *p = tmpl; *p;) {
    const char *close = p[0] == '{' ? strchr(p, '}') : NULL;
    if (close && close > p + 1) {
      char name[64];
      size_t n = (size_t)(close - p - 1);
      if (n < sizeof name) {
        memcpy(name, p + 1, n);
        name[n] = '\0';
        TSNode node = rl_match_capture(m, name);
        if (!ts_node_is_null(node)) {
          uint32_t s = ts_node_start_byte(node), e = ts_node_end_byte(node);
          if (e > ctx->src.len) e = (uint32_t)ctx->src.len;
          if (s > e) s = e;
          put_masked_range(ctx, &b, s, e - s > 120 ? s + 120 : e);
          p = close + 1;
          continue;
        }
      }
    }
    rl_buf_putc(&b, *p++);
  }
  const char *out = rl_arena_strndup(ctx->arena, b.ptr ? b.ptr : "", b.len);
  rl_buf_free(&b);
  return out;
}

static int rule_applies(const rl_rule *r, rl_lang lang, rl_context c) {
  if (!(r->langs & RL_LANG_BIT(lang))) return 0;
  return r->contexts == 0 || (r->contexts & RL_CTX_BIT(c));
}

/* A rule pack's `; secret:` captures: each one's text is a secret (a string
 * literal's content, inside its quotes). */
static void mark_secret_captures(rl_ctx *ctx, const rl_rule *r, const rl_match *m) {
  for (size_t i = 0; r->secret_captures && r->secret_captures[i]; i++) {
    for (uint32_t c = 0; c < m->ncaptures; c++) {
      uint32_t len;
      const char *cn = ts_query_capture_name_for_id(m->query, m->captures[c].index, &len);
      if (len != strlen(r->secret_captures[i]) || memcmp(cn, r->secret_captures[i], len) != 0) continue;
      TSNode n = m->captures[c].node;
      uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
      if (is_literal_string(n) && e - s >= 2) {
        s++;
        e--;
      }
      rl_ctx_mark_secret(ctx, s, e);
    }
  }
}

typedef struct match_data {
  rl_ctx *ctx;
  const rl_rule *rule;
  const rl_query *query;
} match_data;

static int on_query_match(void *data, const TSQueryMatch *tm) {
  match_data *md = data;
  rl_ctx *ctx = md->ctx;
  if (ctx->js && rl_jsfile_step(ctx->js, 1)) return 1; /* budget spent: stop the query */
  const rl_rule *r = md->rule;
  rl_match m = {tm->captures, tm->capture_count, rl_query_ts(md->query), tm->pattern_index};
  ctx->rule = r;
  if (r->on_match) {
    r->on_match(ctx, &m);
  } else {
    mark_secret_captures(ctx, r, &m);
    TSNode at = rl_match_capture(&m, "finding");
    if (ts_node_is_null(at) && m.ncaptures) at = m.captures[0].node;
    if (!ts_node_is_null(at)) {
      /* The message may quote a capture holding a secret another rule has
       * not marked yet: it is written once every rule has run. */
      add_finding(ctx, ts_node_start_byte(at), ts_node_end_byte(at), "");
      ctx->pending = rl_arena_grow(ctx->arena, ctx->pending, ctx->npending, &ctx->pending_cap, sizeof *ctx->pending);
      pending_message *pm = &ctx->pending[ctx->npending++];
      pm->finding = ctx->nfindings - 1;
      pm->tmpl = r->message ? r->message : r->title;
      pm->match = m;
      TSQueryCapture *caps = rl_arena_calloc(ctx->arena, m.ncaptures ? m.ncaptures : 1, sizeof *caps);
      if (m.ncaptures) memcpy(caps, m.captures, m.ncaptures * sizeof *caps);
      pm->match.captures = caps;
    }
  }
  return 0;
}

/* What the query runs of one file could not do, gathered for its notes. */
typedef struct query_trouble {
  const rl_rule *match_limited; /* the first rule whose run hit the match limit */
  uint32_t match_limit;
  rl_query_stats regex; /* regex_limited summed; the first one's place */
  const rl_rule *regex_rule;
} query_trouble;

static void gather_stats(query_trouble *qt, const rl_query_stats *one, const rl_rule *rule, const rl_query *q) {
  if (one->match_limit_exceeded && !qt->match_limited) {
    qt->match_limited = rule;
    qt->match_limit = rl_query_match_limit(q);
  }
  if (one->regex_limited && !qt->regex.regex_limited) {
    qt->regex.regex_limited_pattern = one->regex_limited_pattern;
    qt->regex.regex_limited_byte = one->regex_limited_byte;
    qt->regex_rule = rule;
  }
  qt->regex.regex_limited += one->regex_limited;
}

/* Runs the queries of the active rules over the file, one rule at a time
 * (each compiled on first use): on the whole tree, or, when it nests deeper
 * than QUERY_MAX_DEPTH, on each largest subtree no higher than that (with a
 * note). Each node a query visits and each match is a step. What the runs
 * could not do (tree-sitter's match limit, a PCRE2 limit, a query that does
 * not compile) becomes a warning. */
static void run_queries(rl_ctx *ctx, rl_file_result *r, TSQueryCursor *cursor, const unsigned char *active,
                        rl_jsfile *jf) {
  const rl_engine *e = ctx->engine;
  query_trouble qt = {0};
  uint32_t depth = rl_jsfile_max_depth(jf);
  TSNode *roots = &ctx->root;
  size_t nroots = 1, covered = rl_jsfile_node_count(jf);
  if (depth > QUERY_MAX_DEPTH) nroots = rl_jsfile_shallow_roots(jf, QUERY_MAX_DEPTH, &roots, &covered);
  for (size_t ri = 0; ri < e->nrules && !rl_jsfile_exhausted(jf); ri++) {
    const rl_rule *rule = e->rules[ri];
    if (!active[ri] || !rule->query) continue;
    const char *why = NULL;
    const rl_query *q = rule_query_get(e, ri, ctx->src.lang, &why);
    if (!q) {
      rl_file_result_note(r, RL_NOTE_WARNING, "rule-query-failed", 0, 0,
                          "%s: rule %s did not run: its query does not compile for %s: %s", r->path, rule->id,
                          rl_lang_name(ctx->src.lang), why ? why : "unknown error");
      continue;
    }
    match_data md = {ctx, rule, q};
    rl_jsfile_step(jf, covered);
    for (size_t i = 0; i < nroots && !rl_jsfile_exhausted(jf); i++) {
      rl_query_stats one;
      rl_query_run(&one, q, cursor, roots[i], ctx->src.bytes, (uint32_t)ctx->src.len, on_query_match, &md);
      gather_stats(&qt, &one, rule, q);
    }
  }
  if (depth > QUERY_MAX_DEPTH)
    rl_file_result_note(r, RL_NOTE_NOTE, "query-limited", 0, 0,
                        "%s nests %u levels deep: rule queries ran on its subtrees up to %d levels high, "
                        "not on the %zu nodes above them",
                        r->path, depth, QUERY_MAX_DEPTH, rl_jsfile_node_count(jf) - covered);
  if (qt.match_limited)
    rl_file_result_note(r, RL_NOTE_WARNING, "query-match-limit", 0, 0,
                        "%s: the query of rule %s had more than %u matches in progress at once, the limit; "
                        "tree-sitter dropped some, so findings may be missing",
                        r->path, qt.match_limited->id, qt.match_limit);
  if (qt.regex.regex_limited) {
    uint32_t line, col, n = qt.regex.regex_limited;
    rl_source_position(&ctx->src, qt.regex.regex_limited_byte, &line, &col);
    rl_file_result_note(r, RL_NOTE_WARNING, "regex-limit", line, col,
                        "%s: a regular expression of rule %s hit a PCRE2 limit at line %u, column %u (%u "
                        "match%s in all): it could not tell whether it matches, so nothing was reported there",
                        r->path, qt.regex_rule->id, line, col, n, n == 1 ? "" : "es");
  }
}

/* Lines longer than this are cut to a window around the finding, so one
 * finding in a bundle's 40 KB line does not print the whole line. */
#define SNIPPET_MAX_LINE 300
#define SNIPPET_BEFORE 60

static size_t utf8_back(const char *p, size_t i) {
  while (i > 0 && ((unsigned char)p[i] & 0xC0) == 0x80) i--;
  return i;
}

/* The snippet: the finding's first line (up to 3 lines), with every secret
 * that shows in it (marked there, or a copy of a marked secret's text)
 * replaced by its mask. */
static const char *make_snippet(rl_ctx *ctx, rl_finding *f) {
  uint32_t last = f->end_line;
  if (last > f->start_line + 2) last = f->start_line + 2;
  rl_buf b = {0};
  for (uint32_t line = f->start_line; line <= last; line++) {
    const char *p;
    size_t n;
    rl_source_line(&ctx->src, line, &p, &n);
    size_t line_off = (size_t)(p - ctx->src.bytes);
    size_t nsp;
    const span *sp = secrets_in(ctx, line_off, line_off + n, &nsp);
    size_t from = 0, to = n;
    if (n > SNIPPET_MAX_LINE) {
      size_t at = line == f->start_line && f->start_byte >= line_off ? f->start_byte - line_off : 0;
      from = at > SNIPPET_BEFORE ? utf8_back(p, at - SNIPPET_BEFORE) : 0;
      to = from + SNIPPET_MAX_LINE;
      /* A secret prints as a short mask: never cut one in half. */
      for (size_t k = 0; k < nsp; k++)
        if (sp[k].start < line_off + to && line_off + to < sp[k].end) to = sp[k].end - line_off + SNIPPET_BEFORE;
      to = to < n ? utf8_back(p, to) : n;
      if (from > 0) {
        rl_buf_puts(&b, "…");
        if (line == f->start_line) {
          uint32_t l, c;
          rl_source_position(&ctx->src, line_off + from, &l, &c);
          f->snippet_col = c - 1;
        }
      }
    }
    put_masked(ctx, &b, ctx->src.bytes, line_off + from, line_off + to, sp, nsp);
    if (to < n) rl_buf_puts(&b, "…");
    if (line < last) rl_buf_putc(&b, '\n');
  }
  const char *out = rl_arena_strndup(ctx->arena, b.ptr ? b.ptr : "", b.len);
  rl_buf_free(&b);
  return out;
}

static int finding_cmp(const void *a, const void *b) {
  const rl_finding *x = a, *y = b;
  if (x->start_line != y->start_line) return x->start_line < y->start_line ? -1 : 1;
  if (x->start_col != y->start_col) return x->start_col < y->start_col ? -1 : 1;
  int c = strcmp(x->rule->id, y->rule->id);
  if (c) return c;
  if (x->end_byte != y->end_byte) return x->end_byte < y->end_byte ? -1 : 1;
  return strcmp(x->message, y->message);
}

static void finish_findings(rl_ctx *ctx, rl_file_result *r, const rl_suppressions *sup) {
  /* Every secret of the file is known now: write the deferred messages and
   * mask copies of secrets in what the rules wrote. */
  prepare_masking(ctx);
  for (size_t i = 0; i < ctx->npending; i++) {
    const pending_message *pm = &ctx->pending[i];
    ctx->findings[pm->finding].message = expand_message(ctx, pm->tmpl, &pm->match);
  }
  for (size_t i = 0; i < r->nnotes; i++) r->notes[i].message = mask_text(ctx, r->notes[i].message);
  r->context_reason = mask_text(ctx, r->context_reason);
  /* Drop exact duplicates (two patterns of one rule matching one node). */
  for (size_t i = 0; i < ctx->nfindings; i++) {
    rl_finding *f = &ctx->findings[i];
    f->message = mask_text(ctx, f->message);
    rl_source_position(&ctx->src, f->start_byte, &f->start_line, &f->start_col);
    rl_source_position(&ctx->src, f->end_byte, &f->end_line, &f->end_col);
    if (f->end_line == f->start_line && f->end_col <= f->start_col) f->end_col = f->start_col + 1;
  }
  qsort(ctx->findings, ctx->nfindings, sizeof *ctx->findings, finding_cmp);
  size_t w = 0;
  for (size_t i = 0; i < ctx->nfindings; i++) {
    if (w > 0) {
      const rl_finding *p = &ctx->findings[w - 1], *f = &ctx->findings[i];
      if (p->rule == f->rule && p->start_byte == f->start_byte && p->end_byte == f->end_byte) continue;
    }
    ctx->findings[w++] = ctx->findings[i];
  }
  ctx->nfindings = w;
  /* Each finding hashed once */
  uint64_t *hashes = rl_xcalloc(ctx->nfindings, sizeof *hashes);
  for (size_t i = 0; i < ctx->nfindings; i++) {
    rl_finding *f = &ctx->findings[i];
    f->snippet = make_snippet(ctx, f);
    hashes[i] = rl_finding_hash(f, ctx->src.path);
  }
  rl_findings_fingerprint(ctx->findings, hashes, ctx->nfindings);
  for (size_t i = 0; i < ctx->nfindings; i++) {
    rl_finding *f = &ctx->findings[i];
    const char *why = NULL;
    if (rl_suppress_match(sup, f->rule->id, f->start_line, &why)) {
      f->suppressed = RL_SUPPRESS_IN_SOURCE;
      f->justification = why;
    } else if (rl_baseline_has(ctx->engine->cfg.baseline, f->fingerprint)) {
      f->suppressed = RL_SUPPRESS_EXTERNAL;
      f->justification = rl_baseline_reason(ctx->engine->cfg.baseline);
    }
  }
  free(hashes);
  if (r->nfindings) {
    /* A second view of a markup file (markup.h): both views' findings, in order. */
    rl_finding *all = rl_arena_calloc(ctx->arena, r->nfindings + ctx->nfindings, sizeof *all);
    memcpy(all, r->findings, r->nfindings * sizeof *all);
    memcpy(all + r->nfindings, ctx->findings, ctx->nfindings * sizeof *all);
    ctx->nfindings += r->nfindings;
    ctx->findings = all;
    qsort(ctx->findings, ctx->nfindings, sizeof *ctx->findings, finding_cmp);
  }
  r->findings = ctx->findings;
  r->nfindings = ctx->nfindings;
}

/* After the findings went through the suppressions: a rule name no rule
 * has is an error, and a directive that suppressed nothing a note (an
 * error with --report-unused-suppressions=error), at the name. A rule
 * turned off for this run cannot tell, so its directives are not judged. */
static void check_suppressions(const rl_engine *e, rl_source *src, rl_file_result *r, const rl_suppressions *sup,
                               const rl_severity *file_severity) {
  int unused = e->cfg.unused_suppressions;
  for (const rl_suppress_entry *d = rl_suppress_entry_next(sup, NULL); d; d = rl_suppress_entry_next(sup, d)) {
    uint32_t line, col;
    rl_source_position(src, d->offset, &line, &col);
    const rl_rule *rule = d->rule ? rl_engine_rule_find(e, d->rule) : NULL;
    if (d->rule && !rule) {
      r->suppression_errors++;
      rl_file_result_note(r, RL_NOTE_ERROR, "suppression-unknown-rule", line, col,
                          "unknown rule '%s' in %s (see roomlint --list-rules)", d->rule, d->directive);
      continue;
    }
    if (d->used || unused < 0 || (rule && !rl_engine_rule_enabled(e, rule))) continue;
    if (rule && file_severity && file_severity[rule_index(e, rule->id)] == RL_SEV_NONE) continue;
    if (unused == RL_NOTE_ERROR) r->suppression_errors++;
    if (rule)
      rl_file_result_note(r, unused == RL_NOTE_ERROR ? RL_NOTE_ERROR : RL_NOTE_NOTE, "suppression-unused", line, col,
                          "unused %s: no %s finding here to suppress", d->directive, d->rule);
    else
      rl_file_result_note(r, unused == RL_NOTE_ERROR ? RL_NOTE_ERROR : RL_NOTE_NOTE, "suppression-unused", line, col,
                          "unused %s: no finding here to suppress", d->directive);
  }
}

/* Bytes being parsed at once, across workers. A tree costs about twenty
 * times its source in memory, so this bounds peak memory by the files in
 * flight: a file larger than the budget parses alone. Takers are served in
 * arrival order, so a large file waiting for the budget is not starved by
 * small ones. */
#define PARSE_BUDGET (8u * 1024 * 1024)
#define TRIM_AFTER_BYTES (1u * 1024 * 1024)

typedef struct budget {
  pthread_mutex_t mu;
  pthread_cond_t freed;
  size_t used;
  unsigned long next_ticket, serving;
} budget;

static void budget_take(budget *b, size_t n) {
  if (!b) return;
  pthread_mutex_lock(&b->mu);
  unsigned long ticket = b->next_ticket++;
  while (ticket != b->serving || (b->used > 0 && b->used + n > PARSE_BUDGET)) pthread_cond_wait(&b->freed, &b->mu);
  b->used += n;
  b->serving++;
  pthread_cond_broadcast(&b->freed);
  pthread_mutex_unlock(&b->mu);
}

static void budget_give(budget *b, size_t n) {
  if (!b) return;
  pthread_mutex_lock(&b->mu);
  b->used -= n;
  pthread_cond_broadcast(&b->freed);
  pthread_mutex_unlock(&b->mu);
}

typedef struct worker_state {
  rl_parser *parser;
  TSQueryCursor *cursor;
  budget *budget; /* NULL when one thread scans */
} worker_state;

static const char *skip_words(rl_skip s, const rl_engine *e, rl_arena *a) {
  switch (s) {
  case RL_SKIP_TOO_LARGE: return rl_arena_printf(a, "larger than --max-file-size (%zu bytes)", e->cfg.max_file_size);
  case RL_SKIP_BINARY: return "binary file (NUL byte in the first 8 KiB)";
  case RL_SKIP_MINIFIED: return "minified file (a line over 10,000 bytes, or a .min. name)";
  case RL_SKIP_SPECIAL: return "not a regular file (FIFO, socket or device): never opened";
  case RL_SKIP_SYMLINK_OUT: return "symbolic link that leaves the scanned root";
  case RL_SKIP_SYMLINK_LOOP: return "symbolic link loop or dangling link";
  case RL_SKIP_UNREADABLE: return "could not be read";
  case RL_SKIP_NOT_SOURCE: return "not a JavaScript, TypeScript or dotenv file";
  case RL_SKIP_IGNORED: return "left out by an ignore rule (--force-exclude)";
  default: return "skipped";
  }
}

static void mark_skipped(const rl_engine *e, rl_file_result *r, rl_skip s, const char *detail) {
  r->skip = s;
  r->skip_detail = detail ? rl_arena_strdup(r->arena, detail) : skip_words(s, e, r->arena);
  const char *id = rl_arena_printf(r->arena, "skipped-%s", rl_skip_name(s));
  rl_note_level level = (s == RL_SKIP_UNREADABLE || s == RL_SKIP_SYMLINK_OUT) ? RL_NOTE_WARNING : RL_NOTE_NOTE;
  rl_file_result_note(r, level, id, 0, 0, "%s was not scanned: %s", r->path, r->skip_detail);
}

static void set_override(void *data, const char *rule_id, rl_severity sev) {
  rl_ctx *ctx = data;
  ssize_t k = rule_index(ctx->engine, rule_id);
  if (k >= 0) ctx->file_severity[k] = sev;
}

/* The config's per-path overrides for this file: its own severities, and
 * the rules they turn off left out of active. */
static void apply_overrides(rl_ctx *ctx, const char *path, unsigned char *active) {
  const rl_engine *e = ctx->engine;
  if (!e->overrides) return;
  ctx->file_severity = rl_arena_calloc(ctx->arena, e->nrules ? e->nrules : 1, sizeof *ctx->file_severity);
  memcpy(ctx->file_severity, e->severity, e->nrules * sizeof *ctx->file_severity);
  if (rl_overrides_apply(e->overrides, path, set_override, ctx) == 0) {
    ctx->file_severity = NULL;
    return;
  }
  for (size_t i = 0; i < e->nrules; i++)
    if (ctx->file_severity[i] == RL_SEV_NONE) active[i] = 0;
}

/* The prefilter asks the project model whether an import may matter
 * (rl_summary_possible): the asking file's path and the run's model. */
typedef struct import_asker {
  rl_project *project;
  const char *from;
} import_asker;

static int import_matters(void *data, const char *spec, size_t len) {
  const import_asker *ia = data;
  return rl_project_import_matters(ia->project, ia->from, spec, len);
}

/* Scans bytes already in memory (of a markup file: one view of its code).
 * `bytes` must outlive the call only. With text_only no tree is built:
 * code runs the rules' on_text detectors, dotenv files their usual rules
 * (which need no tree). */
static rl_file_result *scan_code(const rl_engine *e, worker_state *ws, rl_file_result *r, const char *fs_path,
                                 const char *bytes, size_t len, const rl_markup_view *view, int text_only) {
  rl_lang lang = view ? view->lang : r->lang;
  rl_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.engine = e;
  ctx.arena = r->arena;
  ctx.result = r;
  ctx.project = e->project;
  ctx.fs_path = fs_path;
  rl_source_init(&ctx.src, r->path, bytes, len, lang, r->arena);

  int code = lang == RL_LANG_JS || lang == RL_LANG_TS || lang == RL_LANG_TSX;
  if (code && !view && !text_only && rl_source_looks_minified(r->path, bytes, len)) {
    mark_skipped(e, r, RL_SKIP_MINIFIED, NULL);
    return r;
  }

  /* Prefilter: which rules can fire on these bytes? */
  unsigned char *active = rl_arena_calloc(r->arena, e->nrules ? e->nrules : 1, 1);
  unsigned char *needle_hit = rl_arena_calloc(r->arena, e->nrules ? e->nrules : 1, 1);
  if (!e->cfg.no_prefilter) rl_needles_scan(e->needles, bytes, len, needle_hit);
  rl_prefilter pf;
  rl_prefilter_init(&pf, bytes, len, lang);
  rl_prefilter_set_path(&pf, r->path); /* the path rules see: routes.c reads pages/api/ etc. */
  import_asker ia = {e->project, fs_path ? fs_path : r->path};
  rl_prefilter_set_imports(&pf, import_matters, &ia);
  int any_query = 0, any = 0;
  /* The contexts a parse could give this file: a rule for none of them is
   * passed over before its prefilter asks (the import questions cost reads). */
  unsigned possible =
      code && !view && !text_only && !e->cfg.no_prefilter
          ? rl_context_possible(&ctx.src, &pf, fs_path ? fs_path : r->path, rl_project_packages(e->project), r->arena)
          : ~0u;
  for (size_t i = 0; i < e->nrules; i++) {
    const rl_rule *rule = e->rules[i];
    if (!e->enabled[i] || !(rule->langs & RL_LANG_BIT(lang))) continue;
    if (text_only && code && !rule->on_text) continue;
    if (rule->contexts && !(rule->contexts & possible)) continue;
    int hit = e->cfg.no_prefilter || needle_hit[i];
    if (hit && !e->cfg.no_prefilter && rule->can_fire) hit = rule->can_fire(&pf);
    if (!hit) continue;
    active[i] = 1;
    any = 1;
    if (rule->query) any_query = 1;
  }
  rl_prefilter_clear(&pf);
  apply_overrides(&ctx, fs_path ? fs_path : r->path, active);

  rl_tree *tree = NULL;
  ctx.root = (TSNode){{0}, NULL, NULL};
  int parsing = code && any && !text_only;
  if (parsing) {
    budget_take(ws->budget, len);
    tree = view ? rl_parse_ranges(ws->parser, &ctx.src, view->ranges, view->nranges) : rl_parse(ws->parser, &ctx.src);
    if (!tree && rl_parser_timed_out(ws->parser)) {
      r->analysis_stopped = 1; /* counted and listed with the files not fully checked */
      rl_file_result_note(r, RL_NOTE_WARNING, "parse-stopped", 0, 0, "%s: %s", r->path, rl_error_last());
    } else if (!tree) {
      rl_file_result_note(r, RL_NOTE_WARNING, "parse-failed", 0, 0, "%s could not be parsed: %s", r->path,
                          rl_error_last());
    } else {
      ctx.root = rl_tree_root(tree);
      TSNode err = rl_tree_first_error(tree);
      if (!ts_node_is_null(err)) {
        uint32_t line, col;
        rl_source_position(&ctx.src, ts_node_start_byte(err), &line, &col);
        r->has_syntax_errors = 1;
        rl_file_result_note(r, RL_NOTE_NOTE, "syntax-error", line, col,
                            "%s has a syntax error at line %u, column %u; scanned what parsed", r->path, line, col);
      }
    }
  }
  r->context = rl_context_classify(&ctx.src, ctx.root, fs_path ? fs_path : r->path, rl_project_packages(e->project),
                                   r->arena, &r->context_reason);
  if (lang == RL_LANG_JSON && r->context != RL_CTX_TEST) {
    r->context = RL_CTX_CLIENT;
    r->context_reason = "Expo app config: `extra` ships in the app manifest";
  }
  if (view && r->context != RL_CTX_TEST) {
    r->context = view->context; /* what the framework does with the block decides */
    r->context_reason = view->reason;
  }
  ctx.context = r->context;

  for (size_t i = 0; i < e->nrules; i++)
    if (active[i] && !rule_applies(e->rules[i], lang, r->context)) active[i] = 0;

  rl_jsfile *jf = tree ? rl_ctx_js(&ctx) : NULL;
  if (jf) {
    rl_jsfile_begin(jf);
    size_t nodes = rl_jsfile_node_count(jf);
    uint64_t steps_max = e->cfg.debug_budget ? e->cfg.debug_budget : (uint64_t)nodes * BUDGET_PER_NODE + BUDGET_FLOOR;
    rl_jsfile_set_budget(jf, steps_max);
    rl_jsfile_step(jf, nodes); /* the walk that built the index */
  }
  if (tree && any_query) run_queries(&ctx, r, ws->cursor, active, jf);
  for (size_t i = 0; text_only && code && i < e->nrules; i++) {
    if (!active[i]) continue;
    ctx.rule = e->rules[i];
    e->rules[i]->on_text(&ctx);
  }
  for (size_t i = 0; i < e->nrules; i++) {
    const rl_rule *rule = e->rules[i];
    if (!active[i] || !rule->on_file) continue;
    if (code && !tree) continue;
    if (jf && rl_jsfile_exhausted(jf)) break;
    ctx.rule = rule;
    rule->on_file(&ctx);
  }
  if (jf) {
    uint64_t steps = rl_jsfile_steps(jf);
    if (rl_jsfile_exhausted(jf)) {
      r->analysis_stopped = 1;
      rl_file_result_note(r, RL_NOTE_WARNING, "analysis-stopped", 0, 0,
                          "analysis stopped after %llu steps in %s: not fully checked", (unsigned long long)steps,
                          r->path);
    }
    if (e->cfg.stats)
      rl_file_result_note(r, RL_NOTE_NOTE, "analysis-stats", 0, 0, "%s: %llu analysis steps, %zu nodes, nesting %u",
                          r->path, (unsigned long long)steps, rl_jsfile_node_count(jf), rl_jsfile_max_depth(jf));
    rl_jsfile_end(jf);
  }
  const rl_suppressions *sup = rl_suppress_parse(bytes, len, lang, r->arena);
  if (ctx.nfindings) finish_findings(&ctx, r, sup);
  check_suppressions(e, &ctx.src, r, sup, ctx.file_severity);
  rl_tree_free(tree);
  if (parsing) budget_give(ws->budget, len);
#ifdef __GLIBC__
  /* A large tree leaves its pages in this thread's malloc arena, where the
   * next large file, parsed on another thread, cannot reuse them: give them
   * back, or peak memory becomes the sum of the largest file per thread. */
  if (parsing && len >= TRIM_AFTER_BYTES) malloc_trim(0);
#endif
  return r;
}

/* A markup file: each view of its code scanned in turn (markup.h). */
static rl_file_result *scan_markup(const rl_engine *e, worker_state *ws, rl_file_result *r, const char *fs_path,
                                   const char *bytes, size_t len) {
  rl_markup_view *views;
  size_t nviews, dropped;
  r->context_reason = "no <script> block or frontmatter";
  if (rl_markup_views(ws->parser, r->path, bytes, len, r->arena, &views, &nviews, &dropped) < 0) {
    rl_file_result_note(r, RL_NOTE_WARNING, "parse-failed", 0, 0, "%s could not be parsed: %s", r->path,
                        rl_error_last());
    return r;
  }
  if (dropped)
    rl_file_result_note(r, RL_NOTE_WARNING, "script-blocks-limited", 0, 0,
                        "%s has more than %d <script> blocks: the first %d were scanned, %zu were not", r->path,
                        RL_MARKUP_MAX_SCRIPTS, RL_MARKUP_MAX_SCRIPTS, dropped);
  const char *client = NULL;
  for (size_t i = 0; i < nviews; i++) {
    scan_code(e, ws, r, fs_path, bytes, len, &views[i], 0);
    if (r->context == RL_CTX_CLIENT) client = r->context_reason;
  }
  /* A file with client code is reported as client (an Astro page has both). */
  if (client) {
    r->context = RL_CTX_CLIENT;
    r->context_reason = client;
  }
  return r;
}

static rl_file_result *scan_bytes(const rl_engine *e, worker_state *ws, rl_file_result *r, const char *fs_path,
                                  const char *bytes, size_t len, int text_only) {
  if (r->lang == RL_LANG_HTML && !text_only) return scan_markup(e, ws, r, fs_path, bytes, len);
  return scan_code(e, ws, r, fs_path, bytes, len, NULL, text_only);
}

/* The engine's own parser and cursor, for one thread (built again after
 * rl_engine_scan_buffer_trim). */
static worker_state engine_scratch(rl_engine *e) {
  if (!e->parser) e->parser = rl_parser_new();
  if (!e->cursor) e->cursor = ts_query_cursor_new();
  return (worker_state){e->parser, e->cursor, NULL};
}

/* One buffer on the engine's own parser (single-threaded callers). */
static rl_file_result *scan_one(rl_engine *e, const char *path, const char *fs_path, const char *bytes, size_t len,
                                int text_only) {
  rl_file_result *r = rl_file_result_new(path, rl_lang_for_path(path));
  if (r->lang == RL_LANG_NONE) {
    mark_skipped(e, r, RL_SKIP_NOT_SOURCE, NULL);
    return r;
  }
  worker_state ws = engine_scratch(e);
  return scan_bytes(e, &ws, r, fs_path, bytes, len, text_only);
}

rl_file_result *rl_engine_scan_buffer(rl_engine *e, const char *path, const char *fs_path, const char *bytes,
                                      size_t len) {
  return scan_one(e, path, fs_path, bytes, len, 0);
}

rl_file_result *rl_engine_scan_text(rl_engine *e, const char *path, const char *bytes, size_t len) {
  return scan_one(e, path, NULL, bytes, len, 1);
}

void rl_engine_mark_skipped(rl_engine *e, rl_file_result *r, rl_skip s, const char *detail) {
  mark_skipped(e, r, s, detail);
}

rl_file_result *rl_engine_result_new(const char *path) { return rl_file_result_new(path, rl_lang_for_path(path)); }

void rl_engine_project_reset(rl_engine *e, const char *const *paths, size_t npaths) {
  rl_project_forget(e->project);
  if (npaths) rl_project_set_roots(e->project, paths, npaths);
}

void rl_engine_scan_buffer_trim(rl_engine *e) {
  rl_parser_free(e->parser);
  e->parser = NULL;
  if (e->cursor) ts_query_cursor_delete(e->cursor);
  e->cursor = NULL;
  rl_regex_thread_done();
}

typedef struct job {
  char *fs_path;
  char *display;
  rl_lang lang;
  rl_skip skip;
  char *skip_detail;
  int is_explicit;
  rl_file_id id;
  int fatal;   /* set by scan_job: the run must fail (exit 2) */
  char *note;  /* the walk's remark, shown with -v */
  char *bytes; /* content read from git (--staged, --baseline-ref), or NULL */
  size_t len;
} job;

static rl_file_result *scan_job(const rl_engine *e, worker_state *ws, job *j) {
  rl_file_result *r = rl_file_result_new(j->display, j->lang);
  if (j->note && e->cfg.verbose)
    rl_file_result_note(r, RL_NOTE_NOTE, "git-tracked-ignored", 0, 0, "%s: %s", j->display, j->note);
  if (j->skip != RL_SKIP_NONE) {
    j->fatal = j->skip == RL_SKIP_UNREADABLE && j->is_explicit;
    mark_skipped(e, r, j->skip, j->skip_detail);
    return r;
  }
  if (j->bytes) return scan_bytes(e, ws, r, j->fs_path, j->bytes, j->len, 0);
  char *bytes = NULL;
  size_t len = 0;
  rl_skip s = rl_file_read_as(j->fs_path, &j->id, e->cfg.max_file_size, &bytes, &len);
  if (s != RL_SKIP_NONE) {
    const char *detail = NULL;
    /* A file named on the command line that cannot be read, or a read that
     * ran out of descriptors or memory, fails the run: exit 2, not a skip. */
    if (s == RL_SKIP_UNREADABLE) {
      j->fatal = j->is_explicit || rl_errno_is_exhaustion(errno);
      detail = rl_arena_printf(r->arena, "could not be read: %s", rl_error_last());
    }
    mark_skipped(e, r, s, detail);
    return r;
  }
  scan_bytes(e, ws, r, j->fs_path, bytes, len, 0);
  rl_project_keep(e->project, j->fs_path, j->lang, bytes, len); /* for a module read of it */
  return r;
}

/* ---- a run: walk -> workers -> ordered merge -> sink ------------------------------ */

typedef struct slot {
  job job;
  rl_file_result *result;
  enum { SLOT_EMPTY, SLOT_PENDING, SLOT_RUNNING, SLOT_DONE } state;
} slot;

typedef struct pool {
  const rl_engine *e;
  slot *slots;
  size_t nslots;
  size_t next_take; /* sequence number of the next job to hand to a worker */
  size_t next_fill; /* sequence number of the next job the walker adds */
  int closing;
  pthread_mutex_t mu;
  pthread_cond_t work; /* a slot became pending, or closing */
  pthread_cond_t done; /* a slot finished */
  budget budget;
} pool;

static void *worker_main(void *arg) {
  pool *p = arg;
  worker_state ws = {rl_parser_new(), ts_query_cursor_new(), &p->budget};
  pthread_mutex_lock(&p->mu);
  for (;;) {
    while (p->next_take == p->next_fill && !p->closing) pthread_cond_wait(&p->work, &p->mu);
    if (p->next_take == p->next_fill && p->closing) break;
    slot *s = &p->slots[p->next_take % p->nslots];
    p->next_take++;
    s->state = SLOT_RUNNING;
    pthread_mutex_unlock(&p->mu);
    rl_file_result *r = scan_job(p->e, &ws, &s->job);
    pthread_mutex_lock(&p->mu);
    s->result = r;
    s->state = SLOT_DONE;
    pthread_cond_broadcast(&p->done);
  }
  pthread_mutex_unlock(&p->mu);
  rl_parser_free(ws.parser);
  ts_query_cursor_delete(ws.cursor);
  rl_regex_thread_done();
  return NULL;
}

typedef struct emitter {
  rl_sink *sink;
  rl_summary *sum;
  rl_severity fail_on;
  int rc;
  char fatal[512]; /* the first file that fails the run, or "" */
} emitter;

void rl_summary_count(rl_summary *sum, const rl_file_result *r, rl_severity fail_on) {
  if (r->skip != RL_SKIP_NONE)
    sum->files_skipped++;
  else if (!r->mapped)
    sum->files_scanned++;
  if (r->has_syntax_errors) sum->parse_errors++;
  if (r->analysis_stopped) sum->analysis_stopped++;
  for (size_t i = 0; i < r->nfindings; i++) {
    const rl_finding *f = &r->findings[i];
    if (f->suppressed) {
      sum->suppressed++;
      continue;
    }
    if (f->severity == RL_SEV_ERROR)
      sum->errors++;
    else if (f->severity == RL_SEV_WARNING)
      sum->warnings++;
    else
      sum->notes++;
    if (fail_on != RL_SEV_NONE && f->severity >= fail_on) sum->failed = 1;
  }
  /* An unknown rule in a suppression (or an unused one, when asked) is an error. */
  sum->suppression_errors += (size_t)r->suppression_errors;
  if (r->suppression_errors && fail_on != RL_SEV_NONE) sum->failed = 1;
}

void rl_engine_run_info(const rl_engine *e, rl_run_info *run) {
  run->rules = e->rules;
  run->nrules = e->nrules;
  run->enabled = e->enabled;
  run->fail_on = e->cfg.fail_on;
}

size_t rl_engine_max_file_size(const rl_engine *e) { return e->cfg.max_file_size; }

static void emit(emitter *em, rl_file_result *r, int fatal) {
  if (fatal && !em->fatal[0])
    snprintf(em->fatal, sizeof em->fatal, "%s: %s", r->path, r->skip_detail ? r->skip_detail : "could not be read");
  rl_summary_count(em->sum, r, em->fail_on);
  if (em->rc == 0 && em->sink->file(em->sink, r) < 0) em->rc = RL_EIO;
  rl_file_result_free(r);
}

static void job_free(job *j) {
  free(j->fs_path);
  free(j->display);
  free(j->skip_detail);
  free(j->note);
  free(j->bytes);
  memset(j, 0, sizeof *j);
}

static void job_from_entry(job *j, const rl_walk_entry *we) {
  j->fs_path = rl_xstrdup(we->fs_path);
  j->display = rl_xstrdup(we->display);
  j->lang = we->lang;
  j->skip = we->skip;
  j->skip_detail = we->skip_detail ? rl_xstrdup(we->skip_detail) : NULL;
  j->is_explicit = we->is_explicit;
  j->id = we->id;
  j->fatal = 0;
  j->note = we->note ? rl_xstrdup(we->note) : NULL;
  j->bytes = NULL;
  j->len = we->len;
  if (we->bytes) {
    j->bytes = rl_xmalloc(we->len + 1);
    memcpy(j->bytes, we->bytes, we->len);
    j->bytes[we->len] = '\0';
  }
  if (j->skip == RL_SKIP_NONE && j->lang == RL_LANG_NONE) j->skip = RL_SKIP_NOT_SOURCE;
}

static int online_cores(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : (n > 64 ? 64 : (int)n);
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The largest bundle or source map read (or --max-file-size, if larger):
 * built JavaScript is routinely bigger than source files. */
#define BUNDLE_MAX_SIZE (256u * 1024 * 1024)

/* Built JavaScript under the bundle roots, one file at a time (bundle.h):
 * text detectors only, findings source-mapped to their original files. */
static int scan_bundles(const rl_engine *e, rl_walk *w, emitter *em) {
  ssize_t ri = rule_index(e, "hardcoded-secret");
  rl_bundle_options bo = {0};
  bo.rule = ri >= 0 ? e->rules[ri] : NULL;
  bo.severity = ri >= 0 ? e->severity[ri] : RL_SEV_ERROR;
  bo.baseline = e->cfg.baseline;
  bo.max_map_size = e->cfg.max_file_size > BUNDLE_MAX_SIZE ? e->cfg.max_file_size : BUNDLE_MAX_SIZE;
  rl_walk_entry we;
  int wr;
  while ((wr = rl_walk_next(w, &we)) > 0) {
    if (we.lang != RL_LANG_JS && we.skip == RL_SKIP_NONE && !we.is_explicit) continue; /* maps, styles, images */
    rl_file_result *r = NULL;
    char *bytes = NULL;
    size_t len = 0;
    rl_skip sk = we.lang != RL_LANG_JS && we.skip == RL_SKIP_NONE ? RL_SKIP_NOT_SOURCE : we.skip;
    if (sk == RL_SKIP_NONE) sk = rl_file_read_as(we.fs_path, &we.id, bo.max_map_size, &bytes, &len);
    if (sk != RL_SKIP_NONE) {
      r = rl_file_result_new(we.display, we.lang);
      mark_skipped(e, r, sk,
                   sk == RL_SKIP_UNREADABLE ? rl_arena_printf(r->arena, "could not be read: %s", rl_error_last())
                                            : we.skip_detail);
      emit(em, r, sk == RL_SKIP_UNREADABLE && (we.is_explicit || rl_errno_is_exhaustion(errno)));
      continue;
    }
    rl_file_result **res;
    size_t n = rl_bundle_scan(&res, we.display, bytes, len, &bo);
    free(bytes);
    for (size_t k = 0; k < n; k++) {
      if (!bo.rule || !e->enabled[ri]) res[k]->nfindings = 0;
      emit(em, res[k], 0);
    }
    free(res);
  }
  return wr;
}

/* A run's start: the totals zeroed, the rules told to the sink; the clock. */
static double begin_run(const rl_engine *e, rl_run_info *run, rl_summary *sum) {
  memset(sum, 0, sizeof *sum);
  rl_engine_run_info(e, run);
  return now_seconds();
}

/* A run's end: the time, and the sink's end; RL_EIO if writing failed. */
static int end_run(const emitter *em, rl_sink *sink, rl_summary *sum, double t0) {
  sum->seconds = now_seconds() - t0;
  if (em->rc < 0 || sink->end(sink, sum) < 0) {
    rl_error_set("could not write the report: %s", strerror(errno ? errno : EIO));
    return RL_EIO;
  }
  return 0;
}

int rl_engine_scan(rl_engine *e, const char *const *paths, size_t npaths, rl_sink *sink, rl_run_info *run,
                   rl_summary *sum) {
  double t0 = begin_run(e, run, sum);
  rl_walk *w = NULL;
  rl_walk_options wo = {0};
  wo.no_ignore = e->cfg.no_ignore;
  wo.extra_ignores = e->cfg.extra_ignores;
  wo.extra_base = e->cfg.extra_base;
  wo.force_exclude = e->cfg.force_exclude;
  wo.has_protect = e->cfg.has_protect;
  wo.protect_dev = e->cfg.protect_dev;
  wo.protect_ino = e->cfg.protect_ino;
  wo.git_source = e->cfg.git_source;
  wo.git_rev = e->cfg.git_rev;
  wo.max_file_size = e->cfg.max_file_size;
  rl_project_set_roots(e->project, paths, npaths);
  rl_project_set_walking(e->project, paths, npaths);
  /* Build folders named on the command line, and --bundle DIRs, are read as
   * built JavaScript (bundle.h), in a walk of their own that ignores nothing. */
  const char **plain = rl_xcalloc(npaths + 1, sizeof *plain), **built = NULL;
  size_t nplain = 0, nbuilt = 0;
  for (size_t i = 0; i < npaths; i++) {
    if (!rl_bundle_path_is_build(paths[i])) {
      plain[nplain++] = paths[i];
      continue;
    }
    built = rl_xreallocarray(built, nbuilt + 1, sizeof *built);
    built[nbuilt++] = paths[i];
  }
  for (size_t i = 0; e->cfg.bundles && e->cfg.bundles[i]; i++) {
    built = rl_xreallocarray(built, nbuilt + 1, sizeof *built);
    built[nbuilt++] = e->cfg.bundles[i];
  }
  rl_walk *bw = NULL;
  int rc = 0;
  if (nbuilt) {
    rl_walk_options bwo = wo;
    bwo.no_ignore = 1;
    bwo.extra_ignores = NULL;
    bwo.git_source = 0; /* built output is read from the work tree, as it ships */
    bwo.git_rev = NULL;
    rc = rl_walk_new(&bw, built, nbuilt, &bwo);
  }
  /* no plain path left (only bundles): no walk of '.' */
  if (rc == 0 && (nplain || !nbuilt)) rc = rl_walk_new(&w, plain, nplain, &wo);
  free(plain);
  free(built);
  if (rc < 0) {
    rl_walk_free(bw);
    return rc;
  }
  if (sink->begin(sink, run) < 0) {
    rl_walk_free(bw);
    rl_walk_free(w);
    rl_error_set("could not write the report");
    return RL_EIO;
  }
  emitter em = {sink, sum, e->cfg.fail_on, 0, {0}};
  int jobs = e->cfg.jobs > 0 ? e->cfg.jobs : online_cores();
  rl_walk_entry we;
  int wr = 0;

  if (!w) {
    /* only bundles */
  } else if (jobs == 1) {
    worker_state ws = engine_scratch(e);
    while ((wr = rl_walk_next(w, &we)) > 0) {
      job j;
      job_from_entry(&j, &we);
      rl_file_result *r = scan_job(e, &ws, &j);
      emit(&em, r, j.fatal);
      job_free(&j);
    }
  } else {
    pool p;
    memset(&p, 0, sizeof p);
    p.e = e;
    /* Results are emitted in walk order, so a slow file (a 9 MB bundle)
     * holds every later result until it is done: with few slots the other
     * workers ran out of jobs and waited (a -j2 run was 1.1x a -j1 run on
     * the npm corpus). A finished result is small, so keep many; files
     * being parsed are bounded by the parse budget, not by this. */
    p.nslots = (size_t)jobs * 512;
    p.slots = rl_xcalloc(p.nslots, sizeof *p.slots);
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.work, NULL);
    pthread_cond_init(&p.done, NULL);
    pthread_mutex_init(&p.budget.mu, NULL);
    pthread_cond_init(&p.budget.freed, NULL);
    pthread_t *threads = rl_xcalloc((size_t)jobs, sizeof *threads);
    int started = 0;
    for (int i = 0; i < jobs; i++)
      if (pthread_create(&threads[i], NULL, worker_main, &p) == 0) started++;
    size_t next_emit = 0;
    if (started == 0) {
      rl_error_set("could not start worker threads");
      wr = RL_ERROR;
    }
    while (started && (wr = rl_walk_next(w, &we)) > 0) {
      pthread_mutex_lock(&p.mu);
      /* Free the slot the new job needs by emitting results in order. */
      while (p.next_fill - next_emit == p.nslots) {
        slot *s = &p.slots[next_emit % p.nslots];
        while (s->state != SLOT_DONE) pthread_cond_wait(&p.done, &p.mu);
        rl_file_result *r = s->result;
        int fatal = s->job.fatal;
        job_free(&s->job);
        s->result = NULL;
        s->state = SLOT_EMPTY;
        next_emit++;
        pthread_mutex_unlock(&p.mu);
        emit(&em, r, fatal);
        pthread_mutex_lock(&p.mu);
      }
      slot *s = &p.slots[p.next_fill % p.nslots];
      job_from_entry(&s->job, &we);
      s->state = SLOT_PENDING;
      p.next_fill++;
      pthread_cond_signal(&p.work);
      pthread_mutex_unlock(&p.mu);
    }
    pthread_mutex_lock(&p.mu);
    p.closing = 1;
    pthread_cond_broadcast(&p.work);
    while (next_emit < p.next_fill) {
      slot *s = &p.slots[next_emit % p.nslots];
      while (s->state != SLOT_DONE) pthread_cond_wait(&p.done, &p.mu);
      rl_file_result *r = s->result;
      int fatal = s->job.fatal;
      job_free(&s->job);
      s->result = NULL;
      s->state = SLOT_EMPTY;
      next_emit++;
      pthread_mutex_unlock(&p.mu);
      emit(&em, r, fatal);
      pthread_mutex_lock(&p.mu);
    }
    pthread_mutex_unlock(&p.mu);
    for (int i = 0; i < started; i++) pthread_join(threads[i], NULL);
    free(threads);
    free(p.slots);
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.work);
    pthread_cond_destroy(&p.done);
    pthread_mutex_destroy(&p.budget.mu);
    pthread_cond_destroy(&p.budget.freed);
  }
  rl_walk_free(w);
  if (wr >= 0 && bw) wr = scan_bundles(e, bw, &em);
  rl_walk_free(bw);
  if (wr < 0) return wr;
  if ((rc = end_run(&em, sink, sum, t0)) < 0) return rc;
  /* The report is whole (the file is in it as skipped), but the run failed. */
  if (em.fatal[0]) {
    rl_error_set("%s", em.fatal);
    return RL_EIO;
  }
  return 0;
}

/* ---- one text from a descriptor (--stdin-filename) ---------------------------- */

int rl_engine_scan_fd(rl_engine *e, const char *path, int fd, int ignored, rl_sink *sink, rl_run_info *run,
                      rl_summary *sum) {
  double t0 = begin_run(e, run, sum);
  /* Read to the end, keeping at most one byte over the limit. */
  rl_buf b = {0};
  char chunk[65536];
  int too_large = 0;
  for (;;) {
    ssize_t got = read(fd, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      rl_error_set("cannot read standard input: %s", strerror(errno));
      rl_buf_free(&b);
      return RL_EIO;
    }
    if (got == 0) break;
    if (too_large) continue;
    rl_buf_put(&b, chunk, (size_t)got);
    too_large = b.len > e->cfg.max_file_size;
  }
  if (sink->begin(sink, run) < 0) {
    rl_buf_free(&b);
    rl_error_set("could not write the report");
    return RL_EIO;
  }
  emitter em = {sink, sum, e->cfg.fail_on, 0, {0}};
  if (!ignored) {
    rl_file_result *r = rl_file_result_new(path, rl_lang_for_path(path));
    size_t head = b.len < 8192 ? b.len : 8192;
    if (r->lang == RL_LANG_NONE)
      mark_skipped(e, r, RL_SKIP_NOT_SOURCE, NULL);
    else if (too_large)
      mark_skipped(e, r, RL_SKIP_TOO_LARGE, NULL);
    else if (head && memchr(b.ptr, '\0', head))
      mark_skipped(e, r, RL_SKIP_BINARY, NULL);
    else {
      worker_state ws = engine_scratch(e);
      scan_bytes(e, &ws, r, path, b.ptr ? b.ptr : "", b.len, 0);
    }
    emit(&em, r, 0);
  }
  rl_buf_free(&b);
  return end_run(&em, sink, sum, t0);
}
