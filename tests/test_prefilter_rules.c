/* Rules' prefilters against the shapes their findings take: each snippet must
 * give exactly the same findings with the prefilter on as with it off, and
 * the positives must fire at all (a can_fire that says "no" to one of them
 * hides a real finding). One file per snippet, so no shape rides on another. */
#include "rltest.h"

#include <string.h>

#include "engine.h"
#include "rule.h"
#include "util.h"

typedef struct shape {
  const char *rule;
  const char *path;
  const char *code;
  int fires;
} shape;

#define SECRET "'q9Zt4Xb2Lm8Np1Rk7Vw3Hs6Jd0Fg5Ce2Ua'"

static const shape shapes[] = {
    /* hardcoded-secret: every way bindname.c binds a literal to a name */
    {"hardcoded-secret", "a.js", "const appSecret = " SECRET ";\n", 1},
    {"hardcoded-secret", "a.ts", "const appSecret: string = " SECRET ";\n", 1},
    {"hardcoded-secret", "a.ts", "const appSecret: Record<string, string>[0] = " SECRET " as any;\n", 1},
    {"hardcoded-secret", "a.ts", "let appSecret!: string;\nappSecret = " SECRET ";\n", 1},
    {"hardcoded-secret", "a.js", "const cfg = { appSecret: " SECRET " };\n", 1},
    {"hardcoded-secret", "a.js", "const cfg = {\n  'app-secret':\n    " SECRET ",\n};\n", 1},
    {"hardcoded-secret", "a.js", "cfg['clientSecret'] = " SECRET ";\n", 1},
    {"hardcoded-secret", "a.js", "this.apiSecret /* set once */ = " SECRET ";\n", 1},
    {"hardcoded-secret", "a.js", "let appSecret = '';\nappSecret += " SECRET ";\n", 1},
    {"hardcoded-secret", "a.js", "appSecret ||= " SECRET ";\n", 1},
    {"hardcoded-secret", "a.js", "const appSecret = isProd() ? load(\"x\", [1, 2]) : (" SECRET ");\n", 1},
    {"hardcoded-secret", "a.js",
     "const appSecret = flag\n  ? other\n  // a comment, with a quote: it's\n  : " SECRET ";\n", 1},
    {"hardcoded-secret", "a.js", "const secret = process.env.HMS_SECRET || " SECRET ";\n", 1},
    {"hardcoded-secret", "a.js", "const s = process.env['HMS_APP_SECRET'] ?? " SECRET ";\n", 1},
    {"hardcoded-secret", "a.js", "function f({ appSecret = " SECRET " }) { return appSecret; }\n", 1},
    {"hardcoded-secret", "a.ts", "function f(appSecret: string = " SECRET ") { return appSecret; }\n", 1},
    {"hardcoded-secret", "a.ts", "class C {\n  private readonly appSecret: string = " SECRET ";\n}\n", 1},
    {"hardcoded-secret", "a.js", "class C {\n  #appSecret = " SECRET ";\n}\n", 1},
    {"hardcoded-secret", "a.jsx", "const r = <Room appSecret=" SECRET " />;\n", 1},
    {"hardcoded-secret", "a.jsx", "const r = <Room appSecret={" SECRET "} />;\n", 1},
    {"hardcoded-secret", "a.js", "const appSecret = `q9Zt4Xb2Lm8Np1Rk7Vw3Hs6Jd0Fg5Ce2Ua`;\n", 1},
    {"hardcoded-secret", "a.js", "const appSecret = (\n  " SECRET "\n);\n", 1},
    {"hardcoded-secret", "a.ts", "(cfg.appSecret as string) = " SECRET ";\n", 1},
    {"hardcoded-secret", "a.ts", "const appSecret = " SECRET " satisfies string;\n", 1},
    /* public-env-secret: build configs count by their file name */
    {"public-env-secret", "next.config.js",
     "module.exports = { env: { HMS_APP_SECRET: process.env.HMS_APP_SECRET } };\n", 1},
    {"public-env-secret", "web/vite.config.ts",
     "export default { define: { APP_SECRET: JSON.stringify(process.env.S) } };\n", 1},
    {"public-env-secret", "src/settings.js",
     "module.exports = { env: { HMS_APP_SECRET: process.env.HMS_APP_SECRET } };\n", 0},
    /* privileged-room-code-in-client: env reads in their three spellings */
    {"privileged-room-code-in-client", "src/components/Join.jsx",
     "import { useHMSActions } from '@100mslive/react-sdk';\nconst code = process.env.NEXT_PUBLIC_HOST_ROOM_CODE;\n",
     1},
    {"privileged-room-code-in-client", "src/components/Join.jsx",
     "import { useHMSActions } from '@100mslive/react-sdk';\nconst code = import.meta.env /* vite */ ['VITE_HOST_CODE'];\n",
     1},
    {"privileged-room-code-in-client", "src/components/Join.jsx",
     "import { useHMSActions } from '@100mslive/react-sdk';\nconst code = process.env?.EXPO_PUBLIC_BROADCASTER_CODE;\n",
     1},
    {"privileged-room-code-in-client", "src/components/Join.jsx",
     "import { useHMSActions } from '@100mslive/react-sdk';\nconst getHostCode = () => env.get('x');\n", 0},
    /* near misses: the name with something else, or the literal elsewhere */
    {"hardcoded-secret", "a.js", "const appSecret = load(" SECRET ");\n", 0},
    {"hardcoded-secret", "a.js", "const appSecret = [" SECRET "];\n", 0},
    {"hardcoded-secret", "a.js", "log('current token: ' + x, " SECRET ");\n", 0},
    {"hardcoded-secret", "a.js", "if (token >= 80 /* Identifier */) go(" SECRET ");\n", 0},
    {"hardcoded-secret", "a.js", "const tokenValue = '' + n;\nconst label = " SECRET ";\n", 0},
    /* secret-logged: loggers no word of which says log, calls across lines,
     * an env name put together from parts */
    {"secret-logged", "a.js", "import P from 'pino';\nconst out = P();\nout.info(process.env.DB_PASSWORD);\n", 1},
    {"secret-logged", "a.js", "const dbg = require('debug')('app');\ndbg (process.env.HMS_APP_SECRET);\n", 1},
    {"secret-logged", "a.js", "console\n  .log(cfg.appSecret);\n", 1},
    {"secret-logged", "a.js", "console. // prints it\n  log(cfg.appSecret);\n", 1},
    {"secret-logged", "a.js", "console.log(process.env['HMS_APP_' + 'SE' + 'CRET']);\n", 1},
    {"secret-logged", "a.js", "console.log(process.env.NODE_ENV);\n", 0},
    /* secret-logged: what the arguments reach through names, calls and templates */
    {"secret-logged", "server/a.js", "const s = process.env.HMS_APP_SECRET;\nconst t = s;\nconsole.log(t, s);\n", 1},
    {"secret-logged", "server/a.js",
     "const s = process.env.HMS_APP_SECRET;\nconst t = s;\nconst u = t;\nconsole.log(u);\n", 0},
    {"secret-logged", "server/a.js", "const { HMS_APP_SECRET: k } = process.env;\nconsole.log(k);\n", 1},
    {"secret-logged", "server/a.js", "const cfg = { appSecret: process.env.S };\nconsole.log(JSON.stringify(cfg));\n",
     1},
    {"secret-logged", "server/a.js",
     "const cfg = { appSecret: process.env.S };\nconsole.log(`config: ${JSON.stringify(cfg, null, 2)}`);\n", 1},
    {"secret-logged", "server/a.js",
     "const x = process.env.HMS_APP_SECRET;\nconsole.log('key', /[)]/.test(v), x.toString());\n", 1},
    {"secret-logged", "server/a.js", "const x = process.env.HMS_APP_SECRET;\nlogger?.info?.(x);\n", 1},
    {"secret-logged", "server/a.js",
     "const jwt = require('jsonwebtoken');\nconst t = jwt.sign({ sub: 'u' }, k, { expiresIn: '1h' });\nconsole.log(t);\n"
     "module.exports = { t };\n", /* a module, not a script (facts/script.h) */
     1},
    {"secret-logged", "server/a.js", "const x = process.env.HMS_APP_SECRET;\nconsole.log('len', mask(x), x.length);\n",
     0},
    {"secret-logged", "server/a.js",
     "const x = process.env.HMS_APP_SECRET;\nconsole.log(host ? 'a' : 'b');\nconst f = () => { console.log(x.length); };\n",
     0},

    /* public-env-secret: a read, a build config with a comment before the
     * object, a dotenv key */
    {"public-env-secret", "a.js", "const k = process.env.NEXT_PUBLIC_HMS_APP_SECRET;\n", 1},
    {"public-env-secret", "next.config.js",
     "module.exports = { env: /* c */ { X: process.env['HMS_' + 'APP' + '_SEC' + 'RET'] } };\n", 1},
    {"public-env-secret", ".env", "VITE_HMS_APP_SECRET=abc\n", 1},
    {"public-env-secret", ".env", "VITE_HMS_TEMPLATE_ID=abc\n", 0},
    /* privileged-room-code-in-client, client-chosen-role and
     * management-token-in-client report in client code only */
    {"privileged-room-code-in-client", "a.js", "import React from 'react';\nconst hostRoomCode = 'xvm-wxwo-gbl';\n", 1},
    {"privileged-room-code-in-client", "a.js",
     "import React from 'react';\nconst c = import.meta.env['VITE_HOST_ROOM_CODE'];\n", 1},
    {"privileged-room-code-in-client", "a.js", "import React from 'react';\nconst guestRoomCode = 'xvm-wxwo-gbl';\n",
     0},
    {"client-chosen-role", "a.js",
     "import React from 'react';\nexport const go = (role) => fetch('/api/token', { method: 'POST', body: JSON.stringify({ role }) });\n",
     1},
    {"client-chosen-role", "a.js",
     "import React from 'react';\nimport { JWT_ENDPOINT } from './c';\nexport const go = (role) => fetch(JWT_ENDPOINT, { body: JSON.stringify({ role }) });\n",
     1},
    {"management-token-in-client", "a.js",
     "import React from 'react';\nconst H = 'api';\nexport const go = () => fetch(`https://${H}.100ms.live/v2/rooms`);\n",
     1},
    {"management-token-in-client", "a.js",
     "import React from 'react';\nexport const go = () => fetch('https://www.100ms.live/docs/server-side/v2/api-reference');\n",
     0},
    /* insecure-http-url: the scheme in any case; exempt hosts */
    {"insecure-http-url", "a.js", "const API_URL = 'hTTp://api.myvideoapp.io';\n", 1},
    {"insecure-http-url", "a.js", "const SERVER_URL = `ws://${region}.rtc.myvideoapp.io/x`;\n", 1},
    {"insecure-http-url", "a.js", "const SVG_NS_URL = 'http://www.w3.org/2000/svg';\n", 0},
    /* Node's http client with an options host: a literal after host or
     * hostname, quoted keys and line breaks too */
    {"insecure-http-url", "server.js",
     "const http = require('http');\nhttp.request({ hostname: 'api.myvideoapp.io', port: 80, path: '/t' });\n", 1},
    {"insecure-http-url", "server.js",
     "const http = require('http');\nconst o = {\n  'host':\n    \"api.myvideoapp.io\",\n  path: '/t',\n};\nhttp.get(o);\n",
     1},
    /* unvalidated-token-input: request reads whose only needle is their own
     * (facts/reqinput.c): h3's readBody, an Express header, a body's text */
    {"unvalidated-token-input", "server/api/t.post.ts",
     "export default defineEventHandler(async (event) => {\n  const b = await readBody(event);\n"
     "  return { token: await generateToken(b.room, b.role) };\n});\n",
     1},
    {"unvalidated-token-input", "server.js",
     "app.post('/t', requireAuth, (req, res) => res.json({ token: makeToken(req.header('x-role')) }));\n", 1},
    {"unvalidated-token-input", "server.js",
     "app.post('/t', requireAuth, (req, res) => res.json({ token: makeToken(req.header('x-room')) }));\n", 0},
    {"unvalidated-token-input", "server.js",
     "app.post('/t', requireAuth, async (req, res) => {\n  const role = req.header('x-role');\n"
     "  res.json({ token: makeToken(role) });\n});\n",
     1},
    {"unvalidated-token-input", "server.js",
     "app.post('/t', requireAuth, async (req, res) => {\n  const role = (await req.text()).trim();\n"
     "  res.json({ token: makeToken(role) });\n});\n",
     1},
};

static size_t count_rule(const rl_file_result *res, const char *id) {
  size_t n = 0;
  for (size_t i = 0; i < res->nfindings; i++)
    if (strcmp(res->findings[i].rule->id, id) == 0) n++;
  return n;
}

static void prefilter_rules__same_findings_on_and_off(void **state) {
  (void)state;
  rl_engine_config on = {0}, off = {0};
  on.jobs = off.jobs = 1;
  off.no_prefilter = 1;
  rl_engine *e_on = NULL, *e_off = NULL;
  assert_int_equal(rl_engine_new(&e_on, &on), 0);
  assert_int_equal(rl_engine_new(&e_off, &off), 0);
  for (size_t i = 0; i < RL_ARRAY_LEN(shapes); i++) {
    const shape *s = &shapes[i];
    rl_file_result *a = rl_engine_scan_buffer(e_on, s->path, NULL, s->code, strlen(s->code));
    rl_file_result *b = rl_engine_scan_buffer(e_off, s->path, NULL, s->code, strlen(s->code));
    size_t na = count_rule(a, s->rule), nb = count_rule(b, s->rule);
    rl_file_result_free(a);
    rl_file_result_free(b);
    if (na != nb)
      fail_msg("%s, shape %zu: %zu finding(s) with the prefilter, %zu without:\n%s", s->rule, i, na, nb, s->code);
    if ((na > 0) != s->fires)
      fail_msg("%s, shape %zu: expected it to %s:\n%s", s->rule, i, s->fires ? "fire" : "stay quiet", s->code);
  }
  rl_engine_free(e_on);
  rl_engine_free(e_off);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(prefilter_rules__same_findings_on_and_off),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
