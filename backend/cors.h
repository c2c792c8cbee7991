/* CORS for browser apps served from another origin (CORS_ALLOWED_ORIGINS): an exact list, the request's
   own Origin echoed back when it is on the list, never a wildcard, and Vary: Origin on every answer so a
   cache never hands one origin's answer to another. */
#ifndef TK_CORS_H
#define TK_CORS_H

#include "config.h"

struct MHD_Response;

/* 1 when origin (may be NULL) is exactly one of the configured origins. */
int tk_cors_allowed(const tk_config *cfg, const char *origin);

/* The CORS headers of one answer; nothing when no origins are configured. preflight_methods is the
   route's method list for an answered preflight, NULL otherwise. */
void tk_cors_headers(const tk_config *cfg, struct MHD_Response *resp, const char *origin,
                     const char *preflight_methods);

#endif
