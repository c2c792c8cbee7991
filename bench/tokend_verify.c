/* Benchmark (not a test): the user-token check with a key from a JWKS (cached, looked up by kid) vs.
 * the same RSA key given as a PEM file, in one process, interleaved in short rounds so that a noisy
 * machine slows both alike. Prints the time per check of each and the median of the per-round ratios. Built by CMake as
 * bench/tokend_verify; run by `BENCH_SUITE=jwks bench/tokend`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "b64url.h"
#include "jwks.h"
#include "userjwt.h"

#define ROUNDS 51
#define PER_ROUND 400

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* header.payload.signature, RS256 over the two JSON texts. */
static char *sign(EVP_PKEY *k, const char *header, const char *payload) {
  static char out[2][4096];
  static int which;
  char *tok = out[which++ % 2];
  unsigned char sig[512];
  size_t n, sig_len = sizeof sig;
  EVP_MD_CTX *md = EVP_MD_CTX_new();
  tk_b64url_encode(tok, (const unsigned char *)header, strlen(header));
  n = strlen(tok);
  tok[n++] = '.';
  tk_b64url_encode(tok + n, (const unsigned char *)payload, strlen(payload));
  n = strlen(tok);
  if (md == NULL || EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, k) != 1 ||
      EVP_DigestSign(md, sig, &sig_len, (const unsigned char *)tok, n) != 1) {
    fprintf(stderr, "tokend_verify: signing failed\n");
    exit(1);
  }
  EVP_MD_CTX_free(md);
  tok[n++] = '.';
  tk_b64url_encode(tok + n, sig, sig_len);
  return tok;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double run(const tk_verifier *v, const char *tok, int64_t now) {
  double t0 = now_s();
  for (int i = 0; i < PER_ROUND; i++) {
    tk_user u;
    const char *why;
    if (tk_verifier_check(v, &u, &why, tok, strlen(tok), now) != 0) {
      fprintf(stderr, "tokend_verify: token refused: %s\n", why);
      exit(1);
    }
    tk_user_clear(&u);
  }
  return now_s() - t0;
}

int main(void) {
  EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
  BIO *bio = BIO_new(BIO_s_mem());
  BIGNUM *n = NULL, *e = NULL;
  unsigned char nb[512], eb[8];
  char n64[700], e64[16], payload[256], doc[2048], *pem = NULL;
  long pem_len;
  tk_verifier *vp = NULL, *vj = NULL;
  tk_jwks *jwks = NULL;
  int64_t now = (int64_t)time(NULL);
  double tp = 0, tj = 0, ratios[ROUNDS];
  char *tok_pem, *tok_jwks;

  if (k == NULL || bio == NULL || PEM_write_bio_PUBKEY(bio, k) != 1 ||
      EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_N, &n) != 1 ||
      EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_E, &e) != 1) {
    fprintf(stderr, "tokend_verify: no RSA key\n");
    return 1;
  }
  pem_len = BIO_get_mem_data(bio, &pem);
  tk_b64url_encode(n64, nb, (size_t)BN_bn2bin(n, nb));
  tk_b64url_encode(e64, eb, (size_t)BN_bn2bin(e, eb));
  snprintf(doc, sizeof doc,
           "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"bench-1\",\"use\":\"sig\",\"n\":\"%s\",\"e\":\"%s\"}]}", n64, e64);
  snprintf(payload, sizeof payload, "{\"sub\":\"bench_user\",\"exp\":%lld,\"iss\":\"https://auth.bench.test\"}",
           (long long)now + 3600);
  if (tk_verifier_new(&vp, TK_ALG_RS256, NULL, 0, pem, (size_t)pem_len, "https://auth.bench.test", NULL, 30) != 0 ||
      tk_jwks_new(&jwks, NULL, 30, 3600, 1000, NULL) != 0 || tk_jwks_load(jwks, doc, strlen(doc)) != 0 ||
      tk_verifier_new_jwks(&vj, jwks, "https://auth.bench.test", NULL, 30) != 0) {
    fprintf(stderr, "tokend_verify: could not set up the verifiers\n");
    return 1;
  }
  /* The fixed key gets its fastest token (the canonical header, recognised by its bytes); the JWKS
     one has to be parsed for its kid. */
  tok_pem = sign(k, "{\"alg\":\"RS256\",\"typ\":\"JWT\"}", payload);
  tok_jwks = sign(k, "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"bench-1\"}", payload);
  run(vp, tok_pem, now); /* warm-up */
  run(vj, tok_jwks, now);
  for (int r = 0; r < ROUNDS; r++) {
    double a = run(vp, tok_pem, now), b = run(vj, tok_jwks, now);
    tp += a;
    tj += b;
    ratios[r] = b / a;
  }
  qsort(ratios, ROUNDS, sizeof ratios[0], cmp_double);
  printf("user-token check, RS256, %d x %d each, interleaved:\n", ROUNDS, PER_ROUND);
  printf("  fixed PEM key  %8.2f us/check\n", tp / (ROUNDS * PER_ROUND) * 1e6);
  printf("  JWKS (cached)  %8.2f us/check\n", tj / (ROUNDS * PER_ROUND) * 1e6);
  printf("ratio JWKS/PEM time per check, median of %d rounds: %.3f (the lookup by kid adds %.1f%%)\n", ROUNDS,
         ratios[ROUNDS / 2], (ratios[ROUNDS / 2] - 1) * 100);
  printf("target: JWKS adds <=10%% %s\n", ratios[ROUNDS / 2] <= 1.10 ? "met" : "MISSED");
  tk_verifier_free(vp);
  tk_verifier_free(vj);
  tk_jwks_free(jwks);
  BN_free(n);
  BN_free(e);
  BIO_free(bio);
  EVP_PKEY_free(k);
  return 0;
}
