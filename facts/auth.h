#ifndef RL_AUTH_H
#define RL_AUTH_H
/* Does code authenticate requests? One test for the route rules and the
 * project model's summaries (what counts is listed at the top of
 * rules/unauthenticated-room-route.c). Pure functions of one file's tree. */
#include <stddef.h>
#include <tree_sitter/api.h>

#include "analysis.h"
#include "prefilter.h"

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
/* 1 if function fn (a middleware) puts the signed-in user on the request:
 * assigns `req.user`, `req.auth`, `req.currentUser`, `req.userId` (req its
 * first parameter), or `res.locals.user` (res its second). What a route
 * behind it knows of its caller (unvalidated-token-input: an identity
 * taken from the body instead). */
int rl_auth_sets_user(rl_jsfile *jf, TSNode fn);
/* 1 if m is such a slot of the request: `req.user` (req.auth, ...) or
 * `res.locals.user`, req and res the names of the handler's parameters
 * (either may be NULL). */
int rl_auth_user_slot(rl_jsfile *jf, TSNode m, const char *req, const char *res);
/* Prefilters (prefilter.h) for the project model's summaries, supersets by
 * text. rl_auth_refusal_possible: 0 only when no check in these bytes can
 * refuse or throw (a throw, 401/403, a refusal word, a redirect, a webhook
 * receiver). rl_auth_name_possible: 0 only when no callee's name or module
 * can say it authenticates (rl_auth_name over words gathered from every name
 * in the file, .roomlint.yml auth names, a provider's signature check). */
int rl_auth_refusal_possible(rl_prefilter *pf);

/* A call in fn of a provider's webhook signature check whose answer the
 * handler must act on (twilio.validateRequest, @vonage/jwt verifySignature):
 * its canonical name ("twilio:validateRequest"), or NULL. *discarded is 1
 * when the call is a statement of its own (awaited or not): its answer is
 * thrown away. */
const char *rl_auth_signature_call(rl_jsfile *jf, TSNode fn, int *discarded);
int rl_auth_name_possible(rl_prefilter *pf);

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
  /* called for every node that sets strong (1) or weak (0), when set */
  void (*on_site)(void *data, TSNode n, int strong);
  void *site_data;
  int depth; /* private: helpers looked into (rl_auth_fn_user_from_input) */
} rl_auth_check;

void rl_auth_check_scan(rl_jsfile *jf, TSNode fn, const char *req, rl_auth_check *out);

/* 1 when function fn names its user only by what the request says: it
 * reads its request parameter's query, body or route params (`const id =
 * req.query.userId; return users.get(id)`) and nothing that authenticates
 * (no verification, no session, user or Authorization read, no call whose
 * name enforces auth). A getter or check named like auth
 * (`getCurrentUser(req)`, `requireUser(req)`) that does this is no check:
 * the scan above does not count its call, in this file or (the summary's
 * rl_symbol.user_from_input) another. */
int rl_auth_fn_user_from_input(rl_jsfile *jf, TSNode fn);
/* The in-handler test: strong, or weak together with a refusal. */
int rl_auth_check_holds(const rl_auth_check *c);

/* 1 if the call (into another project file) authenticates the request:
 * the project model's answer, handed in. */
typedef int (*rl_auth_callee_fn)(void *data, TSNode call);

/* Why a check does not guard the work (or RL_GUARD_OK: it does). */
typedef enum rl_guard_why {
  RL_GUARD_NONE = 0, /* no check at all */
  RL_GUARD_OK,
  RL_GUARD_AFTER,   /* it runs only after the work */
  RL_GUARD_CATCH,   /* in a catch clause: it runs only when something failed */
  RL_GUARD_FINALLY, /* in a finally clause */
  RL_GUARD_NO_STOP, /* its failure branch neither returns nor throws */
  RL_GUARD_BRANCH   /* it runs on one branch (or in a callback) only */
} rl_guard_why;

typedef struct rl_auth_guard {
  rl_guard_why why;
  TSNode site; /* the check that does not count (the most telling one) */
} rl_auth_guard;

/* Does an in-handler check of fn (the request parameter req, may be NULL)
 * guard work (the mint, the privileged call; in fn, or in a same-file
 * function fn calls)? A site is what rl_auth_check_scan counts, plus a call
 * callee says authenticates (callee may be NULL) and a same-file function
 * that checks and refuses or throws. It counts when it runs before the work
 * on every path (not in a catch/finally clause, one branch of an unrelated
 * if, a callback of its own, after the work) and, for a session/user read,
 * an `if` tests it (or the variable it is stored in) whose failure branch
 * returns or throws (`if (!user) return ...`), or whose success branch
 * holds the work (`if (user) { mint } else { ... }`). When the work is in
 * a same-file function fn calls, the checks of that function before its
 * work count too (one level). 1 guarded, 0 not
 * (out says why, for the most telling check), -1 when work cannot be
 * placed in fn (ask rl_auth_check_holds). */
int rl_auth_guards(rl_jsfile *jf, TSNode root, TSNode fn, const char *req, TSNode work, rl_auth_callee_fn callee,
                   void *data, rl_auth_guard *out);

/* Next.js: 1 if the middleware file jf/root authenticates request path
 * route (its config.matcher selects it and its export refuses requests
 * without a session, itself or through a call callee says authenticates;
 * callee may be NULL). */
int rl_auth_next_middleware(rl_jsfile *jf, TSNode root, const char *route, rl_auth_callee_fn callee, void *data);
/* An expression's verdict, from the project model: 1 yes, 0 no, -1 unknown. */
typedef int (*rl_auth_expr_fn)(void *data, TSNode e);

/* Express: how the file jf/root mounts a module with use()
 * (`app.use('/t', requireAuth, router)`), or Fastify with register()
 * (`server.register(routes, { prefix: '/t' })`: no middleware, and a plugin
 * registered before it guards nothing). is_module says whether a use()
 * argument is that module (1); auth judges a middleware argument (-1: its
 * name decides, rl_auth_middleware; may be NULL). -1 when the file does not
 * mount it; 1 when every mount has an authenticating middleware before it,
 * in the same use() or an earlier use() of the same receiver at a path
 * above the mount; else 0. *at (may be NULL) gets the path the mounts put
 * the module at ("/api", a copy in jf's arena), NULL when they name none
 * or differ. */
int rl_auth_mount(rl_jsfile *jf, TSNode root, rl_auth_expr_fn is_module, rl_auth_expr_fn auth, void *data,
                  const char **at);
/* NestJS: 1 if the file registers an app-wide auth guard
 * (useGlobalGuards(new JwtAuthGuard()), an APP_GUARD provider). */
int rl_auth_nest_global_guard(rl_jsfile *jf, TSNode root);

#endif
