/* The YAML reader: the shapes configs are written in, what it refuses (with
 * line and column), and the edges: tabs, CRLF, BOM, unterminated quotes,
 * deep nesting, repeated keys. Trees are compared as a compact dump:
 * {k:v,...} [v,...] and scalars in <>, newlines as \n. */
#include "rltest.h"

#include <stdio.h>
#include <string.h>

#include "util.h"
#include "yaml.h"

static void dump(rl_buf *b, const rl_yaml_node *v) {
  if (!v) {
    rl_buf_puts(b, "NULL");
    return;
  }
  if (v->type == RL_YAML_SCALAR) {
    rl_buf_putc(b, '<');
    for (size_t i = 0; i < v->len; i++) {
      if (v->value[i] == '\n')
        rl_buf_puts(b, "\\n");
      else if (v->value[i] == '\0')
        rl_buf_puts(b, "\\0");
      else
        rl_buf_putc(b, v->value[i]);
    }
    rl_buf_putc(b, '>');
    return;
  }
  rl_buf_putc(b, v->type == RL_YAML_MAPPING ? '{' : '[');
  for (size_t i = 0; i < v->n; i++) {
    if (i) rl_buf_putc(b, ',');
    if (v->type == RL_YAML_MAPPING) {
      dump(b, v->keys[i]);
      rl_buf_putc(b, ':');
    }
    dump(b, v->items[i]);
  }
  rl_buf_putc(b, v->type == RL_YAML_MAPPING ? '}' : ']');
}

static const rl_yaml_node *parse_ok(const char *text, size_t len) {
  rl_yaml_node *root = NULL;
  rl_yaml_error err;
  if (rl_yaml_parse(&root, rl_test_arena, text, len, 16, &err) != 0)
    fail_msg("%u:%u: %s in <<%s>>", err.line, err.column, err.message, text);
  return root;
}

/* Reads text and compares its dump with want. */
static void same(const char *text, const char *want) {
  rl_buf b = {0};
  dump(&b, parse_ok(text, strlen(text)));
  if (strcmp(b.ptr, want) != 0) fail_msg("<<%s>>\n read as %s\n wanted  %s", text, b.ptr, want);
  rl_buf_free(&b);
}

/* Reads text, which must fail at line:column with a message holding want. */
static rl_yaml_error refused_n(const char *text, size_t len, unsigned line, unsigned col, const char *want) {
  rl_yaml_node *root = NULL;
  rl_yaml_error err;
  if (rl_yaml_parse(&root, rl_test_arena, text, len, 16, &err) == 0) fail_msg("<<%s>> was read", text);
  if (err.line != line || err.column != col || !strstr(err.message, want))
    fail_msg("<<%s>>: got %u:%u: %s, wanted %u:%u: ...%s", text, err.line, err.column, err.message, line, col, want);
  return err;
}

static rl_yaml_error refused(const char *text, unsigned line, unsigned col, const char *want) {
  return refused_n(text, strlen(text), line, col, want);
}

static void yaml__block_collections(void **state) {
  (void)state;
  same("a: 1\nb: two words\n", "{<a>:<1>,<b>:<two words>}");
  same("rules:\n  enable: [x]\n  disable:\n    - y\n    - z\nfail-on: note\n",
       "{<rules>:{<enable>:[<x>],<disable>:[<y>,<z>]},<fail-on>:<note>}");
  /* a sequence at its key's indentation, then the next key */
  same("ignore:\n- a\n- b\nnext: c\n", "{<ignore>:[<a>,<b>],<next>:<c>}");
  /* compact forms: a mapping and a sequence in a sequence entry */
  same("secrets:\n  - id: k-1\n    regex: \"x+\"\n    keywords:\n      - a\n  - id: k-2\n",
       "{<secrets>:[{<id>:<k-1>,<regex>:<x+>,<keywords>:[<a>]},{<id>:<k-2>}]}");
  same("- - a\n  - b\n- c\n", "[[<a>,<b>],<c>]");
  /* empty values */
  same("a:\nb:\n  # only a comment\nc: ~\n", "{<a>:<>,<b>:<>,<c>:<~>}");
  same("- \n-\n", "[<>,<>]");
  /* scalars are not typed, and ':' or '#' inside a word is text */
  same("u: http://x.example/a#b\nt: yes\nn: 012\n", "{<u>:<http://x.example/a#b>,<t>:<yes>,<n>:<012>}");
  /* keys may be quoted and may hold spaces */
  same("\"a b\": 1\n'c': 2\nd e : 3\n", "{<a b>:<1>,<c>:<2>,<d e>:<3>}");
  /* a root indented, and a top-level scalar */
  same("  a: 1\n  b: 2\n", "{<a>:<1>,<b>:<2>}");
  same("just text\n", "<just text>");
}

static void yaml__flow_collections(void **state) {
  (void)state;
  same("a: [x, 'y z', \"w\"]\n", "{<a>:[<x>,<y z>,<w>]}");
  same("a: {b: [1, 2], c: {d: e}}\n", "{<a>:{<b>:[<1>,<2>],<c>:{<d>:<e>}}}");
  same("a: [x, y, ]\nb: []\nc: {}\n", "{<a>:[<x>,<y>],<b>:[],<c>:{}}");
  same("a: [x,  # one\n    y]\n", "{<a>:[<x>,<y>]}");
  same("a: {k, v: }\n", "{<a>:{<k>:<>,<v>:<>}}");
  same("a: {\"k\":1}\n", "{<a>:{<k>:<1>}}");
  same("a: [http://x/y, a:b]\n", "{<a>:[<http://x/y>,<a:b>]}");
  refused("a: [x, y\n", 1, 4, "never closed");
  refused("a: [x y: z]\n", 1, 8, "not supported");
  refused("a: [x] junk\n", 1, 8, "unexpected text");
  refused("a: {[x]: 1}\n", 1, 5, "collection as a key");
}

static void yaml__scalars(void **state) {
  (void)state;
  /* plain text goes on, folded, on lines indented more than its key */
  same("a: one\n  two\n\n  three\nb: x\n", "{<a>:<one two\\nthree>,<b>:<x>}");
  same("a: one # comment\nb: 'it''s'\n", "{<a>:<one>,<b>:<it's>}");
  same("a: 'one\n  two'\n", "{<a>:<one two>}");
  same("a: \"t\\tb\\n\\x41\\u00e9\\U0001F600\\\\\\\"\\/\"\n", "{<a>:<t\tb\\nA\xC3\xA9\xF0\x9F\x98\x80\\\"/>}");
  same("a: \"x\\0y\"\n", "{<a>:<x\\0y>}");
  same("a: \"join\\\n   ed\"\n", "{<a>:<joined>}");
  same("a: \"two\n\n   lines\"\n", "{<a>:<two\\nlines>}");
  refused("a: \"\\q\"\n", 1, 5, "unknown escape");
  refused("a: \"\\x4\"\n", 1, 5, "hex digits");
  refused("a: \"\\ud800\"\n", 1, 5, "no character");
  /* block scalars: literal keeps lines, folded joins them; chomping */
  same("a: |\n  one\n  two\n\nb: x\n", "{<a>:<one\\ntwo\\n>,<b>:<x>}");
  same("a: |-\n  one\n   two\n", "{<a>:<one\\n two>}");
  same("a: |+\n  one\n\n\nb: x\n", "{<a>:<one\\n\\n\\n>,<b>:<x>}");
  same("a: >\n  one\n  two\n\n  three\n    more\n  four\n", "{<a>:<one two\\nthree\\n  more\\nfour\\n>}");
  same("a: |2\n    x\n", "{<a>:<  x\\n>}");
  same("- |\n  text # not a comment\n- b\n", "[<text # not a comment\\n>,<b>]");
  same("a: |\nb: c\n", "{<a>:<>,<b>:<c>}");
}

static void yaml__refused_features(void **state) {
  (void)state;
  refused("a: &x 1\nb: *x\n", 1, 4, "anchors");
  refused("a: 1\nb: *x\n", 2, 4, "aliases");
  refused("a: !!str 1\n", 1, 4, "tags");
  refused("- !tag x\n", 1, 3, "tags");
  refused("&a k: 1\n", 1, 1, "anchors");
  refused("%YAML 1.2\n---\na: 1\n", 1, 1, "directives");
  refused("a: 1\n---\nb: 2\n", 2, 1, "several documents");
  refused("---\na: 1\n...\n---\nb: 2\n", 4, 1, "several documents");
  refused("? a\n: 1\n", 1, 1, "complex keys");
  refused("a: {? b: 1}\n", 1, 5, "complex keys");
  refused("--- a: 1\n", 1, 5, "'---' line");
  /* start and end markers around one document are fine */
  same("# c\n---\na: 1\n...\n# after\n", "{<a>:<1>}");
}

static void yaml__syntax_errors(void **state) {
  (void)state;
  refused("a: b: c\n", 1, 5, "': ' inside a plain value");
  refused("a: 1\n  b: 2\n", 2, 4, "': ' inside a plain value");
  refused("a:\n  b: 1\n    c: 2\n", 3, 6, "': ' inside a plain value");
  refused("a:\n    b: 1\n  c: 2\n", 3, 3, "indented more");
  refused("- a\nb: 1\n", 2, 1, "unexpected text after the document");
  refused("a: 1\n- b\n", 2, 1, "unexpected text after the document");
  refused("a: [1]\n  - b\n", 2, 3, "indented more");
  refused("a: - b\n", 1, 4, "sequence entry");
  refused("a: ]\n", 1, 4, "bracket");
  refused("a: \"x\" y\n", 1, 8, "unexpected text");
  refused("a: @x\n", 1, 4, "'@'");
}

static void yaml__tabs(void **state) {
  (void)state;
  refused("a:\n\tb: 1\n", 2, 1, "tab in the indentation");
  refused("a:\n  \tb: 1\n", 2, 3, "tab in the indentation");
  /* a tab after the indentation separates, and may sit in a value */
  same("a:\tx\tx\nb: [1,\t2]\n", "{<a>:<x\tx>,<b>:[<1>,<2>]}");
  /* a line of blanks and tabs is an empty line */
  same("a: 1\n\t\nb: 2\n", "{<a>:<1>,<b>:<2>}");
}

static void yaml__crlf_and_bom(void **state) {
  (void)state;
  same("\xEF\xBB\xBFrules:\r\n  disable:\r\n    - a\r\n  enable: [b]\r\n",
       "{<rules>:{<disable>:[<a>],<enable>:[<b>]}}");
  same("a: |\r\n  x\r\n  y\r\n", "{<a>:<x\\ny\\n>}");
  same("a: 'p\r\n  q'\r\n", "{<a>:<p q>}");
  same("a: 1\rb: 2\r", "{<a>:<1>,<b>:<2>}");
  /* lines and columns count CRLF as one break */
  const rl_yaml_node *v = parse_ok("a: 1\r\nb:\r\n  - x\r\n", 17);
  assert_int_equal(v->keys[1]->line, 2);
  assert_int_equal(v->items[1]->items[0]->line, 3);
  assert_int_equal(v->items[1]->items[0]->column, 5);
  refused("a: 1\r\n\tb: 2\r\n", 2, 1, "tab");
  /* a BOM anywhere else is a character, and a key cannot hold it silently */
  refused_n("a: 1\n\x01", 6, 2, 1, "control character 0x01");
  refused_n("a: \xC3(\n", 6, 1, 4, "invalid UTF-8");
  refused_n("a: x\0y\n", 7, 1, 5, "control character 0x00");
}

static void yaml__unterminated(void **state) {
  (void)state;
  refused("a: 'open\nb: 1\n", 1, 4, "does not end");
  refused("a: \"open\n", 1, 4, "does not end");
  refused("a: \"x\\", 1, 4, "does not end");
  refused("'k: 1\n", 1, 1, "does not end");
  refused("a: {b: [1, 2}\n", 1, 13, "expected ',' or ']'");
  refused("a: {b: 1\n", 1, 4, "never closed");
}

static void yaml__deep_nesting(void **state) {
  (void)state;
  /* 16 levels are read, the 17th is refused where it starts */
  rl_buf b = {0};
  rl_buf_puts(&b, "a:");
  for (int k = 0; k < 15; k++) rl_buf_puts(&b, " [");
  for (int k = 0; k < 15; k++) rl_buf_putc(&b, ']');
  rl_buf_putc(&b, '\n');
  assert_non_null(parse_ok(b.ptr, b.len));
  rl_buf_free(&b);
  rl_buf_puts(&b, "a:\n");
  for (int k = 0; k < 20; k++) {
    for (int s = 0; s < k + 1; s++) rl_buf_puts(&b, "  ");
    rl_buf_puts(&b, "k:\n");
  }
  rl_yaml_error err = refused(b.ptr, 17, 33, "nested deeper than 16 levels");
  assert_true(err.too_deep);
  rl_buf_free(&b);
  /* a very deep flow is refused at once, without recursing through it */
  for (int k = 0; k < 100000; k++) rl_buf_puts(&b, "{a: ");
  err = refused(b.ptr, 1, 65, "nested deeper");
  assert_true(err.too_deep);
  rl_buf_free(&b);
}

static void yaml__duplicate_keys_kept(void **state) {
  (void)state;
  /* the reader keeps both, in order, with their lines; the config refuses them */
  const rl_yaml_node *v = parse_ok("a: 1\nb: 2\na: 3\n", 15);
  assert_int_equal(v->n, 3);
  assert_string_equal(v->keys[2]->value, "a");
  assert_int_equal(v->keys[2]->line, 3);
  same("{a: 1, a: 2}", "{<a>:<1>,<a>:<2>}");
}

static void yaml__empty_documents(void **state) {
  (void)state;
  const char *empties[] = {"", "\n\n", "# only\n  # comments\n", "---\n", "---\n...\n", "\xEF\xBB\xBF"};
  for (size_t i = 0; i < RL_ARRAY_LEN(empties); i++) {
    rl_yaml_node *root = (rl_yaml_node *)1;
    rl_yaml_error err;
    assert_int_equal(rl_yaml_parse(&root, rl_test_arena, empties[i], strlen(empties[i]), 16, &err), 0);
    assert_null(root);
  }
}

static void yaml__positions(void **state) {
  (void)state;
  const rl_yaml_node *v = parse_ok("# head\nrules:\n  severity:\n    x: note\n", 38);
  const rl_yaml_node *sev = v->items[0]->items[0];
  assert_int_equal(v->keys[0]->line, 2);
  assert_int_equal(sev->line, 4);
  assert_int_equal(sev->keys[0]->column, 5);
  assert_int_equal(sev->items[0]->column, 8);
  assert_int_equal(sev->items[0]->style, RL_YAML_PLAIN);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(yaml__block_collections, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(yaml__flow_collections, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(yaml__scalars, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(yaml__refused_features, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(yaml__syntax_errors, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(yaml__tabs, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(yaml__crlf_and_bom, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(yaml__unterminated, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(yaml__deep_nesting, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(yaml__duplicate_keys_kept, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(yaml__empty_documents, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(yaml__positions, rl_test_arena_setup, rl_test_arena_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
