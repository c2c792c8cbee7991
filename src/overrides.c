#include "overrides.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ignore.h"
#include "util.h"

struct rl_overrides {
  const rl_path_override *v;
  rl_ignore **globs; /* per entry */
  size_t n;
  char *base;
};

rl_overrides *rl_overrides_new(const rl_path_override *v, size_t n, const char *base) {
  rl_overrides *o = rl_xcalloc(1, sizeof *o);
  o->v = v;
  o->n = n;
  o->base = rl_xstrdup(base ? base : "/");
  o->globs = rl_xcalloc(n ? n : 1, sizeof *o->globs);
  for (size_t i = 0; i < n; i++) {
    rl_buf b = {0};
    for (size_t k = 0; v[i].paths && v[i].paths[k]; k++) {
      rl_buf_puts(&b, v[i].paths[k]);
      rl_buf_putc(&b, '\n');
    }
    o->globs[i] = rl_ignore_new("", b.ptr ? b.ptr : "", b.len);
    rl_buf_free(&b);
  }
  return o;
}

void rl_overrides_free(rl_overrides *o) {
  if (!o) return;
  for (size_t i = 0; i < o->n; i++) rl_ignore_free(o->globs[i]);
  free(o->globs);
  free(o->base);
  free(o);
}

/* As git decides for a file: its directories from the top down, then the
 * file; the last pattern that says something wins. */
static int matches(const rl_ignore *ig, char *rel) {
  int verdict = 0;
  for (char *p = rel; (p = strchr(p, '/')) != NULL; p++) {
    *p = '\0';
    int v = rl_ignore_match(ig, rel, 1);
    *p = '/';
    if (v) verdict = v;
  }
  int v = rl_ignore_match(ig, rel, 0);
  if (v) verdict = v;
  return verdict > 0;
}

size_t rl_overrides_apply(const rl_overrides *o, const char *path,
                          void (*set)(void *data, const char *rule_id, rl_severity sev), void *data) {
  if (!o || !o->n) return 0;
  char *real = realpath(path, NULL);
  if (!real) return 0;
  size_t bl = strlen(o->base), applied = 0;
  char *rel = NULL;
  if (strcmp(o->base, "/") == 0)
    rel = real + 1;
  else if (strncmp(real, o->base, bl) == 0 && real[bl] == '/')
    rel = real + bl + 1;
  for (size_t i = 0; rel && i < o->n; i++) {
    if (!matches(o->globs[i], rel)) continue;
    applied++;
    for (size_t k = 0; k < o->v[i].nrules; k++) set(data, o->v[i].rules[k].rule_id, o->v[i].rules[k].severity);
  }
  free(real);
  return applied;
}
