#ifndef RL_AUTH_H
#define RL_AUTH_H
/* Does code authenticate requests? One test for the route rules and the
 * project model's summaries (what counts is listed at the top of
 * rules/unauthenticated-room-route.c). Pure functions of one file's tree. */
#include <stddef.h>
#include <tree_sitter/api.h>

#include "analysis.h"

/* 1 if the name says it authenticates (auth, jwt, passport, requireUser,
 * verifyToken ...); *getter set when it reads rather than enforces
 * (getServerSession, currentUser). Makers (generateAuthToken) and limiters,
 * parsers, loggers are not. */
int rl_auth_name(const char *s, size_t n, int *getter);
/* 1 if a word of the name says it is plainly something else than auth
 * (limit, rate, throttle, cors, json, parser, logger, cookie ...). */
int rl_auth_name_negative(const char *s, size_t n);
/* The name an expression is known by: a call's callee, an identifier or a
 * member chain, as source text. */
int rl_auth_expr_name(rl_jsfile *jf, TSNode e, const char **s, size_t *n);
/* 1 if middleware expression e (identifier, member, call, array of those)
 * authenticates by its name, its module (express-jwt) or .roomlint.yml
 * auth-middleware. */
int rl_auth_middleware(rl_jsfile *jf, TSNode e);

/* What a function body does about authentication. */
typedef struct rl_auth_check {
  rl_jsfile *jf;
  const char *req; /* the request parameter's name, or NULL */
  int strong;      /* a call that enforces auth: by name, or a real verify */
  int weak;        /* a session/user read, the Authorization header */
  int refuse;      /* a 401/403 answer, Unauthorized/Forbidden text */
  int throws;      /* a throw statement */
  int verified;    /* a real verification: jsonwebtoken verify, jose
                      jwtVerify, bcrypt/argon2 compare */
} rl_auth_check;

void rl_auth_check_scan(rl_jsfile *jf, TSNode fn, const char *req, rl_auth_check *out);
/* The in-handler test: strong, or weak together with a refusal. */
int rl_auth_check_holds(const rl_auth_check *c);

/* 1 if the call (into another project file) authenticates the request:
 * the project model's answer, handed in. */
typedef int (*rl_auth_callee_fn)(void *data, TSNode call);

/* Next.js: 1 if the middleware file jf/root authenticates request path
 * route (its config.matcher selects it and its export refuses requests
 * without a session, itself or through a call callee says authenticates;
 * callee may be NULL). */
int rl_auth_next_middleware(rl_jsfile *jf, TSNode root, const char *route, rl_auth_callee_fn callee, void *data);
/* An expression's verdict, from the project model: 1 yes, 0 no, -1 unknown. */
typedef int (*rl_auth_expr_fn)(void *data, TSNode e);

/* Express: how the file jf/root mounts a module with use()
 * (`app.use('/t', requireAuth, router)`). is_module says whether a use()
 * argument is that module (1); auth judges a middleware argument (-1: its
 * name decides, rl_auth_middleware; may be NULL). -1 when the file does not
 * mount it; 1 when every mount has an authenticating middleware before it,
 * in the same use() or an earlier use() of the same receiver at a path
 * above the mount; else 0. */
int rl_auth_mount(rl_jsfile *jf, TSNode root, rl_auth_expr_fn is_module, rl_auth_expr_fn auth, void *data);
/* NestJS: 1 if the file registers an app-wide auth guard
 * (useGlobalGuards(new JwtAuthGuard()), an APP_GUARD provider). */
int rl_auth_nest_global_guard(rl_jsfile *jf, TSNode root);

#endif
