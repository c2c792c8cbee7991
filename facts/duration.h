#ifndef RL_DURATION_H
#define RL_DURATION_H
/* A leaf module (no facts, no config): both the facts layer and src/config.c
 * use it. */
#include <stddef.h>

/* Duration strings in the style of the `ms` package that jsonwebtoken uses:
 * "7d", "48h", "2w", "30 days", "1.5 hrs", "90m", "10s", "1y". Returns 1 and
 * seconds when the string has a unit; a bare number string sets *unitless
 * (jsonwebtoken reads it as milliseconds, so *seconds is the number / 1000)
 * and still returns 1. 0 if not a duration. */
int rl_duration_parse(const char *s, size_t n, double *seconds, int *unitless);

#endif
