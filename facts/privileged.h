#ifndef RL_PRIVILEGED_H
#define RL_PRIVILEGED_H
/* Privileged provider actions: calls that change something at a video
 * provider with the app's own credentials (create, end or delete rooms,
 * start recordings, egress or live streams, remove participants, mint
 * meeting tokens through the provider). One table of data, one line per API
 * (privileged.c), asked by the project model's summaries (summary.c) and by
 * the route facts (routes.c), so that "what does this call do?" has one
 * answer in the same file and across files.
 *
 *   server SDKs   a method of a client made from the package, directly,
 *                 through a const or this.x:
 *                   new EgressClient(url, key, secret).startRoomCompositeEgress(room, out)
 *                   new HMS.SDK(key, secret).recordings.start(roomId)
 *                   twilio(sid, token).video.v1.rooms(sid).update({ status })
 *                   new OpenTok(key, secret).startArchive(sessionId, opts, cb)
 *                   new Vonage(creds).video.startExperienceComposerRender(...)
 *                 list* / get* / retrieve only read: no line, no action.
 *   REST APIs     a request (rl_request_parse) to a provider's host whose
 *                 method writes (GET / HEAD / OPTIONS only read), matched by
 *                 path after the version segment (/v1, /v2): `*` is one
 *                 segment. A write to the host with no line is the host's
 *                 generic action ("calls the Daily REST API"). */
#include <stddef.h>
#include <tree_sitter/api.h>

#include "analysis.h"
#include "prefilter.h"

typedef struct rl_priv {
  const char *provider; /* "LiveKit", "100ms", "Twilio", "Vonage", "Daily", "Agora" */
  const char *what;     /* message words: "starts LiveKit room-composite egress" */
  int room;             /* it creates, changes, ends or deletes rooms / sessions */
  int mints;            /* it asks the provider for a join token (Daily /meeting-tokens) */
  /* REST only (else NULL / 0): the HTTP method, and whether the request's
   * path is written in the call (not a parameter of a wrapper) */
  const char *method;
  int url_known;
  TSNode at; /* the call */
} rl_priv;

/* A server-SDK call of the table. Returns 1 and fills *out (strings static). */
int rl_priv_sdk_call(rl_jsfile *jf, TSNode call, rl_priv *out);
/* The same table asked of a client made elsewhere: instance_of is its `new`
 * ("livekit-server-sdk:RoomServiceClient", rl_symbol.instance_of), path the
 * member path called on it ("updateParticipant"). Returns 1 and fills *out
 * (no node: out->at is null). */
int rl_priv_sdk_method(const char *instance_of, const char *path, rl_priv *out);

/* A request to a provider's privileged REST API that writes. Returns 1 and
 * fills *out (what in jf's arena or static). A request to such a host that
 * only reads answers 0 and sets *read_only (may be NULL) to 1. */
int rl_priv_rest_call(rl_jsfile *jf, TSNode call, rl_priv *out, int *read_only);
/* The same judgement of a request already taken apart: its HTTP method
 * ("POST"), its URL text (url_len bytes) and the node to report at. */
int rl_priv_rest_url(rl_arena *arena, const char *method, const char *url, size_t url_len, TSNode at, rl_priv *out,
                     int *read_only);

/* The provider whose REST API host the URL names (privileged.c's host
 * table: "Daily" for api.daily.co...), NULL for other hosts. Static. */
const char *rl_priv_rest_host(const char *url, size_t len);

/* Either of the two. */
int rl_priv_call(rl_jsfile *jf, TSNode call, rl_priv *out, int *read_only);

/* Prefilter: 0 when the bytes name no host and import no package of the
 * tables, so no call in them can be a privileged provider action. */
int rl_priv_possible(rl_prefilter *pf);

#endif
