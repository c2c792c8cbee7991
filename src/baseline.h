#ifndef RL_BASELINE_H
#define RL_BASELINE_H
/* --baseline FILE: the fingerprints of an earlier roomlint report (SARIF or
 * JSON). Findings whose fingerprint is listed are suppressed as "external",
 * so a team can adopt roomlint on an old codebase and fail only on new
 * problems. Read-only after loading: workers look fingerprints up without
 * locking. */
#include <stddef.h>

typedef struct rl_baseline rl_baseline;

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
/* "baseline FILE": the justification findings it suppresses carry.
 * Borrowed, valid until rl_baseline_free. */
const char *rl_baseline_reason(const rl_baseline *b);

#endif
