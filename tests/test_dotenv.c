#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "dotenv.h"
#include "source.h"

typedef struct parsed {
  rl_arena *arena;
  rl_dotenv_entry *e;
  size_t n;
} parsed;

static parsed parse(const char *s) {
  parsed p;
  p.arena = rl_arena_new();
  rl_dotenv_parse(s, strlen(s), p.arena, &p.e, &p.n);
  return p;
}

static void done(parsed *p) { rl_arena_free(p->arena); }

static void check_entry(const rl_dotenv_entry *e, const char *key, const char *value) {
  assert_int_equal(e->key_len, strlen(key));
  assert_memory_equal(e->key, key, strlen(key));
  assert_int_equal(e->value_len, strlen(value));
  assert_string_equal(e->value, value);
}

static void dotenv__basic(void **state) {
  (void)state;
  parsed p = parse("A=1\nB=two\n\n# comment\nC=\n");
  assert_int_equal(p.n, 3);
  check_entry(&p.e[0], "A", "1");
  check_entry(&p.e[1], "B", "two");
  check_entry(&p.e[2], "C", "");
  assert_int_equal(p.e[0].line, 1);
  assert_int_equal(p.e[1].line, 2);
  assert_int_equal(p.e[2].line, 5);
  assert_int_equal(p.e[2].quote, 0);
  done(&p);
}

static void dotenv__offsets(void **state) {
  (void)state;
  const char *s = "X=1\n  export HMS_SECRET = \"abc\"  # note\n";
  parsed p = parse(s);
  assert_int_equal(p.n, 2);
  const rl_dotenv_entry *e = &p.e[1];
  check_entry(e, "HMS_SECRET", "abc");
  assert_int_equal(e->key_start, (uint32_t)(strstr(s, "HMS_SECRET") - s));
  assert_int_equal(e->value_start, (uint32_t)(strchr(s, '"') - s));
  assert_int_equal(e->value_end, e->value_start + 5); /* "abc" with quotes */
  assert_int_equal(e->line, 2);
  assert_int_equal(e->quote, '"');
  /* Unquoted: the raw value is trimmed and stops before the comment. */
  const char *s2 = "K =  v a l   # c\n";
  parsed q = parse(s2);
  assert_int_equal(q.n, 1);
  check_entry(&q.e[0], "K", "v a l");
  assert_int_equal(q.e[0].value_start, 5);
  assert_int_equal(q.e[0].value_end, 10);
  done(&p);
  done(&q);
}

static void dotenv__export_prefix(void **state) {
  (void)state;
  parsed p = parse("export A=1\nexport\tB=2\nexport=3\nexportC=4\n");
  assert_int_equal(p.n, 4);
  check_entry(&p.e[0], "A", "1");
  check_entry(&p.e[1], "B", "2");
  check_entry(&p.e[2], "export", "3");
  check_entry(&p.e[3], "exportC", "4");
  done(&p);
}

static void dotenv__quotes(void **state) {
  (void)state;
  parsed p = parse("D=\"a\\nb\\t\\\"c\\\"\\\\d\\x\"\n"
                   "S='a\\nb \"x\" # not a comment'\n"
                   "B=`back 'tick' \"q\"`\n"
                   "H=\"has # hash\" # real comment\n");
  assert_int_equal(p.n, 4);
  check_entry(&p.e[0], "D", "a\nb\t\"c\"\\d\\x");
  assert_int_equal(p.e[0].quote, '"');
  check_entry(&p.e[1], "S", "a\\nb \"x\" # not a comment");
  assert_int_equal(p.e[1].quote, '\'');
  check_entry(&p.e[2], "B", "back 'tick' \"q\"");
  assert_int_equal(p.e[2].quote, '`');
  check_entry(&p.e[3], "H", "has # hash");
  done(&p);
}

static void dotenv__inline_comments(void **state) {
  (void)state;
  parsed p = parse("A=value # comment\nB=#only comment\nC=abc#def\nD=x\t#tab comment\n");
  assert_int_equal(p.n, 4);
  check_entry(&p.e[0], "A", "value");
  check_entry(&p.e[1], "B", "");
  check_entry(&p.e[2], "C", "abc#def"); /* no whitespace before '#': part of the value */
  check_entry(&p.e[3], "D", "x");
  done(&p);
}

static void dotenv__crlf_and_bom(void **state) {
  (void)state;
  const char *s = "\xEF\xBB\xBF"
                  "FIRST=1\r\nSECOND=\"two\"\r\n\r\nTHIRD=three # c\r\n";
  parsed p = parse(s);
  assert_int_equal(p.n, 3);
  check_entry(&p.e[0], "FIRST", "1");
  assert_int_equal(p.e[0].key_start, 3); /* offsets count the BOM */
  assert_int_equal(p.e[0].line, 1);
  check_entry(&p.e[1], "SECOND", "two");
  assert_int_equal(p.e[1].line, 2);
  check_entry(&p.e[2], "THIRD", "three");
  assert_int_equal(p.e[2].line, 4);
  done(&p);
}

static void dotenv__malformed_lines_skipped(void **state) {
  (void)state;
  parsed p = parse("just words\n=novalue\nexport\nKEY\n  # indented comment\nOK=1\nbad key=2\n");
  assert_int_equal(p.n, 1);
  check_entry(&p.e[0], "OK", "1");
  assert_int_equal(p.e[0].line, 6);
  done(&p);
}

static void dotenv__multiline_and_unterminated(void **state) {
  (void)state;
  const char *s = "KEY=\"-----BEGIN\nabc\n-----END\"\nNEXT=1\nU='open\nLAST=2";
  parsed p = parse(s);
  assert_int_equal(p.n, 4);
  check_entry(&p.e[0], "KEY", "-----BEGIN\nabc\n-----END");
  assert_int_equal(p.e[0].line, 1);
  check_entry(&p.e[1], "NEXT", "1");
  assert_int_equal(p.e[1].line, 4);
  /* No closing quote anywhere: the rest of the line, as written. */
  check_entry(&p.e[2], "U", "'open");
  assert_int_equal(p.e[2].quote, 0);
  check_entry(&p.e[3], "LAST", "2"); /* no final newline */
  assert_int_equal(p.e[3].line, 6);
  done(&p);
}

static void dotenv__empty_input(void **state) {
  (void)state;
  parsed p = parse("");
  assert_int_equal(p.n, 0);
  done(&p);
  parsed q = parse("\xEF\xBB\xBF");
  assert_int_equal(q.n, 0);
  done(&q);
  parsed r = parse("E=\"\"\nF=''\n");
  assert_int_equal(r.n, 2);
  check_entry(&r.e[0], "E", "");
  assert_int_equal(r.e[0].quote, '"');
  assert_int_equal(r.e[0].value_end - r.e[0].value_start, 2);
  check_entry(&r.e[1], "F", "");
  done(&r);
}

static void dotenv__many_entries(void **state) {
  (void)state;
  char buf[4096];
  size_t o = 0;
  for (int i = 0; i < 200; i++) {
    buf[o++] = 'K';
    buf[o++] = (char)('a' + i % 26);
    buf[o++] = '=';
    buf[o++] = (char)('0' + i % 10);
    buf[o++] = '\n';
  }
  buf[o] = '\0';
  parsed p = parse(buf);
  assert_int_equal(p.n, 200);
  assert_int_equal(p.e[199].line, 200);
  assert_int_equal(p.e[199].value[0], '9');
  done(&p);
}

/* Deterministic pseudo-random inputs from the characters that matter:
 * every entry stays inside the input, in order, with sane offsets. */
static void dotenv__random_input_invariants(void **state) {
  (void)state;
  static const char alphabet[] = "AB_=\"'`#\\ \t\r\nexport\xEF\xBB\xBFx1";
  uint32_t seed = 12345;
  char buf[256];
  for (int round = 0; round < 3000; round++) {
    size_t len = 0;
    seed = seed * 1103515245u + 12345u;
    size_t want = (seed >> 16) % sizeof buf;
    for (; len < want; len++) {
      seed = seed * 1103515245u + 12345u;
      buf[len] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
    }
    rl_arena *a = rl_arena_new();
    rl_dotenv_entry *e;
    size_t n;
    rl_dotenv_parse(buf, len, a, &e, &n);
    uint32_t last_line = 0, last_end = 0;
    for (size_t i = 0; i < n; i++) {
      assert_true(e[i].key >= buf && e[i].key + e[i].key_len <= buf + len);
      assert_int_equal(e[i].key_start, (uint32_t)(e[i].key - buf));
      assert_true(e[i].key_len > 0);
      assert_true(e[i].value_start <= e[i].value_end && e[i].value_end <= len);
      assert_true(e[i].value_start >= e[i].key_start + e[i].key_len);
      assert_true(e[i].key_start >= last_end);
      assert_true(e[i].line > last_line);
      assert_true(e[i].value_len <= e[i].value_end - e[i].value_start);
      assert_int_equal(e[i].value[e[i].value_len], '\0');
      uint32_t line = 1;
      for (uint32_t k = 0; k < e[i].key_start; k++) line += buf[k] == '\n';
      assert_int_equal(e[i].line, line);
      last_line = e[i].line;
      last_end = e[i].value_end;
    }
    rl_arena_free(a);
  }
}

/* Which names are dotenv files, and which of them are templates. */
static void dotenv__file_names(void **state) {
  (void)state;
  static const char *const yes[] = {".env", ".env.local", "data.env", "config/prod.env", "example.env", NULL};
  for (size_t i = 0; yes[i]; i++) assert_int_equal(rl_lang_for_path(yes[i]), RL_LANG_DOTENV);
  static const char *const no[] = {"env", "dotenv", ".envrc", "env.ts", "src/process.env.js", NULL};
  for (size_t i = 0; no[i]; i++) assert_int_not_equal(rl_lang_for_path(no[i]), RL_LANG_DOTENV);
  static const char *const tmpl[] = {".env.example", "example.env", "app.sample.env", "docker-template.env", NULL};
  for (size_t i = 0; tmpl[i]; i++) assert_true(rl_dotenv_is_template(tmpl[i]));
  static const char *const real[] = {".env", "data.env", "counterexample.env", "prod.env", NULL};
  for (size_t i = 0; real[i]; i++) assert_false(rl_dotenv_is_template(real[i]));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(dotenv__basic),
      cmocka_unit_test(dotenv__offsets),
      cmocka_unit_test(dotenv__export_prefix),
      cmocka_unit_test(dotenv__quotes),
      cmocka_unit_test(dotenv__inline_comments),
      cmocka_unit_test(dotenv__crlf_and_bom),
      cmocka_unit_test(dotenv__malformed_lines_skipped),
      cmocka_unit_test(dotenv__multiline_and_unterminated),
      cmocka_unit_test(dotenv__empty_input),
      cmocka_unit_test(dotenv__many_entries),
      cmocka_unit_test(dotenv__random_input_invariants),
      cmocka_unit_test(dotenv__file_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
