#include "redis_store.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <hiredis/hiredis.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "tokend.h"

#define RETRY_SECONDS 1.0 /* after a failure, Redis is not tried again for this long */
#define LEASE_SECONDS 1.0 /* a lease not used up by then is dropped: it never outlives the refill much */
#define DENY_CACHE 0.1    /* a refusal is remembered this long, so a flood costs Redis little */
#define SHARDS 64
#define SLOTS 256
#define PROBE 8
#define HOST_MAX 256
#define PATH_MAX_ 108

/* KEYS[1] the user's bucket; ARGV rate (tokens/s), burst, tokens wanted. Takes up to `want` whole
   tokens. Returns {taken, ms to wait when none}. The clock is Redis's own, so instances never disagree. */
static const char script[] = "local rate, burst, want = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])\n"
                             "local t = redis.call('TIME')\n"
                             "local now = tonumber(t[1]) + tonumber(t[2]) / 1000000\n"
                             "local v = redis.call('HMGET', KEYS[1], 't', 'n')\n"
                             "local n, last = tonumber(v[2]), tonumber(v[1])\n"
                             "if n == nil or last == nil then n, last = burst, now end\n"
                             "if now > last then n = math.min(burst, n + (now - last) * rate) end\n"
                             "local got = math.min(want, math.floor(n))\n"
                             "n = n - got\n"
                             "redis.call('HSET', KEYS[1], 't', tostring(now), 'n', tostring(n))\n"
                             "redis.call('PEXPIRE', KEYS[1], math.ceil((burst - n) / rate * 1000) + 1000)\n"
                             "if got > 0 then return {got, 0} end\n"
                             "return {0, math.ceil((1 - n) / rate * 1000)}\n";

typedef struct {
  pthread_mutex_t mu;
  redisContext *c;
  unsigned epoch; /* r->epoch when this use began */
} conn;

typedef struct {
  uint64_t key; /* 0 = empty */
  int tokens;   /* leased, not yet spent */
  int size;     /* the next lease's size: doubles while the user keeps using them up */
  double expires, denied_until, seen;
  int wait; /* seconds, while denied */
} lease;

typedef struct {
  pthread_mutex_t mu;
  lease slots[SLOTS];
} shard;

struct tk_redis {
  tk_redis_opts o;
  int unix_socket, port, db;
  char host[HOST_MAX];
  char sha[41]; /* the script's SHA1, as EVALSHA names it */
  conn *conns;
  atomic_uint next;
  _Atomic double down_until; /* monotonic; 0 when up */
  atomic_int healthy;
  atomic_uint epoch; /* failures so far: a success that began before the latest one proves nothing */
  char bucket_prefix[48], mgmt_key[48];
  double rate; /* tokens per second */
  tk_token_store store;
  shard *shards;
};

static double monotonic(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- URL ------------------------------------------------------------------------------------------ */

static int parse_db(const char *s, int *db) {
  char *end = NULL;
  long v;
  if (*s == '\0') return 1;
  v = strtol(s, &end, 10);
  if (end == s || *end != '\0' || v < 0 || v > 15 || s[0] == '+' || s[0] == '-') return 0;
  *db = (int)v;
  return 1;
}

static int parse_url(const char *url, int *unix_socket, char host[HOST_MAX], int *port, int *db) {
  *db = 0;
  *port = 6379;
  if (strncmp(url, "unix://", 7) == 0) {
    const char *path = url + 7, *q = strchr(path, '?');
    size_t n = q != NULL ? (size_t)(q - path) : strlen(path);
    *unix_socket = 1;
    if (path[0] != '/' || n >= PATH_MAX_ || n < 2) return 0;
    memcpy(host, path, n);
    host[n] = '\0';
    return q == NULL || (strncmp(q, "?db=", 4) == 0 && q[4] != '\0' && parse_db(q + 4, db));
  }
  if (strncmp(url, "redis://", 8) == 0) {
    const char *h = url + 8, *colon, *slash = strchr(h, '/');
    size_t n = slash != NULL ? (size_t)(slash - h) : strlen(h);
    char hp[HOST_MAX];
    *unix_socket = 0;
    if (n == 0 || n >= HOST_MAX || memchr(h, '@', n) != NULL)
      return 0; /* no credentials in the URL: REDIS_PASSWORD_FILE */
    memcpy(hp, h, n);
    hp[n] = '\0';
    colon = strrchr(hp, ':');
    if (colon != NULL) {
      char *end = NULL;
      long p = strtol(colon + 1, &end, 10);
      if (end == colon + 1 || *end != '\0' || p < 1 || p > 65535) return 0;
      *port = (int)p;
      hp[colon - hp] = '\0';
    }
    if (hp[0] == '\0' || strspn(hp, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") != strlen(hp))
      return 0;
    snprintf(host, HOST_MAX, "%s", hp);
    return slash == NULL || parse_db(slash + 1, db);
  }
  return 0;
}

int tk_redis_url_valid(const char *url) {
  char host[HOST_MAX];
  int u, p, db;
  return parse_url(url, &u, host, &p, &db);
}

/* ---- connections ----------------------------------------------------------------------------------- */

static void say(tk_redis *r, int level, const char *msg) {
  if (r->o.log != NULL) r->o.log(r->o.log_ctx, level, msg);
}

static void mark_down(tk_redis *r) {
  atomic_fetch_add(&r->epoch, 1);
  atomic_store(&r->down_until, monotonic() + RETRY_SECONDS);
  if (atomic_exchange(&r->healthy, 0) == 1)
    say(r, 1, "redis: unreachable; using the fallback policy (REDIS_FAILURE_POLICY) until it answers");
}

static void mark_up(tk_redis *r, unsigned epoch) {
  if (atomic_load(&r->epoch) != epoch) return;
  if (atomic_exchange(&r->healthy, 1) == 0) say(r, 2, "redis: reachable");
}

static redisReply *command_argv(redisContext *c, int argc, const char **argv, const size_t *len) {
  return redisCommandArgv(c, argc, argv, len);
}

/* A reply that is not an error of the connection. Error replies (e.g. NOSCRIPT) are replies. */
static redisReply *simple(redisContext *c, const char *a, const char *b) {
  const char *argv[2] = {a, b};
  size_t len[2] = {strlen(a), b != NULL ? strlen(b) : 0};
  return command_argv(c, b != NULL ? 2 : 1, argv, len);
}

static redisContext *dial(tk_redis *r) {
  struct timeval tv = {r->o.timeout_ms / 1000, (r->o.timeout_ms % 1000) * 1000};
  redisContext *c = r->unix_socket ? redisConnectUnixWithTimeout(r->host, tv)
                                   : redisConnectWithTimeout(r->host, r->port, tv);
  redisReply *rep = NULL;
  char db[8];
  if (c == NULL || c->err || redisSetTimeout(c, tv) != REDIS_OK) goto fail;
  if (r->o.password != NULL) {
    rep = simple(c, "AUTH", r->o.password);
    if (rep == NULL || rep->type == REDIS_REPLY_ERROR) goto fail;
    freeReplyObject(rep);
  }
  if (r->db != 0) {
    snprintf(db, sizeof db, "%d", r->db);
    rep = simple(c, "SELECT", db);
    if (rep == NULL || rep->type == REDIS_REPLY_ERROR) goto fail;
    freeReplyObject(rep);
  }
  rep = NULL;
  if (r->o.per_min > 0) {
    /* Loaded on every new connection: a restarted Redis has forgotten it. */
    {
      const char *argv[3] = {"SCRIPT", "LOAD", script};
      size_t len[3] = {6, 4, sizeof script - 1};
      rep = command_argv(c, 3, argv, len);
    }
    /* Redis names a script by its SHA1, which tk_redis_new computed: anything else is not Redis. */
    if (rep == NULL || rep->type != REDIS_REPLY_STRING || rep->len != 40 || memcmp(rep->str, r->sha, 40) != 0)
      goto fail;
    freeReplyObject(rep);
  }
  return c;
fail:
  if (rep != NULL) freeReplyObject(rep);
  if (c != NULL) redisFree(c);
  return NULL;
}

/* A locked connection, connected; NULL (nothing locked) when Redis is down. Release with put_conn. */
static conn *get_conn(tk_redis *r) {
  unsigned start = atomic_fetch_add(&r->next, 1);
  conn *k = NULL;
  unsigned epoch = atomic_load(&r->epoch);
  if (atomic_load(&r->down_until) > monotonic()) return NULL;
  for (int i = 0; i < r->o.conns && k == NULL; i++) {
    conn *c = &r->conns[(start + (unsigned)i) % (unsigned)r->o.conns];
    if (pthread_mutex_trylock(&c->mu) == 0) k = c;
  }
  if (k == NULL) {
    k = &r->conns[start % (unsigned)r->o.conns];
    pthread_mutex_lock(&k->mu);
  }
  if (k->c == NULL && atomic_load(&r->down_until) <= monotonic()) {
    k->c = dial(r);
    if (k->c == NULL) mark_down(r);
  }
  if (k->c == NULL) {
    pthread_mutex_unlock(&k->mu);
    return NULL;
  }
  k->epoch = epoch;
  return k;
}

/* Releases k; a connection that failed is closed (a late reply must never answer the next command). */
static void put_conn(tk_redis *r, conn *k, int failed) {
  if (failed) {
    redisFree(k->c);
    k->c = NULL;
    mark_down(r);
  } else {
    mark_up(r, k->epoch);
  }
  pthread_mutex_unlock(&k->mu);
}

/* ---- the limiter ------------------------------------------------------------------------------------ */

/* Takes up to want tokens: *got tokens, or *got = 0 and *wait_ms. */
static int take_remote(tk_redis *r, const char *bucket, int want, int *got, long long *wait_ms) {
  char rate[32], burst[32], wants[16];
  const char *argv[6];
  size_t len[6];
  redisReply *rep;
  conn *k = get_conn(r);
  int failed = 0;
  if (k == NULL) return TK_EUNAVAIL;
  snprintf(rate, sizeof rate, "%.17g", r->rate);
  snprintf(burst, sizeof burst, "%.17g", r->o.burst);
  snprintf(wants, sizeof wants, "%d", want);
  argv[0] = "EVALSHA";
  argv[1] = r->sha;
  argv[2] = "1";
  argv[3] = bucket;
  argv[4] = rate;
  argv[5] = burst;
  for (int i = 0; i < 6; i++) len[i] = strlen(argv[i]);
  {
    const char *full[7] = {argv[0], argv[1], argv[2], argv[3], argv[4], argv[5], wants};
    size_t flen[7] = {len[0], len[1], len[2], len[3], len[4], len[5], strlen(wants)};
    rep = command_argv(k->c, 7, full, flen);
    if (rep != NULL && rep->type == REDIS_REPLY_ERROR && strncmp(rep->str, "NOSCRIPT", 8) == 0) {
      freeReplyObject(rep);
      full[0] = "EVAL";
      flen[0] = 4;
      full[1] = script;
      flen[1] = sizeof script - 1;
      rep = command_argv(k->c, 7, full, flen);
    }
  }
  if (rep == NULL || rep->type != REDIS_REPLY_ARRAY || rep->elements != 2 ||
      rep->element[0]->type != REDIS_REPLY_INTEGER || rep->element[1]->type != REDIS_REPLY_INTEGER) {
    failed = 1;
  } else {
    *got = (int)rep->element[0]->integer;
    *wait_ms = rep->element[1]->integer;
  }
  if (rep != NULL) freeReplyObject(rep);
  put_conn(r, k, failed);
  return failed ? TK_EUNAVAIL : TK_OK;
}

static uint64_t key_hash(tk_redis *r, const char *key, size_t n, char hex[33]) {
  static const char digits[] = "0123456789abcdef";
  unsigned char mac[32];
  uint64_t h = 0;
  if (tk_hmac_sign(r->o.keyer, mac, key, n) != 0) memset(mac, 0, sizeof mac);
  for (int i = 0; i < 16; i++) {
    hex[2 * i] = digits[mac[i] >> 4];
    hex[2 * i + 1] = digits[mac[i] & 15];
  }
  hex[32] = '\0';
  memcpy(&h, mac + 16, sizeof h);
  return h == 0 ? 1 : h;
}

static lease *find(shard *sh, uint64_t h, double now) {
  size_t start = (size_t)(h / SHARDS) % SLOTS;
  lease *victim = NULL;
  for (size_t i = 0; i < PROBE; i++) {
    lease *c = &sh->slots[(start + i) % SLOTS];
    if (c->key == h) return c;
    if (victim == NULL || c->key == 0 || (victim->key != 0 && c->seen < victim->seen)) victim = c;
  }
  memset(victim, 0, sizeof *victim);
  victim->key = h;
  victim->size = 1;
  victim->seen = now;
  return victim;
}

int tk_redis_take(tk_redis *r, const char *key, size_t n, double now) {
  char hex[33], bucket[96];
  uint64_t h = key_hash(r, key, n, hex);
  shard *sh = &r->shards[h % SHARDS];
  lease *l;
  int want, got = 0, rc;
  long long wait_ms = 0;

  pthread_mutex_lock(&sh->mu);
  l = find(sh, h, now);
  l->seen = now;
  if (l->tokens > 0 && now < l->expires) {
    l->tokens--;
    pthread_mutex_unlock(&sh->mu);
    return 0;
  }
  if (now < l->denied_until) {
    int w = l->wait;
    pthread_mutex_unlock(&sh->mu);
    return w;
  }
  /* A user who used up the last lease before it expired is busy: the next one is twice as large. One
     who let it expire gets single tokens again, so a quiet user never strands tokens in a lease. */
  if (l->tokens == 0 && now < l->expires)
    l->size = l->size * 2 > r->o.lease_max ? r->o.lease_max : l->size * 2;
  else
    l->size = 1;
  want = l->size;
  l->tokens = 0;
  pthread_mutex_unlock(&sh->mu);

  snprintf(bucket, sizeof bucket, "%s%s", r->bucket_prefix, hex);
  rc = take_remote(r, bucket, want, &got, &wait_ms);
  if (rc != 0) return rc;

  pthread_mutex_lock(&sh->mu);
  l = find(sh, h, now);
  if (got > 0) {
    l->tokens += got - 1;
    l->expires = now + LEASE_SECONDS;
    rc = 0;
  } else {
    rc = (int)fmin(3600.0, fmax(1.0, ceil((double)wait_ms / 1000.0)));
    l->denied_until = now + fmin(DENY_CACHE, (double)wait_ms / 1000.0);
    l->wait = rc;
  }
  pthread_mutex_unlock(&sh->mu);
  return rc;
}

int tk_redis_healthy(tk_redis *r) {
  /* Known down: no new attempt before the retry time. Otherwise one PING: /readyz is asked every few
     seconds by a load balancer, and must not say ready for a Redis that died since the last request. */
  conn *k = get_conn(r);
  if (k != NULL) {
    redisReply *rep = simple(k->c, "PING", NULL);
    int failed = rep == NULL || rep->type != REDIS_REPLY_STATUS;
    if (rep != NULL) freeReplyObject(rep);
    put_conn(r, k, failed);
  }
  return atomic_load(&r->healthy) && atomic_load(&r->down_until) <= monotonic();
}

/* ---- the management token: "<expires> <token>" under one key -------------------------------------- */

static int parse_stored(const redisReply *rep, char **out, int64_t *expires) {
  char *sp, *end = NULL;
  long long e;
  *out = NULL;
  if (rep->type == REDIS_REPLY_NIL) return TK_OK;
  if (rep->type != REDIS_REPLY_STRING || rep->len > 8192) return TK_EINVAL;
  sp = memchr(rep->str, ' ', rep->len);
  if (sp == NULL) return TK_EINVAL;
  e = strtoll(rep->str, &end, 10);
  if (end != sp) return TK_EINVAL;
  *out = strndup(sp + 1, rep->len - (size_t)(sp + 1 - rep->str));
  *expires = e;
  return *out == NULL ? TK_ENOMEM : TK_OK;
}

static int store_get(void *ctx, char **out, int64_t *expires) {
  tk_redis *r = ctx;
  conn *k = get_conn(r);
  redisReply *rep;
  int rc = TK_EUNAVAIL;
  *out = NULL;
  if (k == NULL) return TK_EUNAVAIL;
  rep = simple(k->c, "GET", r->mgmt_key);
  if (rep != NULL) rc = parse_stored(rep, out, expires);
  if (rep != NULL) freeReplyObject(rep);
  put_conn(r, k, rep == NULL);
  return rep == NULL ? TK_EUNAVAIL : rc;
}

static int store_offer(void *ctx, const char *token, int64_t expires, int keep, char **out, int64_t *out_expires) {
  tk_redis *r = ctx;
  conn *k;
  redisReply *rep;
  char *value, secs[16];
  size_t n = strlen(token) + 32;
  int failed, rc;
  *out = NULL;
  value = malloc(n);
  if (value == NULL) return TK_ENOMEM;
  snprintf(value, n, "%lld %s", (long long)expires, token);
  snprintf(secs, sizeof secs, "%d", keep);
  k = get_conn(r);
  if (k == NULL) {
    free(value);
    return TK_EUNAVAIL;
  }
  {
    const char *argv[6] = {"SET", r->mgmt_key, value, "NX", "EX", secs};
    size_t len[6] = {3, strlen(r->mgmt_key), strlen(value), 2, 2, strlen(secs)};
    rep = command_argv(k->c, 6, argv, len);
  }
  failed = rep == NULL || rep->type == REDIS_REPLY_ERROR;
  rc = failed ? TK_EUNAVAIL : TK_OK;
  if (!failed && rep->type == REDIS_REPLY_NIL) { /* another instance stored one first */
    freeReplyObject(rep);
    rep = simple(k->c, "GET", r->mgmt_key);
    failed = rep == NULL;
    rc = failed ? TK_EUNAVAIL : parse_stored(rep, out, out_expires);
  } else if (!failed) {
    *out = strdup(token);
    *out_expires = expires;
    rc = *out == NULL ? TK_ENOMEM : TK_OK;
  }
  if (rep != NULL) freeReplyObject(rep);
  put_conn(r, k, failed);
  OPENSSL_cleanse(value, strlen(value));
  free(value);
  return rc;
}

const tk_token_store *tk_redis_token_store(tk_redis *r) { return &r->store; }

/* ---- lifecycle --------------------------------------------------------------------------------------- */

int tk_redis_new(tk_redis **out, const tk_redis_opts *opts) {
  tk_redis *r = calloc(1, sizeof *r);
  char tag[33];
  if (r == NULL) return TK_ENOMEM;
  r->o = *opts;
  if (!parse_url(opts->url, &r->unix_socket, r->host, &r->port, &r->db) || opts->conns < 1 || opts->keyer == NULL) {
    free(r);
    return TK_EINVAL;
  }
  r->rate = opts->per_min / 60.0;
  {
    static const char digits[] = "0123456789abcdef";
    unsigned char md[20];
    unsigned int mdlen = 0;
    if (EVP_Digest(script, sizeof script - 1, md, &mdlen, EVP_sha1(), NULL) != 1 || mdlen != 20) {
      free(r);
      return TK_ECRYPTO;
    }
    for (int i = 0; i < 20; i++) {
      r->sha[2 * i] = digits[md[i] >> 4];
      r->sha[2 * i + 1] = digits[md[i] & 15];
    }
    r->sha[40] = '\0';
  }
  r->conns = calloc((size_t)opts->conns, sizeof *r->conns);
  r->shards = calloc(SHARDS, sizeof *r->shards);
  if (r->conns == NULL || r->shards == NULL) {
    free(r->conns);
    free(r->shards);
    free(r);
    return TK_ENOMEM;
  }
  for (int i = 0; i < opts->conns; i++) pthread_mutex_init(&r->conns[i].mu, NULL);
  for (int i = 0; i < SHARDS; i++) pthread_mutex_init(&r->shards[i].mu, NULL);
  atomic_init(&r->healthy, 1);
  /* Key names come from the keyed hash too: two apps sharing one Redis never share a bucket or a token. */
  key_hash(r, "bucket", 6, tag);
  snprintf(r->bucket_prefix, sizeof r->bucket_prefix, "tokend:%.8s:rl:", tag);
  key_hash(r, "hms-management", 14, tag);
  snprintf(r->mgmt_key, sizeof r->mgmt_key, "tokend:%.8s:hms-mgmt", tag);
  r->store = (tk_token_store){store_get, store_offer, r};
  *out = r;
  return TK_OK;
}

void tk_redis_free(tk_redis *r) {
  if (r == NULL) return;
  for (int i = 0; i < r->o.conns; i++) {
    if (r->conns[i].c != NULL) redisFree(r->conns[i].c);
    pthread_mutex_destroy(&r->conns[i].mu);
  }
  for (int i = 0; i < SHARDS; i++) pthread_mutex_destroy(&r->shards[i].mu);
  free(r->conns);
  free(r->shards);
  free(r);
}
