/* Pattern semantics of .gitignore / .roomlintignore, table-driven. Every row
 * states what git itself answers for the same pattern and path (checked
 * against `git check-ignore` when the table was written). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ignore.h"

typedef struct glob_case {
  const char *pattern;
  const char *path;
  int match;
} glob_case;

/* rl_glob_match: one pattern, whole path, pathname semantics. */
static const glob_case glob_cases[] = {
    {"foo", "foo", 1},
    {"foo", "fo", 0},
    {"foo", "fooo", 0},
    {"foo", "Foo", 0},
    {"*", "foo", 1},
    {"*", "", 1},
    {"*", "foo/bar", 0},
    {"*.js", "a.js", 1},
    {"*.js", ".js", 1},
    {"*.js", "dir/a.js", 0},
    {"*.js", "a.jsx", 0},
    {"f*o", "fo", 1},
    {"f*o", "f/o", 0},
    {"f?o", "foo", 1},
    {"f?o", "fo", 0},
    {"f?o", "f/o", 0},
    {"??", "ab", 1},
    {"??", "abc", 0},
    /* bracket expressions */
    {"[abc]x", "bx", 1},
    {"[abc]x", "dx", 0},
    {"[a-c]x", "cx", 1},
    {"[a-c]x", "Cx", 0},
    {"[!a-c]x", "bx", 0},
    {"[!a-c]x", "dx", 1},
    {"[^a-c]x", "dx", 1},
    {"[^a-c]x", "ax", 0},
    {"[]]", "]", 1},
    {"[]]", "a", 0},
    {"[!]]", "a", 1},
    {"[!]]", "]", 0},
    {"[]-]", "-", 1},
    {"[a-]", "-", 1},
    {"[a-]", "a", 1},
    {"[-a]", "-", 1},
    {"[\\]]", "]", 1},
    {"[\\-a]", "-", 1},
    {"[[:digit:]]x", "5x", 1},
    {"[[:digit:]]x", "ax", 0},
    {"[[:alpha:]]", "Q", 1},
    {"[[:alpha:]]", "5", 0},
    {"[[:upper:][:digit:]]", "7", 1},
    {"[[:upper:][:digit:]]", "q", 0},
    {"[![:space:]]", "a", 1},
    {"[![:space:]]", " ", 0},
    {"[[:xdigit:]]", "F", 1},
    {"[[:xdigit:]]", "g", 0},
    {"[[:punct:]]", "!", 1},
    {"[[:foo:]]", "f", 0}, /* unknown class: the pattern never matches */
    {"[abc", "a", 0},      /* unterminated: never matches */
    {"[abc", "[abc", 0},
    {"a[/]b", "a/b", 0}, /* a bracket never matches '/' */
    {"a[!x]b", "a/b", 0},
    {"[[:a]", "[", 1}, /* no ":]": '[' is an ordinary member */
    {"[[:a]", ":", 1},
    /* escapes */
    {"\\*", "*", 1},
    {"\\*", "a", 0},
    {"\\?", "?", 1},
    {"\\?", "a", 0},
    {"\\[a]", "[a]", 1},
    {"\\[a]", "a", 0},
    {"a\\b", "ab", 1},
    {"foo\\", "foo\\", 0}, /* trailing backslash: never matches */
    {"foo\\", "foo", 0},
    /* ** */
    {"**", "a", 1},
    {"**", "a/b/c", 1},
    {"a/**", "a/b", 1},
    {"a/**", "a/b/c", 1},
    {"a/**", "a", 0},
    {"a/**", "ab/c", 0},
    {"**/b", "b", 1},
    {"**/b", "a/b", 1},
    {"**/b", "a/x/b", 1},
    {"**/b", "ab", 0},
    {"**/b", "a/xb", 0},
    {"a/**/b", "a/b", 1},
    {"a/**/b", "a/x/b", 1},
    {"a/**/b", "a/x/y/b", 1},
    {"a/**/b", "a/xb", 0},
    {"a/**/b", "ab", 0},
    {"a/**/b", "x/a/b", 0},
    {"a/**/**/b", "a/b", 1},
    {"a/**/**/b", "a/x/y/b", 1},
    {"**/a/**", "x/a/y", 1},
    {"**/a/**", "a/y", 1},
    {"**/a/**", "xa/y", 0},
    {"**/*.js", "a/b/c.js", 1},
    {"**/*.js", "c.js", 1},
    {"a**b", "axyb", 1}, /* not at a segment boundary: like one star */
    {"a**b", "a/b", 0},
    {"a/**b", "a/xb", 1},
    {"a/**b", "a/x/b", 0},
    {"**b", "xb", 1},
    {"**b", "x/b", 0},
    {"***/b", "x/y/b", 1},
    {"foo/*", "foo/bar", 1},
    {"foo/*", "foo/bar/baz", 0},
    {"foo/*/baz", "foo/bar/baz", 1},
    {"foo/*/baz", "foo/baz", 0},
    /* many stars: bounded work, still right */
    {"*a*a*a*a*a*a*b", "aaaaaaaaaaab", 1},
    {"*a*a*a*a*a*a*b", "aaaaaaaaaaa", 0},
    {"*a*b*c*", "xaybzc", 1},
    {"*a*b*c*", "xaybz", 0},
};

static void ignore__glob_table(void **state) {
  (void)state;
  size_t failures = 0;
  for (size_t i = 0; i < sizeof glob_cases / sizeof glob_cases[0]; i++) {
    const glob_case *c = &glob_cases[i];
    int got = rl_glob_match(c->pattern, strlen(c->pattern), c->path, strlen(c->path));
    if (got != c->match) {
      printf("glob %-24s path %-16s: expected %d, got %d\n", c->pattern, c->path, c->match, got);
      failures++;
    }
  }
  assert_int_equal(failures, 0);
}

typedef struct list_case {
  const char *text; /* the ignore file */
  const char *base; /* its directory, relative to the scan root */
  const char *path;
  int is_dir;
  int verdict; /* 1 ignored, -1 re-included, 0 no pattern matched */
} list_case;

static const list_case list_cases[] = {
    /* a pattern without a slash matches the name at any depth */
    {"*.log\n", "", "a.log", 0, 1},
    {"*.log\n", "", "x/y/a.log", 0, 1},
    {"*.log\n", "", "a.logx", 0, 0},
    {"secret.js\n", "", "src/deep/secret.js", 0, 1},
    {"secret.js\n", "", "src/secret.js.bak", 0, 0},
    /* a leading slash or an inner slash anchors to the file's directory */
    {"/build.js\n", "", "build.js", 0, 1},
    {"/build.js\n", "", "x/build.js", 0, 0},
    {"doc/frotz\n", "", "doc/frotz", 0, 1},
    {"doc/frotz\n", "", "a/doc/frotz", 0, 0},
    {"doc/frotz/\n", "", "doc/frotz", 1, 1},
    {"doc/frotz/\n", "", "doc/frotz", 0, 0},
    {"doc/frotz/\n", "", "a/doc/frotz", 1, 0},
    /* trailing slash: directories only, at any depth when no other slash */
    {"frotz/\n", "", "a/frotz", 1, 1},
    {"frotz/\n", "", "a/frotz", 0, 0},
    {"frotz/\n", "", "frotz", 1, 1},
    /* negation and last-match-wins */
    {"*.js\n!keep.js\n", "", "keep.js", 0, -1},
    {"*.js\n!keep.js\n", "", "x.js", 0, 1},
    {"*.js\n!keep.js\n", "", "y.ts", 0, 0},
    {"!keep.js\n*.js\n", "", "keep.js", 0, 1},
    {"gen/\n!gen/\n", "", "gen", 1, -1},
    {"*.js\n!/top.js\n", "", "top.js", 0, -1},
    {"*.js\n!/top.js\n", "", "a/top.js", 0, 1},
    /* comments, blank lines, escapes */
    {"# comment\n\n   \nfoo.js\n", "", "foo.js", 0, 1},
    {"#file.js\n", "", "#file.js", 0, 0},
    {"\\#file.js\n", "", "#file.js", 0, 1},
    {"\\!important.js\n", "", "!important.js", 0, 1},
    {"\\!important.js\n", "", "important.js", 0, 0},
    {" #x.js\n", "", " #x.js", 0, 1}, /* only a leading # starts a comment */
    /* trailing spaces: trimmed unless escaped */
    {"foo.js   \n", "", "foo.js", 0, 1},
    {"foo.js   \n", "", "foo.js   ", 0, 0},
    {"foo.js\\ \n", "", "foo.js ", 0, 1},
    {"foo.js\\ \n", "", "foo.js", 0, 0},
    {"foo.js\\  \n", "", "foo.js ", 0, 1},
    {"foo.js\t\n", "", "foo.js\t", 0, 1}, /* only spaces are trimmed */
    /* CRLF files, a UTF-8 BOM, no final newline */
    {"a.js\r\nb.js\r\n", "", "a.js", 0, 1},
    {"a.js\r\nb.js\r\n", "", "b.js", 0, 1},
    {"\xEF\xBB\xBF"
     "a.js\n",
     "", "a.js", 0, 1},
    {"x.js\nlast.js", "", "last.js", 0, 1},
    /* nested file: only paths below its directory, anchored there */
    {"*.js\n", "sub", "sub/a.js", 0, 1},
    {"*.js\n", "sub", "sub/x/a.js", 0, 1},
    {"*.js\n", "sub", "a.js", 0, 0},
    {"*.js\n", "sub", "subx/a.js", 0, 0},
    {"*\n", "sub", "sub", 1, 0},
    {"/x.js\n", "sub", "sub/x.js", 0, 1},
    {"/x.js\n", "sub", "sub/y/x.js", 0, 0},
    {"a/b.js\n", "sub", "sub/a/b.js", 0, 1},
    {"a/b.js\n", "sub", "sub/c/a/b.js", 0, 0},
    {"a/b.js\n", "sub", "a/b.js", 0, 0},
    {"**/gen\n", "sub", "sub/gen", 1, 1},
    {"**/gen\n", "sub", "sub/x/y/gen", 1, 1},
    {"lib/**\n", "sub/d", "sub/d/lib/x/y.js", 0, 1},
    {"lib/**\n", "sub/d", "sub/lib/x.js", 0, 0},
    /* malformed and empty patterns are dropped, the rest still work */
    {"[abc\n*.min.js\n", "", "a.min.js", 0, 1},
    {"[abc\n", "", "[abc", 0, 0},
    {"!\n/\n", "", "x", 1, 0},
    {"foo\\\n", "", "foo", 0, 0},
};

static void ignore__list_table(void **state) {
  (void)state;
  size_t failures = 0;
  for (size_t i = 0; i < sizeof list_cases / sizeof list_cases[0]; i++) {
    const list_case *c = &list_cases[i];
    rl_ignore *ig = rl_ignore_new(c->base, c->text, strlen(c->text));
    int got = rl_ignore_match(ig, c->path, c->is_dir);
    if (got != c->verdict) {
      printf("case %zu: base \"%s\" path \"%s\" dir %d: expected %d, got %d\n", i, c->base, c->path, c->is_dir,
             c->verdict, got);
      failures++;
    }
    rl_ignore_free(ig);
  }
  assert_int_equal(failures, 0);
}

/* A reference matcher written the obvious, backtracking way (git's wildmatch
 * algorithm), for short inputs only: the NFA must agree with it everywhere. */
static int ref_match(const char *start, const char *p, const char *t) {
  for (; *p; p++, t++) {
    if (*p == '*') {
      const char *first = p;
      int match_slash = 0;
      if (p[1] == '*') {
        while (*p == '*') p++;
        if ((first == start || first[-1] == '/') && (*p == '\0' || *p == '/')) {
          if (*p == '/' && ref_match(start, p + 1, t)) return 1;
          match_slash = 1;
        }
      } else {
        p++;
      }
      if (*p == '\0') return match_slash || strchr(t, '/') == NULL;
      for (;; t++) {
        if (ref_match(start, p, t)) return 1;
        if (*t == '\0' || (!match_slash && *t == '/')) return 0;
      }
    }
    if (*t == '\0') return 0;
    if (*p == '?') {
      if (*t == '/') return 0;
    } else if (*p == '[') {
      /* only the forms generated below: [ab] and [!a] */
      int negated = p[1] == '!';
      int in = negated ? (*t != 'a') : (*t == 'a' || *t == 'b');
      if (!in || *t == '/') return 0;
      p = strchr(p, ']');
    } else if (*p != *t) {
      return 0;
    }
  }
  return *t == '\0';
}

static void ignore__agrees_with_backtracking_reference(void **state) {
  (void)state;
  static const char *const toks[] = {"a", "b", "/", "*", "?", "**", "[ab]", "[!a]", "**/", "/**"};
  static const char chars[] = {'a', 'b', '/'};
  uint32_t seed = 12345;
  size_t disagreements = 0;
  for (int round = 0; round < 100000; round++) {
    char pat[64] = "", text[16];
    seed = seed * 1103515245u + 12345u;
    int ntok = 1 + (int)((seed >> 16) % 6);
    for (int k = 0; k < ntok; k++) {
      seed = seed * 1103515245u + 12345u;
      size_t used = strlen(pat);
      snprintf(pat + used, sizeof pat - used, "%s", toks[(seed >> 16) % (sizeof toks / sizeof toks[0])]);
    }
    seed = seed * 1103515245u + 12345u;
    size_t tl = (seed >> 16) % 9;
    for (size_t k = 0; k < tl; k++) {
      seed = seed * 1103515245u + 12345u;
      text[k] = chars[(seed >> 16) % 3];
    }
    text[tl] = '\0';
    int want = ref_match(pat, pat, text);
    int got = rl_glob_match(pat, strlen(pat), text, tl);
    if (want != got && disagreements++ < 10)
      printf("pattern %s text %s: reference %d, rl_glob_match %d\n", pat, text, want, got);
  }
  assert_int_equal(disagreements, 0);
}

/* `*a*a*a*a*a*a*b` against a long run of a's makes a backtracking matcher
 * take exponential time; this test would not finish with one. */
static void ignore__pathological_pattern_is_linear(void **state) {
  (void)state;
  size_t n = 4000;
  char *path = malloc(n + 2);
  assert_non_null(path);
  memset(path, 'a', n);
  path[n] = '\0';
  const char *pats[] = {"*a*a*a*a*a*a*a*a*a*a*a*a*b", "**/*a*a*a*a*a*a*a*a*a*a*b",
                        "a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*c"};
  for (size_t i = 0; i < sizeof pats / sizeof pats[0]; i++) {
    assert_int_equal(rl_glob_match(pats[i], strlen(pats[i]), path, n), 0);
  }
  /* and with slashes every few bytes, through an ignore list */
  for (size_t i = 7; i < n - 1; i += 8) path[i] = '/';
  const char *text = "*a*a*a*a*a*a*b\n**/a*a*a*a*a*a*a*a*a*a*a*/**/*a*a*a*a*a*b\n";
  rl_ignore *ig = rl_ignore_new("", text, strlen(text));
  assert_int_equal(rl_ignore_match(ig, path, 0), 0);
  path[n - 1] = 'b';
  assert_int_equal(rl_ignore_match(ig, path, 0), 1);
  rl_ignore_free(ig);
  free(path);
}

/* A pattern longer than the matcher's on-stack state set still works. */
static void ignore__long_pattern(void **state) {
  (void)state;
  size_t n = 3000;
  char *pat = malloc(n + 1), *path = malloc(n + 1);
  assert_non_null(pat);
  assert_non_null(path);
  for (size_t i = 0; i < n; i++) {
    pat[i] = (i % 2) ? '*' : 'x';
    path[i] = 'x';
  }
  pat[n] = path[n] = '\0';
  assert_int_equal(rl_glob_match(pat, n, path, n / 2 + 1), 1);
  assert_int_equal(rl_glob_match(pat, n, path, n / 2 - 1), 0);
  free(pat);
  free(path);
}

static void ignore__null_and_empty(void **state) {
  (void)state;
  assert_int_equal(rl_ignore_match(NULL, "a.js", 0), 0);
  rl_ignore *ig = rl_ignore_new("", "", 0);
  assert_int_equal(rl_ignore_match(ig, "a.js", 0), 0);
  rl_ignore_free(ig);
  rl_ignore_free(NULL);
  ig = rl_ignore_new(NULL, NULL, 0);
  assert_int_equal(rl_ignore_match(ig, "a.js", 0), 0);
  rl_ignore_free(ig);
  /* a base given with a trailing slash means the same directory */
  ig = rl_ignore_new("sub/", "/a.js\n", 6);
  assert_int_equal(rl_ignore_match(ig, "sub/a.js", 0), 1);
  rl_ignore_free(ig);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(ignore__glob_table),
      cmocka_unit_test(ignore__list_table),
      cmocka_unit_test(ignore__agrees_with_backtracking_reference),
      cmocka_unit_test(ignore__pathological_pattern_is_linear),
      cmocka_unit_test(ignore__long_pattern),
      cmocka_unit_test(ignore__null_and_empty),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
