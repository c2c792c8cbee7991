#ifndef RL_BASELINE_H
#define RL_BASELINE_H
/* --baseline FILE: the fingerprints of an earlier roomlint report (SARIF,
 * JSON, or the compact format -f baseline writes: a "# roomlint baseline v1"
 * line, then "FINGERPRINT RULE PATH" per finding). Findings whose fingerprint is listed are suppressed as "external",
 * so a team can adopt roomlint on an old codebase and fail only on new
 * problems. Read-only after loading: workers look fingerprints up without
 * locking. */
#include <stddef.h>
#include <stdio.h>

typedef struct rl_baseline rl_baseline;
struct rl_sink;

/* Loads path: a roomlint SARIF log (runs[].results[].partialFingerprints
 * "roomlint/v1") or JSON report (findings[].fingerprint). On an unreadable,
 * malformed or foreign file returns RL_EIO or RL_EINVALID with a message
 * naming the file. Caller frees with rl_baseline_free. */
int rl_baseline_load(rl_baseline **out, const char *path);
void rl_baseline_free(rl_baseline *b);

/* 1 if fp (16 hex digits) is in the baseline. */
int rl_baseline_has(const rl_baseline *b, const char *fp);
/* Number of fingerprints loaded. */
size_t rl_baseline_count(const rl_baseline *b);
/* An empty baseline (--baseline-ref builds one); reason is copied. Add
 * entries, then rl_baseline_finish before lookups. */
rl_baseline *rl_baseline_new(const char *reason);
void rl_baseline_add(rl_baseline *b, const char *fp, const char *rule, const char *path);
void rl_baseline_finish(rl_baseline *b);
/* Adds from's entries to into (finished again); the reasons are joined. */
void rl_baseline_merge(rl_baseline *into, const rl_baseline *from, const char *reason);

/* A sink that adds every finding's fingerprint, rule and path to b and
 * finishes it at the end (the --baseline-ref pass). Free with s->free(s). */
struct rl_sink *rl_baseline_sink_new(rl_baseline *b);
/* -f baseline: the compact format on out (borrowed). */
struct rl_sink *rl_sink_baseline_new(FILE *out);

/* --prune-baseline: rewrites path (atomically, compact format) with only the
 * entries a finding of this run matched; *kept says how many. */
int rl_baseline_write_used(const rl_baseline *b, const char *path, size_t *kept);

/* "baseline FILE": the justification findings it suppresses carry.
 * Borrowed, valid until rl_baseline_free. */
const char *rl_baseline_reason(const rl_baseline *b);

#endif
