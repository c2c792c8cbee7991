/* jwt-weak-verification on waived expiry and jwt-simple's noVerify: which
 * calls count, which near misses stay silent, and what the message names. */
#include "rltest.h"

#include <string.h>

#include "engine.h"

typedef struct jwt_case {
  const char *code;
  const char *want; /* fragment of the one finding, or NULL for none */
} jwt_case;

static const jwt_case cases[] = {
    {"const jwt = require('jsonwebtoken');\n"
     "module.exports = (t) => jwt.verify(t, process.env.K, { algorithms: ['HS256'], ignoreExpiration: true });\n",
     "ignoreExpiration: true"},
    {"import { verify } from 'jsonwebtoken';\n"
     "const opts = { algorithms: ['RS256'], ignoreExpiration: true };\n"
     "export const check = (t: string) => verify(t, process.env.PUB as string, opts);\n",
     "ignoreExpiration: true"},
    {"const jwt = require('jsonwebtoken');\n"
     "module.exports = (t) => jwt.verify(t, process.env.K, { algorithms: ['HS256'], ignoreExpiration: false });\n",
     NULL},
    {"const jwt = require('jwt-simple');\n"
     "module.exports = (t) => jwt.decode(t, process.env.K, true);\n",
     "noVerify"},
    {"import simple from 'jwt-simple';\n"
     "export const read = (t: string) => simple.decode(t, process.env.K as string, false, 'HS256');\n",
     NULL},
    {"const jwt = require('jwt-simple');\n"
     "module.exports = (t) => jwt.decode(t, process.env.K);\n",
     NULL},
    /* another library's decode with the same arguments */
    {"const other = require('./tokens');\n"
     "module.exports = (t) => other.decode(t, process.env.K, true);\n",
     NULL},
};

static void jwt__expiry_and_noverify(void **state) {
  (void)state;
  rl_engine_config cfg = {0};
  cfg.jobs = 1;
  rl_engine *e = NULL;
  assert_int_equal(rl_engine_new(&e, &cfg), 0);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *path = strstr(cases[i].code, ": string") ? "server/auth.ts" : "server/auth.js";
    rl_file_result *r = rl_engine_scan_buffer(e, path, NULL, cases[i].code, strlen(cases[i].code));
    assert_non_null(r);
    size_t n = 0;
    const char *msg = "";
    for (size_t f = 0; f < r->nfindings; f++)
      if (!strcmp(r->findings[f].rule->id, "jwt-weak-verification")) {
        n++;
        msg = r->findings[f].message;
      }
    if (n != (cases[i].want ? 1u : 0u)) fail_msg("case %zu: %zu findings:\n%s", i, n, cases[i].code);
    if (cases[i].want && !strstr(msg, cases[i].want)) fail_msg("case %zu: message '%s'", i, msg);
    rl_file_result_free(r);
  }
  rl_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(jwt__expiry_and_noverify),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
