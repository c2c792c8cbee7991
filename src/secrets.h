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

/* A password written into a URL (scheme://user:password@host/...), as
 * connection strings carry them: 1 with its offset and length in v. Not
 * when it stands in for one (<password>, ***, password, a ${VAR}) or the
 * host is this machine or a compose service (localhost, 127.0.0.1, db: no
 * dot). A weak password on a real host (admin:admin@cluster0.x.mongodb.net)
 * is still a credential. */
int rl_secret_url_password(const char *v, size_t len, size_t *at, size_t *n);

/* Well-known credential formats, recognised by their structure, one row of
 * data each (secrets.c `formats`): a fixed prefix, the alphabet and length
 * of what follows it, a check (a checksum where the vendor's format carries
 * one, else a structural test; NULL for none), and what must stand around it
 * (a context). Rows with no prefix are only recognised by context: a value
 * of the right alphabet and length bound to a name that says what it is
 * (rl_secret_named_format). Facts from the vendors' own documentation. */
typedef enum rl_secret_alphabet {
  RL_SALPHA_ALNUM,    /* A-Z a-z 0-9 (base62) */
  RL_SALPHA_WORD,     /* base62 and _ */
  RL_SALPHA_B64URL,   /* base62, - and _ */
  RL_SALPHA_UPPERNUM, /* A-Z 0-9 */
  RL_SALPHA_HEX,      /* 0-9 a-f (either case) */
  RL_SALPHA_SLACK,    /* base62 and - */
  RL_SALPHA_PEM,      /* a PEM block (its own matcher) */
  RL_SALPHA_JWT       /* a JWT (its own matcher) */
} rl_secret_alphabet;

typedef enum rl_secret_context {
  RL_SCTX_NONE = 0,
  RL_SCTX_AWS_SECRET_NEAR, /* a 40-character secret access key within 512 bytes */
  RL_SCTX_TWILIO_SID_NEAR, /* a name saying twilio or auth token, and an account SID (AC + 32 hex) in the text */
  RL_SCTX_NAME_DAILY_KEY,  /* a name saying daily and key */
  RL_SCTX_NAME_AGORA_CERT  /* a name saying agora or app, and certificate */
} rl_secret_context;

typedef struct rl_secret_format {
  const char *name;   /* "Stripe secret key" */
  const char *prefix; /* "" for context-only rows */
  rl_secret_alphabet alphabet;
  size_t min, max;                          /* length of the part after the prefix */
  int (*check)(const char *body, size_t n); /* NULL: none */
  rl_secret_context context;
} rl_secret_format;
const rl_secret_format *rl_secret_formats(size_t *n);

/* Human words for a row's columns, for docs and tests. */
const char *rl_secret_alphabet_name(rl_secret_alphabet a);

/* The first well-known secret in t[from..n) that has a prefix: its row, and
 * where it is (*start, *len). NULL if none. Linear in n. */
const rl_secret_format *rl_secret_find_format(const char *t, size_t n, size_t from, size_t *start, size_t *len);
/* A value bound to a name that is a context-only format (a Twilio auth token
 * named so with an account SID in text[0..tn), a Daily API key, an Agora App
 * Certificate): its row, or NULL. The whole value must be the secret. */
const rl_secret_format *rl_secret_named_format(const char *name, size_t nl, const char *v, size_t vl, const char *text,
                                               size_t tn);

/* GitHub's token checksum: the last 6 characters of a 36-character body are
 * the CRC32 of the first 30, in base62, zero-padded. 1 if it holds. */
int rl_secret_github_crc_ok(const char *body, size_t n);
/* Writes the 6-character base62 CRC32 of p[0..n) to out (for tests that
 * build structurally valid fakes). */
void rl_secret_github_crc(const char *p, size_t n, char out[6]);

/* Values that their services issue for browsers and document as public:
 * Datadog client tokens, Stripe and Paystack publishable keys, PostHog
 * project keys, Mapbox public tokens, Supabase anon JWTs, Firebase web API
 * keys, Sentry DSNs, LiveKit server URLs. What it is, or NULL. */
const char *rl_secret_public_value(const char *v, size_t len);

/* 1 if .roomlint.yml's allow: list says the name or the value is the
 * project's own non-secret (rl_config_is_allowed). */
int rl_secret_allowed(const char *name, size_t nl, const char *v, size_t vl);

/* The role claim of a JWT's payload ("anon", "service_role"), copied into
 * out (size outn, NUL-terminated); 0 if v is no JWT with a role. */
int rl_secret_jwt_role(const char *v, size_t len, char *out, size_t outn);

#endif
