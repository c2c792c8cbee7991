#ifndef RL_SECRETS_H
#define RL_SECRETS_H
/* Secret detectors that read text, not a syntax tree: shared by the
 * hardcoded-secret rule (on string literals) and the bundle scanner (on
 * built, minified JavaScript, bundle.h). One detector, one place. */
#include <stddef.h>

#include "arena.h"

/* A 100ms app secret inside v, alone or embedded ("HMS_APP_SECRET=<secret>"):
 * a run of 172 base64 characters ending in '=' that no other base64
 * character touches. Returns where it starts, or NULL. */
const char *rl_secret_find_app_secret(const char *v, size_t len);

typedef enum rl_jwt_kind {
  RL_JWT_NONE = 0,
  RL_JWT_HMS_MANAGEMENT, /* 100ms management token */
  RL_JWT_HMS_APP,        /* 100ms app (room) token */
  RL_JWT_LIVEKIT,        /* LiveKit access token (video grant) */
  RL_JWT_TWILIO          /* Twilio access token (grants) */
} rl_jwt_kind;
#define RL_JWT_KINDS_HMS ((1u << RL_JWT_HMS_MANAGEMENT) | (1u << RL_JWT_HMS_APP))
#define RL_JWT_KINDS_ALL (RL_JWT_KINDS_HMS | (1u << RL_JWT_LIVEKIT) | (1u << RL_JWT_TWILIO))

/* The first JWT in v (alone, or inside "Bearer <jwt>") whose decoded claims
 * make it one of `kinds` (a mask of 1u << kind): its kind and where it is. */
rl_jwt_kind rl_secret_find_jwt(rl_arena *a, const char *v, size_t len, unsigned kinds, const char **tok,
                               size_t *tok_len);
/* "100ms management token", "100ms app token", "LiveKit access token", ... */
const char *rl_jwt_kind_name(rl_jwt_kind k);

/* A value bound to a secret name that really is a credential: it looks
 * random (rl_value_looks_secret), is no placeholder, path, URL, variable
 * name or template, has no whitespace and no word that says it is a fake. */
int rl_secret_value_is_credential(const char *v, size_t len);
/* 1 if v holds a word that marks a stand-in (test, fake, example, ...). */
int rl_secret_has_fake_word(const char *v, size_t len);

/* Well-known credential formats, each found by a fixed prefix: a private
 * key block, an AWS access key id, Stripe live secret and restricted keys,
 * GitHub tokens, Slack tokens. A caller finds a prefix (memmem: a pass per
 * format is linear) and asks match, which returns the credential's length
 * from p (the prefix), or 0 when what follows does not have the format or
 * says it is a fake. */
typedef struct rl_secret_format {
  const char *name;
  const char *prefix;
  size_t (*match)(const char *p, size_t n);
} rl_secret_format;
const rl_secret_format *rl_secret_formats(size_t *n);

#endif
