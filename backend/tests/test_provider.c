/* Provider tokens byte for byte against vectors computed independently (Python's hmac and struct), room
   name rules, and grant parsing. The SDK checks of the same tokens live in providers.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <zlib.h>

#include "provider.h"
#include "tokend.h"

static void provider__livekit_vector(void **state) {
  static const char secret[] = "livekit_secret_0123456789abcdefghijklmn";
  const tk_mint_key key = {"APIkey1", (const unsigned char *)secret, sizeof secret - 1, NULL};
  char *tok = NULL;
  (void)state;
  assert_int_equal(tk_livekit_mint(&tok, &key, "standup", "alice", TK_GRANT_SUBSCRIBE, 1700000000, 600), 0);
  assert_string_equal(
      tok, "eyJhbGciOiJIUzI1NiJ9.eyJ2aWRlbyI6eyJyb29tIjoic3RhbmR1cCIsInJvb21Kb2luIjp0cnVlLCJjYW5QdWJsaXNoIjpmYWxzZSwiY2"
           "FuU3Vic2NyaWJlIjp0cnVlLCJjYW5QdWJsaXNoRGF0YSI6ZmFsc2V9LCJpc3MiOiJBUElrZXkxIiwiZXhwIjoxNzAwMDAwNjAwLCJuYmYi"
           "OjE3MDAwMDAwMDAsInN1YiI6ImFsaWNlIn0.NA2ZtsbsTn7KW7FPd7LUsRUcY-x8LV1U26LFBVZVEfg");
  free(tok);
  tok = NULL;
  assert_int_equal(tk_livekit_mint(&tok, &key, "standup", "alice", TK_GRANT_ALL, 1700000000, 0), TK_ERANGE);
  assert_int_equal(tk_livekit_mint(&tok, &key, "standup", "bad\xff", TK_GRANT_ALL, 1700000000, 60), TK_ERANGE);
  assert_null(tok);
}

static void provider__twilio_vector(void **state) {
  static const char secret[] = "twilio_secret_0123456789abcdef";
  const tk_mint_key key = {"SKabababababababababababababababab", (const unsigned char *)secret, sizeof secret - 1,
                           NULL};
  char *tok = NULL;
  (void)state;
  assert_int_equal(
      tk_twilio_mint(&tok, &key, "ACcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd", "standup", "alice", 1700000000, 600), 0);
  assert_string_equal(
      tok,
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImN0eSI6InR3aWxpby1mcGE7dj0xIn0.eyJqdGkiOiJTS2FiYWJhYmFiYWJhYmFiYWJh"
      "YmFiYWJhYmFiYWJhYmFiLTE3MDAwMDAwMDAiLCJncmFudHMiOnsiaWRlbnRpdHkiOiJhbGljZSIsInZpZGVvIjp7InJvb20iOiJzdGFu"
      "ZHVwIn19LCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTcwMDAwMDYwMCwiaXNzIjoiU0thYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFi"
      "YWJhYiIsInN1YiI6IkFDY2RjZGNkY2RjZGNkY2RjZGNkY2RjZGNkY2RjZGNkY2QifQ.GcOQW_bSyeauDmPSqNR19qAelP1p-PyMdIUh8b2JMko");
  free(tok);
}

/* Inflates an Agora token's body into out; returns its length. */
static size_t agora_inflate(unsigned char *out, size_t cap, const char *tok) {
  unsigned char z[1024];
  uLongf n = cap;
  int zn;
  assert_int_equal(strncmp(tok, "007", 3), 0);
  zn = EVP_DecodeBlock(z, (const unsigned char *)tok + 3, (int)strlen(tok + 3));
  assert_true(zn > 0);
  /* EVP_DecodeBlock counts padding as zero bytes; zlib stops at the end of its stream anyway */
  assert_int_equal(uncompress(out, &n, z, (uLong)zn), Z_OK);
  return n;
}

static void provider__agora_layout_and_signature(void **state) {
  static const unsigned char sig[32] = {0x09, 0xb8, 0x1c, 0x60, 0x1a, 0xc4, 0x0c, 0xab, 0xd9, 0xb4, 0x2d,
                                        0xb3, 0xf3, 0x20, 0x6e, 0x6b, 0xae, 0x2c, 0xf0, 0x9d, 0xad, 0x3a,
                                        0xfc, 0x2d, 0x5e, 0x6f, 0xd5, 0xdc, 0x0b, 0x81, 0xd4, 0x24};
  unsigned char raw[1024];
  char *tok = NULL;
  size_t n;
  (void)state;
  assert_int_equal(tk_agora_mint(&tok, "0123456789abcdef0123456789abcd01", "fedcba9876543210fedcba98765432ff",
                                 "standup", "alice", TK_GRANT_ALL, 1700000000, 600, 12345),
                   0);
  n = agora_inflate(raw, sizeof raw, tok);
  /* u16 32, the signature, then the 92-byte signed part computed in Python for the same inputs */
  assert_int_equal(n, 2 + 32 + 92);
  assert_int_equal(raw[0], 32);
  assert_int_equal(raw[1], 0);
  assert_memory_equal(raw + 2, sig, 32);
  assert_memory_equal(raw + 34 + 2, "0123456789abcdef0123456789abcd01", 32);
  assert_memory_equal(raw + n - 5, "alice", 5);
  free(tok);
  tok = NULL;
  /* a subscriber: join only, so 3 fewer privileges (6 bytes each) and a different signature */
  assert_int_equal(tk_agora_mint(&tok, "0123456789abcdef0123456789abcd01", "fedcba9876543210fedcba98765432ff",
                                 "standup", "alice", TK_GRANT_SUBSCRIBE, 1700000000, 600, 12345),
                   0);
  n = agora_inflate(raw, sizeof raw, tok);
  assert_int_equal(n, 2 + 32 + 92 - 18);
  assert_memory_not_equal(raw + 2, sig, 32);
  free(tok);
  tok = NULL;
  assert_int_equal(tk_agora_mint(&tok, "a", "b", "c", "d", TK_GRANT_ALL, (int64_t)UINT32_MAX + 1, 60, 1), TK_ERANGE);
  assert_null(tok);
}

static void provider__room_names(void **state) {
  (void)state;
  assert_true(tk_provider_room_valid(TK_PROVIDER_HMS, "65f1a2b3c4d5e6f7a8b9c0d1", 24));
  assert_false(tk_provider_room_valid(TK_PROVIDER_HMS, "65F1A2B3C4D5E6F7A8B9C0D1", 24));
  assert_false(tk_provider_room_valid(TK_PROVIDER_HMS, "standup", 7));
  assert_true(tk_provider_room_valid(TK_PROVIDER_LIVEKIT, "team-standup.2026", 17));
  assert_true(tk_provider_room_valid(TK_PROVIDER_TWILIO, "RM0123456789abcdef0123456789abcdef", 34));
  assert_false(tk_provider_room_valid(TK_PROVIDER_LIVEKIT, "a b", 3));
  assert_false(tk_provider_room_valid(TK_PROVIDER_LIVEKIT, "a/b", 3));
  assert_false(tk_provider_room_valid(TK_PROVIDER_LIVEKIT, "", 0));
  assert_false(tk_provider_room_valid(TK_PROVIDER_LIVEKIT, "a\0b", 3));
  assert_true(tk_provider_room_valid(TK_PROVIDER_AGORA, "chan:1(a)+b", 11));
  assert_false(tk_provider_room_valid(TK_PROVIDER_AGORA, "a%b", 3));
  {
    char big[130];
    memset(big, 'a', sizeof big);
    assert_true(tk_provider_room_valid(TK_PROVIDER_LIVEKIT, big, 128));
    assert_false(tk_provider_room_valid(TK_PROVIDER_LIVEKIT, big, 129));
    assert_true(tk_provider_room_valid(TK_PROVIDER_AGORA, big, 63));
    assert_false(tk_provider_room_valid(TK_PROVIDER_AGORA, big, 64));
  }
}

static void provider__agora_user_accounts(void **state) {
  char big[300];
  (void)state;
  assert_true(tk_provider_user_valid(TK_PROVIDER_AGORA, "auth0|64f1c2"));
  assert_true(tk_provider_user_valid(TK_PROVIDER_AGORA, "bob@example.test"));
  assert_false(tk_provider_user_valid(TK_PROVIDER_AGORA, "caf\xc3\xa9"));
  assert_false(tk_provider_user_valid(TK_PROVIDER_AGORA, "a\"b"));
  assert_true(tk_provider_user_valid(TK_PROVIDER_LIVEKIT, "caf\xc3\xa9"));
  memset(big, 'u', sizeof big);
  big[255] = '\0';
  assert_true(tk_provider_user_valid(TK_PROVIDER_AGORA, big));
  big[255] = 'u';
  big[256] = '\0';
  assert_false(tk_provider_user_valid(TK_PROVIDER_AGORA, big));
}

static void provider__names_and_grants(void **state) {
  tk_provider p;
  unsigned g = 0;
  (void)state;
  assert_int_equal(tk_provider_parse(&p, "livekit"), 0);
  assert_int_equal(p, TK_PROVIDER_LIVEKIT);
  assert_string_equal(tk_provider_name(TK_PROVIDER_HMS), "100ms");
  assert_int_equal(tk_provider_parse(&p, "LiveKit"), TK_EINVAL);
  assert_int_equal(tk_provider_parse(&p, ""), TK_EINVAL);
  assert_int_equal(tk_grants_parse(&g, "publish+subscribe", 17), 0);
  assert_int_equal(g, TK_GRANT_PUBLISH | TK_GRANT_SUBSCRIBE);
  assert_int_equal(tk_grants_parse(&g, "data", 4), 0);
  assert_int_equal(g, TK_GRANT_DATA);
  assert_int_equal(tk_grants_parse(&g, "", 0), TK_EINVAL);
  assert_int_equal(tk_grants_parse(&g, "publish+", 8), TK_EINVAL);
  assert_int_equal(tk_grants_parse(&g, "publish+publish", 15), TK_EINVAL);
  assert_int_equal(tk_grants_parse(&g, "admin", 5), TK_EINVAL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(provider__livekit_vector),
      cmocka_unit_test(provider__twilio_vector),
      cmocka_unit_test(provider__agora_layout_and_signature),
      cmocka_unit_test(provider__room_names),
      cmocka_unit_test(provider__agora_user_accounts),
      cmocka_unit_test(provider__names_and_grants),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
