#include "ratelimit.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "tokend.h"

#define SHARDS 64
#define SLOTS 256 /* per shard */
#define PROBE 8

typedef struct {
  uint64_t key; /* 0 = empty */
  double tokens, last;
} slot;

typedef struct {
  pthread_mutex_t mu;
  slot slots[SLOTS];
} shard;

struct tk_ratelimit {
  double rate, burst; /* tokens per second, capacity */
  uint64_t seed;
  shard shards[SHARDS];
};

int tk_ratelimit_new(tk_ratelimit **out, double per_min, double burst, unsigned long long seed) {
  tk_ratelimit *rl = calloc(1, sizeof *rl);
  if (rl == NULL) return TK_ENOMEM;
  rl->rate = per_min / 60.0;
  rl->burst = burst;
  rl->seed = seed;
  for (int i = 0; i < SHARDS; i++) pthread_mutex_init(&rl->shards[i].mu, NULL);
  *out = rl;
  return TK_OK;
}

void tk_ratelimit_free(tk_ratelimit *rl) {
  if (rl == NULL) return;
  for (int i = 0; i < SHARDS; i++) pthread_mutex_destroy(&rl->shards[i].mu);
  free(rl);
}

/* FNV-1a over the seed and the key, then a final mix so the low bits are usable as indices. */
static uint64_t hash(uint64_t seed, const char *key, size_t n) {
  uint64_t h = 14695981039346656037ULL ^ seed;
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)key[i];
    h *= 1099511628211ULL;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h == 0 ? 1 : h;
}

int tk_ratelimit_take(tk_ratelimit *rl, const char *key, size_t n, double now) {
  uint64_t h = hash(rl->seed, key, n);
  shard *sh = &rl->shards[h % SHARDS];
  size_t start = (size_t)(h / SHARDS) % SLOTS;
  slot *s = NULL, *victim = NULL;
  int wait = 0;
  pthread_mutex_lock(&sh->mu);
  for (size_t i = 0; i < PROBE; i++) {
    slot *c = &sh->slots[(start + i) % SLOTS];
    if (c->key == h) {
      s = c;
      break;
    }
    if (victim == NULL || c->key == 0 || (victim->key != 0 && c->last < victim->last)) victim = c;
  }
  if (s == NULL) {
    s = victim;
    s->key = h;
    s->tokens = rl->burst;
    s->last = now;
  }
  if (now > s->last) {
    s->tokens = fmin(rl->burst, s->tokens + (now - s->last) * rl->rate);
    s->last = now;
  }
  if (s->tokens >= 1.0)
    s->tokens -= 1.0;
  else
    wait = (int)fmin(3600.0, fmax(1.0, ceil((1.0 - s->tokens) / rl->rate)));
  pthread_mutex_unlock(&sh->mu);
  return wait;
}
