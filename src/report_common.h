#ifndef RL_REPORT_COMMON_H
#define RL_REPORT_COMMON_H
/* Private helpers shared by the three sinks (report_text.c, report_json.c,
 * report_sarif.c). Not part of the public contract in report.h. */
#include <stddef.h>
#include <stdio.h>

#include "finding.h"
#include "json.h"

/* A JSON string of s[0..n) in arena a; NUL and invalid UTF-8 bytes are
 * written as U+FFFD (snippets are arbitrary file bytes). */
rl_json *rl_report__jstrn(rl_arena *a, const char *s, size_t n);
/* The same for a NUL-terminated string; NULL gives JSON null. */
rl_json *rl_report__jstr(rl_arena *a, const char *s);

/* Writes root to out with two-space indentation, keys in insertion order
 * and a final newline, then flushes. Returns 0 or RL_EIO. */
int rl_report__dump(const rl_json *root, FILE *out);

/* If a secret mask as rl_mask_secret writes it ("abcd…(N chars)", or
 * "…(N chars)" for a short secret) starts at p[0], returns its byte length
 * and sets *chars to N, the file columns it stands for; else returns 0. */
size_t rl_report__mask_at(const char *p, size_t n, uint32_t *chars);

/* Counts the findings of r that are not suppressed. */
size_t rl_report__visible(const rl_file_result *r);

/* --history: a finding's commit time as ISO 8601 UTC
 * ("2025-01-02T03:04:05Z") in buf, and its state in words ("still at HEAD",
 * "removed since"). */
const char *rl_report__commit_date(long long t, char buf[32]);
const char *rl_report__history_words(rl_history_state h);
/* The "properties" object of a history finding (commit, commitDate,
 * presentAtHead), or NULL outside --history. */
rl_json *rl_report__history_props(rl_arena *a, const rl_file_result *r, const rl_finding *f);

#endif
