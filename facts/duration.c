/* Durations as the `ms` package (and so jsonwebtoken) reads them. A leaf:
 * the facts layer reads token lifetimes with it, and src/config.c reads
 * max-token-ttl with it, without either depending on the other. */
#include "duration.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct unit {
  const char *name;
  double seconds;
} unit;

static const unit units[] = {
    {"ms", 0.001},
    {"msec", 0.001},
    {"msecs", 0.001},
    {"millisecond", 0.001},
    {"milliseconds", 0.001},
    {"s", 1},
    {"sec", 1},
    {"secs", 1},
    {"second", 1},
    {"seconds", 1},
    {"m", 60},
    {"min", 60},
    {"mins", 60},
    {"minute", 60},
    {"minutes", 60},
    {"h", 3600},
    {"hr", 3600},
    {"hrs", 3600},
    {"hour", 3600},
    {"hours", 3600},
    {"d", 86400},
    {"day", 86400},
    {"days", 86400},
    {"w", 604800},
    {"week", 604800},
    {"weeks", 604800},
    {"y", 31557600},
    {"yr", 31557600},
    {"yrs", 31557600},
    {"year", 31557600},
    {"years", 31557600},
};

/* The grammar is the `ms` package's: an optional '-', digits with an optional
 * decimal point, optional spaces, an optional unit, nothing else (no leading
 * or trailing space). A bare number is milliseconds there, so *seconds is
 * value / 1000 with *unitless set. */
int rl_duration_parse(const char *s, size_t n, double *seconds, int *unitless) {
  if (unitless) *unitless = 0;
  if (!s || n == 0 || n > 100) return 0;
  size_t i = 0;
  char num[104];
  size_t w = 0;
  if (s[i] == '-') num[w++] = s[i++];
  size_t digits = 0, dots = 0;
  while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) {
    if (s[i] == '.') {
      if (++dots > 1) return 0;
    } else {
      digits++;
    }
    num[w++] = s[i++];
  }
  if (digits == 0 || num[w - 1] == '.') return 0;
  num[w] = '\0';
  double v = strtod(num, NULL);
  while (i < n && s[i] == ' ') i++;
  size_t ul = n - i;
  if (ul == 0) {
    if (i != n || (i > 0 && s[i - 1] == ' ')) return 0; /* "10 " */
    if (seconds) *seconds = v / 1000.0;
    if (unitless) *unitless = 1;
    return 1;
  }
  for (size_t k = 0; k < RL_ARRAY_LEN(units); k++) {
    if (strlen(units[k].name) == ul && rl_strncasecmp_ascii(s + i, units[k].name, ul) == 0) {
      if (seconds) *seconds = v * units[k].seconds;
      return 1;
    }
  }
  return 0;
}
