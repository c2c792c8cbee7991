/* <script> blocks of HTML, Vue, Svelte and Astro files: found by the HTML
 * tokenizer, scanned as JS/TS, and reported at their line and column in the
 * markup file. */
#include "rltest.h"

#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "util.h"

#define SECRET "Zq8vR3kP1mX7wY2nB5tL9cF4hJ6dG0sA"

static rl_engine *engine(void) {
  rl_engine_config cfg = {0};
  cfg.jobs = 1;
  rl_engine *e = NULL;
  assert_int_equal(rl_engine_new(&e, &cfg), 0);
  return e;
}

static size_t count_of(const rl_file_result *r, const char *rule) {
  size_t n = 0;
  for (size_t i = 0; i < r->nfindings; i++) n += strcmp(r->findings[i].rule->id, rule) == 0;
  return n;
}

static const rl_finding *nth_of(const rl_file_result *r, const char *rule, size_t k) {
  for (size_t i = 0; i < r->nfindings; i++)
    if (strcmp(r->findings[i].rule->id, rule) == 0 && k-- == 0) return &r->findings[i];
  return NULL;
}

static const rl_notification *note_of(const rl_file_result *r, const char *id) {
  for (size_t i = 0; i < r->nnotes; i++)
    if (strcmp(r->notes[i].id, id) == 0) return &r->notes[i];
  return NULL;
}

static rl_file_result *scan(rl_engine *e, const char *path, const char *src) {
  return rl_engine_scan_buffer(e, path, NULL, src, strlen(src));
}

static void markup__vue_blocks_keep_line_and_column(void **state) {
  (void)state;
  rl_engine *e = engine();
  const char *src = "<template>\n"
                    "  <p>Café — {{ room }}</p>\n"
                    "</template>\n"
                    "<script>\n"
                    "export default { data: () => ({ appSecret: '" SECRET "' }) }\n"
                    "</script>\n"
                    "<script setup lang=\"ts\">\n"
                    "const room: string = 'lobby'; const token = { appSecret: '" SECRET "' as string }\n"
                    "</script>\n";
  rl_file_result *r = scan(e, "src/components/Room.vue", src);
  assert_int_equal(r->context, RL_CTX_CLIENT);
  assert_int_equal(count_of(r, "hardcoded-secret"), 2);
  const rl_finding *f = nth_of(r, "hardcoded-secret", 0);
  assert_int_equal(f->start_line, 5);
  assert_int_equal(f->start_col, 44);
  assert_null(strstr(f->snippet, SECRET));
  f = nth_of(r, "hardcoded-secret", 1);
  assert_int_equal(f->start_line, 8);
  assert_int_equal(f->start_col, 58);
  assert_null(strstr(f->message, SECRET));
  assert_null(note_of(r, "syntax-error")); /* the TS block parsed as TypeScript */
  rl_file_result_free(r);
  rl_engine_free(e);
}

/* Columns count code points of the whole line, markup before the block
 * included; CRLF files too. */
static void markup__html_same_line_and_crlf(void **state) {
  (void)state;
  rl_engine *e = engine();
  const char *src = "<!doctype html>\r\n"
                    "<p>naïve ☕</p><script type=\"module\">const k = { appSecret: '" SECRET "' };</script>\r\n";
  rl_file_result *r = scan(e, "public/index.html", src);
  const rl_finding *f = nth_of(r, "hardcoded-secret", 0);
  assert_non_null(f);
  assert_int_equal(f->start_line, 2);
  assert_int_equal(f->start_col, 60);
  rl_file_result_free(r);
  rl_engine_free(e);
}

/* What is not a script block: comments, JSON and template types, other
 * languages, a </script> spelled inside a string of another block's code,
 * a '>' inside a quoted attribute. */
static void markup__html_tokenizer_edges(void **state) {
  (void)state;
  rl_engine *e = engine();
  const char *src = "<!-- <script>const a = { appSecret: '" SECRET "' }</script> -->\n"
                    "<script type=\"application/json\">{\"appSecret\": \"" SECRET "\"}</script>\n"
                    "<script type=\"text/x-template\">const b = { appSecret: '" SECRET "' }</script>\n"
                    "<script lang=\"coffee\">c = appSecret: '" SECRET "'</script>\n"
                    "<![CDATA[ <script>const d = { appSecret: '" SECRET "' }</script> ]]>\n"
                    "<SCRIPT data-note=\"a > b\">\n"
                    "const s = '</scr' + 'ipt>';\n"
                    "const e = { appSecret: '" SECRET "' };\n"
                    "</ScRiPt >\n"
                    "<p>const f = { appSecret: '" SECRET "' }</p>\n";
  rl_file_result *r = scan(e, "test/page.html", src);
  /* The comment, JSON, template, CoffeeScript and paragraph are not code.
   * `<![CDATA[` is text to the tokenizer, so the block after it is read (a
   * browser would see a bogus comment up to the first '>'): it errs on the
   * side of reporting. */
  assert_int_equal(count_of(r, "hardcoded-secret"), 2);
  assert_int_equal(nth_of(r, "hardcoded-secret", 0)->start_line, 5);
  assert_int_equal(nth_of(r, "hardcoded-secret", 0)->start_col, 42);
  assert_int_equal(nth_of(r, "hardcoded-secret", 1)->start_line, 8);
  assert_int_equal(nth_of(r, "hardcoded-secret", 1)->start_col, 24);
  rl_file_result_free(r);
  rl_engine_free(e);
}

/* Astro: the frontmatter renders on the server (minting there is right),
 * a <script> ships to the browser. */
static void markup__astro_frontmatter_is_server(void **state) {
  (void)state;
  rl_engine *e = engine();
  const char *src = "---\n"
                    "import jwt from 'jsonwebtoken';\n"
                    "const t = jwt.sign({ access_key: 'k', type: 'app', version: 2 }, import.meta.env.HMS_SECRET);\n"
                    "---\n"
                    "<div data-t={t}></div>\n"
                    "<script>\n"
                    "import jwt from 'jsonwebtoken';\n"
                    "const u = jwt.sign({ access_key: 'k', type: 'app', version: 2 }, import.meta.env.PUBLIC_KEYS);\n"
                    "</script>\n";
  rl_file_result *r = scan(e, "src/pages/room.astro", src);
  assert_int_equal(count_of(r, "client-side-token-minting"), 1);
  assert_int_equal(nth_of(r, "client-side-token-minting", 0)->start_line, 8);
  rl_file_result_free(r);
  /* the same frontmatter alone: nothing */
  r = scan(e, "src/pages/server-only.astro",
           "---\nimport jwt from 'jsonwebtoken';\n"
           "const t = jwt.sign({ type: 'app' }, import.meta.env.HMS_SECRET);\n---\n<p/>\n");
  assert_int_equal(count_of(r, "client-side-token-minting"), 0);
  assert_int_equal(r->context, RL_CTX_SERVER);
  rl_file_result_free(r);
  rl_engine_free(e);
}

/* 10,000 blocks: the first RL_MARKUP_MAX_SCRIPTS are scanned, the rest are
 * named in a warning, and the file does not crash or take unbounded work. */
static void markup__ten_thousand_blocks(void **state) {
  (void)state;
  rl_engine *e = engine();
  rl_buf b = {0};
  rl_buf_puts(&b, "<template><p/></template>\n");
  for (int i = 0; i < 10000; i++) rl_buf_puts(&b, "<script>const appSecret = '" SECRET "';</script>\n");
  rl_file_result *r = rl_engine_scan_buffer(e, "src/Many.vue", NULL, b.ptr, b.len);
  const rl_notification *n = note_of(r, "script-blocks-limited");
  assert_non_null(n);
  assert_non_null(strstr(n->message, "9000 were not"));
  assert_true(count_of(r, "hardcoded-secret") >= 1);
  for (size_t i = 0; i < r->nfindings; i++) assert_null(strstr(r->findings[i].snippet, SECRET));
  rl_file_result_free(r);
  rl_buf_free(&b);
  rl_engine_free(e);
}

/* Markup nested deeper than the HTML tokenizer can track (its scanner's
 * state holds about 1 KB of open tags; 0.20.7 corrupts its heap at 65,536
 * levels): a warning, never a crash or a silent miss; within the budget the
 * script is found. */
static void markup__deep_nesting(void **state) {
  (void)state;
  rl_engine *e = engine();
  for (int pass = 0; pass < 3; pass++) {
    int levels = pass == 0 ? 150 : pass == 1 ? 2000 : 100000;
    rl_buf b = {0};
    for (int i = 0; i < levels; i++) rl_buf_puts(&b, "<div>");
    rl_buf_puts(&b, "<script>const k = { appSecret: '" SECRET "' };</script>");
    for (int i = 0; i < levels; i++) rl_buf_puts(&b, "</div>");
    rl_file_result *r = rl_engine_scan_buffer(e, "public/deep.html", NULL, b.ptr, b.len);
    if (pass == 0) {
      assert_int_equal(count_of(r, "hardcoded-secret"), 1);
      assert_null(note_of(r, "parse-failed"));
    } else {
      assert_int_equal(count_of(r, "hardcoded-secret"), 0);
      const rl_notification *n = note_of(r, "parse-failed");
      assert_non_null(n);
      assert_non_null(strstr(n->message, "not scanned"));
    }
    rl_file_result_free(r);
    rl_buf_free(&b);
  }
  /* a long list of <li> without their end tags is not nesting */
  rl_buf b = {0};
  rl_buf_puts(&b, "<ul>");
  for (int i = 0; i < 5000; i++) rl_buf_puts(&b, "<li>item");
  rl_buf_puts(&b, "</ul><script>const k = { appSecret: '" SECRET "' };</script>");
  rl_file_result *r = rl_engine_scan_buffer(e, "public/list.html", NULL, b.ptr, b.len);
  assert_int_equal(count_of(r, "hardcoded-secret"), 1);
  rl_file_result_free(r);
  rl_buf_free(&b);
  rl_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(markup__vue_blocks_keep_line_and_column),
      cmocka_unit_test(markup__html_same_line_and_crlf),
      cmocka_unit_test(markup__html_tokenizer_edges),
      cmocka_unit_test(markup__astro_frontmatter_is_server),
      cmocka_unit_test(markup__ten_thousand_blocks),
      cmocka_unit_test(markup__deep_nesting),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
