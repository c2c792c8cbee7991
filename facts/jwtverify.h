#ifndef RL_JWTVERIFY_H
#define RL_JWTVERIFY_H
/* Where a file verifies JWTs: the calls that check a signature
 * (jsonwebtoken verify, jose jwtVerify / compactVerify, jose 1.x/2.x
 * JWT.verify / JWS.verify), found by one walk of the file, kept for every
 * caller. A decode in a function that also verifies is a peek before the
 * check, and the question is asked once per decode: answered from the list,
 * not a walk each. */
#include <tree_sitter/api.h>

#include "analysis.h"

/* 1 if callee (rl_js_callee's canonical name) verifies a JWT's signature. */
int rl_jwt_is_verify(const char *callee);

/* 1 if fn (a function node) holds a verify call, nested functions
 * included; with fn null, if the module's top level (outside every
 * function) does: a verify inside some function says nothing about a
 * decode at the top level. */
int rl_jwt_verifies_in(rl_jsfile *jf, TSNode fn);

#endif
