/* The prefilter's byte facts: each answers "yes" whenever the parsed file
 * could show the thing, and "no" on realistic near misses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "prefilter.h"

static rl_prefilter pf_of(const char *text) {
  rl_prefilter pf;
  rl_prefilter_init(&pf, text, strlen(text), RL_LANG_TS);
  return pf;
}

static int secret_name(const char *text) {
  rl_prefilter pf = pf_of(text);
  return rl_pf_secret_name(&pf);
}

static int module(const char *text, const char *m) {
  rl_prefilter pf = pf_of(text);
  return rl_pf_module(&pf, m);
}

static void prefilter__secret_names_found(void **state) {
  (void)state;
  assert_true(secret_name("const appSecret = x;"));
  assert_true(secret_name("cfg.HMS_APP_SECRET"));
  assert_true(secret_name("const o = { 'private-key': k };")); /* only whole quoted text names it */
  assert_true(secret_name("process.env['DB_PASSWORD']"));
  assert_true(secret_name("let token;"));
  /* the answer is remembered and stays the same */
  rl_prefilter pf = pf_of("x.clientSecret = 1");
  assert_true(rl_pf_secret_name(&pf));
  assert_true(rl_pf_secret_name(&pf));
}

static void prefilter__secret_names_near_misses(void **state) {
  (void)state;
  assert_false(secret_name("const hasSecret = true; const secretName = 'x';"));
  assert_false(secret_name("const nextPageToken = r.next; const ACCESS_KEY = k;"));
  assert_false(secret_name("const o = { 'private key store': 1, keyboard: 2 };"));
  assert_false(secret_name(""));
  /* a name split over two lines of quotes is not one name */
  assert_false(secret_name("'private\n-key'"));
}

static void prefilter__module_specifiers(void **state) {
  (void)state;
  assert_true(module("import jwt from 'jsonwebtoken';", "jsonwebtoken"));
  assert_true(module("const jwt = require(\"jsonwebtoken\")", "jsonwebtoken"));
  assert_true(module("import { SignJWT } from 'npm:jose@5';", "jose"));
  assert_true(module("import * as j from 'https://deno.land/x/jose@v4.14.4/index.ts'", "jose"));
  assert_true(module("import * as j from `https://esm.sh/jose?target=deno`", "jose"));
  assert_true(module("import AT from 'twilio/lib/jwt/AccessToken'", "twilio"));
  /* the word in prose, identifiers and longer package names is no import */
  assert_false(module("// uses jose to sign\nconst joseph = 1;", "jose"));
  assert_false(module("const ua = 'twilio-node/4.0';", "twilio"));
  assert_false(module("import x from '@acme/jsonwebtoken-helpers'", "jsonwebtoken"));
  assert_false(module("jose", "jose"));
}

typedef struct {
  char seen[8][32];
  int n, escaped[8];
} collected;

static int collect(const char *text, size_t len, int escaped, void *arg) {
  collected *c = arg;
  if (c->n < 8 && len < 32) {
    memcpy(c->seen[c->n], text, len);
    c->seen[c->n][len] = '\0';
    c->escaped[c->n] = escaped;
    c->n++;
  }
  return 0;
}

static int newline(unsigned char c) { return c == '\n'; }

static void prefilter__quoted_spans(void **state) {
  (void)state;
  collected c;
  memset(&c, 0, sizeof c);
  rl_prefilter pf = pf_of("a('x\\'y', \"z\")\n`t\nu`");
  rl_pf_each_quoted(&pf, NULL, collect, &c);
  /* every quote opens a candidate: the real literals are among them */
  int x = -1, z = -1, t = -1;
  for (int i = 0; i < c.n; i++) {
    if (!strcmp(c.seen[i], "x\\'y")) x = i;
    if (!strcmp(c.seen[i], "z")) z = i;
    if (!strcmp(c.seen[i], "t\nu")) t = i;
  }
  assert_true(x >= 0 && c.escaped[x]);
  assert_true(z >= 0 && !c.escaped[z]);
  assert_true(t >= 0);
  /* stop_at drops spans that hold a stop character */
  memset(&c, 0, sizeof c);
  rl_pf_each_quoted(&pf, newline, collect, &c);
  for (int i = 0; i < c.n; i++) assert_null(strchr(c.seen[i], '\n'));
}

typedef struct idents {
  char seen[8][16];
  int n;
  const char *stop; /* fn returns 1 on this run */
} idents;

static int collect_ident(const char *text, size_t len, void *arg) {
  idents *c = arg;
  if (c->n < 8 && len < 16) {
    memcpy(c->seen[c->n], text, len);
    c->seen[c->n][len] = '\0';
    c->n++;
  }
  return c->stop && strlen(c->stop) == len && !memcmp(text, c->stop, len);
}

static void prefilter__identifier_runs(void **state) {
  (void)state;
  idents c;
  memset(&c, 0, sizeof c);
  rl_prefilter pf = pf_of("const $hostCode=x.room_2; // caf\xc3\xa9");
  assert_false(rl_pf_each_ident(&pf, collect_ident, &c));
  /* every run, comments and strings included; non-ASCII bytes join a run */
  assert_int_equal(c.n, 5);
  assert_string_equal(c.seen[0], "const");
  assert_string_equal(c.seen[1], "$hostCode");
  assert_string_equal(c.seen[2], "x");
  assert_string_equal(c.seen[3], "room_2");
  assert_string_equal(c.seen[4], "caf\xc3\xa9");
  /* stops at the first run fn accepts */
  memset(&c, 0, sizeof c);
  c.stop = "$hostCode";
  assert_true(rl_pf_each_ident(&pf, collect_ident, &c));
  assert_int_equal(c.n, 2);
}

static void prefilter__whole_words(void **state) {
  (void)state;
  rl_prefilter pf = pf_of("Deno.serve(h); const server = 1; x.serve_all; 'serve'\xc2\xa0get");
  assert_true(rl_pf_word(&pf, "serve")); /* Deno.serve */
  assert_int_equal(rl_pf_word_from(&pf, 0, "serve"), 5);
  assert_int_equal(rl_pf_word_from(&pf, 6, "serve"), 47); /* 'serve': server and serve_all are other names */
  assert_true(rl_pf_word(&pf, "get"));                    /* after U+00A0, which may be a space */
  assert_false(rl_pf_word(&pf, "erve"));
  assert_false(rl_pf_word(&pf, "all"));
  /* the path is unknown until the engine gives it */
  assert_null(rl_pf_path(&pf));
  rl_prefilter_set_path(&pf, "pages/api/token.ts");
  assert_string_equal(rl_pf_path(&pf), "pages/api/token.ts");
}

/* rl_pf_has and its kin turn a literal down by a byte pair the file lacks
 * before any search: the pairs at the ends of the file, pairs of non-ASCII
 * bytes, case for the caseless question, and pairs that only meet across
 * two occurrences must all be seen as they are. */
static void prefilter__pair_filter(void **state) {
  (void)state;
  rl_prefilter pf = pf_of("ab jwt.sign(x) caf\xc3\xa9 APP_Secret yz");
  assert_true(rl_pf_has(&pf, "ab"));          /* the first pair */
  assert_true(rl_pf_has(&pf, "yz"));          /* the last pair */
  assert_true(rl_pf_has(&pf, "a"));           /* one byte: no pair to look at */
  assert_true(rl_pf_has(&pf, "caf\xc3\xa9")); /* bytes >= 0x80 */
  assert_true(rl_pf_has(&pf, "jwt.sign("));
  assert_false(rl_pf_has(&pf, "jwt.verify"));         /* "ve" is nowhere */
  assert_false(rl_pf_has(&pf, "sign(y"));             /* every pair is there, the text is not */
  assert_false(rl_pf_has(&pf, "app_secret"));         /* case counts here */
  assert_true(rl_pf_has_caseless(&pf, "app_secret")); /* and not here */
  assert_true(rl_pf_has_caseless(&pf, "JWT.SIGN"));
  assert_false(rl_pf_has_caseless(&pf, "verify"));
  assert_true(rl_pf_word(&pf, "yz"));
  assert_false(rl_pf_word(&pf, "sign(y"));
  assert_true(rl_pf_module(&pf, "x") == 0); /* not a specifier */
  rl_prefilter empty = pf_of("");
  assert_false(rl_pf_has(&empty, "ab"));
  assert_false(rl_pf_has_caseless(&empty, "ab"));
}

static int record_at(size_t at, void *arg) {
  size_t *seen = arg;
  seen[++seen[0]] = at;
  return seen[0] >= 7;
}

static void prefilter__declaration_candidates(void **state) {
  (void)state;
  const char *text = "const P = '/x';\nfunction* h() {}\nlet o = { P: 1 };\nuse(P);\nP /* c */ += 2;\nPP = 3;\n";
  rl_prefilter pf = pf_of(text);
  size_t seen[8] = {0};
  assert_int_equal(rl_pf_each_decl(&pf, "P", 1, record_at, seen), 0);
  assert_int_equal(seen[0], 2); /* `P =` and `P:`, not use(P), PP, nor `P +=` (not '=' next) */
  assert_int_equal(seen[1], (size_t)(strstr(text, "P =") - text));
  assert_int_equal(seen[2], (size_t)(strstr(text, "P: 1") - text));
  memset(seen, 0, sizeof seen);
  assert_int_equal(rl_pf_each_decl(&pf, "h", 1, record_at, seen), 0);
  assert_int_equal(seen[0], 1); /* named by function* */
  memset(seen, 0, sizeof seen);
  assert_int_equal(rl_pf_each_decl(&pf, "Q", 1, record_at, seen), 0);
  assert_int_equal(seen[0], 0);
  rl_prefilter_clear(&pf);
}

/* Where the group opening at the first byte of text closes: the offset
 * just past its closing bracket, or 0 (unsure). */
static size_t group_end(const char *text, size_t budget) { return rl_pf_group_end(text, strlen(text), 0, &budget); }

static size_t closes_at(const char *text, const char *rest) { return (size_t)(strstr(text, rest) - text); }

static void prefilter__group_end(void **state) {
  (void)state;
  const char *t;
  t = "(a, 'x)', \"(\", /* ) */ b) rest";
  assert_int_equal(group_end(t, 1000), closes_at(t, " rest"));
  t = "({ k: `a ${f({ z: ')' })} }` }, [1]) rest"; /* a template with a substitution */
  assert_int_equal(group_end(t, 1000), closes_at(t, " rest"));
  t = "(s.replace(/[)\\]]+/g, ''), x) rest"; /* a regex holding brackets */
  assert_int_equal(group_end(t, 1000), closes_at(t, " rest"));
  t = "(a / b, c / 2) rest"; /* divisions */
  assert_int_equal(group_end(t, 1000), closes_at(t, " rest"));
  t = "(typeof /x)/.source) rest"; /* a regex after a keyword */
  assert_int_equal(group_end(t, 1000), closes_at(t, " rest"));
  t = "(a, // )\n b) rest";
  assert_int_equal(group_end(t, 1000), closes_at(t, " rest"));
  /* unsure: an unclosed string or regex, no closing bracket, the budget */
  assert_int_equal(group_end("(a, 'x\n)", 1000), 0);
  assert_int_equal(group_end("(a, /x\n)", 1000), 0);
  assert_int_equal(group_end("(a, (b)", 1000), 0);
  assert_int_equal(group_end("(a, b, c, d, e)", 5), 0);
  /* the budget is counted down by what was read */
  size_t budget = 100;
  assert_int_equal(rl_pf_group_end("(ab)", 4, 0, &budget), 4);
  assert_int_equal(budget, 97);
}

static void prefilter__slash(void **state) {
  (void)state;
  const char *t = "x = a / b";
  assert_int_equal(rl_pf_slash_end(t, strlen(t), 6), 7); /* divides */
  t = "x = /ab[/]c/gi;";
  assert_int_equal(rl_pf_slash_end(t, strlen(t), 4), closes_at(t, ";"));
  t = "return /a/.test(s)";
  assert_int_equal(rl_pf_slash_end(t, strlen(t), 7), closes_at(t, ".test"));
  t = "f(x) /* c */ + 1";
  assert_int_equal(rl_pf_slash_end(t, strlen(t), 5), closes_at(t, "+ 1"));
  t = "x = /unclosed\n/";
  assert_int_equal(rl_pf_slash_end(t, strlen(t), 4), 0);
}

/* The lexer's pieces that suppress.c and the rules' scans read JS with. */
static void prefilter__lexer_pieces(void **state) {
  (void)state;
  const char *t;
  int esc = 0, closed = 0;
  t = "'a\\'b' + x";
  assert_int_equal(rl_pf_string_end(t, strlen(t), 0, &esc), closes_at(t, " + x"));
  assert_true(esc);
  t = "\"ab\" rest";
  assert_int_equal(rl_pf_string_end(t, strlen(t), 0, &esc), closes_at(t, " rest"));
  assert_false(esc);
  t = "'line \\\ncontinued' rest"; /* a backslash-newline continues the string */
  assert_int_equal(rl_pf_string_end(t, strlen(t), 0, NULL), closes_at(t, " rest"));
  t = "'unclosed\nnext'";
  assert_int_equal(rl_pf_string_end(t, strlen(t), 0, NULL), 0);
  assert_int_equal(rl_pf_string_scan(t, strlen(t), 0, NULL, &closed), closes_at(t, "\nnext"));
  assert_false(closed);
  t = "// c\r\nx";
  assert_int_equal(rl_pf_comment_end(t, strlen(t), 0), closes_at(t, "\r\nx"));
  t = "/* a\n*/x";
  assert_int_equal(rl_pf_comment_end(t, strlen(t), 0), closes_at(t, "x"));
  t = "/*/ open";
  assert_int_equal(rl_pf_comment_end(t, strlen(t), 0), strlen(t));
  assert_int_equal(rl_pf_comment_end("a / b", 5, 2), 2);
  /* where a '/' starts a regex */
  assert_true(rl_pf_regex_starts("x = /a/", 4));
  assert_true(rl_pf_regex_starts("throw /a/", 6));
  assert_true(rl_pf_regex_starts("return /a/", 7));
  assert_false(rl_pf_regex_starts("a / b", 2));
  assert_false(rl_pf_regex_starts("f(x) / 2", 5));
  assert_false(rl_pf_regex_starts("returned / 2", 9));
  t = "/a[/]b/gi.test";
  assert_int_equal(rl_pf_regex_end(t, strlen(t), 0), closes_at(t, ".test"));
  /* a template, its substitutions read as code */
  size_t budget = 1000;
  t = "`a ${f('`', { k: `b ${c}` })} d` rest";
  assert_int_equal(rl_pf_template_end(t, strlen(t), 0, &budget), closes_at(t, " rest"));
  budget = 1000;
  t = "`a ${b} c";
  assert_int_equal(rl_pf_template_end(t, strlen(t), 0, &budget), 0);
  budget = 1000;
  t = "`a ${b)} c` rest"; /* a stray bracket in a substitution: unsure */
  assert_int_equal(rl_pf_template_end(t, strlen(t), 0, &budget), 0);
}

/* rl_needles gives each list the answer one memmem per needle would: lists
 * sharing needles, needles sharing their first bytes, one-byte and empty
 * needles, a needle at the very end, NULL lists; over texts made of the
 * needles' own bytes. */
static void prefilter__needles_match_memmem(void **state) {
  (void)state;
  static const char *const a[] = {"log", "Log", "info", NULL};
  static const char *const b[] = {"lo", "info", "inf", NULL};
  static const char *const c[] = {"x", NULL};
  static const char *const d[] = {"", NULL};
  static const char *const e_[] = {"jsonwebtoken", "jose", "json", NULL};
  static const char *const f[] = {"zz", NULL};
  const char *const *lists[] = {a, b, c, NULL, d, e_, f};
  size_t nl = sizeof lists / sizeof lists[0];
  rl_needles *nd = rl_needles_new(lists, nl);
  static const char alphabet[] = "logLinfjsoewbtkx z";
  unsigned seed = 12345;
  char text[64];
  for (int round = 0; round < 20000; round++) {
    seed = seed * 1103515245u + 12345u;
    size_t len = (seed >> 16) % sizeof text;
    for (size_t i = 0; i < len; i++) {
      seed = seed * 1103515245u + 12345u;
      text[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
    }
    unsigned char hit[8];
    rl_needles_scan(nd, text, len, hit);
    for (size_t l = 0; l < nl; l++) {
      int want = lists[l] == NULL;
      for (size_t k = 0; !want && lists[l][k]; k++)
        want = !lists[l][k][0] || (len && memmem(text, len, lists[l][k], strlen(lists[l][k])) != NULL);
      if (hit[l] != want) printf("list %zu on '%.*s': %d, want %d\n", l, (int)len, text, hit[l], want);
      assert_int_equal(hit[l], want);
    }
  }
  rl_needles_free(nd);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(prefilter__needles_match_memmem),
      cmocka_unit_test(prefilter__secret_names_found),
      cmocka_unit_test(prefilter__secret_names_near_misses),
      cmocka_unit_test(prefilter__module_specifiers),
      cmocka_unit_test(prefilter__quoted_spans),
      cmocka_unit_test(prefilter__declaration_candidates),
      cmocka_unit_test(prefilter__identifier_runs),
      cmocka_unit_test(prefilter__whole_words),
      cmocka_unit_test(prefilter__pair_filter),
      cmocka_unit_test(prefilter__group_end),
      cmocka_unit_test(prefilter__slash),
      cmocka_unit_test(prefilter__lexer_pieces),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
