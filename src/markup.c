#include "markup.h"

#include <string.h>
#include <strings.h>

#include "arena.h"

typedef enum flavour { FL_HTML, FL_VUE, FL_SVELTE, FL_ASTRO } flavour;

static flavour flavour_of(const char *path) {
  const char *dot = strrchr(path, '.');
  if (dot && strcmp(dot, ".vue") == 0) return FL_VUE;
  if (dot && strcmp(dot, ".svelte") == 0) return FL_SVELTE;
  if (dot && strcmp(dot, ".astro") == 0) return FL_ASTRO;
  return FL_HTML;
}

static const char *const client_reason[] = {
    [FL_HTML] = "HTML page <script>: runs in the browser",
    [FL_VUE] = "Vue component <script>: bundled for the browser",
    [FL_SVELTE] = "Svelte component <script>: bundled for the browser",
    [FL_ASTRO] = "Astro <script>: bundled for the browser",
};

typedef struct collect {
  const char *bytes;
  flavour fl;
  rl_arena *arena;
  rl_markup_view views[6];
  size_t nviews;
  size_t caps[6];
  size_t blocks, dropped;
} collect;

static int text_is(const char *b, uint32_t s, uint32_t e, const char *word) {
  return e - s == strlen(word) && strncasecmp(b + s, word, e - s) == 0;
}

static int text_in(const char *b, uint32_t s, uint32_t e, const char *const *words) {
  for (size_t i = 0; words[i]; i++)
    if (text_is(b, s, e, words[i])) return 1;
  return 0;
}

/* The language of a block, or RL_LANG_NONE when it holds no JavaScript:
 * lang= (Vue, Svelte) names it; type= says whether it is script at all. */
static rl_lang block_lang(const collect *c, const rl_html_script *s) {
  static const char *const js_types[] = {"module",
                                         "text/javascript",
                                         "application/javascript",
                                         "text/ecmascript",
                                         "application/ecmascript",
                                         "text/babel",
                                         "text/jsx",
                                         "",
                                         NULL};
  static const char *const ts_types[] = {"text/typescript", "application/typescript", "ts", NULL};
  rl_lang lang = c->fl == FL_ASTRO ? RL_LANG_TS : RL_LANG_JS; /* Astro compiles its scripts as TypeScript */
  for (size_t i = 0; i < s->nattrs; i++) {
    const rl_html_attr *a = &s->attrs[i];
    uint32_t vs = a->value_start, ve = a->value_end;
    if (text_is(c->bytes, a->name_start, a->name_end, "lang")) {
      if (text_is(c->bytes, vs, ve, "ts") || text_is(c->bytes, vs, ve, "typescript"))
        lang = RL_LANG_TS;
      else if (text_is(c->bytes, vs, ve, "tsx"))
        lang = RL_LANG_TSX;
      else if (text_is(c->bytes, vs, ve, "js") || text_is(c->bytes, vs, ve, "javascript") ||
               text_is(c->bytes, vs, ve, "jsx"))
        lang = RL_LANG_JS;
      else
        return RL_LANG_NONE; /* coffee, ... */
    } else if (text_is(c->bytes, a->name_start, a->name_end, "type")) {
      if (text_in(c->bytes, vs, ve, ts_types))
        lang = RL_LANG_TS;
      else if (!text_in(c->bytes, vs, ve, js_types))
        return RL_LANG_NONE; /* JSON, importmap, templates */
    }
  }
  return lang;
}

static void add_range(collect *c, rl_lang lang, rl_context ctx, const char *reason, uint32_t start, uint32_t end) {
  size_t k = 0;
  while (k < c->nviews && !(c->views[k].lang == lang && c->views[k].context == ctx)) k++;
  if (k == c->nviews) {
    if (k == RL_ARRAY_LEN(c->views)) return; /* 3 languages x 2 contexts: never reached */
    c->views[k] = (rl_markup_view){lang, ctx, reason, NULL, 0};
    c->nviews++;
  }
  rl_markup_view *v = &c->views[k];
  v->ranges = rl_arena_grow(c->arena, v->ranges, v->nranges, &c->caps[k], sizeof *v->ranges);
  v->ranges[v->nranges++] = (rl_range){start, end};
}

static int on_script(void *arg, const rl_html_script *s) {
  collect *c = arg;
  rl_lang lang = block_lang(c, s);
  if (lang == RL_LANG_NONE) return 0;
  if (c->blocks == RL_MARKUP_MAX_SCRIPTS) {
    c->dropped++;
    return 0;
  }
  c->blocks++;
  add_range(c, lang, RL_CTX_CLIENT, client_reason[c->fl], s->start, s->end);
  return 0;
}

/* Astro's frontmatter: a first line "---" and the next line "---". Returns
 * the offset just past the closing fence (0 if none) and the code's range. */
static uint32_t astro_frontmatter(const char *b, size_t len, uint32_t *start, uint32_t *end) {
  size_t i = 0;
  while (i < len && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) i++;
  if (len - i < 3 || memcmp(b + i, "---", 3) != 0) return 0;
  const char *nl = memchr(b + i, '\n', len - i);
  if (!nl) return 0;
  size_t body = (size_t)(nl - b) + 1;
  for (size_t at = body; at < len;) {
    const char *e = memchr(b + at, '\n', len - at);
    size_t line_end = e ? (size_t)(e - b) : len;
    size_t n = line_end - at;
    if (n > 0 && b[line_end - 1] == '\r') n--;
    if (n >= 3 && memcmp(b + at, "---", 3) == 0) {
      size_t k = 3;
      while (k < n && (b[at + k] == ' ' || b[at + k] == '\t')) k++;
      if (k == n) {
        *start = (uint32_t)body;
        *end = (uint32_t)at;
        return (uint32_t)(e ? line_end + 1 : len);
      }
    }
    at = line_end + 1;
  }
  return 0;
}

int rl_markup_views(rl_parser *p, const char *path, const char *bytes, size_t len, rl_arena *arena,
                    rl_markup_view **out, size_t *nout, size_t *dropped) {
  collect c;
  memset(&c, 0, sizeof c);
  c.bytes = bytes;
  c.fl = flavour_of(path);
  c.arena = arena;
  *out = NULL;
  *nout = 0;
  *dropped = 0;
  uint32_t from = 0;
  if (c.fl == FL_ASTRO) {
    uint32_t s = 0, e = 0;
    from = astro_frontmatter(bytes, len, &s, &e);
    if (from && e > s)
      add_range(&c, RL_LANG_TS, RL_CTX_SERVER, "Astro frontmatter: runs on the server when the page renders", s, e);
  }
  if (from < len) {
    int rc = rl_html_scripts(p, bytes, len, from, on_script, &c);
    if (rc < 0) return rc;
  }
  rl_markup_view *v = rl_arena_calloc(arena, c.nviews ? c.nviews : 1, sizeof *v);
  memcpy(v, c.views, c.nviews * sizeof *v);
  *out = v;
  *nout = c.nviews;
  *dropped = c.dropped;
  return 0;
}
