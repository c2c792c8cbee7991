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
/* Compiles src as rl_query_new does, to the same matches, but several times
 * faster: node patterns with children become wildcards whose type is checked
 * after each match (tree-sitter 0.20 analyses a typed parent against the
 * grammar's whole parse table, a wildcard not). It does not find patterns
 * that can never match, as rl_query_new does (TSQueryErrorStructure): for
 * queries checked that way already (built-in rules, by a test; packs, when
 * loaded). A query that does not compile gets rl_query_new's message. */
int rl_query_new_cheap(rl_query **out, rl_lang lang, const char *src, uint32_t len);
void rl_query_free(rl_query *q);
const TSQuery *rl_query_ts(const rl_query *q);
uint32_t rl_query_pattern_count(const rl_query *q);
/* Byte offset of pattern i within the query source. */
uint32_t rl_query_pattern_start(const rl_query *q, uint32_t i);

/* What a run could not do, for the caller to report: nothing of it is silent. */
typedef struct rl_query_stats {
  /* tree-sitter held more matches in progress at once than the cursor's
   * limit (rl_query_match_limit) and dropped some: matches may be missing */
  int match_limit_exceeded;
  /* matches a #match? / #not-match? regex could not judge (a PCRE2 limit):
   * neither reported nor counted as failing; the first one's pattern and
   * the byte where its capture starts */
  uint32_t regex_limited;
  uint32_t regex_limited_pattern, regex_limited_byte;
} rl_query_stats;

/* The most matches q keeps in progress at once: 4096, or twice q's patterns
 * when it has more (every pattern can start on one node), bounding a
 * cursor's memory on hostile input. */
uint32_t rl_query_match_limit(const rl_query *q);

/* Runs q over root, calling cb for every match whose predicates hold.
 * cursor is the caller's (one per file); bytes is the source text. cb returns
 * 0 to continue, nonzero to stop. *out says what the run could not do. */
typedef int (*rl_query_cb)(void *data, const TSQueryMatch *m);
void rl_query_run(rl_query_stats *out, const rl_query *q, TSQueryCursor *cursor, TSNode root, const char *bytes,
                  uint32_t len, rl_query_cb cb, void *data);

#endif
