#ifndef RL_SOURCEMAP_H
#define RL_SOURCEMAP_H
/* Source maps (revision 3): where a position in built JavaScript came from.
 * The JSON is read with json.c; the mappings are decoded (base64 VLQ) in one
 * streaming pass that answers a sorted batch of lookups, so memory does not
 * grow with the map's size beyond its text. */
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

typedef struct rl_sourcemap rl_sourcemap;

/* Parses map JSON text. Returns 0, or a negative code with rl_error_last()
 * saying what is wrong ("not JSON: ...", "version 2 is not 3", "index maps
 * (sections) are not supported"). Caller frees with rl_sourcemap_free. */
int rl_sourcemap_parse(rl_sourcemap **out, const char *json, size_t len);
void rl_sourcemap_free(rl_sourcemap *m);

/* One lookup: a generated position in (0-based line, 0-based column), and
 * the answer: the source index and original 0-based line and column of the
 * segment covering it (found = 0 when none does). */
typedef struct rl_sourcemap_query {
  uint32_t line, col;
  int found;
  uint32_t source, orig_line, orig_col;
  uint32_t seg_col; /* generated column of the segment that answered */
} rl_sourcemap_query;

/* Answers q[0..n), which must be sorted by (line, col). Returns 0, or a
 * negative code when the mappings are malformed (rl_error_last() says where). */
int rl_sourcemap_lookup(const rl_sourcemap *m, rl_sourcemap_query *q, size_t n);

/* Source i's name as written (sourceRoot applied), or NULL past the end. */
const char *rl_sourcemap_source(const rl_sourcemap *m, uint32_t i);
/* Line `line` (0-based) of source i's embedded content (sourcesContent), in
 * *p / *n without its terminator; 0 when there is no such content or line. */
int rl_sourcemap_source_line(const rl_sourcemap *m, uint32_t i, uint32_t line, const char **p, size_t *n);

#endif
