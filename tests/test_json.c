/* The JSON reader and writer: values, escapes, numbers, positions, the
 * duplicate-key policy, the depth limit, JSONC, errors with their place,
 * and what the writer writes. */
#include "rltest.h"

#include <stdio.h>
#include <string.h>

#include "json.h"

static const rl_json *ok(const char *text, unsigned flags) {
  rl_json *v = NULL;
  rl_json_error err;
  int rc = rl_json_parse(&v, rl_test_arena, text, strlen(text), flags, &err);
  if (rc != 0) fail_msg("%s: %s", text, err.message);
  return v;
}

static rl_json_error bad(const char *text, size_t len, unsigned flags) {
  rl_json *v = (rl_json *)1;
  rl_json_error err;
  memset(&err, 0, sizeof err);
  assert_int_equal(rl_json_parse(&v, rl_test_arena, text, len, flags, &err), RL_EINVALID);
  assert_null(v);
  return err;
}

static char *written(const rl_json *v, int indent) {
  rl_buf b = {0};
  rl_json_write(&b, v, indent);
  char *s = rl_arena_strdup(rl_test_arena, b.ptr);
  rl_buf_free(&b);
  return s;
}

static void json__values(void **state) {
  (void)state;
  const rl_json *v = ok(" {\"a\": [1, -2.5, true, false, null, \"x\"], \"b\": {}} ", 0);
  assert_int_equal(rl_json_typeof(v), RL_JSON_OBJECT);
  assert_int_equal(rl_json_size(v), 2);
  const rl_json *a = rl_json_get(v, "a");
  assert_int_equal(rl_json_size(a), 6);
  int64_t i = 0;
  assert_true(rl_json_int(rl_json_at(a, 0), &i));
  assert_int_equal(i, 1);
  assert_false(rl_json_int(rl_json_at(a, 1), &i));
  assert_true(rl_json_num(rl_json_at(a, 1)) == -2.5);
  assert_true(rl_json_is(rl_json_at(a, 2), RL_JSON_TRUE));
  assert_true(rl_json_is(rl_json_at(a, 3), RL_JSON_FALSE));
  assert_true(rl_json_is(rl_json_at(a, 4), RL_JSON_NULL));
  assert_string_equal(rl_json_str(rl_json_at(a, 5), NULL), "x");
  assert_null(rl_json_at(a, 6));
  assert_true(rl_json_is(rl_json_get(v, "b"), RL_JSON_OBJECT));
  assert_null(rl_json_get(v, "c"));
  /* accessors answer "nothing" to NULL and to the wrong type */
  assert_null(rl_json_get(rl_json_get(v, "zz"), "y"));
  assert_null(rl_json_str(a, NULL));
  assert_int_equal(rl_json_size(NULL), 0);
  assert_int_equal(rl_json_typeof(NULL), RL_JSON_NONE);
  size_t kl;
  assert_string_equal(rl_json_key_at(v, 1, &kl), "b");
  assert_int_equal(kl, 1);
  /* any value at the top */
  assert_true(rl_json_is(ok("\"s\"", 0), RL_JSON_STRING));
  assert_true(rl_json_is(ok("0", 0), RL_JSON_NUMBER));
}

static void json__strings(void **state) {
  (void)state;
  size_t n;
  const char *s = rl_json_str(ok("\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20AC\\ud83d\\ude00\\u0000z\"", 0), &n);
  const char want[] = "a\"\\/\b\f\n\r\t\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\0z";
  assert_int_equal(n, sizeof want - 1);
  assert_memory_equal(s, want, n);
  assert_string_equal(rl_json_str(ok("\"caf\xC3\xA9\"", 0), NULL), "caf\xC3\xA9");
  assert_string_equal(bad("\"\\ud83d\"", 8, 0).message, "high surrogate \\uD83D without its low half");
  assert_string_equal(bad("\"\\ude00\"", 8, 0).message, "lone low surrogate \\uDE00");
  assert_string_equal(bad("\"\\u12g4\"", 8, 0).message, "\\u needs four hex digits");
  assert_string_equal(bad("\"\\x\"", 4, 0).message, "unknown escape \\x");
  assert_string_equal(bad("\"a\nb\"", 5, 0).message, "control character in a string (write it as an escape)");
  assert_string_equal(bad("\"\xC3(\"", 4, 0).message, "invalid UTF-8 in a string");
  assert_string_equal(bad("\"abc", 4, 0).message, "unterminated string");
  assert_string_equal(bad("\"abc\\", 5, 0).message, "unterminated string");
}

static void json__numbers(void **state) {
  (void)state;
  int64_t i;
  assert_true(rl_json_int(ok("9223372036854775807", 0), &i));
  assert_true(i == INT64_MAX);
  assert_true(rl_json_int(ok("-9223372036854775808", 0), &i));
  assert_true(i == INT64_MIN);
  /* too big for int64: a double, not an integer */
  const rl_json *big = ok("9223372036854775808", 0);
  assert_false(rl_json_int(big, &i));
  assert_true(rl_json_num(big) > 9.2e18);
  assert_false(rl_json_int(ok("1e2", 0), &i));
  assert_true(rl_json_num(ok("1e2", 0)) == 100);
  assert_true(rl_json_num(ok("-0.125E+1", 0)) == -1.25);
  bad("01", 2, 0);
  bad("1.", 2, 0);
  bad("-", 1, 0);
  bad("1e", 2, 0);
  bad("+1", 2, 0);
  bad(".5", 2, 0);
}

static void json__positions(void **state) {
  (void)state;
  const char *text = "{\n  \"k\": \"value\",\n  \"n\": [10]\n}";
  const rl_json *v = ok(text, 0);
  const rl_json *s = rl_json_get(v, "k");
  assert_int_equal(rl_json_start(s), strchr(text, 'v') - text - 1);
  assert_int_equal(rl_json_end(s), strchr(text, 'v') - text + 6);
  assert_int_equal(rl_json_key_start(v, 1), strstr(text, "\"n\"") - text);
  const rl_json *n = rl_json_at(rl_json_get(v, "n"), 0);
  assert_int_equal(rl_json_start(n), strstr(text, "10") - text);
  assert_int_equal(rl_json_end(n), strstr(text, "10") - text + 2);
  assert_int_equal(rl_json_start(v), 0);
  assert_int_equal(rl_json_end(v), strlen(text));
}

static void json__duplicate_keys(void **state) {
  (void)state;
  rl_json_error e = bad("{\"a\": 1,\n \"b\": 2, \"a\": 3}", 25, 0);
  assert_string_equal(e.message, "duplicate key \"a\"");
  assert_int_equal(e.line, 2);
  assert_int_equal(e.column, 10);
  const rl_json *v = ok("{\"a\": 1, \"b\": 2, \"a\": 3, \"a\": 4}", RL_JSON_DUPS_LAST);
  assert_int_equal(rl_json_size(v), 2);
  assert_string_equal(rl_json_key_at(v, 0, NULL), "a"); /* the first place, the last value */
  int64_t i;
  assert_true(rl_json_int(rl_json_get(v, "a"), &i));
  assert_int_equal(i, 4);
  assert_true(rl_json_int(rl_json_at(v, 1), &i));
  assert_int_equal(i, 2);
  /* keys that differ only after a NUL are different keys */
  v = ok("{\"a\\u0000b\": 1, \"a\\u0000c\": 2}", 0);
  assert_int_equal(rl_json_size(v), 2);
  assert_non_null(rl_json_getn(v, "a\0c", 3));
  /* a large object: found by binary search, and repeated keys still caught */
  rl_buf b = {0};
  rl_buf_putc(&b, '{');
  for (int k = 0; k < 500; k++) rl_buf_printf(&b, "%s\"key%d\": %d", k ? "," : "", k, k);
  rl_buf_putc(&b, '}');
  v = ok(b.ptr, 0);
  for (int k = 0; k < 500; k += 37) {
    char key[16];
    snprintf(key, sizeof key, "key%d", k);
    assert_true(rl_json_int(rl_json_get(v, key), &i));
    assert_int_equal(i, k);
  }
  assert_null(rl_json_get(v, "key500"));
  b.len--;
  rl_buf_puts(&b, ",\"key123\": 0}");
  assert_string_equal(bad(b.ptr, b.len, 0).message, "duplicate key \"key123\"");
  rl_buf_free(&b);
}

static void json__depth_limit(void **state) {
  (void)state;
  char text[2 * RL_JSON_MAX_DEPTH + 4];
  size_t n = 0;
  for (int k = 0; k < RL_JSON_MAX_DEPTH; k++) text[n++] = '[';
  for (int k = 0; k < RL_JSON_MAX_DEPTH; k++) text[n++] = ']';
  text[n] = '\0';
  assert_int_equal(rl_json_size(ok(text, 0)), 1);
  /* one more level is an error, not a stack overflow */
  memmove(text + 1, text, n + 1);
  text[0] = '[';
  text[n + 1] = ']';
  text[n + 2] = '\0';
  rl_json_error e = bad(text, n + 2, 0);
  assert_int_equal(e.offset, RL_JSON_MAX_DEPTH);
  assert_non_null(strstr(e.message, "nested deeper"));
}

static void json__jsonc(void **state) {
  (void)state;
  const char *text = "\xEF\xBB\xBF// tsconfig\n{\n  /* paths */ \"compilerOptions\": {\"baseUrl\": \".\", \"paths\": "
                     "{\"@/*\": [\"src/*\",],},}, // trailing\n}\n";
  const rl_json *v = ok(text, RL_JSON_JSONC);
  const rl_json *co = rl_json_get(v, "compilerOptions");
  assert_string_equal(rl_json_str(rl_json_get(co, "baseUrl"), NULL), ".");
  assert_int_equal(rl_json_size(rl_json_get(rl_json_get(co, "paths"), "@/*")), 1);
  /* the same text is not strict JSON */
  assert_string_equal(bad(text, strlen(text), 0).message, "unexpected character");
  assert_string_equal(bad("{} /* open", 10, RL_JSON_JSONC).message, "unterminated comment");
  /* a lone comma is still an error */
  bad("[,]", 3, RL_JSON_JSONC);
  bad("{,}", 3, RL_JSON_JSONC);
  bad("[1,,]", 5, RL_JSON_JSONC);
  /* "//" inside a string is text */
  assert_string_equal(rl_json_str(rl_json_get(ok("{\"u\": \"http://x/*y*/\"}", RL_JSON_JSONC), "u"), NULL),
                      "http://x/*y*/");
}

static void json__errors(void **state) {
  (void)state;
  rl_json_error e = bad("{\n  \"a\": tru\n}", 14, 0);
  assert_int_equal(e.line, 2);
  assert_int_equal(e.column, 8);
  assert_int_equal(e.offset, 9);
  assert_string_equal(rl_error_last(), "line 2 column 8: unexpected character");
  assert_string_equal(bad("", 0, 0).message, "unexpected end of text");
  assert_string_equal(bad("[1 2]", 5, 0).message, "expected ',' or ']'");
  assert_string_equal(bad("{\"a\" 1}", 7, 0).message, "expected ':' after the key");
  assert_string_equal(bad("{1: 2}", 6, 0).message, "expected a string key");
  assert_string_equal(bad("{} x", 4, 0).message, "text after the value");
  assert_string_equal(bad("[1,", 3, 0).message, "unexpected end of text");
  assert_string_equal(bad("[1", 2, 0).message, "unexpected end of text in an array");
  /* a NUL byte is not whitespace; the text is read by length */
  bad("{}\0", 3, 0);
  /* not read past len: the text "[1]" cut before its end */
  bad("[1]", 2, 0);
}

static void json__writer(void **state) {
  (void)state;
  rl_json *o = rl_json_new_object(rl_test_arena);
  rl_json *arr = rl_json_new_array(rl_test_arena);
  rl_json_push(rl_test_arena, arr, rl_json_new_int(rl_test_arena, -3));
  rl_json_push(rl_test_arena, arr, rl_json_new_num(rl_test_arena, 0.5));
  rl_json_push(rl_test_arena, arr, rl_json_new_num(rl_test_arena, 2));
  rl_json_push(rl_test_arena, arr, NULL);
  rl_json_put(rl_test_arena, o, "s", rl_json_new_stringn(rl_test_arena, "q\"\\\n\x01\x7f\xC3\xA9\xFF", 9));
  rl_json_put(rl_test_arena, o, "a", arr);
  rl_json_put(rl_test_arena, o, "e", rl_json_new_array(rl_test_arena));
  rl_json_put(rl_test_arena, o, "o", rl_json_new_object(rl_test_arena));
  rl_json_put(rl_test_arena, o, "t", rl_json_new_bool(rl_test_arena, 1));
  rl_json_put(rl_test_arena, o, "s", rl_json_new_string(rl_test_arena, "again")); /* keeps its place */
  assert_string_equal(written(o, 0), "{\"s\":\"again\",\"a\":[-3,0.5,2.0,null],\"e\":[],\"o\":{},\"t\":true}");
  assert_string_equal(written(o, 2), "{\n  \"s\": \"again\",\n  \"a\": [\n    -3,\n    0.5,\n    2.0,\n    null\n  ],\n"
                                     "  \"e\": [],\n  \"o\": {},\n  \"t\": true\n}");
  rl_buf b = {0};
  rl_json_write_string(&b, "q\"\\\n\x01\x7f\xC3\xA9\xFF", 9);
  assert_string_equal(b.ptr, "\"q\\\"\\\\\\n\\u0001\x7f\xC3\xA9\xEF\xBF\xBD\"");
  rl_buf_free(&b);
}

static void json__round_trip(void **state) {
  (void)state;
  const char *text = "{\"a\":[1,-2,0.25,\"\\u0000\\t\xE2\x82\xAC\",{\"b\":null}],\"c\":false,\"d\":1e300}";
  const rl_json *v = ok(text, 0);
  char *once = written(v, 0);
  assert_string_equal(
      once, "{\"a\":[1,-2,0.25,\"\\u0000\\t\xE2\x82\xAC\",{\"b\":null}],\"c\":false,\"d\":1.0000000000000001e+300}");
  const rl_json *again = ok(once, 0);
  assert_string_equal(written(again, 2), written(v, 2));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(json__values, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(json__strings, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(json__numbers, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(json__positions, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(json__duplicate_keys, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(json__depth_limit, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(json__jsonc, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(json__errors, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(json__writer, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(json__round_trip, rl_test_arena_setup, rl_test_arena_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
