/* Twilio Video access tokens: an HS256 JWT with the content type Twilio reads, signed with an API key
   secret; the identity and the room travel in its `grants` claim. */
#include <stdlib.h>

#include "jsonw.h"
#include "provider.h"
#include "tokend.h"

#define PAYLOAD_MAX 2048

/* {"alg":"HS256","typ":"JWT","cty":"twilio-fpa;v=1"} */
static const char header_b64[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImN0eSI6InR3aWxpby1mcGE7dj0xIn0";

int tk_twilio_mint(char **out, const tk_mint_key *key, const char *account_sid, const char *room, const char *identity,
                   int64_t now, int64_t ttl) {
  char mem[PAYLOAD_MAX];
  tk_jsonw b = tk_jsonw_over(mem, sizeof mem);
  if (ttl <= 0 || now < 0 || now > INT64_MAX - ttl) return TK_ERANGE;
  /* The claim order Twilio's helper library writes, so a token is byte-for-byte what it would mint. */
  tk_jsonw_lit(&b, "{\"jti\":\"");
  tk_jsonw_lit(&b, key->access_key); /* checked at load: [A-Za-z0-9] only */
  tk_jsonw_lit(&b, "-");
  tk_jsonw_int(&b, now);
  tk_jsonw_lit(&b, "\",\"grants\":{\"identity\":");
  tk_jsonw_str(&b, identity);
  tk_jsonw_lit(&b, ",\"video\":{\"room\":");
  tk_jsonw_str(&b, room);
  tk_jsonw_lit(&b, "}},\"iat\":");
  tk_jsonw_int(&b, now);
  tk_jsonw_lit(&b, ",\"exp\":");
  tk_jsonw_int(&b, now + ttl);
  tk_jsonw_lit(&b, ",\"iss\":");
  tk_jsonw_str(&b, key->access_key);
  tk_jsonw_lit(&b, ",\"sub\":");
  tk_jsonw_str(&b, account_sid);
  tk_jsonw_lit(&b, "}");
  if (b.failed) return TK_ERANGE;
  return tk_mint_jwt(out, header_b64, key, &b);
}
