/* Shared error codes for tokend modules. Functions that can fail return 0 or one of these. */
#ifndef TK_TOKEND_H
#define TK_TOKEND_H

enum {
  TK_OK = 0,
  TK_ENOMEM = -1,   /* allocation failed */
  TK_EINVAL = -2,   /* input rejected */
  TK_ECRYPTO = -3,  /* the crypto library failed */
  TK_ERANGE = -4,   /* a value or size is out of bounds */
  TK_EUNAVAIL = -5, /* a shared service (Redis) cannot be reached */
};

#endif
