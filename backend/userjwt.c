#include "userjwt.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "b64url.h"
#include "mint.h"
#include "tokend.h"

struct tk_verifier {
  tk_alg alg;
  tk_hmac *hmac; /* HS256 */
  EVP_PKEY *pkey;
  tk_jwks *jwks; /* keys by kid instead of one fixed key; borrowed */
  char *iss, *aud;
  int64_t leeway;
  /* base64url of the two canonical headers for `alg`, {"alg":"<ALG>","typ":"JWT"} and
     {"typ":"JWT","alg":"<ALG>"}: a header segment equal to one of them parses to exactly what the
     full check accepts, so it is recognised by its bytes. */
  char canon[2][48];
  size_t canon_len[2];
};

static const char *const alg_names[] = {"HS256", "RS256", "ES256"};

int tk_alg_parse(tk_alg *out, const char *name) {
  for (size_t i = 0; i < sizeof alg_names / sizeof alg_names[0]; i++) {
    if (strcmp(name, alg_names[i]) == 0) {
      *out = (tk_alg)i;
      return TK_OK;
    }
  }
  return TK_EINVAL;
}

static int key_fits(EVP_PKEY *pkey, tk_alg alg) {
  if (alg == TK_ALG_RS256) return EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA && EVP_PKEY_get_bits(pkey) >= 2048;
  if (alg == TK_ALG_ES256) {
    char group[64];
    size_t glen = 0;
    return EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC &&
           EVP_PKEY_get_group_name(pkey, group, sizeof group, &glen) == 1 && strcmp(group, "prime256v1") == 0;
  }
  return 0;
}

static int set_claims(tk_verifier *v, const char *iss, const char *aud) {
  v->iss = iss != NULL ? strdup(iss) : NULL;
  v->aud = aud != NULL ? strdup(aud) : NULL;
  return (iss != NULL && v->iss == NULL) || (aud != NULL && v->aud == NULL) ? TK_ENOMEM : TK_OK;
}

int tk_verifier_new_jwks(tk_verifier **out, tk_jwks *jwks, const char *iss, const char *aud, int64_t leeway) {
  tk_verifier *v = calloc(1, sizeof *v);
  if (v == NULL) return TK_ENOMEM;
  v->jwks = jwks;
  v->leeway = leeway;
  if (set_claims(v, iss, aud) != 0) {
    tk_verifier_free(v);
    return TK_ENOMEM;
  }
  *out = v;
  return TK_OK;
}

int tk_verifier_new(tk_verifier **out, tk_alg alg, const unsigned char *secret, size_t secret_len, const char *pem,
                    size_t pem_len, const char *iss, const char *aud, int64_t leeway) {
  tk_verifier *v = calloc(1, sizeof *v);
  BIO *bio = NULL;
  int rc = TK_ENOMEM;
  if (v == NULL) return TK_ENOMEM;
  v->alg = alg;
  v->leeway = leeway;
  for (int i = 0; i < 2; i++) {
    char json[40];
    int k = i == 0 ? snprintf(json, sizeof json, "{\"alg\":\"%s\",\"typ\":\"JWT\"}", alg_names[alg])
                   : snprintf(json, sizeof json, "{\"typ\":\"JWT\",\"alg\":\"%s\"}", alg_names[alg]);
    assert(k > 0 && (size_t)k < sizeof json && tk_b64url_encoded_len((size_t)k) < sizeof v->canon[i]);
    tk_b64url_encode(v->canon[i], (const unsigned char *)json, (size_t)k);
    v->canon_len[i] = tk_b64url_encoded_len((size_t)k);
  }
  if (alg == TK_ALG_HS256) {
    rc = TK_EINVAL;
    if (secret == NULL || secret_len == 0) goto cleanup;
    rc = tk_hmac_new(&v->hmac, secret, secret_len);
    if (rc != 0) goto cleanup;
  } else {
    rc = TK_EINVAL;
    if (pem == NULL || pem_len > INT32_MAX) goto cleanup;
    bio = BIO_new_mem_buf(pem, (int)pem_len);
    if (bio == NULL) goto cleanup;
    v->pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
    if (v->pkey == NULL || !key_fits(v->pkey, alg)) goto cleanup;
  }
  rc = set_claims(v, iss, aud);
  if (rc != 0) goto cleanup;
  *out = v;
  v = NULL;
  rc = TK_OK;
cleanup:
  BIO_free(bio);
  tk_verifier_free(v);
  return rc;
}

void tk_verifier_free(tk_verifier *v) {
  if (v == NULL) return;
  tk_hmac_free(v->hmac);
  EVP_PKEY_free(v->pkey);
  free(v->iss);
  free(v->aud);
  free(v);
}

static int verify_pkey(EVP_PKEY *pkey, const unsigned char *sig, size_t sig_len, const char *msg, size_t n) {
  EVP_MD_CTX *md = EVP_MD_CTX_new();
  int ok = 0;
  if (md == NULL) return 0;
  if (EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pkey) == 1)
    ok = EVP_DigestVerify(md, sig, sig_len, (const unsigned char *)msg, n) == 1;
  EVP_MD_CTX_free(md);
  return ok;
}

/* JWS carries ES256 signatures as raw r||s (32 bytes each); OpenSSL wants DER. */
static int verify_es256(EVP_PKEY *pkey, const unsigned char *sig, size_t sig_len, const char *msg, size_t n) {
  ECDSA_SIG *es = NULL;
  BIGNUM *r = NULL, *s = NULL;
  unsigned char *der = NULL;
  int der_len, ok = 0;
  if (sig_len != 64) return 0;
  es = ECDSA_SIG_new();
  r = BN_bin2bn(sig, 32, NULL);
  s = BN_bin2bn(sig + 32, 32, NULL);
  if (es == NULL || r == NULL || s == NULL || ECDSA_SIG_set0(es, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    goto cleanup;
  }
  der_len = i2d_ECDSA_SIG(es, &der);
  if (der_len > 0) ok = verify_pkey(pkey, der, (size_t)der_len, msg, n);
cleanup:
  OPENSSL_free(der);
  ECDSA_SIG_free(es);
  return ok;
}

/* Ed25519 signs the message itself: no digest is named. */
static int verify_eddsa(EVP_PKEY *pkey, const unsigned char *sig, size_t sig_len, const char *msg, size_t n) {
  EVP_MD_CTX *md = EVP_MD_CTX_new();
  int ok = 0;
  if (md == NULL || sig_len != 64) goto cleanup;
  if (EVP_DigestVerifyInit(md, NULL, NULL, NULL, pkey) == 1)
    ok = EVP_DigestVerify(md, sig, sig_len, (const unsigned char *)msg, n) == 1;
cleanup:
  EVP_MD_CTX_free(md);
  return ok;
}

static int pkey_signature_ok(tk_jwk_alg alg, EVP_PKEY *pkey, const unsigned char *sig, size_t sig_len, const char *msg,
                             size_t n) {
  switch (alg) {
  case TK_JWK_RS256: return verify_pkey(pkey, sig, sig_len, msg, n);
  case TK_JWK_ES256: return verify_es256(pkey, sig, sig_len, msg, n);
  case TK_JWK_EDDSA: return verify_eddsa(pkey, sig, sig_len, msg, n);
  }
  return 0;
}

static int signature_ok(const tk_verifier *v, const unsigned char *sig, size_t sig_len, const char *msg, size_t n) {
  unsigned char mac[32];
  switch (v->alg) {
  case TK_ALG_HS256:
    if (sig_len != sizeof mac || tk_hmac_sign(v->hmac, mac, msg, n) != 0) return 0;
    return CRYPTO_memcmp(mac, sig, sizeof mac) == 0;
  case TK_ALG_RS256: return pkey_signature_ok(TK_JWK_RS256, v->pkey, sig, sig_len, msg, n);
  case TK_ALG_ES256: return pkey_signature_ok(TK_JWK_ES256, v->pkey, sig, sig_len, msg, n);
  }
  return 0;
}

/* JWKS mode: the header names the key and the algorithm; both must fit a key in the set. Returns a
   new key reference, or NULL with *reason set. */
static EVP_PKEY *jwks_key_for(const tk_verifier *v, const json_t *hdr, tk_jwk_alg *alg, const char **reason) {
  static const char *const names[] = {"RS256", "ES256", "EdDSA"};
  const char *a = json_string_value(json_object_get(hdr, "alg"));
  const char *kid = json_string_value(json_object_get(hdr, "kid"));
  EVP_PKEY *pkey;
  int found = 0;
  for (int i = 0; a != NULL && i < 3; i++) {
    if (strcmp(a, names[i]) == 0) {
      *alg = (tk_jwk_alg)i;
      found = 1;
    }
  }
  if (!found) {
    *reason = "token algorithm not accepted";
    return NULL;
  }
  if (kid == NULL || kid[0] == '\0' || strlen(kid) > 256) {
    *reason = "token has no key id (kid)";
    return NULL;
  }
  pkey = tk_jwks_key(v->jwks, kid, *alg);
  if (pkey == NULL) *reason = "token signing key not found";
  return pkey;
}

/* Decodes one base64url segment as a JSON object, rejecting duplicate keys. */
static json_t *decode_json(const char *seg, size_t n) {
  unsigned char buf[TK_TOKEN_MAX];
  size_t len = 0;
  json_t *j;
  if (tk_b64url_decode(buf, &len, seg, n) != 0) return NULL;
  j = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, NULL);
  if (j != NULL && !json_is_object(j)) {
    json_decref(j);
    return NULL;
  }
  return j;
}

static int string_array_or_absent(const json_t *j) {
  size_t i;
  const json_t *e;
  if (j == NULL) return 1;
  if (!json_is_array(j)) return 0;
  json_array_foreach(j, i, e) {
    if (!json_is_string(e)) return 0;
  }
  return 1;
}

static int aud_matches(const json_t *aud, const char *want) {
  size_t i;
  const json_t *e;
  if (json_is_string(aud)) return strcmp(json_string_value(aud), want) == 0;
  if (!json_is_array(aud)) return 0;
  json_array_foreach(aud, i, e) {
    if (json_is_string(e) && strcmp(json_string_value(e), want) == 0) return 1;
  }
  return 0;
}

static int fail(const char **reason, const char *why) {
  *reason = why;
  return TK_EINVAL;
}

/* The claim checks, after the signature has been verified. */
static int check_claims(const tk_verifier *v, tk_user *u, const char **reason, int64_t now) {
  json_t *c = u->claims;
  const json_t *exp = json_object_get(c, "exp"), *nbf = json_object_get(c, "nbf");
  const json_t *sub = json_object_get(c, "sub"), *ccr = json_object_get(c, "can_create_rooms");
  if (!json_is_integer(exp)) return fail(reason, "token has no integer exp");
  if (json_integer_value(exp) <= now - v->leeway) return fail(reason, "token expired");
  if (nbf != NULL && !json_is_integer(nbf)) return fail(reason, "token nbf is not an integer");
  if (nbf != NULL && json_integer_value(nbf) > now + v->leeway) return fail(reason, "token not yet valid");
  if (!json_is_string(sub) || json_string_length(sub) == 0 || json_string_length(sub) > TK_USER_ID_MAX ||
      strlen(json_string_value(sub)) != json_string_length(sub))
    return fail(reason, "token sub missing or invalid");
  if (v->iss != NULL) {
    const json_t *iss = json_object_get(c, "iss");
    if (!json_is_string(iss) || strcmp(json_string_value(iss), v->iss) != 0)
      return fail(reason, "token issuer not accepted");
  }
  if (v->aud != NULL && !aud_matches(json_object_get(c, "aud"), v->aud))
    return fail(reason, "token audience not accepted");
  u->hms_roles = json_object_get(c, "hms_roles");
  u->hms_rooms = json_object_get(c, "hms_rooms");
  if (!string_array_or_absent(u->hms_roles) || !string_array_or_absent(u->hms_rooms))
    return fail(reason, "token hms_roles/hms_rooms must be arrays of strings");
  if (ccr != NULL && !json_is_boolean(ccr)) return fail(reason, "token can_create_rooms must be a boolean");
  u->can_create_rooms = json_is_true(ccr);
  u->sub = json_string_value(sub);
  return TK_OK;
}

static int is_canonical_header(const tk_verifier *v, const char *seg, size_t n) {
  for (int i = 0; i < 2; i++) {
    if (n == v->canon_len[i] && memcmp(seg, v->canon[i], n) == 0) return 1;
  }
  return 0;
}

int tk_verifier_check(const tk_verifier *v, tk_user *out, const char **reason, const char *token, size_t n,
                      int64_t now) {
  const char *dot1, *dot2;
  unsigned char sig[TK_TOKEN_MAX];
  size_t sig_len = 0;
  json_t *hdr = NULL;
  const json_t *alg;
  EVP_PKEY *jwk = NULL;
  tk_jwk_alg jwk_alg = TK_JWK_RS256;
  int rc = TK_EINVAL;
  memset(out, 0, sizeof *out);
  *reason = "malformed token";
  if (n == 0 || n > TK_TOKEN_MAX) return TK_EINVAL;
  dot1 = memchr(token, '.', n);
  dot2 = dot1 ? memchr(dot1 + 1, '.', n - (size_t)(dot1 + 1 - token)) : NULL;
  if (dot2 == NULL || memchr(dot2 + 1, '.', n - (size_t)(dot2 + 1 - token)) != NULL) return TK_EINVAL;
  /* Almost every token carries one of the two canonical headers; recognising their exact bytes saves
     a decode and a JSON parse. Anything else is parsed and checked in full. */
  if (v->jwks != NULL || !is_canonical_header(v, token, (size_t)(dot1 - token))) {
    hdr = decode_json(token, (size_t)(dot1 - token));
    if (hdr == NULL) goto cleanup;
    alg = json_object_get(hdr, "alg");
    if (json_object_get(hdr, "crit") != NULL) {
      *reason = "token has critical header extensions";
      goto cleanup;
    }
    if (v->jwks != NULL) {
      jwk = jwks_key_for(v, hdr, &jwk_alg, reason);
      if (jwk == NULL) goto cleanup;
      /* Exactly the configured algorithm: this refuses "none", HS512 for HS256 and RS256->HS256 confusion. */
    } else if (!json_is_string(alg) || strcmp(json_string_value(alg), alg_names[v->alg]) != 0) {
      *reason = "token algorithm not accepted";
      goto cleanup;
    }
  }
  if (tk_b64url_decode(sig, &sig_len, dot2 + 1, n - (size_t)(dot2 + 1 - token)) != 0) goto cleanup;
  if (jwk != NULL ? !pkey_signature_ok(jwk_alg, jwk, sig, sig_len, token, (size_t)(dot2 - token))
                  : !signature_ok(v, sig, sig_len, token, (size_t)(dot2 - token))) {
    *reason = "token signature invalid";
    goto cleanup;
  }
  out->claims = decode_json(dot1 + 1, (size_t)(dot2 - dot1 - 1));
  if (out->claims == NULL) goto cleanup;
  rc = check_claims(v, out, reason, now);
cleanup:
  EVP_PKEY_free(jwk);
  json_decref(hdr);
  if (rc != 0) tk_user_clear(out);
  return rc;
}

void tk_user_clear(tk_user *u) {
  json_decref(u->claims);
  memset(u, 0, sizeof *u);
}

static int array_has(const json_t *arr, const char *s) {
  size_t i;
  const json_t *e;
  json_array_foreach(arr, i, e) {
    if (strcmp(json_string_value(e), s) == 0) return 1;
  }
  return 0;
}

int tk_user_has_role(const tk_user *u, const char *role) {
  return u->hms_roles != NULL && array_has(u->hms_roles, role);
}

int tk_user_may_join(const tk_user *u, const char *room) {
  return u->hms_rooms == NULL || array_has(u->hms_rooms, room);
}
