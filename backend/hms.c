#include "hms.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "tokend.h"

#define RESPONSE_MAX (64 * 1024)

struct tk_hms {
  const tk_mint_key *key;
  const char *api_base, *template_id;
  tk_random_fn rnd;
  void *rnd_ctx;
  pthread_mutex_t mu; /* guards the cache below */
  char *token;
  int64_t expires;
  atomic_int abort; /* set by tk_hms_abort: calls in progress give up */
};

int tk_hms_new(tk_hms **out, const tk_mint_key *key, const char *api_base, const char *template_id,
               tk_random_fn rnd, void *rnd_ctx) {
  tk_hms *h = calloc(1, sizeof *h);
  if (h == NULL)
    return TK_ENOMEM;
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
  if (h == NULL)
    return;
  pthread_mutex_destroy(&h->mu);
  free(h->token);
  free(h);
}

void tk_hms_abort(tk_hms *h) {
  atomic_store(&h->abort, 1);
}

/* libcurl calls this at least once a second during a transfer; non-zero makes it stop. */
static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow) {
  tk_hms *h = ctx;
  (void)dltotal;
  (void)dlnow;
  (void)ultotal;
  (void)ulnow;
  return atomic_load(&h->abort);
}

int tk_hms_management_token(tk_hms *h, char **out, int64_t now) {
  int rc = TK_OK;
  pthread_mutex_lock(&h->mu);
  if (h->token == NULL || now >= h->expires - TK_HMS_MGMT_MARGIN || now < h->expires - TK_HMS_MGMT_TTL) {
    char *fresh = NULL;
    rc = tk_mint_management(&fresh, h->key, now, TK_HMS_MGMT_TTL, h->rnd, h->rnd_ctx);
    if (rc == 0) {
      free(h->token);
      h->token = fresh;
      h->expires = now + TK_HMS_MGMT_TTL;
    }
  }
  if (rc == 0) {
    *out = strdup(h->token);
    if (*out == NULL)
      rc = TK_ENOMEM;
  }
  pthread_mutex_unlock(&h->mu);
  return rc;
}

typedef struct {
  char *p;
  size_t n;
} body;

static size_t on_data(char *data, size_t size, size_t nmemb, void *userp) {
  body *b = userp;
  size_t n = size * nmemb;
  char *grown;
  if (n > RESPONSE_MAX - b->n)
    return 0; /* aborts the transfer */
  grown = realloc(b->p, b->n + n + 1);
  if (grown == NULL)
    return 0;
  memcpy(grown + b->n, data, n);
  b->p = grown;
  b->n += n;
  b->p[b->n] = '\0';
  return n;
}

static char *join(const char *a, const char *b) {
  size_t n = strlen(a) + strlen(b) + 1;
  char *s = malloc(n);
  if (s != NULL)
    snprintf(s, n, "%s%s", a, b);
  return s;
}

int tk_hms_create_room(tk_hms *h, json_t **out, const char *name, const char *description, int64_t now) {
  CURL *curl = NULL;
  struct curl_slist *hdrs = NULL;
  char *token = NULL, *payload = NULL, *url = NULL, *auth = NULL;
  json_t *req = NULL, *resp = NULL;
  body b = {NULL, 0};
  long status = 0;
  int rc;

  rc = tk_hms_management_token(h, &token, now);
  if (rc != 0)
    goto cleanup;
  rc = TK_ENOMEM;
  req = json_pack("{s:s, s:s}", "name", name, "template_id", h->template_id);
  if (req == NULL || (description != NULL && json_object_set_new(req, "description", json_string(description)) != 0))
    goto cleanup;
  payload = json_dumps(req, JSON_COMPACT);
  url = join(h->api_base, "/rooms");
  auth = join("Authorization: Bearer ", token);
  curl = curl_easy_init();
  if (payload == NULL || url == NULL || auth == NULL || curl == NULL)
    goto cleanup;
  hdrs = curl_slist_append(NULL, auth);
  if (hdrs == NULL || curl_slist_append(hdrs, "Content-Type: application/json") == NULL)
    goto cleanup;
  curl_easy_setopt(curl, CURLOPT_URL, url);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdrs);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, payload);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, h);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  rc = TK_EINVAL;
  if (curl_easy_perform(curl) != CURLE_OK)
    goto cleanup;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200 && status != 201)
    goto cleanup;
  resp = b.p ? json_loadb(b.p, b.n, JSON_REJECT_DUPLICATES, NULL) : NULL;
  if (!json_is_object(resp) || !json_is_string(json_object_get(resp, "id")))
    goto cleanup;
  *out = resp;
  resp = NULL;
  rc = TK_OK;
cleanup:
  json_decref(resp);
  json_decref(req);
  curl_slist_free_all(hdrs);
  curl_easy_cleanup(curl);
  free(b.p);
  free(payload);
  free(url);
  if (auth != NULL)
    memset(auth, 0, strlen(auth));
  free(auth);
  free(token);
  return rc;
}
