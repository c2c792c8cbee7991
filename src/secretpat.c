#include "secretpat.h"

#include <string.h>

#include "regex.h"
#include "util.h"

/* Matches reported per pattern and file: past this the file is a key dump,
 * and more findings of one pattern tell nothing new. */
#define MAX_MATCHES_PER_FILE 1000

typedef struct secret_rule {
  rl_rule rule; /* first: the engine hands the rule back as rl_ctx_rule */
  const rl_config_secret *sp;
  char *title, *doc;
} secret_rule;

struct rl_secretpats {
  secret_rule *v;
  const rl_rule **rules;
  size_t n;
};

/* log2(x) for x >= 1 without libm (the core does not link it): the
 * exponent by halving, then ln of the mantissa in [1, 2) by its atanh series,
 * to better than 1e-9, far finer than an entropy threshold needs. */
static double log2_pos(double x) {
  double e = 0;
  while (x >= 2) {
    x /= 2;
    e += 1;
  }
  double t = (x - 1) / (x + 1), t2 = t * t, term = t, sum = 0;
  for (int k = 1; k < 40; k += 2) {
    sum += term / k;
    term *= t2;
  }
  return e + 2 * sum / 0.69314718055994530942;
}

double rl_shannon_entropy(const char *p, size_t n) {
  if (n == 0) return 0;
  size_t count[256] = {0};
  for (size_t i = 0; i < n; i++) count[(unsigned char)p[i]]++;
  double h = 0;
  for (size_t c = 0; c < 256; c++) {
    if (!count[c]) continue;
    double f = (double)count[c] / (double)n;
    h -= f * (log2_pos((double)count[c]) - log2_pos((double)n));
  }
  return h;
}

static size_t utf8_next(const char *p, size_t n, size_t i) {
  i++;
  while (i < n && ((unsigned char)p[i] & 0xC0) == 0x80) i++;
  return i;
}

static void on_file(rl_ctx *ctx) {
  const secret_rule *sr = (const secret_rule *)rl_ctx_rule(ctx);
  const rl_config_secret *sp = sr->sp;
  const rl_source *src = rl_ctx_source(ctx);
  if (sp->keywords.n && !rl_memcasemem_any(src->bytes, src->len, sp->keywords.v)) return;
  size_t from = 0, span[4];
  for (int found = 0; from <= src->len && found < MAX_MATCHES_PER_FILE;) {
    int rc = rl_regex_search_from(sp->re, src->bytes, src->len, from, span);
    if (rc < 0) rl_ctx_regex_limit(ctx, (uint32_t)from); /* a limit ends this pattern's search here */
    if (rc != 1) break;
    from = span[1] > span[0] ? span[1] : utf8_next(src->bytes, src->len, span[0]);
    size_t s = span[2], e = span[3];
    if (e <= s) continue;
    if (sp->min_entropy > 0 && rl_shannon_entropy(src->bytes + s, e - s) < sp->min_entropy) continue;
    rl_ctx_mark_secret(ctx, (uint32_t)s, (uint32_t)e);
    rl_report_range(ctx, (uint32_t)s, (uint32_t)e, "%s: %s", sr->title,
                    rl_mask_secret(rl_ctx_arena(ctx), src->bytes + s, e - s));
    found++;
  }
}

rl_secretpats *rl_secretpats_new(const rl_config *c) {
  rl_secretpats *p = rl_xcalloc(1, sizeof *p);
  p->n = c->nsecrets;
  p->v = rl_xcalloc(p->n ? p->n : 1, sizeof *p->v);
  p->rules = rl_xcalloc(p->n ? p->n : 1, sizeof *p->rules);
  for (size_t i = 0; i < p->n; i++) {
    const rl_config_secret *sp = &c->secrets[i];
    secret_rule *sr = &p->v[i];
    sr->sp = sp;
    rl_buf b = {0};
    if (sp->description)
      rl_buf_puts(&b, sp->description);
    else
      rl_buf_printf(&b, "Secret matching the custom pattern %s", sp->id);
    sr->title = rl_buf_detach(&b);
    rl_buf_printf(&b,
                  "# %s: %s\n\nA custom secret pattern from `%s` (line %u): text matching\n\n    %s\n\n"
                  "%s%s reported, masked, in every file roomlint scans.\n\n## How to fix\n\n"
                  "Rotate the credential, then load it on the server from the environment or a secret store "
                  "instead of the source.\n",
                  sp->id, sr->title, c->path, sp->line, sp->regex,
                  sp->keywords.n ? "where one of its keywords occurs " : "",
                  sp->min_entropy > 0 ? "and whose secret is random enough is" : "is");
    sr->doc = rl_buf_detach(&b);
    sr->rule.id = sp->id;
    sr->rule.title = sr->title;
    sr->rule.severity = sp->severity;
    sr->rule.cwe = 798;
    sr->rule.doc = sr->doc;
    sr->rule.langs = RL_LANGS_ALL;
    sr->rule.on_file = on_file;
    sr->rule.precision = "medium";
    sr->rule.source_path = c->path;
    p->rules[i] = &sr->rule;
  }
  return p;
}

void rl_secretpats_free(rl_secretpats *p) {
  if (!p) return;
  for (size_t i = 0; i < p->n; i++) {
    free(p->v[i].title);
    free(p->v[i].doc);
  }
  free(p->v);
  free(p->rules);
  free(p);
}

const rl_rule *const *rl_secretpats_rules(const rl_secretpats *p, size_t *n) {
  *n = p->n;
  return p->rules;
}
