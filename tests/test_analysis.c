#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis.h"
#include "util.h"
#include "arena.h"
#include "parse.h"
#include "source.h"

/* ---- fixture: one parsed snippet ------------------------------------------ */

typedef struct fx {
  rl_arena *arena;
  rl_parser *parser;
  rl_source src;
  rl_tree *tree;
  rl_jsfile *jf;
} fx;

static void fx_open(fx *f, rl_lang lang, const char *code) {
  f->arena = rl_arena_new();
  f->parser = rl_parser_new();
  rl_source_init(&f->src, "snippet", code, strlen(code), lang, f->arena);
  f->tree = rl_parse(f->parser, &f->src);
  assert_non_null(f->tree);
  f->jf = rl_jsfile_new(&f->src, rl_tree_root(f->tree), f->arena);
}

static void fx_close(fx *f) {
  rl_tree_free(f->tree);
  rl_parser_free(f->parser);
  rl_arena_free(f->arena);
}

typedef struct finder {
  fx *f;
  const char *type;
  const char *text; /* NULL: any */
  TSNode found;
  int last; /* keep the last match instead of the first */
} finder;

static int find_cb(void *data, TSNode n) {
  finder *fd = data;
  if (strcmp(ts_node_type(n), fd->type) != 0) return 0;
  if (fd->text && !rl_js_text_is(fd->f->jf, n, fd->text)) return 0;
  fd->found = n;
  return fd->last ? 0 : -1;
}

/* First (or last) named node of a type, optionally with exact text. */
static TSNode find(fx *f, const char *type, const char *text, int last) {
  finder fd;
  memset(&fd, 0, sizeof fd);
  fd.f = f;
  fd.type = type;
  fd.text = text;
  fd.last = last;
  rl_js_walk(rl_tree_root(f->tree), find_cb, &fd);
  assert_false(ts_node_is_null(fd.found));
  return fd.found;
}

/* The expression of the program's last expression statement. */
static TSNode last_expr(fx *f) {
  TSNode st = find(f, "expression_statement", NULL, 1);
  return ts_node_named_child(st, 0);
}

/* Value of the declarator `name = value`. */
static TSNode value_of(fx *f, const char *name) {
  TSNode id = find(f, "identifier", name, 0);
  TSNode decl = ts_node_parent(id);
  assert_string_equal(ts_node_type(decl), "variable_declarator");
  return ts_node_child_by_field_name(decl, "value", 5);
}

static const char *resolve_last(rl_lang lang, const char *code, rl_arena *keep) {
  fx f;
  fx_open(&f, lang, code);
  const char *r = rl_js_resolve(f.jf, last_expr(&f));
  const char *copy = r ? rl_arena_strdup(keep, r) : NULL;
  fx_close(&f);
  return copy;
}

/* ---- nodes ------------------------------------------------------------------ */

static void analysis__text_and_unwrap(void **state) {
  (void)state;
  fx f;
  fx_open(&f, RL_LANG_TS,
          "const a = (((<any>x)! as string) satisfies string);\n"
          "async function g() { const b = await (y); }\n");
  TSNode v = rl_js_unwrap(value_of(&f, "a"));
  assert_string_equal(ts_node_type(v), "identifier");
  assert_true(rl_js_text_is(f.jf, v, "x"));
  assert_false(rl_js_text_is(f.jf, v, "xx"));
  size_t len;
  const char *t = rl_js_text(f.jf, v, &len);
  assert_int_equal(len, 1);
  assert_int_equal(t[0], 'x');
  TSNode b = rl_js_unwrap(value_of(&f, "b"));
  assert_true(rl_js_text_is(f.jf, b, "y"));
  TSNode fn = rl_js_enclosing_function(b);
  assert_string_equal(ts_node_type(fn), "function_declaration");
  assert_true(ts_node_is_null(rl_js_enclosing_function(v)));
  fx_close(&f);
}

static void analysis__enclosing_function_kinds(void **state) {
  (void)state;
  fx f;
  fx_open(&f, RL_LANG_JS,
          "class A { m() { return 1; } }\nconst h = () => 2;\n"
          "const k = function* () { yield 3; };\n");
  assert_string_equal(ts_node_type(rl_js_enclosing_function(find(&f, "number", "1", 0))), "method_definition");
  assert_string_equal(ts_node_type(rl_js_enclosing_function(find(&f, "number", "2", 0))), "arrow_function");
  assert_string_equal(ts_node_type(rl_js_enclosing_function(find(&f, "number", "3", 0))), "generator_function");
  fx_close(&f);
}

typedef struct counter {
  int identifiers;
  int all;
  int stop_at;
} counter;

static int count_cb(void *data, TSNode n) {
  counter *c = data;
  c->all++;
  if (!strcmp(ts_node_type(n), "identifier")) c->identifiers++;
  if (c->stop_at && c->identifiers == c->stop_at) return -1;
  if (!strcmp(ts_node_type(n), "function_declaration")) return 1; /* skip bodies */
  return 0;
}

static void analysis__walk_skip_and_stop(void **state) {
  (void)state;
  fx f;
  fx_open(&f, RL_LANG_JS, "a; b; function f() { c; d; } e;");
  counter c = {0, 0, 0};
  rl_js_walk(rl_tree_root(f.tree), count_cb, &c);
  assert_int_equal(c.identifiers, 3); /* a b e: f's name and body skipped */
  counter s = {0, 0, 2};
  rl_js_walk(rl_tree_root(f.tree), count_cb, &s);
  assert_int_equal(s.identifiers, 2);
  /* A subtree walk stays inside the subtree: c and d only. */
  counter b = {0, 0, 0};
  rl_js_walk(find(&f, "statement_block", NULL, 0), count_cb, &b);
  assert_int_equal(b.identifiers, 2);
  fx_close(&f);
}

static void analysis__walk_deep_nesting(void **state) {
  (void)state;
  /* 20000 nested parentheses and arrays: nothing here may recurse. */
  size_t depth = 20000;
  char *code = malloc(depth * 2 + 16);
  size_t o = 0;
  memcpy(code, "x = ", 4);
  o = 4;
  for (size_t i = 0; i < depth; i++) code[o++] = (i % 2) ? '(' : '[';
  code[o++] = '1';
  for (size_t i = depth; i-- > 0;) code[o++] = (i % 2) ? ')' : ']';
  code[o++] = ';';
  code[o] = '\0';
  fx f;
  fx_open(&f, RL_LANG_JS, code);
  counter c = {0, 0, 0};
  rl_js_walk(rl_tree_root(f.tree), count_cb, &c);
  assert_true(c.all > 1000);
  double d;
  assert_int_equal(rl_js_eval_number(f.jf, last_expr(&f), &d), 0);
  assert_non_null(rl_js_resolve(f.jf, find(&f, "identifier", "x", 0)));
  fx_close(&f);
  free(code);
}

/* ---- strings ------------------------------------------------------------------- */

static void check_string(rl_lang lang, const char *code, const char *want, size_t want_len) {
  fx f;
  fx_open(&f, lang, code);
  const char *v;
  size_t len;
  assert_int_equal(rl_js_string_value(f.jf, last_expr(&f), &v, &len), 1);
  assert_int_equal(len, want_len);
  assert_memory_equal(v, want, want_len);
  assert_int_equal(v[len], '\0');
  fx_close(&f);
}

static void analysis__string_escapes(void **state) {
  (void)state;
  check_string(RL_LANG_JS, "'plain';", "plain", 5);
  check_string(RL_LANG_JS, "\"a\\nb\\tc\\\\d\\\"e\";", "a\nb\tc\\d\"e", 9);
  check_string(RL_LANG_JS, "'\\x41\\u0042\\u{43}\\u{1F600}';", "ABC\xF0\x9F\x98\x80", 7);
  check_string(RL_LANG_JS, "'\\uD83D\\uDE00';", "\xF0\x9F\x98\x80", 4);
  check_string(RL_LANG_JS, "'line\\\ncontinued';", "linecontinued", 13);
  check_string(RL_LANG_JS, "'\\0\\q\\'';", "\0q'", 3);
  check_string(RL_LANG_JS, "'';", "", 0);
  check_string(RL_LANG_JS, "`no subs ${'$'}`.length; `tmpl\\n`;", "tmpl\n", 5);
  check_string(RL_LANG_TS, "('x' as const);", "x", 1);
}

static void analysis__string_value_rejects(void **state) {
  (void)state;
  fx f;
  fx_open(&f, RL_LANG_JS, "`a${b}c`; x; 42; 'a' + 'b';");
  const char *v;
  size_t len;
  assert_int_equal(rl_js_string_value(f.jf, find(&f, "template_string", NULL, 0), &v, &len), 0);
  assert_int_equal(rl_js_string_value(f.jf, find(&f, "identifier", "x", 0), &v, &len), 0);
  assert_int_equal(rl_js_string_value(f.jf, find(&f, "number", NULL, 0), &v, &len), 0);
  assert_int_equal(rl_js_string_value(f.jf, last_expr(&f), &v, &len), 0);
  fx_close(&f);
}

static void analysis__template_static(void **state) {
  (void)state;
  fx f;
  fx_open(&f, RL_LANG_JS, "`http://${host}:8080/api/${path}?q=1`; 'http://x';");
  const char *v;
  size_t len, prefix;
  TSNode t = find(&f, "template_string", NULL, 0);
  assert_int_equal(rl_js_template_static(f.jf, t, &v, &len, &prefix), 1);
  assert_string_equal(v, "http://\x1a:8080/api/\x1a?q=1");
  assert_int_equal(prefix, 7);
  assert_int_equal(rl_js_template_static(f.jf, last_expr(&f), &v, &len, &prefix), 1);
  assert_string_equal(v, "http://x");
  assert_int_equal(prefix, 8);
  assert_int_equal(rl_js_template_static(f.jf, find(&f, "identifier", "host", 0), &v, &len, &prefix), 0);
  fx_close(&f);
}

static void analysis__jsx_attribute_string_is_raw(void **state) {
  (void)state;
  fx f;
  fx_open(&f, RL_LANG_TSX, "const e = <a href=\"http://a\\nb\" />;");
  const char *v;
  size_t len;
  TSNode s = find(&f, "string", NULL, 0);
  assert_int_equal(rl_js_string_value(f.jf, s, &v, &len), 1);
  assert_string_equal(v, "http://a\\nb"); /* JSX does not process escapes */
  fx_close(&f);
}

static void analysis__eval_string(void **state) {
  (void)state;
  fx f;
  fx_open(&f, RL_LANG_JS,
          "const BASE = 'http://' + 'api.test';\n"
          "const A = BASE;\n"
          "const URL1 = `${A}/v1/${'x'}`;\n"
          "let L = 'let';\n"
          "L = 'changed';\n"
          "const U = L + '!';\n"
          "const N = 'n' + 1;\n"
          "const D = `${unknown}`;\n");
  const char *v;
  size_t len;
  assert_int_equal(rl_js_eval_string(f.jf, value_of(&f, "URL1"), &v, &len), 1);
  assert_string_equal(v, "http://api.test/v1/x");
  assert_int_equal(len, strlen("http://api.test/v1/x"));
  assert_int_equal(rl_js_eval_string(f.jf, value_of(&f, "U"), &v, &len), 0);
  assert_int_equal(rl_js_eval_string(f.jf, value_of(&f, "N"), &v, &len), 0);
  assert_int_equal(rl_js_eval_string(f.jf, value_of(&f, "D"), &v, &len), 0);
  fx_close(&f);
}

/* ---- numbers --------------------------------------------------------------------- */

static int eval_last(rl_lang lang, const char *code, double *out) {
  fx f;
  fx_open(&f, lang, code);
  int ok = rl_js_eval_number(f.jf, last_expr(&f), out);
  fx_close(&f);
  return ok;
}

static void analysis__eval_number(void **state) {
  (void)state;
  double d;
  assert_int_equal(eval_last(RL_LANG_JS, "60 * 60 * 24 * 7;", &d), 1);
  assert_true(d == 604800);
  assert_int_equal(eval_last(RL_LANG_JS, "3600 * 72;", &d), 1);
  assert_true(d == 259200);
  assert_int_equal(eval_last(RL_LANG_JS, "const DAY = 86400; 30 * DAY;", &d), 1);
  assert_true(d == 2592000);
  assert_int_equal(eval_last(RL_LANG_JS, "1_000;", &d), 1);
  assert_true(d == 1000);
  assert_int_equal(eval_last(RL_LANG_JS, "0x10 + 0o10 + 0b10;", &d), 1);
  assert_true(d == 26);
  assert_int_equal(eval_last(RL_LANG_JS, "2 ** 10;", &d), 1);
  assert_true(d == 1024);
  assert_int_equal(eval_last(RL_LANG_JS, "1e3 / 4 - -(2) % 3;", &d), 1);
  assert_true(d == 252);
  assert_int_equal(eval_last(RL_LANG_JS, "Math.floor(7 / 2) + Math.ceil(0.5) + Math.round(2.5);", &d), 1);
  assert_true(d == 7);
  assert_int_equal(eval_last(RL_LANG_TS, "const H = 3600 as const; (H * 2) satisfies number;", &d), 1);
  assert_true(d == 7200);
  assert_int_equal(eval_last(RL_LANG_JS, "const A = 2; const B = A * 3; const C = B + A; C;", &d), 1);
  assert_true(d == 8);
  /* a let or var bound once and never assigned again is a const in all but name */
  assert_int_equal(eval_last(RL_LANG_JS, "let T = 60; var U = 2; T * U;", &d), 1);
  assert_true(d == 120);
  /* each use sees the declaration of its own scope: a shadow elsewhere changes nothing */
  assert_int_equal(eval_last(RL_LANG_JS, "const T = 1; function f(){ const T = 2; } T;", &d), 1);
  assert_true(d == 1);
  assert_int_equal(eval_last(RL_LANG_JS, "const T = 1; function f(T){ return T; } T;", &d), 1);
  assert_true(d == 1);
  assert_int_equal(eval_last(RL_LANG_JS, "const T = 1; function f(){ const T = 2; T; }", &d), 1);
  assert_true(d == 2);
  assert_int_equal(eval_last(RL_LANG_JS, "let T = 1; function f(T){ T = 3; } T;", &d), 1);
  assert_true(d == 1);
}

static void analysis__eval_number_unknown(void **state) {
  (void)state;
  double d;
  assert_int_equal(eval_last(RL_LANG_JS, "Math.floor(Date.now() / 1000) + 3600;", &d), 0);
  assert_int_equal(eval_last(RL_LANG_JS, "let T = 60; T = 90; T * 2;", &d), 0);     /* let, assigned again */
  assert_int_equal(eval_last(RL_LANG_JS, "var T = 60; T += 30; T * 2;", &d), 0);    /* var, assigned again */
  assert_int_equal(eval_last(RL_LANG_JS, "var T = 60; var T = 90; T * 2;", &d), 0); /* declared twice */
  assert_int_equal(eval_last(RL_LANG_JS, "const a = b; const b = a; a;", &d), 0);   /* cycle */
  assert_int_equal(eval_last(RL_LANG_JS, "const a = a + 1; a;", &d), 0);
  assert_int_equal(eval_last(RL_LANG_JS, "function f(T){ T; }", &d), 0);                  /* a parameter */
  assert_int_equal(eval_last(RL_LANG_JS, "function f(){ const T = 2; } T;", &d), 0);      /* out of its scope */
  assert_int_equal(eval_last(RL_LANG_JS, "let T = 1; function f(){ T = 2; } T;", &d), 0); /* assigned in a function */
  assert_int_equal(eval_last(RL_LANG_JS, "1 / 0;", &d), 0);
  assert_int_equal(eval_last(RL_LANG_JS, "10n * 2n;", &d), 0);
  assert_int_equal(eval_last(RL_LANG_JS, "'3600';", &d), 0);
  assert_int_equal(eval_last(RL_LANG_JS, "const { T } = cfg; T * 2;", &d), 0);
  assert_int_equal(eval_last(RL_LANG_JS, "const Math = { floor: (x) => x + 1 }; Math.floor(2);", &d), 0);
  assert_int_equal(eval_last(RL_LANG_JS, "undefinedName * 2;", &d), 0);
}

static void analysis__eval_exponential_fanout(void **state) {
  (void)state;
  /* 2^30 leaves if expanded: the step limit gives up instead. */
  rl_buf b = {0};
  rl_buf_puts(&b, "const v0 = 1;\n");
  for (int i = 1; i <= 30; i++) rl_buf_printf(&b, "const v%d = v%d + v%d;\n", i, i - 1, i - 1);
  rl_buf_puts(&b, "v30;\n");
  double d;
  assert_int_equal(eval_last(RL_LANG_JS, b.ptr, &d), 0);
  rl_buf_free(&b);
  assert_int_equal(eval_last(RL_LANG_JS,
                             "const v0 = 1; const v1 = v0; const v2 = v1; const v3 = v2;"
                             "const v4 = v3; const v5 = v4; const v6 = v5; const v7 = v6; v7;",
                             &d),
                   1);
  assert_true(d == 1);
  assert_int_equal(eval_last(RL_LANG_JS,
                             "const v0 = 1; const v1 = v0; const v2 = v1; const v3 = v2;"
                             "const v4 = v3; const v5 = v4; const v6 = v5; const v7 = v6;"
                             "const v8 = v7; const v9 = v8; v9;",
                             &d),
                   0); /* chains stop after 8 */
}

static void analysis__const_init(void **state) {
  (void)state;
  fx f;
  fx_open(&f, RL_LANG_JS,
          "const A = 1; let B = 2; const C = 3; const C2 = C; const { D } = o; var E = 5;\n"
          "A; B; C2; D; nope; B = 4; E;");
  TSNode init = rl_js_const_init(f.jf, find(&f, "identifier", "A", 1));
  assert_true(rl_js_text_is(f.jf, init, "1"));
  assert_true(ts_node_is_null(rl_js_const_init(f.jf, find(&f, "identifier", "B", 1))));          /* assigned again */
  assert_true(rl_js_text_is(f.jf, rl_js_const_init(f.jf, find(&f, "identifier", "E", 1)), "5")); /* var, once */
  assert_true(rl_js_text_is(f.jf, rl_js_const_init(f.jf, find(&f, "identifier", "C2", 1)), "C"));
  assert_true(ts_node_is_null(rl_js_const_init(f.jf, find(&f, "identifier", "D", 1))));
  assert_true(ts_node_is_null(rl_js_const_init(f.jf, find(&f, "identifier", "nope", 1))));
  fx_close(&f);
  /* declared twice in one scope: the same require or string is one value, another value is ambiguous */
  fx_open(&f, RL_LANG_JS,
          "var g = require('got'); var g = require('got'); var k = 'a'; var k = 'b';\n"
          "const S = require('p').Strategy; var S = require('p').Strategy; g; k; S;");
  assert_true(rl_js_text_is(f.jf, rl_js_const_init(f.jf, find(&f, "identifier", "g", 1)), "require('got')"));
  assert_true(ts_node_is_null(rl_js_const_init(f.jf, find(&f, "identifier", "k", 1))));
  assert_true(rl_js_text_is(f.jf, rl_js_const_init(f.jf, find(&f, "identifier", "S", 1)), "require('p').Strategy"));
  fx_close(&f);
}

/* An implicit global assigned once as a statement of the program binds like a
 * var never written again; assigned twice, in a function or a block, declared
 * anywhere, or one of the runtime's names, it does not. */
static void expect_implicit(const char *code, const char *name, const char *want) {
  fx f;
  fx_open(&f, RL_LANG_JS, code);
  TSNode init = rl_js_const_init(f.jf, find(&f, "identifier", name, 1));
  if (!want) {
    if (!ts_node_is_null(init)) fail_msg("%s: want no value for %s", code, name);
  } else if (!rl_js_text_is(f.jf, init, want)) {
    fail_msg("%s: want %s for %s", code, want, name);
  }
  fx_close(&f);
}

static void analysis__implicit_global(void **state) {
  (void)state;
  expect_implicit("client = new Sdk(k);\nfunction f() { return client; }", "client", "new Sdk(k)");
  expect_implicit("client = new Sdk(k);\nconst g = () => client.x();", "client", "new Sdk(k)");
  expect_implicit("client = new Sdk(k);\nclient = other;\nclient;", "client", NULL);
  expect_implicit("client = new Sdk(k);\nfunction f() { client = null; }\nclient;", "client", NULL);
  expect_implicit("client = new Sdk(k);\nclient++;\nclient;", "client", NULL);
  expect_implicit("function f() { client = new Sdk(k); }\nclient;", "client", NULL);
  expect_implicit("if (on) { client = new Sdk(k); }\nclient;", "client", NULL);
  expect_implicit("while (on) client = new Sdk(k);\nclient;", "client", NULL);
  expect_implicit("a = client = new Sdk(k);\nclient;", "client", NULL);
  expect_implicit("client += 1;\nclient;", "client", NULL);
  expect_implicit("client = new Sdk(k);\nfunction f(client) { return client; }", "client", NULL);
  expect_implicit("exports = module.exports = app;\nexports;", "exports", NULL);
}

/* The value `this.<name>` gets from the last member expression with that text. */
static void expect_this_fn(TSNode (*fn)(rl_jsfile *, TSNode), rl_lang lang, const char *code, const char *member,
                           const char *want) {
  fx f;
  fx_open(&f, lang, code);
  TSNode m = find(&f, "member_expression", member, 1);
  TSNode v = fn(f.jf, m);
  if (!want) {
    if (!ts_node_is_null(v)) fail_msg("%s: want no value", code);
  } else if (ts_node_is_null(v) || !rl_js_text_is(f.jf, v, want)) {
    size_t l = 0;
    const char *t = ts_node_is_null(v) ? "" : rl_js_text(f.jf, v, &l);
    fail_msg("%s: got '%.*s', want '%s'", code, (int)l, t, want);
  }
  fx_close(&f);
}

static void expect_this_member(rl_lang lang, const char *code, const char *member, const char *want) {
  expect_this_fn(rl_js_this_member, lang, code, member, want);
}

static void expect_this_value(rl_lang lang, const char *code, const char *member, const char *want) {
  expect_this_fn(rl_js_this_value, lang, code, member, want);
}

static int count_ident(void *data, TSNode n) {
  (void)n;
  (*(int *)data)++;
  return 0;
}

/* rl_js_idents_named: identifiers of a subtree by text, from one index. */
static void analysis__idents_named(void **state) {
  (void)state;
  fx f;
  fx_open(&f, RL_LANG_JS, "const a = 1; const ab = 2; function g(a) { return a + ab + a; } a;");
  TSNode root = rl_tree_root(f.tree);
  int n = 0;
  rl_js_idents_named(f.jf, root, "a", 1, count_ident, &n);
  assert_int_equal(n, 5); /* const a, parameter a, two uses, the last statement */
  n = 0;
  rl_js_idents_named(f.jf, find(&f, "function_declaration", NULL, 0), "a", 1, count_ident, &n);
  assert_int_equal(n, 3);
  n = 0;
  rl_js_idents_named(f.jf, root, "abc", 3, count_ident, &n);
  assert_int_equal(n, 0);
  fx_close(&f);
}

static void analysis__this_member(void **state) {
  (void)state;
  /* a field initialiser */
  expect_this_member(RL_LANG_JS, "class S { base = 'https://h.io'; go() { return this.base; } }", "this.base",
                     "'https://h.io'");
  /* the constructor */
  expect_this_member(RL_LANG_JS, "class S { constructor() { this.sdk = new HMSSDK(a, b); } go() { return this.sdk; } }",
                     "this.sdk", "new HMSSDK(a, b)");
  /* a TypeScript field without a value: the constructor sets it */
  expect_this_member(RL_LANG_TS,
                     "class S { private sdk: HMSSDK;\n constructor() { this.sdk = new HMSSDK(); }\n"
                     "  go() { return this.sdk; } }",
                     "this.sdk", "new HMSSDK()");
  /* another method, when the constructor does not set it */
  expect_this_member(RL_LANG_JS, "class S { init() { this.api = axios.create(c); } go() { return this.api; } }",
                     "this.api", "axios.create(c)");
  /* the constructor wins over a later method */
  expect_this_member(RL_LANG_JS,
                     "class S { reset() { this.u = b; } constructor() { this.u = a; } go() { return this.u; } }",
                     "this.u", "a");
  /* a nested class has its own this; outside a class there is nothing */
  expect_this_member(RL_LANG_JS, "class S { go() { class T { constructor() { this.k = 1; } } return this.k; } }",
                     "this.k", NULL);
  expect_this_member(RL_LANG_JS, "function f() { this.k = 1; return this.k; }", "this.k", NULL);
  /* rl_js_this_value, outside a class: the assignment that runs before the use, in the function whose `this` it is */
  expect_this_value(RL_LANG_JS, "function f() { this.k = 1; return this.k; }", "this.k", "1");
  expect_this_value(RL_LANG_JS, "module.exports = () => { this.k = 2; use(this.k); };", "this.k", "2");
  expect_this_value(RL_LANG_JS, "function f() { this.k = 1; } function g() { return this.k; }", "this.k", NULL);
  expect_this_value(RL_LANG_JS, "function f() { function g() { this.k = 1; } g(); return this.k; }", "this.k", NULL);
  expect_this_value(RL_LANG_JS, "class S { base = 'h'; go() { return this.base; } }", "this.base", "'h'");
}

/* ---- durations ----------------------------------------------------------------------- */

static void analysis__duration_parse(void **state) {
  (void)state;
  static const struct {
    const char *s;
    double seconds;
  } ok[] = {
      {"7d", 604800}, {"48h", 172800}, {"2w", 1209600},     {"30 days", 2592000}, {"1.5 hrs", 5400},
      {"90m", 5400},  {"10s", 10},     {"1y", 31557600},    {"1 YEAR", 31557600}, {"2 Weeks", 1209600},
      {"500ms", 0.5}, {"3 mins", 180}, {"1 hour", 3600},    {"2 secs", 2},        {"1 day", 86400},
      {".5h", 1800},  {"-1d", -86400}, {"5yrs", 157788000}, {"1 minute", 60},     {"2 seconds", 2},
  };
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    double s = -1;
    int unitless = -1;
    if (rl_duration_parse(ok[i].s, strlen(ok[i].s), &s, &unitless) != 1) fail_msg("%s", ok[i].s);
    if (s != ok[i].seconds) fail_msg("%s: %f", ok[i].s, s);
    assert_int_equal(unitless, 0);
  }
  double s;
  int unitless;
  assert_int_equal(rl_duration_parse("3600", 4, &s, &unitless), 1);
  assert_int_equal(unitless, 1);
  assert_true(s == 3.6); /* jsonwebtoken reads "3600" as 3600 ms */
  static const char *const bad[] = {"",    "d",   "7 d s", "7dd",           "seven days", "1.2.3h",
                                    "7d ", " 7d", "1.h",   "10 fortnights", "0x10s",      "7 d\n"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (rl_duration_parse(bad[i], strlen(bad[i]), &s, &unitless) != 0) fail_msg("'%s'", bad[i]);
}

/* ---- objects ------------------------------------------------------------------------ */

static void analysis__object_get(void **state) {
  (void)state;
  fx f;
  fx_open(&f, RL_LANG_JS,
          "const o = { a: 1, 'b-c': 2, 3: 'three', expiresIn, m() {}, [k]: 4, ['lit']: 5,"
          " ...rest, a: 6 };");
  TSNode o = value_of(&f, "o");
  assert_true(rl_js_text_is(f.jf, rl_js_object_get(f.jf, o, "a"), "6")); /* last one wins */
  assert_true(rl_js_text_is(f.jf, rl_js_object_get(f.jf, o, "b-c"), "2"));
  assert_true(rl_js_text_is(f.jf, rl_js_object_get(f.jf, o, "3"), "'three'"));
  TSNode sh = rl_js_object_get(f.jf, o, "expiresIn");
  assert_string_equal(ts_node_type(sh), "shorthand_property_identifier");
  assert_string_equal(ts_node_type(rl_js_object_get(f.jf, o, "m")), "method_definition");
  assert_true(rl_js_text_is(f.jf, rl_js_object_get(f.jf, o, "lit"), "5"));
  assert_true(ts_node_is_null(rl_js_object_get(f.jf, o, "k")));
  assert_true(ts_node_is_null(rl_js_object_get(f.jf, o, "rest")));
  assert_true(ts_node_is_null(rl_js_object_get(f.jf, o, "missing")));
  const char *k;
  size_t kl;
  TSNode pair = find(&f, "pair", NULL, 0);
  assert_int_equal(rl_js_pair_key(f.jf, pair, &k, &kl), 1);
  assert_int_equal(kl, 1);
  assert_memory_equal(k, "a", 1);
  fx_close(&f);
}

/* The value a method is handed on a call's result: chained, or through the
 * name the result is bound to in the same function; callbacks are not it. */
static void analysis__result_method_arg(void **state) {
  (void)state;
  static const char *const sends[] = {"write", "end", NULL};
  static const struct {
    const char *code;
    const char *want; /* the argument's text, NULL: none */
  } cases[] = {
      {"function f() { const r = request(o, cb); r.on('error', e); r.write(body); r.end(); }", "body"},
      {"request(o, cb).end(JSON.stringify(x));", "JSON.stringify(x)"},
      {"function f() { const r = request(o, cb); r.end(() => done()); }", NULL},
      {"function f() { const r = request(o, cb); other.end(body); }", NULL},
      {"function f() { request(o, cb); }", NULL},
      {"function f() { const r = request(o, cb); } function g() { r.end(body); }", NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    fx f;
    fx_open(&f, RL_LANG_JS, cases[i].code);
    TSNode call = find(&f, "call_expression", "request(o, cb)", 0);
    TSNode a = rl_js_result_method_arg(f.jf, call, sends);
    if (!cases[i].want && !ts_node_is_null(a)) fail_msg("case %zu: found an argument", i);
    if (cases[i].want && !rl_js_text_is(f.jf, a, cases[i].want)) fail_msg("case %zu: not %s", i, cases[i].want);
    fx_close(&f);
  }
}

static void analysis__object_of(void **state) {
  (void)state;
  fx f;
  fx_open(&f, RL_LANG_TS,
          "const opts = { expiresIn: '7d' } as const; let l = { a: 1 }; let w = { a: 1 }; w = {};\n"
          "const alias = opts; var v = { a: 1 }; var vw = { a: 1 }; vw = {};\n"
          "sign(opts); sign(l); sign(w); sign(alias); sign(v); sign({ x: 1 }); sign(other); sign(vw);");
  /* a var never assigned again holds its literal, as a let does */
  const char *names[] = {"opts", "l", "w", "alias", "v", NULL, "other", "vw"};
  const int want[] = {1, 1, 0, 1, 1, 1, 0, 0};
  TSNode call = find(&f, "call_expression", NULL, 0);
  for (size_t i = 0; i < 8; i++) {
    TSNode arg = rl_js_call_arg(call, 0);
    TSNode obj = rl_js_object_of(f.jf, arg);
    if (ts_node_is_null(obj) == want[i]) fail_msg("case %zu (%s)", i, names[i] ? names[i] : "{}");
    TSNode stmt = ts_node_next_named_sibling(ts_node_parent(call));
    if (!ts_node_is_null(stmt)) call = ts_node_named_child(stmt, 0);
  }
  TSNode o = rl_js_object_of(f.jf, find(&f, "identifier", "alias", 1));
  assert_true(rl_js_text_is(f.jf, rl_js_object_get(f.jf, o, "expiresIn"), "'7d'"));
  fx_close(&f);

  /* Objects changed after their literal are not known. */
  static const char *const mutated[] = {
      "const o = {}; o.expiresIn = '1h'; o;",         "const o = {}; o['expiresIn'] = '1h'; o;",
      "const o = { a: { b: 1 } }; o.a.b = 2; o;",     "const o = { expiresIn: '1h' }; delete o.expiresIn; o;",
      "const o = {}; Object.assign(o, defaults); o;", "const o = { n: 1 }; o.n++; o;",
  };
  for (size_t i = 0; i < sizeof mutated / sizeof mutated[0]; i++) {
    fx_open(&f, RL_LANG_JS, mutated[i]);
    if (!ts_node_is_null(rl_js_object_of(f.jf, last_expr(&f)))) fail_msg("%s", mutated[i]);
    fx_close(&f);
  }
  fx_open(&f, RL_LANG_JS, "const o = { a: 1 }; const x = o.a; f(o.a); o;");
  assert_false(ts_node_is_null(rl_js_object_of(f.jf, last_expr(&f)))); /* reads are fine */
  fx_close(&f);
}

/* ---- names, imports, calls ------------------------------------------------------------- */

static void analysis__resolve(void **state) {
  (void)state;
  rl_arena *a = rl_arena_new();
  static const struct {
    rl_lang lang;
    const char *code;
    const char *want; /* NULL: unresolvable */
  } cases[] = {
      {RL_LANG_JS, "import jwt from 'jsonwebtoken'; jwt.sign;", "jsonwebtoken:sign"},
      {RL_LANG_JS, "import * as jwt from 'jsonwebtoken'; jwt.sign;", "jsonwebtoken:sign"},
      {RL_LANG_JS, "const { sign } = require('jsonwebtoken'); sign;", "jsonwebtoken:sign"},
      {RL_LANG_JS, "const { sign: s } = require('jsonwebtoken'); s;", "jsonwebtoken:sign"},
      {RL_LANG_JS, "const jwt = require('jsonwebtoken'); jwt.sign;", "jsonwebtoken:sign"},
      {RL_LANG_JS, "var jwt = require('jsonwebtoken'); jwt.sign;", "jsonwebtoken:sign"},
      {RL_LANG_JS, "import { SignJWT as S } from 'jose'; S;", "jose:SignJWT"},
      {RL_LANG_JS, "import jwt from 'jsonwebtoken'; const s = jwt.sign; s;", "jsonwebtoken:sign"},
      {RL_LANG_JS, "import axios from 'axios'; axios;", "axios:"},
      {RL_LANG_JS, "import jwt, { decode } from 'jsonwebtoken'; decode;", "jsonwebtoken:decode"},
      {RL_LANG_JS, "import { default as j } from 'jsonwebtoken'; j.verify;", "jsonwebtoken:verify"},
      {RL_LANG_JS, "import * as jose from 'jose'; jose.SignJWT;", "jose:SignJWT"},
      {RL_LANG_JS, "require('jsonwebtoken').sign;", "jsonwebtoken:sign"},
      {RL_LANG_JS, "require('jsonwebtoken').default.sign;", "jsonwebtoken:sign"},
      {RL_LANG_JS, "const { a: { b } } = require('m'); b;", "m:a.b"},
      {RL_LANG_JS, "const jwt = require('jsonwebtoken'); const { sign } = jwt; sign;", "jsonwebtoken:sign"},
      {RL_LANG_JS,
       "async function f() { const { AccessToken } = await import('livekit-server-sdk');"
       " AccessToken; }",
       "livekit-server-sdk:AccessToken"},
      /* scopes: a use sees the innermost declaration around it */
      {RL_LANG_JS, "async function f() { const { AccessToken } = await import('livekit-server-sdk'); }\n AccessToken;",
       "AccessToken"},
      {RL_LANG_JS, "import jwt from 'jsonwebtoken'; function f(jwt) {} jwt.sign;", "jsonwebtoken:sign"},
      {RL_LANG_JS, "import jwt from 'jsonwebtoken'; function f(jwt) { jwt.sign; }", "jwt.sign"},
      {RL_LANG_TS, "import jwt from 'jsonwebtoken'; function f(jwt?: any) { jwt.sign; }", "jwt.sign"},
      {RL_LANG_TS, "import jwt from 'jsonwebtoken'; function f({ jwt }: T) { jwt.sign; }", "jwt.sign"},
      {RL_LANG_JS, "import jwt from 'jsonwebtoken'; try {} catch (jwt) { jwt.sign; }", "jwt.sign"},
      {RL_LANG_JS, "import jwt from 'jsonwebtoken'; try {} catch (jwt) {} jwt.sign;", "jsonwebtoken:sign"},
      {RL_LANG_JS, "import jwt from 'jsonwebtoken'; for (const jwt of xs) { jwt.sign; }", "jwt.sign"},
      {RL_LANG_JS, "import jwt from 'jsonwebtoken'; for (const jwt of xs) {} jwt.sign;", "jsonwebtoken:sign"},
      {RL_LANG_JS, "import jwt from 'jsonwebtoken'; const f = jwt => { jwt.sign; };", "jwt.sign"},
      {RL_LANG_JS, "import jwt from 'jsonwebtoken'; const f = jwt => 1; jwt.sign;", "jsonwebtoken:sign"},
      {RL_LANG_JS,
       "function a() { const j = require('jsonwebtoken'); } function b() { const j = require('jose'); j.sign; }",
       "jose:sign"},
      {RL_LANG_JS, "const j = require('jsonwebtoken'); function b() { var j = require('jose'); { j.sign; } }",
       "jose:sign"},
      {RL_LANG_JS, "const j = require('jsonwebtoken'); function b() { if (x) { var j = other; } j.sign; }",
       "other.sign"},
      {RL_LANG_JS, "const j = require('jsonwebtoken'); { let j = other; } j.sign;", "jsonwebtoken:sign"},
      {RL_LANG_JS, "const j = require('jsonwebtoken'); const f = function j() { j.sign; };", "j.sign"},
      {RL_LANG_TS, "const jwt = require('jsonwebtoken'); interface I { f(jwt: string): void } jwt.sign;",
       "jsonwebtoken:sign"},
      {RL_LANG_TS, "const jwt = require('jsonwebtoken'); type F = (jwt: string) => void; jwt.sign;",
       "jsonwebtoken:sign"},
      {RL_LANG_TS, "import jwt = require('jsonwebtoken'); jwt.sign;", "jsonwebtoken:sign"},
      {RL_LANG_TS, "import jwt from 'jsonwebtoken'; (jwt as any).sign;", "jsonwebtoken:sign"},
      {RL_LANG_JS, "import jwt from 'jsonwebtoken'; jwt['sign'];", "jsonwebtoken:sign"},
      {RL_LANG_JS, "res.json;", "res.json"},
      {RL_LANG_JS, "fetch;", "fetch"},
      {RL_LANG_JS, "process.env.X;", "process.env.X"},
      {RL_LANG_JS, "this.client.send;", "this.client.send"},
      {RL_LANG_JS, "import.meta.env.VITE_X;", "import.meta.env.VITE_X"},
      /* near misses: declared twice in one scope, or assigned */
      {RL_LANG_JS, "import jwt from 'jsonwebtoken'; class jwt {} jwt.sign;", "jwt.sign"},
      {RL_LANG_JS, "function f(jwt) { var jwt = require('jsonwebtoken'); jwt.sign; }", "jwt.sign"},
      {RL_LANG_JS, "var jwt = require('jsonwebtoken'); function f() { jwt = other; } jwt.sign;", "jwt.sign"},
      {RL_LANG_JS, "var jwt = require('jsonwebtoken'); function f(jwt) { jwt = other; } jwt.sign;",
       "jsonwebtoken:sign"},
      {RL_LANG_JS, "const jwt = require('jsonwebtoken'); const jwt2 = jwt; jwt2.sign;", "jsonwebtoken:sign"},
      {RL_LANG_JS, "import jwt from 'jsonwebtoken'; const jwt2 = 1; let s = jwt.sign; s = jwt2; s;", "s"},
      /* an alias bound once with let or var and never assigned again is followed */
      {RL_LANG_JS, "import jwt from 'jsonwebtoken'; let s = jwt.sign; s;", "jsonwebtoken:sign"},
      {RL_LANG_JS, "var AccessToken = require('twilio').jwt.AccessToken; AccessToken;", "twilio:jwt.AccessToken"},
      {RL_LANG_JS, "const jwt = require('jsonwebtoken'); { const jwt = mock; } jwt.sign;", "jsonwebtoken:sign"},
      {RL_LANG_JS, "const jwt = require('jsonwebtoken'); { const jwt = mock; jwt.sign; }", "mock.sign"},
      {RL_LANG_JS, "let jwt = require('jsonwebtoken'); jwt = fake; jwt.sign;", "jwt.sign"},
      {RL_LANG_JS, "const [sign] = require('jsonwebtoken'); sign;", "sign"},
      {RL_LANG_JS, "const { ...rest } = require('jsonwebtoken'); rest.sign;", "rest.sign"},
      {RL_LANG_JS, "import jwt from 'jsonwebtoken'; jwt[name];", NULL},
      {RL_LANG_JS, "getJwt().sign;", NULL},
      {RL_LANG_JS, "const a = b; const b = a; a.x;", NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *got = resolve_last(cases[i].lang, cases[i].code, a);
    if (!cases[i].want) {
      if (got) fail_msg("case %zu: want NULL, got %s", i, got);
    } else if (!got || strcmp(got, cases[i].want) != 0) {
      fail_msg("case %zu: want %s, got %s", i, cases[i].want, got ? got : "NULL");
    }
  }
  rl_arena_free(a);
}

static void analysis__callee_and_args(void **state) {
  (void)state;
  fx f;
  fx_open(&f, RL_LANG_TS,
          "import { SignJWT } from 'jose';\nimport jwt from 'jsonwebtoken';\n"
          "new SignJWT({ a: 1 });\njwt.sign(payload, /* c */ secret, { expiresIn: '7d' });\n");
  TSNode n = find(&f, "new_expression", NULL, 0);
  assert_string_equal(rl_js_callee(f.jf, n), "jose:SignJWT");
  TSNode c = find(&f, "call_expression", NULL, 0);
  assert_string_equal(rl_js_callee(f.jf, c), "jsonwebtoken:sign");
  assert_true(rl_js_text_is(f.jf, rl_js_call_arg(c, 0), "payload"));
  assert_true(rl_js_text_is(f.jf, rl_js_call_arg(c, 1), "secret")); /* comment skipped */
  assert_string_equal(ts_node_type(rl_js_call_arg(c, 2)), "object");
  assert_true(ts_node_is_null(rl_js_call_arg(c, 3)));
  assert_null(rl_js_callee(f.jf, find(&f, "identifier", "payload", 0)));
  fx_close(&f);
}

static void analysis__imports(void **state) {
  (void)state;
  fx f;
  fx_open(&f, RL_LANG_TS,
          "import type { X } from '@100mslive/server-sdk';\nimport { Y } from '@100mslive/react-sdk';\n"
          "const jwt = require(\"jsonwebtoken\");\n"
          "async function g() { await import('livekit-server-sdk'); }\n"
          "export { y } from './local';\nimport fs = require('fs');\nrequire(dyn);\n");
  assert_false(rl_js_imports(f.jf, "@100mslive/server-sdk")); /* type-only: erased */
  assert_true(rl_js_imports(f.jf, "@100mslive/react-sdk"));
  assert_true(rl_js_imports(f.jf, "@100mslive"));
  assert_true(rl_js_imports(f.jf, "jsonwebtoken"));
  assert_true(rl_js_imports(f.jf, "livekit-server-sdk"));
  assert_true(rl_js_imports(f.jf, "./local"));
  assert_true(rl_js_imports(f.jf, "fs"));
  assert_false(rl_js_imports(f.jf, "json"));
  assert_false(rl_js_imports(f.jf, "@100mslive/server"));
  assert_false(rl_js_imports(f.jf, "jose"));
  fx_close(&f);
}

static void analysis__env_read(void **state) {
  (void)state;
  rl_arena *keep = rl_arena_new();
  static const struct {
    const char *code;
    const char *want;
  } cases[] = {
      {"process.env.HMS_SECRET;", "HMS_SECRET"},
      {"process.env['HMS_SECRET'];", "HMS_SECRET"},
      {"process.env[\"A_B\"];", "A_B"},
      {"import.meta.env.VITE_KEY;", "VITE_KEY"},
      {"Deno.env.get('DENO_KEY');", "DENO_KEY"},
      {"Bun.env.BUN_KEY;", "BUN_KEY"},
      {"(process.env.X as string);", "X"},
      {"process.env.X!;", "X"},
      {"const { SECRET } = process.env; SECRET;", "SECRET"},
      {"process.env[name];", NULL},
      {"process.env;", NULL},
      {"env.X;", NULL},
      {"other.env.X;", NULL},
      {"const process = fake; process.env.X;", NULL},
      {"Deno.env.toObject();", NULL},
      {"let { SECRET } = process.env; SECRET;", NULL},
      {"import process from 'node:process'; process.env.IMPORTED;", "IMPORTED"},
      {"import { env } from 'process'; env.FROM_ENV;", "FROM_ENV"},
      {"function f(process: any) { process.env.SHADOWED; }", NULL},
      {"function f(process: any) {} process.env.OUTSIDE;", "OUTSIDE"},
      {"const Bun = {}; Bun.env.X;", NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    fx f;
    fx_open(&f, RL_LANG_TS, cases[i].code);
    const char *name = NULL;
    size_t len = 0;
    int r = rl_js_env_read(f.jf, last_expr(&f), &name, &len);
    if (cases[i].want) {
      if (r != 1 || len != strlen(cases[i].want) || memcmp(name, cases[i].want, len) != 0)
        fail_msg("case %zu: want %s, got %d '%.*s'", i, cases[i].want, r, (int)len, name ? name : "");
    } else if (r != 0) {
      fail_msg("case %zu: want no env read, got '%.*s'", i, (int)len, name);
    }
    fx_close(&f);
  }
  rl_arena_free(keep);
}

static void analysis__tsx_and_jsx_parse(void **state) {
  (void)state;
  rl_arena *a = rl_arena_new();
  const char *r = resolve_last(RL_LANG_TSX,
                               "import { useHMSActions } from '@100mslive/react-sdk';\n"
                               "export function C(): JSX.Element { return <div>{1}</div>; }\nuseHMSActions;",
                               a);
  assert_string_equal(r, "@100mslive/react-sdk:useHMSActions");
  r = resolve_last(RL_LANG_JS, "import React from 'react';\nconst E = () => <b/>;\nReact.useState;", a);
  assert_string_equal(r, "react:useState");
  rl_arena_free(a);
}

/* ---- secrets ---------------------------------------------------------------------------- */

static void analysis__name_is_secret(void **state) {
  (void)state;
  static const struct {
    const char *name;
    int secret;
  } cases[] = {
      {"appSecret", 1},
      {"app_secret", 1},
      {"HMS_SECRET", 1},
      {"apiSecret", 1},
      {"API_SECRET", 1},
      {"HMS_APP_SECRET", 1},
      {"appCertificate", 1},
      {"APP_CERTIFICATE", 1},
      {"AGORA_CERT", 1}, /* Agora's app certificate, by the provider's name */
      {"NEXT_PUBLIC_AGORA_CERT", 1},
      {"AGORA_PRIMARY_CERTIFICATE", 1},
      {"agoraCert", 1},
      {"AGORA_CERT_PATH", 0}, /* a path to it, not it */
      {"SSL_CERT", 0},        /* a TLS certificate is public */
      {"CA_CERT", 0},
      {"certificate", 0},
      {"authToken", 1},
      {"managementToken", 1},
      {"HMS_MANAGEMENT_TOKEN", 1},
      {"PRIVATE_KEY", 1},
      {"privateKey", 1},
      {"CLIENT_SECRET", 1},
      {"clientSecret", 1},
      {"password", 1},
      {"DB_PASSWORD", 1},
      {"dbPass", 1},
      {"pwd", 1},
      {"secret", 1},
      {"JWT_SECRET", 1},
      {"jwtSecret", 1},
      {"JWTSecret", 1},
      {"signingKey", 1},
      {"SIGNING_KEY", 1},
      {"secretKey", 1},
      {"SECRET_KEY_BASE", 1},
      {"accessToken", 1},
      {"apiToken", 1},
      {"bearerToken", 1},
      {"GITHUB_TOKEN", 1},
      {"token", 1},
      {"appsecret", 1},
      {"webhook-secret", 1},
      {"AWS_SECRET_ACCESS_KEY", 1},
      {"secretValue", 1},
      {"JWT_SECRET_2", 1},
      {"NEXT_PUBLIC_HMS_SECRET", 1},
      {"agoraAppCert", 1},
      {"refreshToken", 1},
      {"credentials", 1},
      {"ACCESS_KEY", 0},
      {"accessKey", 0},
      {"HMS_ACCESS_KEY", 0},
      {"TEMPLATE_ID", 0},
      {"templateId", 0},
      {"APP_ID", 0},
      {"ROOM_ID", 0},
      {"SUBDOMAIN", 0},
      {"KEY_ID", 0},
      {"publicKey", 0},
      {"PUBLIC_KEY", 0},
      {"tokenUrl", 0},
      {"tokenEndpoint", 0},
      {"TOKEN_URL", 0},
      {"expiresIn", 0},
      {"secretName", 0},
      {"hasSecret", 0},
      {"isSecret", 0},
      {"SECRET_MANAGER_URL", 0},
      {"passwordHash", 0},
      {"showPassword", 0},
      {"getToken", 0},
      {"nextPageToken", 0},
      {"csrfToken", 0},
      {"tokenType", 0},
      {"TOKEN_EXPIRY", 0},
      {"apiKey", 0},
      {"API_KEY", 0},
      {"passport", 0},
      {"secretary", 0},
      {"PRIVATE_KEY_PATH", 0},
      {"privateKeyId", 0},
      {"minPasswordLength", 0},
      {"pushToken", 0},
      {"key", 0},
      {"", 0},
      {"roomCode", 0},
      {"tokenServer", 0},
      {"SECRET_ARN", 0},
      {"UNEXPECTED_TOKEN", 0},
      {"currToken", 0},
      {"parsedToken", 0},
      {"removeToken", 0},
      {"readPassword", 0},
      {"redactUrlPassword", 0},
      {"REDACTED_NPM_SECRET", 0},
      {"fsMiniPass", 0},
      {"tokenKey", 0},
      {"authTokenKey", 0},
      {"myToken", 0},
      {"CODECOV_TOKEN", 1},
      {"SMTP_PASS", 1},
      {"userPass", 1},
      {"githubToken", 1},
      {"idToken", 1},
      {"sessionToken", 1},
      {"HMS_TOKEN", 1},
      /* the digit rule (rl_name_words, rl_word_is): numbered and versioned
       * copies of a secret are secrets; digits inside a word stay there */
      {"secret2", 1},
      {"TOKEN1", 1},
      {"JWT_ACCESS_SECRET_V2", 1},
      {"appSecretV1", 1},
      {"s3SecretKey", 1},
      {"S3_SECRET", 1},
      {"base64Secret", 1},
      {"secretBase64", 1},
      {"sessionSecretB64", 1},
      {"oauth2Token", 1},
      {"auth0Token", 1},
      {"password123", 1},
      {"secret12345", 0},
      {"secretV2Url", 0},
      {"tokenCount2", 0},
      {"SECRET_2FA_ISSUER", 0},
      {"secret2fa", 0},
      {"apiKey1", 0},
  };
  size_t n = sizeof cases / sizeof cases[0];
  assert_true(n >= 40);
  for (size_t i = 0; i < n; i++) {
    int got = rl_name_is_secret(cases[i].name, strlen(cases[i].name));
    if (got != cases[i].secret) fail_msg("%s: want %d, got %d", cases[i].name, cases[i].secret, got);
  }
}

static void analysis__value_placeholder(void **state) {
  (void)state;
  static const char *const yes[] = {
      "",
      "   ",
      "YOUR_APP_SECRET",
      "your-app-secret",
      "<your app secret>",
      "changeme",
      "change_me",
      "xxx",
      "XXXX",
      "****",
      "dummy",
      "example",
      "test",
      "secret",
      "password",
      "TODO",
      "REPLACE_ME",
      "${VAR}",
      "{{VAR}}",
      "$HMS_SECRET",
      "%SECRET%",
      "process.env.HMS_SECRET",
      "import.meta.env.VITE_X",
      "my-super-secret-key",
      "your_management_token_here",
      "sk_your_key_here",
      "0000000000000",
      "xxxx-xxxx-xxxx",
      "[SECRET]",
      "secret123",
      "put-your-secret-here",
      "jwtSecretKey",
      "abcdef123456",
      "abcabcabcabc",
      "a1a1a1a1a1a1",
      "qwerty123456",
      "1234567890abcdef",
      "100ms-app-secret",
      "key_2",
      "test1234",
  };
  for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
    if (!rl_value_is_placeholder(yes[i], strlen(yes[i]))) fail_msg("'%s' should be a placeholder", yes[i]);
  static const char *const no[] = {
      "a8f3K29xLq0pZ7",
      "s3cr3tV4lu3Xyz",
      "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
      "c2VjcmV0LWtleS1mb3ItdGVzdGluZw",
      "$uperS3cretPa55",
      "{\"k\":\"v8fK29xLq0pZ7\"}",
  };
  for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
    if (rl_value_is_placeholder(no[i], strlen(no[i]))) fail_msg("'%s' is not a placeholder", no[i]);
}

static void analysis__value_looks_secret(void **state) {
  (void)state;
  static const char *const yes[] = {
      "a8f3K29xLq0pZ7",
      "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
      "c2VjcmV0LWtleS1mb3ItdGVzdGluZw==",
      "9f86d081884c7d659a2feaa0c55ad015",
      "Tr0ub4dor&3xyz",
      "kQzPwLmRtXvBnHsJ",
  };
  for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
    if (!rl_value_looks_secret(yes[i], strlen(yes[i]))) fail_msg("'%s' should look secret", yes[i]);
  static const char *const no[] = {
      "abc123",               /* short */
      "YOUR_APP_SECRET_1234", /* placeholder */
      "aaaaaaaaaaaaaaaaaaaa", /* one repeated char */
      "abcdefghijklmnop",     /* one class */
      "ABCDEFGHIJKLMNOP",
      "12345678901234567890",
      "https://api.100ms.live/v2", /* URL */
      "/etc/secrets/hms.key1",     /* path */
      "./keys/private2.pem",
      "this is a sentence 123", /* spaces */
      "process.env.HMS_SECRET1",
      "${HMS_APP_SECRET_2}",
  };
  for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
    if (rl_value_looks_secret(no[i], strlen(no[i]))) fail_msg("'%s' should not look secret", no[i]);
}

static void analysis__hms_app_secret(void **state) {
  (void)state;
  char v[173];
  for (size_t i = 0; i < 171; i++) v[i] = "AbC0_x-9"[i % 8];
  v[171] = '=';
  v[172] = '\0';
  assert_true(rl_is_hms_app_secret(v, 172));
  for (size_t i = 0; i < 171; i++) v[i] = "AbC0+x/9"[i % 8];
  assert_true(rl_is_hms_app_secret(v, 172));
  v[5] = '_'; /* mixing the two alphabets */
  assert_false(rl_is_hms_app_secret(v, 172));
  v[5] = 'a';
  v[171] = 'A'; /* no padding */
  assert_false(rl_is_hms_app_secret(v, 172));
  v[171] = '=';
  assert_false(rl_is_hms_app_secret(v, 171));
  v[10] = '.';
  assert_false(rl_is_hms_app_secret(v, 172));
}

/* ---- base64 and JWT ------------------------------------------------------------------- */

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Test-side base64url encoder (no padding) for building tokens. */
static char *b64url(rl_arena *a, const char *in) {
  size_t n = strlen(in);
  char *o = rl_arena_alloc(a, n / 3 * 4 + 5);
  size_t w = 0;
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = (uint32_t)(unsigned char)in[i] << 16;
    if (i + 1 < n) v |= (uint32_t)(unsigned char)in[i + 1] << 8;
    if (i + 2 < n) v |= (uint32_t)(unsigned char)in[i + 2];
    o[w++] = b64chars[(v >> 18) & 63];
    o[w++] = b64chars[(v >> 12) & 63];
    if (i + 1 < n) o[w++] = b64chars[(v >> 6) & 63];
    if (i + 2 < n) o[w++] = b64chars[v & 63];
  }
  o[w] = '\0';
  return o;
}

static void analysis__base64_decode(void **state) {
  (void)state;
  rl_arena *a = rl_arena_new();
  unsigned char *out;
  size_t n;
  assert_int_equal(rl_base64_decode("aGVsbG8=", 8, a, &out, &n), 1);
  assert_int_equal(n, 5);
  assert_memory_equal(out, "hello", 5);
  assert_int_equal(rl_base64_decode("aGVsbG8", 7, a, &out, &n), 1);
  assert_memory_equal(out, "hello", 5);
  assert_int_equal(rl_base64_decode("-_-_", 4, a, &out, &n), 1);
  assert_int_equal(n, 3);
  assert_int_equal(out[0], 0xfb);
  assert_int_equal(rl_base64_decode("+/+/", 4, a, &out, &n), 1);
  assert_int_equal(out[0], 0xfb);
  assert_int_equal(rl_base64_decode("", 0, a, &out, &n), 1);
  assert_int_equal(n, 0);
  assert_int_equal(rl_base64_decode("a", 1, a, &out, &n), 0);
  assert_int_equal(rl_base64_decode("ab!d", 4, a, &out, &n), 0);
  rl_arena_free(a);
}

static void analysis__jwt_decode(void **state) {
  (void)state;
  rl_arena *a = rl_arena_new();
  char *h = b64url(a, "{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
  char *p = b64url(a, "{\"access_key\":\"6123abc\",\"type\":\"management\",\"version\":2,"
                      "\"iat\":1700000000,\"nbf\":1700000000,\"exp\":1700086400,\"jti\":\"x\"}");
  char *tok = rl_arena_printf(a, "%s.%s.c2lnbmF0dXJl_-", h, p);
  rl_jwt j;
  assert_int_equal(rl_jwt_decode(tok, strlen(tok), a, &j), 1);
  assert_string_equal(j.alg, "HS256");
  assert_string_equal(j.access_key, "6123abc");
  assert_string_equal(j.type, "management");
  assert_int_equal(j.version, 2);
  assert_true(j.iat == 1700000000);
  assert_true(j.exp == 1700086400);
  assert_non_null(strstr(j.payload_json, "\"jti\":\"x\""));

  /* Fields that are absent stay NULL / -1. */
  char *p2 = b64url(a, "{\"sub\":\"u\"}");
  char *tok2 = rl_arena_printf(a, "%s.%s.", h, p2);
  assert_int_equal(rl_jwt_decode(tok2, strlen(tok2), a, &j), 1);
  assert_null(j.access_key);
  assert_null(j.type);
  assert_int_equal(j.version, -1);
  assert_true(j.exp == -1 && j.iat == -1);

  /* Not JWTs. */
  char *arr = b64url(a, "[1,2]");
  const char *bad[] = {
      "abc",
      "a.b",
      rl_arena_printf(a, "%s.%s.sig.extra", h, p),
      rl_arena_printf(a, "%s.%s.sig", h, arr), /* payload not an object */
      rl_arena_printf(a, "%s.%s.sig", b64url(a, "notjson"), p),
      rl_arena_printf(a, "%s.%s.s!g", h, p), /* bad signature chars */
      rl_arena_printf(a, "%s..sig", h),
      "www.example.com",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (rl_jwt_decode(bad[i], strlen(bad[i]), a, &j) != 0) fail_msg("case %zu decoded", i);
  rl_arena_free(a);
}

/* ---- tree index, steps, budget ------------------------------------------------ */

typedef struct parent_check {
  size_t visited, differ;
} parent_check;

static int parent_cb(void *data, TSNode n) {
  parent_check *pc = data;
  pc->visited++;
  TSNode a = rl_js_parent(n), b = ts_node_parent(n);
  if (!ts_node_eq(a, b) && !(ts_node_is_null(a) && ts_node_is_null(b))) pc->differ++;
  return 0;
}

/* The index gives the same parent as ts_node_parent for every node,
 * anonymous ones included (rl_js_walk visits named ones; their children's
 * parents are checked through them). */
static void analysis__parent_index_matches_tree_sitter(void **state) {
  (void)state;
  fx f;
  fx_open(&f, RL_LANG_TSX,
          "import x from 'y';\nconst a = `t${b ? c.d.e : [1, {k: f(g)}]}`;\n"
          "export default () => <div a=\"s\">{a + 'x' + a}<br/></div>;\nclass C { m() { if (a) return; } }\n");
  rl_jsfile_begin(f.jf);
  parent_check pc = {0, 0};
  rl_js_walk(rl_jsfile_root(f.jf), parent_cb, &pc);
  assert_true(pc.visited > 40);
  assert_int_equal(pc.differ, 0);
  assert_true(ts_node_is_null(rl_js_parent(rl_jsfile_root(f.jf))));
  assert_true(rl_jsfile_node_count(f.jf) > pc.visited); /* anonymous nodes too */
  assert_true(rl_jsfile_max_depth(f.jf) >= 8);
  rl_jsfile_end(f.jf);
  fx_close(&f);
}

/* Walk and parent steps are counted; once the budget is spent the walk stops
 * and parents are null, so every loop over them ends. */
static void analysis__budget_stops_walks_and_parents(void **state) {
  (void)state;
  fx f;
  fx_open(&f, RL_LANG_JS, "const a = 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9;\nconst b = a;\n");
  rl_jsfile_begin(f.jf);
  counter all = {0, 0, 0}, some = {0, 0, 0};
  rl_js_walk(rl_jsfile_root(f.jf), count_cb, &all);
  uint64_t used = rl_jsfile_steps(f.jf);
  assert_true(used >= (uint64_t)all.all);
  assert_false(rl_jsfile_exhausted(f.jf));
  TSNode leaf = find(&f, "number", "9", 0);
  assert_false(ts_node_is_null(rl_js_parent(leaf)));
  used = rl_jsfile_steps(f.jf);
  rl_jsfile_set_budget(f.jf, used + 5);
  rl_js_walk(rl_jsfile_root(f.jf), count_cb, &some);
  assert_true(some.all < all.all);
  assert_true(rl_jsfile_exhausted(f.jf));
  assert_true(ts_node_is_null(rl_js_parent(leaf)));
  rl_jsfile_end(f.jf);
  fx_close(&f);
}

/* Subtrees for a query on a deep tree: no higher than asked, and together
 * they hold every node that is not above them. */
static void analysis__shallow_roots(void **state) {
  (void)state;
  fx f;
  rl_buf code = {0};
  rl_buf_puts(&code, "const s = 'a'");
  for (int i = 0; i < 50; i++) rl_buf_puts(&code, " + 'a'");
  rl_buf_puts(&code, ";\nconst t = 1;\n");
  rl_buf_putc(&code, '\0');
  fx_open(&f, RL_LANG_JS, code.ptr);
  rl_jsfile_begin(f.jf);
  TSNode *roots;
  size_t covered, n = rl_jsfile_shallow_roots(f.jf, 10, &roots, &covered);
  assert_true(n > 1);
  assert_true(covered < rl_jsfile_node_count(f.jf));
  int has_t = 0;
  for (size_t i = 0; i < n; i++) {
    size_t len;
    const char *t = rl_js_text(f.jf, roots[i], &len);
    if (len == 12 && !memcmp(t, "const t = 1;", 12)) has_t = 1;
  }
  assert_true(has_t); /* a shallow statement is one subtree, whole */
  rl_jsfile_end(f.jf);
  fx_close(&f);
  rl_buf_free(&code);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(analysis__text_and_unwrap),
      cmocka_unit_test(analysis__enclosing_function_kinds),
      cmocka_unit_test(analysis__walk_skip_and_stop),
      cmocka_unit_test(analysis__walk_deep_nesting),
      cmocka_unit_test(analysis__string_escapes),
      cmocka_unit_test(analysis__string_value_rejects),
      cmocka_unit_test(analysis__template_static),
      cmocka_unit_test(analysis__jsx_attribute_string_is_raw),
      cmocka_unit_test(analysis__eval_string),
      cmocka_unit_test(analysis__eval_number),
      cmocka_unit_test(analysis__eval_number_unknown),
      cmocka_unit_test(analysis__eval_exponential_fanout),
      cmocka_unit_test(analysis__const_init),
      cmocka_unit_test(analysis__implicit_global),
      cmocka_unit_test(analysis__idents_named),
      cmocka_unit_test(analysis__this_member),
      cmocka_unit_test(analysis__duration_parse),
      cmocka_unit_test(analysis__object_get),
      cmocka_unit_test(analysis__object_of),
      cmocka_unit_test(analysis__result_method_arg),
      cmocka_unit_test(analysis__resolve),
      cmocka_unit_test(analysis__callee_and_args),
      cmocka_unit_test(analysis__imports),
      cmocka_unit_test(analysis__env_read),
      cmocka_unit_test(analysis__tsx_and_jsx_parse),
      cmocka_unit_test(analysis__name_is_secret),
      cmocka_unit_test(analysis__value_placeholder),
      cmocka_unit_test(analysis__value_looks_secret),
      cmocka_unit_test(analysis__hms_app_secret),
      cmocka_unit_test(analysis__base64_decode),
      cmocka_unit_test(analysis__jwt_decode),
      cmocka_unit_test(analysis__parent_index_matches_tree_sitter),
      cmocka_unit_test(analysis__budget_stops_walks_and_parents),
      cmocka_unit_test(analysis__shallow_roots),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
