#ifndef RL_REGEX_H
#define RL_REGEX_H
/* The only module that includes pcre2.h. Patterns are compiled once (with JIT
 * where available) and then shared read-only across threads; each match uses
 * match data owned by the calling thread. */
#include <stddef.h>

typedef struct rl_regex rl_regex;

enum { RL_RE_CASELESS = 1 };

/* Compiles pattern (UTF-8). On error returns RL_EINVALID and sets the error
 * message to "<pcre2 message> at offset N". */
int rl_regex_new(rl_regex **out, const char *pattern, size_t len, int flags);
void rl_regex_free(rl_regex *re);
/* 1 if re matches somewhere in s[0..n), 0 if not, RL_ERROR if a PCRE2
 * limit (match steps, backtracking depth or heap) stopped it before an
 * answer, with rl_error_last() naming the limit: unknown, never "no match".
 * JIT matches get a 4 MiB stack per thread and fall back to the interpreter
 * when they hit a limit. Thread-safe. */
int rl_regex_match(const rl_regex *re, const char *s, size_t n);
/* Like rl_regex_match, also giving the span of the whole match. */
int rl_regex_search(const rl_regex *re, const char *s, size_t n, size_t *start, size_t *end);
/* The first match in s[0..n) that starts at or after byte `from` (what lies
 * before it still counts for lookbehind and \b): span[0..1] is the whole
 * match, span[2..3] capture group 1, or the whole match again when the
 * pattern has no group 1 or it took no part. Returns as rl_regex_match. */
int rl_regex_search_from(const rl_regex *re, const char *s, size_t n, size_t from, size_t span[4]);
/* Frees this thread's match data and JIT stack (each worker at exit; the
 * engine for the main thread). Matching again afterwards allocates anew. */
void rl_regex_thread_done(void);

#endif
