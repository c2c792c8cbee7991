#include "cors.h"

#include <string.h>

#include <microhttpd.h>

int tk_cors_allowed(const tk_config *cfg, const char *origin) {
  if (origin == NULL) return 0;
  for (size_t i = 0; i < cfg->n_cors; i++) {
    if (strcmp(cfg->cors_origins[i], origin) == 0) return 1;
  }
  return 0;
}

void tk_cors_headers(const tk_config *cfg, struct MHD_Response *resp, const char *origin,
                     const char *preflight_methods) {
  if (cfg->n_cors == 0) return;
  MHD_add_response_header(resp, "Vary", "Origin");
  if (!tk_cors_allowed(cfg, origin)) return;
  MHD_add_response_header(resp, "Access-Control-Allow-Origin", origin);
  if (cfg->cors_credentials) MHD_add_response_header(resp, "Access-Control-Allow-Credentials", "true");
  if (preflight_methods != NULL) {
    MHD_add_response_header(resp, "Access-Control-Allow-Methods", preflight_methods);
    MHD_add_response_header(resp, "Access-Control-Allow-Headers", "Authorization, Content-Type");
    MHD_add_response_header(resp, "Access-Control-Max-Age", "600");
  }
}
