/* LiveKit access tokens: an HS256 JWT whose `video` claim is the grant the LiveKit server enforces. */
#include <stdlib.h>

#include "jsonw.h"
#include "provider.h"
#include "tokend.h"

#define PAYLOAD_MAX 2048

/* {"alg":"HS256"}: the header LiveKit's own SDK writes, so a token is byte-for-byte what it would mint */
static const char header_b64[] = "eyJhbGciOiJIUzI1NiJ9";

static void put_bool(tk_jsonw *w, const char *key, int v) {
  tk_jsonw_lit(w, key);
  tk_jsonw_lit(w, v ? "true" : "false");
}

int tk_livekit_mint(char **out, const tk_mint_key *key, const char *room, const char *identity, unsigned grants,
                    int64_t now, int64_t ttl) {
  char mem[PAYLOAD_MAX];
  tk_jsonw b = tk_jsonw_over(mem, sizeof mem);
  if (ttl <= 0 || now < 0 || now > INT64_MAX - ttl) return TK_ERANGE;
  /* The claim order the LiveKit server SDK writes: grants first, then the registered claims. */
  tk_jsonw_lit(&b, "{\"video\":{\"room\":");
  tk_jsonw_str(&b, room);
  tk_jsonw_lit(&b, ",\"roomJoin\":true");
  put_bool(&b, ",\"canPublish\":", (grants & TK_GRANT_PUBLISH) != 0);
  put_bool(&b, ",\"canSubscribe\":", (grants & TK_GRANT_SUBSCRIBE) != 0);
  put_bool(&b, ",\"canPublishData\":", (grants & TK_GRANT_DATA) != 0);
  tk_jsonw_lit(&b, "},\"iss\":");
  tk_jsonw_str(&b, key->access_key);
  tk_jsonw_lit(&b, ",\"exp\":");
  tk_jsonw_int(&b, now + ttl);
  tk_jsonw_lit(&b, ",\"nbf\":");
  tk_jsonw_int(&b, now);
  tk_jsonw_lit(&b, ",\"sub\":");
  tk_jsonw_str(&b, identity);
  tk_jsonw_lit(&b, "}");
  if (b.failed) return TK_ERANGE;
  return tk_mint_jwt(out, header_b64, key, &b);
}
