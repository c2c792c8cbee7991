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
int tk_hms_new(tk_hms **out, const tk_mint_key *key, const char *api_base, const char *template_id,
               tk_random_fn rnd, void *rnd_ctx);
void tk_hms_free(tk_hms *h);

/* Makes every call in progress, and every later one, give up within about a second (shutting down). */
void tk_hms_abort(tk_hms *h);

/* The current management token at time `now`: the cached one, or a fresh one when the cached one is
   within TK_HMS_MGMT_MARGIN of expiry. Caller frees *out with free(). */
int tk_hms_management_token(tk_hms *h, char **out, int64_t now);

/* POSTs {name, description?, template_id} to api_base/rooms. On success *out is the 100ms room object
   (with a string "id"); caller json_decrefs it. Returns 0, TK_EINVAL (upstream refused or answered
   nonsense) or another negative code. */
int tk_hms_create_room(tk_hms *h, json_t **out, const char *name, const char *description, int64_t now);

#endif
