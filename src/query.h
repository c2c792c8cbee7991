#ifndef RL_QUERY_H
#define RL_QUERY_H
/* Compiled tree-sitter queries with our predicates. tree-sitter's C library
 * parses predicates but does not evaluate them; we do: #match? / #not-match?
 * (PCRE2, via regex.c), #eq? / #not-eq? (capture vs string or capture),
 * #any-of? / #not-any-of?. Unknown predicates are a compile error. */
#include <stdint.h>
#include <tree_sitter/api.h>

#include "regex.h"
#include "source.h"

typedef struct rl_query rl_query;

/* Compiles src for lang. On failure returns RL_EINVALID with a message
 * naming the 1-based line and column of the problem within src and what is
 * wrong ("syntax", "unknown node type 'foo'", "unknown field", "bad predicate"). */
int rl_query_new(rl_query **out, rl_lang lang, const char *src, uint32_t len);
void rl_query_free(rl_query *q);
const TSQuery *rl_query_ts(const rl_query *q);
uint32_t rl_query_pattern_count(const rl_query *q);
/* Byte offset of pattern i within the query source. */
uint32_t rl_query_pattern_start(const rl_query *q, uint32_t i);

/* Runs q over root, calling cb for every match whose predicates hold.
 * cursor is the caller's (one per file); bytes is the source text. cb returns
 * 0 to continue, nonzero to stop. */
typedef int (*rl_query_cb)(void *data, const TSQueryMatch *m);
void rl_query_run(const rl_query *q, TSQueryCursor *cursor, TSNode root, const char *bytes,
                  uint32_t len, rl_query_cb cb, void *data);

#endif
