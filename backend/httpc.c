#include "httpc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "tokend.h"

typedef struct {
  char *p;
  size_t n;
} body;

static size_t on_data(char *data, size_t size, size_t nmemb, void *userp) {
  body *b = userp;
  size_t n = size * nmemb;
  char *grown;
  if (n > TK_HTTPC_RESPONSE_MAX - b->n) return 0; /* aborts the transfer */
  grown = realloc(b->p, b->n + n + 1);
  if (grown == NULL) return 0;
  memcpy(grown + b->n, data, n);
  b->p = grown;
  b->n += n;
  b->p[b->n] = '\0';
  return n;
}

/* libcurl calls this at least once a second during a transfer; non-zero makes it stop. */
static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow) {
  const atomic_int *abort_flag = ctx;
  (void)dltotal;
  (void)dlnow;
  (void)ultotal;
  (void)ulnow;
  return abort_flag != NULL && atomic_load(abort_flag);
}

int tk_httpc_call(char **out, size_t *out_len, long *status, const tk_httpc_req *rq) {
  CURL *curl = curl_easy_init();
  struct curl_slist *hdrs = NULL;
  char *auth = NULL;
  body b = {NULL, 0};
  int rc = TK_ENOMEM;
  *out = NULL;
  *status = 0;
  if (curl == NULL) goto cleanup;
  if (rq->bearer != NULL) {
    size_t n = strlen(rq->bearer) + sizeof "Authorization: Bearer ";
    auth = malloc(n);
    if (auth == NULL) goto cleanup;
    snprintf(auth, n, "Authorization: Bearer %s", rq->bearer);
    hdrs = curl_slist_append(hdrs, auth);
    if (hdrs == NULL) goto cleanup;
  }
  if (strcmp(rq->method, "POST") == 0) {
    struct curl_slist *more = curl_slist_append(hdrs, "Content-Type: application/json");
    if (more == NULL) goto cleanup;
    hdrs = more;
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, rq->json != NULL ? rq->json : "");
  } else {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  }
  curl_easy_setopt(curl, CURLOPT_URL, rq->url);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdrs);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, rq->timeout_ms);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, rq->timeout_ms / 2 > 0 ? rq->timeout_ms / 2 : 1L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, (void *)rq->abort);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  rc = TK_EINVAL;
  if (curl_easy_perform(curl) != CURLE_OK) goto cleanup;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
  if (b.p == NULL) {
    b.p = calloc(1, 1);
    if (b.p == NULL) {
      rc = TK_ENOMEM;
      goto cleanup;
    }
  }
  *out = b.p;
  *out_len = b.n;
  b.p = NULL;
  rc = TK_OK;
cleanup:
  curl_slist_free_all(hdrs);
  curl_easy_cleanup(curl);
  free(b.p);
  if (auth != NULL) memset(auth, 0, strlen(auth));
  free(auth);
  return rc;
}
