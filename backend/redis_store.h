/* What several tokend instances share through Redis: the per-user rate limits and the 100ms management
   token. One Lua script takes tokens from a user's bucket in one atomic round trip; each instance
   leases a few tokens at a time for a busy user, so a hot user costs one round trip per lease, not per
   request. When Redis cannot be reached every call says so at once (TK_EUNAVAIL) for a second before
   the next attempt, so a dead Redis costs no request more than one connect timeout. */
#ifndef TK_REDIS_STORE_H
#define TK_REDIS_STORE_H
#include <stddef.h>

#include "hms.h"
#include "mint.h"

typedef struct tk_redis tk_redis;

/* Called once when Redis becomes unreachable and once when it is back (level: 1 warn, 2 info). */
typedef void (*tk_redis_log_fn)(void *ctx, int level, const char *msg);

typedef struct tk_redis_opts {
  const char *url;       /* redis://host:port[/db] or unix:///path[?db=N] */
  const char *password;  /* AUTH, or NULL */
  int timeout_ms;        /* connect and every command */
  int conns;             /* connections kept open (one per thread that may call at once) */
  double per_min, burst; /* the limit; per_min 0: no limiter, only the token store */
  int lease_max;         /* most tokens one instance takes for a user in one round trip */
  const tk_hmac *keyer;  /* names Redis keys after a keyed hash of the user id, never the id itself */
  tk_redis_log_fn log;
  void *log_ctx;
} tk_redis_opts;

/* 1 when url has one of the two accepted shapes. */
int tk_redis_url_valid(const char *url);

/* Nothing is connected yet. opts is copied (its strings and keyer are borrowed). Caller frees with
   tk_redis_free. */
int tk_redis_new(tk_redis **out, const tk_redis_opts *opts);
void tk_redis_free(tk_redis *r);

/* One request for user key[0..n) at monotonic time now: 0 when it may go ahead, the seconds (>= 1) to
   wait, or TK_EUNAVAIL when Redis cannot be reached. */
int tk_redis_take(tk_redis *r, const char *key, size_t n, double now);

/* 1 when Redis answers a PING now (0 at once, without trying, within a second of a failure). */
int tk_redis_healthy(tk_redis *r);

/* The management-token store for tk_hms_set_store, valid as long as r. */
const tk_token_store *tk_redis_token_store(tk_redis *r);

#endif
