#include "hms.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpc.h"
#include "tokend.h"

struct tk_hms {
  const tk_mint_key *key;
  const char *api_base, *template_id;
  tk_random_fn rnd;
  void *rnd_ctx;
  pthread_mutex_t mu; /* guards the cache below */
  char *token;
  int64_t expires;
  atomic_int abort;            /* set by tk_hms_abort: calls in progress give up */
  const tk_token_store *store; /* shared with other instances, or NULL */
};

int tk_hms_new(tk_hms **out, const tk_mint_key *key, const char *api_base, const char *template_id, tk_random_fn rnd,
               void *rnd_ctx) {
  tk_hms *h = calloc(1, sizeof *h);
  if (h == NULL) return TK_ENOMEM;
  h->key = key;
  h->api_base = api_base;
  h->template_id = template_id;
  h->rnd = rnd;
  h->rnd_ctx = rnd_ctx;
  pthread_mutex_init(&h->mu, NULL);
  *out = h;
  return TK_OK;
}

void tk_hms_free(tk_hms *h) {
  if (h == NULL) return;
  pthread_mutex_destroy(&h->mu);
  free(h->token);
  free(h);
}

void tk_hms_set_store(tk_hms *h, const tk_token_store *store) { h->store = store; }

void tk_hms_abort(tk_hms *h) { atomic_store(&h->abort, 1); }

static int fresh_enough(int64_t expires, int64_t now) {
  return now < expires - TK_HMS_MGMT_MARGIN && now >= expires - TK_HMS_MGMT_TTL;
}

/* Adopts token (taking it) as the cached one. */
static void adopt(tk_hms *h, char *token, int64_t expires) {
  free(h->token);
  h->token = token;
  h->expires = expires;
}

/* With a shared store, every instance uses the token the first of them minted: one that another
   instance stored is taken as is, and a freshly minted one is offered and replaced by the store's if
   another instance got there first. A store that fails is skipped: the local token still works. */
int tk_hms_management_token(tk_hms *h, char **out, int64_t now) {
  int rc = TK_OK;
  pthread_mutex_lock(&h->mu);
  if (h->token == NULL || !fresh_enough(h->expires, now)) {
    char *shared = NULL, *fresh = NULL;
    int64_t shared_exp = 0;
    if (h->store != NULL && h->store->get(h->store->ctx, &shared, &shared_exp) == 0 && shared != NULL &&
        fresh_enough(shared_exp, now)) {
      adopt(h, shared, shared_exp);
      shared = NULL;
    } else {
      free(shared);
      shared = NULL;
      rc = tk_mint_management(&fresh, h->key, now, TK_HMS_MGMT_TTL, h->rnd, h->rnd_ctx);
      if (rc == 0 && h->store != NULL &&
          h->store->offer(h->store->ctx, fresh, now + TK_HMS_MGMT_TTL, TK_HMS_MGMT_TTL - TK_HMS_MGMT_MARGIN, &shared,
                          &shared_exp) == 0 &&
          shared != NULL && fresh_enough(shared_exp, now)) {
        free(fresh);
        adopt(h, shared, shared_exp);
      } else if (rc == 0) {
        free(shared);
        adopt(h, fresh, now + TK_HMS_MGMT_TTL);
      }
    }
  }
  if (rc == 0) {
    *out = strdup(h->token);
    if (*out == NULL) rc = TK_ENOMEM;
  }
  pthread_mutex_unlock(&h->mu);
  return rc;
}

/* One call to the 100ms REST API with the current management token. */
int tk_hms__call(tk_hms *h, json_t **out, const char *method, const char *path, const json_t *payload, int64_t now) {
  char *token = NULL, *json = NULL, *url = NULL, *text = NULL;
  size_t url_len = strlen(h->api_base) + strlen(path) + 1, text_len = 0;
  json_t *resp = NULL;
  long status = 0;
  int rc;

  rc = tk_hms_management_token(h, &token, now);
  if (rc != 0) goto cleanup;
  rc = TK_ENOMEM;
  url = malloc(url_len);
  if (url == NULL || (payload != NULL && (json = json_dumps(payload, JSON_COMPACT)) == NULL)) goto cleanup;
  snprintf(url, url_len, "%s%s", h->api_base, path);
  {
    tk_httpc_req rq = {method, url, token, json, 10000, &h->abort};
    rc = tk_httpc_call(&text, &text_len, &status, &rq);
  }
  if (rc != 0) goto cleanup;
  rc = TK_EINVAL;
  if (status != 200 && status != 201) goto cleanup;
  resp = json_loadb(text, text_len, JSON_REJECT_DUPLICATES, NULL);
  if (!json_is_object(resp)) goto cleanup;
  *out = resp;
  resp = NULL;
  rc = TK_OK;
cleanup:
  json_decref(resp);
  free(text);
  free(json);
  free(url);
  free(token);
  return rc;
}

int tk_hms_create_room(tk_hms *h, json_t **out, const char *name, const char *description, int64_t now) {
  json_t *req = json_pack("{s:s, s:s}", "name", name, "template_id", h->template_id), *resp = NULL;
  int rc = TK_ENOMEM;
  if (req == NULL || (description != NULL && json_object_set_new(req, "description", json_string(description)) != 0))
    goto cleanup;
  rc = tk_hms__call(h, &resp, "POST", "/rooms", req, now);
  if (rc == 0 && !json_is_string(json_object_get(resp, "id"))) rc = TK_EINVAL;
  if (rc == 0) {
    *out = resp;
    resp = NULL;
  }
cleanup:
  json_decref(resp);
  json_decref(req);
  return rc;
}
