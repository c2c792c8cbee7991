/* src/lockfile.c: the version a lockfile pins, in each format as npm,
 * yarn (classic and berry) and pnpm (v5, v6, v9) write it. */
#include "rltest.h"

#include <string.h>

#include "lockfile.h"

static void expect_version(const char *base, const char *text, const char *name, int major, const char *version) {
  char out[32];
  int got = rl_lockfile_version(base, text, strlen(text), name, out, sizeof out);
  if (got != major) fail_msg("%s: %s: major %d, want %d", base, name, got, major);
  if (version && strcmp(out, version)) fail_msg("%s: %s: version '%s', want '%s'", base, name, out, version);
}

static void lockfile__npm(void **state) {
  (void)state;
  static const char v3[] = "{\n  \"name\": \"api\",\n  \"lockfileVersion\": 3,\n  \"packages\": {\n"
                           "    \"\": { \"dependencies\": { \"jsonwebtoken\": \"^9.0.0\" } },\n"
                           "    \"node_modules/jsonwebtoken\": {\n      \"version\": \"9.0.2\",\n"
                           "      \"resolved\": \"x\",\n      \"dependencies\": { \"jws\": \"^3.2.2\" }\n    },\n"
                           "    \"node_modules/@types/jsonwebtoken\": { \"version\": \"8.5.9\" },\n"
                           "    \"node_modules/jws\": { \"version\": \"3.2.2\" }\n  }\n}\n";
  expect_version("package-lock.json", v3, "jsonwebtoken", 9, "9.0.2");
  expect_version("package-lock.json", v3, "jws", 3, "3.2.2");
  /* only a range names it (a requires map): no pin */
  expect_version("package-lock.json", "{ \"requires\": { \"express\": \"^4.18.0\" } }", "express", -1, "");
  /* two copies: the lower major is what some code may load */
  static const char two[] = "{ \"packages\": { \"node_modules/jsonwebtoken\": { \"version\": \"9.0.0\" },\n"
                            "\"node_modules/old-lib/node_modules/jsonwebtoken\": { \"version\": \"8.5.1\" } } }";
  expect_version("package-lock.json", two, "jsonwebtoken", 8, "8.5.1");
  /* lockfile v1 */
  static const char v1[] =
      "{ \"lockfileVersion\": 1, \"dependencies\": {\n"
      "  \"jsonwebtoken\": {\n    \"version\": \"8.5.1\",\n    \"requires\": { \"jws\": \"^3.2.2\" }\n  } } }";
  expect_version("npm-shrinkwrap.json", v1, "jsonwebtoken", 8, "8.5.1");
  expect_version("package-lock.json", v3, "jsonweb", -1, "");
}

static void lockfile__yarn(void **state) {
  (void)state;
  static const char classic[] = "# yarn lockfile v1\n\n\"@types/jsonwebtoken@^9.0.0\":\n  version \"9.0.5\"\n\n"
                                "jsonwebtoken@^8.5.1, jsonwebtoken@^8.5.0:\n  version \"8.5.1\"\n"
                                "  resolved \"x\"\n\njws@^3.2.2:\n  version \"3.2.2\"\n";
  expect_version("yarn.lock", classic, "jsonwebtoken", 8, "8.5.1");
  static const char berry[] = "__metadata:\n  version: 6\n\n\"jsonwebtoken@npm:^9.0.2\":\n  version: 9.0.2\n"
                              "  resolution: \"jsonwebtoken@npm:9.0.2\"\n";
  expect_version("yarn.lock", berry, "jsonwebtoken", 9, "9.0.2");
  expect_version("yarn.lock", classic, "jsonwebtoken-extra", -1, "");
}

static void lockfile__pnpm(void **state) {
  (void)state;
  static const char v9[] = "lockfileVersion: '9.0'\n\nimporters:\n  .:\n    dependencies:\n      jsonwebtoken:\n"
                           "        specifier: ^9.0.2\n        version: 9.0.2\n\npackages:\n\n"
                           "  jsonwebtoken@9.0.2:\n    resolution: {integrity: x}\n\n  '@types/jsonwebtoken@9.0.6':\n"
                           "    resolution: {integrity: y}\n";
  expect_version("pnpm-lock.yaml", v9, "jsonwebtoken", 9, "9.0.2");
  static const char v6[] = "lockfileVersion: '6.0'\npackages:\n  /jsonwebtoken@8.5.1:\n    dev: false\n"
                           "  /ws@8.16.0(bufferutil@4.0.8):\n    dev: false\n";
  expect_version("pnpm-lock.yaml", v6, "jsonwebtoken", 8, "8.5.1");
  expect_version("pnpm-lock.yaml", v6, "ws", 8, "8.16.0");
  static const char v5[] = "lockfileVersion: 5.4\npackages:\n  /jsonwebtoken/9.0.0:\n    dev: false\n";
  expect_version("pnpm-lock.yaml", v5, "jsonwebtoken", 9, "9.0.0");
}

static void lockfile__names(void **state) {
  (void)state;
  assert_true(rl_lockfile_is_name("yarn.lock"));
  assert_true(rl_lockfile_is_name("package-lock.json"));
  assert_false(rl_lockfile_is_name("package.json"));
  /* an unknown file name: nothing read */
  expect_version("Cargo.lock", "jsonwebtoken@9.0.0:\n", "jsonwebtoken", -1, "");
}

static int floor_of(const char *r) { return rl_semver_range_floor(r, strlen(r)); }

static void lockfile__range_floor(void **state) {
  (void)state;
  assert_int_equal(floor_of("^9.0.2"), 9);
  assert_int_equal(floor_of("~9.1"), 9);
  assert_int_equal(floor_of(">= 9.0.0"), 9);
  assert_int_equal(floor_of("9.x"), 9);
  assert_int_equal(floor_of("v10.1.0"), 10);
  assert_int_equal(floor_of("^9 || ^8.5.1"), 8);
  assert_int_equal(floor_of(">=9 <10"), 9);
  /* no plain lower bound: any version may be installed */
  assert_int_equal(floor_of("*"), -1);
  assert_int_equal(floor_of("latest"), -1);
  assert_int_equal(floor_of("<10"), -1);
  assert_int_equal(floor_of(">8"), -1);
  assert_int_equal(floor_of("^9 || *"), -1);
  assert_int_equal(floor_of("github:auth0/node-jsonwebtoken"), -1);
  assert_int_equal(floor_of(""), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(lockfile__npm),         cmocka_unit_test(lockfile__yarn),  cmocka_unit_test(lockfile__pnpm),
      cmocka_unit_test(lockfile__range_floor), cmocka_unit_test(lockfile__names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
