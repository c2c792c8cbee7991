/* The one outbound call: creating a room through the 100ms REST API with a cached management token. */
#ifndef TK_HMS_H
#define TK_HMS_H
#include <stdint.h>

#include <jansson.h>

#include "mint.h"

#define TK_HMS_MGMT_TTL 600    /* seconds a management token lives */
#define TK_HMS_MGMT_MARGIN 120 /* re-mint this long before it expires */

typedef struct tk_hms tk_hms;

/* key, api_base and template_id are borrowed and must outlive the handle. Caller frees with tk_hms_free. */
int tk_hms_new(tk_hms **out, const tk_mint_key *key, const char *api_base, const char *template_id, tk_random_fn rnd,
               void *rnd_ctx);
void tk_hms_free(tk_hms *h);

/* Where instances share the management token (Redis). get sets *out (caller frees; NULL when there is
   none) and *expires. offer stores token (expiring at `expires`, kept `keep` seconds) unless another
   instance stored one first, and sets *out and *expires to whichever is stored now. Both return 0 or a
   negative code when the store cannot be reached. */
typedef struct tk_token_store {
  int (*get)(void *ctx, char **out, int64_t *expires);
  int (*offer)(void *ctx, const char *token, int64_t expires, int keep, char **out, int64_t *out_expires);
  void *ctx;
} tk_token_store;

/* Shares the management token through store (borrowed; must outlive h). NULL: this process only. */
void tk_hms_set_store(tk_hms *h, const tk_token_store *store);

/* Makes every call in progress, and every later one, give up within about a second (shutting down). */
void tk_hms_abort(tk_hms *h);

/* The current management token at time `now`: the cached one, or a fresh one when the cached one is
   within TK_HMS_MGMT_MARGIN of expiry. Caller frees *out with free(). */
int tk_hms_management_token(tk_hms *h, char **out, int64_t now);

/* POSTs {name, description?, template_id} to api_base/rooms. On success *out is the 100ms room object
   (with a string "id"); caller json_decrefs it. Returns 0, TK_EINVAL (upstream refused or answered
   nonsense) or another negative code. */
int tk_hms_create_room(tk_hms *h, json_t **out, const char *name, const char *description, int64_t now);

/* One call to api_base + path (e.g. "/rooms") with the management token; payload (may be NULL) is sent
   as JSON. On a 200/201 answer that is a JSON object, *out is that object (caller json_decrefs it).
   Returns 0, TK_EINVAL (no answer, refused, or not an object) or another negative code. */
int tk_hms__call(tk_hms *h, json_t **out, const char *method, const char *path, const json_t *payload, int64_t now);

#endif
