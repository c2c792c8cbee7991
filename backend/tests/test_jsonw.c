/* The JSON writer: bounds, integers, and strings that must come back out of a real JSON parser intact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "jsonw.h"

/* Writes {"v":<s>} and parses it back with jansson; returns the parsed value (caller decrefs). */
static json_t *roundtrip(const char *s) {
  char mem[4096];
  tk_jsonw w = tk_jsonw_over(mem, sizeof mem);
  json_t *doc, *v;
  tk_jsonw_lit(&w, "{\"v\":");
  tk_jsonw_str(&w, s);
  tk_jsonw_lit(&w, "}");
  assert_false(w.failed);
  doc = json_loadb(mem, w.n, JSON_REJECT_DUPLICATES, NULL);
  assert_non_null(doc);
  v = json_incref(json_object_get(doc, "v"));
  json_decref(doc);
  return v;
}

static void jsonw__hostile_strings_come_back_intact(void **state) {
  static const char *const values[] = {
      "plain",
      "",
      "quote\" backslash\\ slash/",
      "\"},\"admin\":true,\"x\":{\"",
      "\\u0000 is text, not an escape",
      "nl\n cr\r tab\t bs\b ff\f bell\a esc\x1b unit\x1f del\x7f",
      "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbf\xbf \xf4\x8f\xbf\xbf",
      "\xe2\x80\xa8 line and paragraph separators \xe2\x80\xa9",
      "</script><script>alert(1)</script>",
  };
  (void)state;
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
    json_t *v = roundtrip(values[i]);
    assert_true(json_is_string(v));
    assert_int_equal(json_string_length(v), strlen(values[i]));
    assert_memory_equal(json_string_value(v), values[i], strlen(values[i]));
    json_decref(v);
  }
}

static void jsonw__every_byte_below_0x80_round_trips(void **state) {
  char s[128];
  json_t *v;
  (void)state;
  for (int i = 1; i < 128; i++) s[i - 1] = (char)i;
  s[127] = '\0';
  v = roundtrip(s);
  assert_string_equal(json_string_value(v), s);
  json_decref(v);
}

static void jsonw__control_characters_use_the_token_spelling(void **state) {
  char mem[64];
  tk_jsonw w = tk_jsonw_over(mem, sizeof mem);
  (void)state;
  tk_jsonw_str(&w, "a\"b\\c\n\x01");
  assert_false(w.failed);
  assert_int_equal(w.n, strlen("\"a\\\"b\\\\c\\u000a\\u0001\""));
  assert_memory_equal(mem, "\"a\\\"b\\\\c\\u000a\\u0001\"", w.n);
}

static void jsonw__invalid_utf8_fails(void **state) {
  static const char *const bad[] = {
      "\x80",             /* lone continuation byte */
      "\xc0\xaf",         /* overlong '/' */
      "\xe0\x80\xaf",     /* overlong, 3 bytes */
      "\xf0\x80\x80\xaf", /* overlong, 4 bytes */
      "\xed\xa0\x80",     /* surrogate U+D800 */
      "\xf4\x90\x80\x80", /* beyond U+10FFFF */
      "\xf5\x80\x80\x80", /* lead byte that cannot start anything */
      "ab\xc3",           /* cut short by the end */
      "\xe2\x82x",        /* cut short by an ASCII byte */
  };
  (void)state;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char mem[64];
    tk_jsonw w = tk_jsonw_over(mem, sizeof mem);
    tk_jsonw_str(&w, bad[i]);
    assert_true(w.failed);
    /* and jansson agrees that these are not strings it would accept */
    assert_null(json_string(bad[i]));
  }
}

static void jsonw__integers(void **state) {
  static const int64_t values[] = {0, 7, -1, 1700003600, INT64_MAX, INT64_MIN};
  (void)state;
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
    char mem[32];
    tk_jsonw w = tk_jsonw_over(mem, sizeof mem);
    json_t *j;
    tk_jsonw_int(&w, values[i]);
    assert_false(w.failed);
    j = json_loadb(mem, w.n, JSON_DECODE_ANY, NULL);
    assert_true(json_is_integer(j));
    assert_true(json_integer_value(j) == values[i]);
    json_decref(j);
  }
}

static void jsonw__stops_at_the_bound(void **state) {
  char mem[8];
  tk_jsonw w = tk_jsonw_over(mem, sizeof mem);
  (void)state;
  tk_jsonw_lit(&w, "1234567");
  assert_false(w.failed);
  tk_jsonw_str(&w, "x"); /* needs three bytes, one is left */
  assert_true(w.failed);
  tk_jsonw_int(&w, 1); /* and nothing more goes in, not even what would fit */
  assert_true(w.failed);
  assert_true(w.n <= sizeof mem);
  assert_int_not_equal(mem[w.n - 1], '1');
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(jsonw__hostile_strings_come_back_intact),
      cmocka_unit_test(jsonw__every_byte_below_0x80_round_trips),
      cmocka_unit_test(jsonw__control_characters_use_the_token_spelling),
      cmocka_unit_test(jsonw__invalid_utf8_fails),
      cmocka_unit_test(jsonw__integers),
      cmocka_unit_test(jsonw__stops_at_the_bound),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
