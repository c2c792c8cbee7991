/* The video providers tokend mints room tokens for, one per process (PROVIDER), and what each allows as a
   room name. The minters are pure: clock and randomness come in as arguments, so tests compare exact bytes.
   100ms lives in mint.c; LiveKit, Twilio and Agora in provider_<name>.c. */
#ifndef TK_PROVIDER_H
#define TK_PROVIDER_H
#include <stddef.h>
#include <stdint.h>

#include "mint.h"

typedef enum { TK_PROVIDER_HMS, TK_PROVIDER_LIVEKIT, TK_PROVIDER_TWILIO, TK_PROVIDER_AGORA } tk_provider;

#define TK_ROOM_MAX 128 /* longest room name any provider takes here, in bytes */

/* What a role may do in the room (ROLE_GRANTS). Join is implied. */
enum { TK_GRANT_PUBLISH = 1, TK_GRANT_SUBSCRIBE = 2, TK_GRANT_DATA = 4, TK_GRANT_ALL = 7 };

/* "100ms", "livekit", "twilio", "agora" -> *out; returns 0 or TK_EINVAL. */
int tk_provider_parse(tk_provider *out, const char *name);
/* The name PROVIDER takes; a static string. */
const char *tk_provider_name(tk_provider p);

/* 1 when s[0..n) is a room this provider accepts in the URL: 100ms room ids are 24 lowercase hex;
   LiveKit and Twilio room names 1..128 of [A-Za-z0-9_.:=@-] (Twilio room SIDs included); Agora channel
   names 1..63 of the characters Agora lists, less those a URL path cannot carry plainly (space ? # % /). */
int tk_provider_room_valid(tk_provider p, const char *s, size_t n);
/* 1 when the login token's sub can be this provider's identity: always, except Agora, whose user accounts
   are 1..255 bytes of letters, digits, space and !#$%&()+-:;<=.>?@[]^_{}|~, */
int tk_provider_user_valid(tk_provider p, const char *sub);

/* A one-line rule for the 400 answer. Static. */
const char *tk_provider_room_rule(tk_provider p);

/* "publish+subscribe+data" (any non-empty '+'-joined subset) -> *out; returns 0 or TK_EINVAL. */
int tk_grants_parse(unsigned *out, const char *s, size_t n);

/* A LiveKit access token: HS256 under the API secret; claims video {room, roomJoin true, canPublish,
   canSubscribe, canPublishData from grants}, iss = API key (key->access_key), exp = now + ttl, nbf = now,
   sub = identity. Caller frees *out with free(). */
int tk_livekit_mint(char **out, const tk_mint_key *key, const char *room, const char *identity, unsigned grants,
                    int64_t now, int64_t ttl);

/* A Twilio Video access token: header cty "twilio-fpa;v=1", HS256 under the API key secret; claims
   jti "<key sid>-<now>", grants {identity, video {room}}, iat, exp, iss = API key SID (key->access_key),
   sub = account SID. Caller frees *out with free(). */
int tk_twilio_mint(char **out, const tk_mint_key *key, const char *account_sid, const char *room, const char *identity,
                   int64_t now, int64_t ttl);

/* An Agora RTC AccessToken2 for a string user account: "007" + base64(zlib(signature, app id, issued at,
   expire, salt, one RTC service with join and, with TK_GRANT_PUBLISH, audio and video publishing and, with
   TK_GRANT_DATA, data streams, each privilege for ttl seconds)). The signature is HMAC-SHA256 under a
   key derived from the app certificate, issue time and salt. Caller frees *out with free(). */
int tk_agora_mint(char **out, const char *app_id, const char *app_certificate, const char *channel, const char *account,
                  unsigned grants, int64_t now, int64_t ttl, uint32_t salt);

#endif
