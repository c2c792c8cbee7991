/* A token bucket per user: `per_min` tokens a minute, at most `burst` saved up.
   The table is fixed-size (no growth under attack); when a shard is full the least recently seen
   user in the probed range is forgotten, which can only ever give that user a fresh bucket. */
#ifndef TK_RATELIMIT_H
#define TK_RATELIMIT_H
#include <stddef.h>

typedef struct tk_ratelimit tk_ratelimit;

/* Caller frees with tk_ratelimit_free. seed keys the hash so bucket placement is not predictable. */
int tk_ratelimit_new(tk_ratelimit **out, double per_min, double burst, unsigned long long seed);
void tk_ratelimit_free(tk_ratelimit *rl);

/* Takes one token from key[0..n)'s bucket at monotonic time `now` (seconds). Returns 0 when the request
   may go ahead, otherwise the whole number of seconds (>= 1) until a token will be available. */
int tk_ratelimit_take(tk_ratelimit *rl, const char *key, size_t n, double now);

#endif
