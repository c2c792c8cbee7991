/* facts/script.c: which files are command-line scripts, whose console is
 * their output. */
#include "rltest.h"
#include "support/parsed.h"

#include <string.h>

#include "analysis.h"
#include "script.h"

static const char MINT[] = "const jwt = require('jsonwebtoken');\n"
                           "const token = jwt.sign({ type: 'management' }, process.env.S, { expiresIn: '5m' });\n";

/* want: a fragment of the reason, or NULL for "not a script". */
static void expect_script(const char *path, const char *code, const char *want) {
  parsed p;
  parse_js(&p, path, code);
  const char *got = rl_script_reason(p.jf, rl_tree_root(p.tree), NULL, NULL, NULL);
  if (!want && got) fail_msg("%s: want no script, got '%s' for: %s", path, got, code);
  if (want && (!got || !strstr(got, want)))
    fail_msg("%s: got '%s', want '%s' for: %s", path, got ? got : "(none)", want, code);
  /* asked twice, the memo answers the same */
  const char *again = rl_script_reason(p.jf, rl_tree_root(p.tree), NULL, NULL, NULL);
  if (again != got) fail_msg("%s: second answer differs", path);
  parsed_free(&p);
}

static char buf[2048];

static const char *with_mint(const char *rest) {
  snprintf(buf, sizeof buf, "%s%s", MINT, rest);
  return buf;
}

static void script__scripts(void **state) {
  (void)state;
  expect_script("tools/x.js", "#!/usr/bin/env node\nconsole.log(1);\n", "#!");
  expect_script("scripts/x.js", "console.log(1);\n", "scripts/");
  expect_script("packages/a/bin/x.js", "console.log(1);\n", "bin/");
  expect_script("gen-token.js", with_mint("console.log(token);\n"), "mints and prints");
  expect_script("gen-token.js",
                with_mint("async function main() { console.log(token); }\nmain().catch(console.error);\n"),
                "mints and prints");
  expect_script("gen-token.js", with_mint("function main() { console.log(token); }\nvoid main();\n"),
                "mints and prints");
  expect_script("gen-token.mjs", with_mint("const go = async () => { console.log(token); };\nawait go();\n"),
                "mints and prints");
  expect_script("gen-token.ts", with_mint("(async () => {\n  console.info(token);\n})();\n"), "mints and prints");
  expect_script("gen-token.ts", with_mint("export {};\nconsole.log(token);\n"), "mints and prints");
  expect_script("gen-token.js",
                with_mint("function main() { console.log(token); }\nif (require.main === module) {\n  main();\n}\n"),
                "mints and prints");
}

static void script__not_scripts(void **state) {
  (void)state;
  /* a server, a module, a handler */
  expect_script("server.js", with_mint("console.log(token);\nrequire('http').createServer(() => {}).listen(3000);\n"),
                NULL);
  expect_script("server.js", with_mint("console.log(token);\napp.listen(3000);\n"), NULL);
  expect_script("lib/token.js", with_mint("console.log(token);\nmodule.exports = { token };\n"), NULL);
  expect_script("lib/token.ts", with_mint("console.log(token);\nexport default token;\n"), NULL);
  expect_script("lib/token.ts", with_mint("console.log(token);\nexport { token };\n"), NULL);
  expect_script("netlify/functions/t.js", with_mint("console.log(token);\nexports.handler = async () => ({});\n"),
                NULL);
  expect_script("worker.js", with_mint("console.log(token);\naddEventListener('fetch', (e) => e.respondWith(r));\n"),
                NULL);
  expect_script("edge.ts", with_mint("console.log(token);\nDeno.serve(() => new Response('ok'));\n"), NULL);
  /* prints nothing at top level: the printing function is never run by it */
  expect_script("gen-token.js", with_mint("function debug() { console.log(token); }\n"), NULL);
  /* prints, but mints nothing */
  expect_script("show.js", "console.log(process.env.HMS_APP_SECRET);\n", NULL);
  /* a script folder's name inside a word is no script folder */
  expect_script("myscripts/x.js", "console.log(1);\n", NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(script__scripts),
      cmocka_unit_test(script__not_scripts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
