/* base64url without padding (RFC 7515 section 2), the only encoding JWTs use. */
#ifndef TK_B64URL_H
#define TK_B64URL_H
#include <stddef.h>

/* Length of the encoding of n bytes, without a terminator. */
size_t tk_b64url_encoded_len(size_t n);

/* Writes the encoding of src[0..n) plus a NUL to out, which holds tk_b64url_encoded_len(n) + 1 bytes. */
void tk_b64url_encode(char *out, const unsigned char *src, size_t n);

/* Decodes src[0..n) into out (at least n * 3 / 4 + 1 bytes); *out_len gets the byte count.
   Rejects padding, whitespace, characters outside the url alphabet, a length of 1 mod 4 and
   non-zero trailing bits, so every token has exactly one accepted spelling. Returns 0 or TK_EINVAL. */
int tk_b64url_decode(unsigned char *out, size_t *out_len, const char *src, size_t n);

#endif
