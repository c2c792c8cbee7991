/* The README's rule table and roomlint(1)'s RULES section say what the rule
 * descriptors say. A rule added, renamed or given another severity or CWE
 * fails here until both documents follow; the message prints the lines to
 * paste. The man page's section is exactly what the descriptors give; the
 * README's "finds" column is prose and stays hand-written. */
#include "rltest.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule.h"
#include "source.h"

typedef struct {
  char text[16384];
  size_t len;
  int problems;
} report;

__attribute__((format(printf, 2, 3))) static void say(report *r, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(r->text + r->len, sizeof r->text - r->len, fmt, ap);
  va_end(ap);
  if (n > 0) r->len += (size_t)n < sizeof r->text - r->len ? (size_t)n : sizeof r->text - r->len - 1;
}

static char *read_doc(const char *rel) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", RL_SOURCE_DIR, rel);
  char *bytes = NULL;
  size_t len = 0;
  if (rl_file_read(path, 1u << 22, &bytes, &len) != RL_SKIP_NONE) fail_msg("cannot read %s", path);
  return bytes;
}

/* ---- roomlint(1): .SH RULES up to ".PP\n.B roomlint \-\-explain" ---------- */

static const char MAN_START[] = ".SH RULES\n";
static const char MAN_END[] = ".PP\n.B roomlint \\-\\-explain";

/* The section as the descriptors give it, in table order. */
static void man_expected(report *want) {
  say(want, "%s", MAN_START);
  for (size_t i = 0; i < rl_builtin_rule_count; i++) {
    const rl_rule *r = rl_builtin_rules[i];
    say(want, ".TP\n.B ");
    for (const char *p = r->id; *p; p++) say(want, "%s%c", *p == '-' ? "\\" : "", *p); /* roff: \- is a hyphen */
    say(want, "\n%s (%s).\n", r->title, rl_severity_name(r->severity));
  }
}

static void man_check(const char *man, report *out) {
  report want = {.len = 0};
  man_expected(&want);
  const char *a = strstr(man, MAN_START);
  const char *b = a ? strstr(a, MAN_END) : NULL;
  if (!a || !b) {
    out->problems++;
    say(out, "man/roomlint.1: no '.SH RULES' section ending at '.PP .B roomlint \\-\\-explain'\n");
    return;
  }
  if ((size_t)(b - a) == want.len && !memcmp(a, want.text, want.len)) return;
  out->problems++;
  say(out, "man/roomlint.1: the RULES section differs from the rule descriptors; it should read:\n%.*s", (int)want.len,
      want.text);
}

/* ---- README.md: the table under "## Rules" ----------------------------- */

/* Cell k (0-based) of a "| a | b | c |" row, trimmed, into out. */
static int cell(const char *row, size_t rowlen, int k, char *out, size_t n) {
  const char *p = row, *end = row + rowlen;
  if (p >= end || *p != '|') return 0;
  for (int i = 0; i <= k; i++) {
    const char *s = p + 1, *e = memchr(s, '|', (size_t)(end - s));
    /* `\|` inside a cell is not a separator */
    while (e && e > s && e[-1] == '\\') e = memchr(e + 1, '|', (size_t)(end - e - 1));
    if (!e) return 0;
    if (i == k) {
      while (s < e && *s == ' ') s++;
      while (e > s && e[-1] == ' ') e--;
      snprintf(out, n, "%.*s", (int)(e - s), s);
      return 1;
    }
    p = e;
  }
  return 0;
}

static void readme_check(const char *readme, report *out) {
  const char *sec = strstr(readme, "\n## Rules\n");
  if (!sec) {
    out->problems++;
    say(out, "README.md: no '## Rules' section\n");
    return;
  }
  sec += strlen("\n## Rules\n");
  const char *end = strstr(sec, "\n#");
  if (!end) end = sec + strlen(sec);
  int seen[256] = {0};
  assert_true(rl_builtin_rule_count <= 256);
  for (const char *l = sec; l < end;) {
    const char *nl = memchr(l, '\n', (size_t)(end - l));
    size_t len = nl ? (size_t)(nl - l) : (size_t)(end - l);
    char id[128], sev[32], cwe[32];
    if (len > 3 && !strncmp(l, "| `", 3) && cell(l, len, 0, id, sizeof id) && cell(l, len, 1, sev, sizeof sev) &&
        cell(l, len, 2, cwe, sizeof cwe)) {
      size_t il = strlen(id);
      if (il >= 2 && id[0] == '`' && id[il - 1] == '`') {
        memmove(id, id + 1, il - 2);
        id[il - 2] = '\0';
      }
      const rl_rule *r = rl_builtin_rule_find(id);
      if (!r) {
        out->problems++;
        say(out, "README.md: the rule table lists '%s', which is no built-in rule\n", id);
      } else {
        size_t i = 0;
        while (rl_builtin_rules[i] != r) i++;
        char want_cwe[16];
        snprintf(want_cwe, sizeof want_cwe, "%d", r->cwe);
        if (seen[i]++) {
          out->problems++;
          say(out, "README.md: the rule table lists '%s' twice\n", id);
        }
        if (strcmp(sev, rl_severity_name(r->severity)) || strcmp(cwe, want_cwe)) {
          out->problems++;
          say(out, "README.md: '%s' is %s, CWE %s in the table; the descriptor says %s, CWE %s\n", id, sev, cwe,
              rl_severity_name(r->severity), want_cwe);
        }
      }
    }
    l += len + 1;
  }
  for (size_t i = 0; i < rl_builtin_rule_count; i++) {
    const rl_rule *r = rl_builtin_rules[i];
    if (seen[i]) continue;
    out->problems++;
    say(out, "README.md: the rule table lacks '%s'; add the row\n| `%s` | %s | %d | <what it finds> |\n", r->id, r->id,
        rl_severity_name(r->severity), r->cwe);
  }
}

/* ---- the documents as they are ----------------------------------------- */

static void check_doc(const char *rel, void (*check)(const char *text, report *out)) {
  char *text = read_doc(rel);
  report r = {.len = 0};
  check(text, &r);
  if (r.problems) fail_msg("%s", r.text);
  free(text);
}

static void rule_docs__man_rules_section_matches_descriptors(void **state) {
  (void)state;
  check_doc("man/roomlint.1", man_check);
}

static void rule_docs__readme_table_matches_descriptors(void **state) {
  (void)state;
  check_doc("README.md", readme_check);
}

/* ---- and the checks fail when a document drifts ------------------------ */

/* A copy of text with the first `from` replaced by `to`. */
static char *replaced(const char *text, const char *from, const char *to) {
  const char *at = strstr(text, from);
  assert_non_null(at);
  size_t n = strlen(text) - strlen(from) + strlen(to);
  char *s = malloc(n + 1);
  assert_non_null(s);
  snprintf(s, n + 1, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
  return s;
}

static void rule_docs__drift_is_caught(void **state) {
  (void)state;
  char *readme = read_doc("README.md");
  char *man = read_doc("man/roomlint.1");
  struct {
    const char *doc, *from, *to, *says;
  } cases[] = {
      {"README", "| `secret-logged` | warning |", "| `secret-logged` | error |", "the descriptor says warning"},
      {"README", "| `client-chosen-role` | note | 639 |", "| `client-chosen-role` | note | 640 |", "CWE 639"},
      {"README", "| `client-chosen-role` |", "| `client-chose-role` |", "lacks 'client-chosen-role'"},
      {"README", "| `client-chosen-role` |", "| `client-chosen-role` | note | 639 | x |\n| `client-chosen-role` |",
       "twice"},
      {"man", ".B secret\\-logged\nSecret or token written to a log (warning).\n", "", "should read"},
      {"man", "Token signed without an expiry (warning).", "Token signed without an expiry (error).", "should read"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int is_readme = !strcmp(cases[i].doc, "README");
    char *bad = replaced(is_readme ? readme : man, cases[i].from, cases[i].to);
    report r = {.len = 0};
    if (is_readme)
      readme_check(bad, &r);
    else
      man_check(bad, &r);
    if (!r.problems || !strstr(r.text, cases[i].says))
      fail_msg("case %zu: %s edited ('%s' -> '%s') gave %d problems, without '%s':\n%s", i, cases[i].doc, cases[i].from,
               cases[i].to, r.problems, cases[i].says, r.text);
    free(bad);
  }
  free(readme);
  free(man);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(rule_docs__man_rules_section_matches_descriptors),
      cmocka_unit_test(rule_docs__readme_table_matches_descriptors),
      cmocka_unit_test(rule_docs__drift_is_caught),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
