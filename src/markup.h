#ifndef RL_MARKUP_H
#define RL_MARKUP_H
/* The code inside HTML, Vue, Svelte and Astro files: <script> blocks (with
 * their lang= and type= attributes) and Astro's --- frontmatter, grouped into
 * views of one language and one context. Each view is parsed on its own, as
 * ranges of the whole file (parse.h rl_parse_ranges), so every finding keeps
 * the line and column it has in the .vue or .html file. */
#include <stddef.h>

#include "finding.h"
#include "parse.h"

/* More <script> blocks than this in one file are not scanned (a component
 * has one or two; a page a handful): the rest are reported in a note. */
#define RL_MARKUP_MAX_SCRIPTS 1000

typedef struct rl_markup_view {
  rl_lang lang;       /* RL_LANG_JS, _TS or _TSX */
  rl_context context; /* client: page and component scripts; server: Astro frontmatter */
  const char *reason; /* "Vue component <script>: bundled for the browser" */
  rl_range *ranges;   /* sorted, disjoint */
  size_t nranges;
} rl_markup_view;

/* The views of a markup file (path decides the flavour: .html .htm .vue
 * .svelte .astro), allocated in arena. Blocks that are not JavaScript
 * (type="application/json", lang="coffee", a template) are passed over;
 * past RL_MARKUP_MAX_SCRIPTS blocks, *dropped counts the rest. Returns 0, or
 * a negative code when the markup could not be tokenized. */
int rl_markup_views(rl_parser *p, const char *path, const char *bytes, size_t len, rl_arena *arena,
                    rl_markup_view **out, size_t *nout, size_t *dropped);

#endif
