/* Reporters: each sink's output for one synthetic run is compared byte for
 * byte with tests/golden/report.{txt,json,sarif}, report-color.txt and
 * report-verbose.txt (RL_UPDATE_GOLDEN=1 rewrites them); the golden SARIF
 * must pass Sarif.Multitool's Gh;Sarif validation with an empty result list
 * (its default levels: no error, no warning; advisory notes are not listed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "arena.h"
#include "json.h"
#include "finding.h"
#include "report.h"
#include "rule.h"
#include "util.h"

#define GOLDEN_DIR RL_SOURCE_DIR "/tests/golden/"
#define MULTITOOL RL_SOURCE_DIR "/tests/npm/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"

/* ---- a synthetic run ------------------------------------------------------ */

static const rl_rule rule_http = {
    .id = "fake-http-url",
    .title = "Plain HTTP endpoint",
    .severity = RL_SEV_WARNING,
    .cwe = 319,
    .doc = "# fake-http-url\n\nAn `http://` or `ws://` endpoint sends tokens\nin clear text.\n\n"
           "## How to fix\n\nUse `https://` and `wss://`.\n",
    .precision = "high",
};

static const rl_rule rule_secret = {
    .id = "fake-secret",
    .title = "Hardcoded secret",
    .severity = RL_SEV_ERROR,
    .cwe = 798,
    .doc = "# fake-secret\n\nA credential written as a literal ships with the code.\n\n"
           "## Bad\n\n```js\nconst APP_SECRET = \"...\";\n```\n",
    .precision = "very-high",
    .security_severity = "9.0",
};

static const rl_rule rule_style = {
    .id = "fake-style",
    .title = "A rule without a doc",
    .severity = RL_SEV_NOTE,
};

static const rl_rule *const rules[] = {&rule_http, &rule_secret, &rule_style};
static const unsigned char enabled[] = {1, 1, 0};
static const char *const roots[] = {"."};

static const rl_run_info run_info = {
    .rules = rules,
    .nrules = 3,
    .enabled = enabled,
    .roots = roots,
    .nroots = 1,
    .cwd = "/home/dev/my app",
    .fail_on = RL_SEV_WARNING,
};

static const rl_summary run_summary = {
    .files_scanned = 5,
    .files_skipped = 3,
    .errors = 1,
    .warnings = 5,
    .notes = 2,
    .suppressed = 2,
    .parse_errors = 2,
    .seconds = 0.04,
    .failed = 1,
};

/* A result allocated the way the engine does it: the struct on the heap,
 * every string in its arena. Freed right after file() returns, so a sink
 * that kept a pointer into it fails under AddressSanitizer. */
static rl_file_result *new_result(const char *path, rl_lang lang, rl_context ctx, const char *reason) {
  rl_file_result *r = rl_xcalloc(1, sizeof *r);
  r->arena = rl_arena_new();
  r->path = rl_arena_strdup(r->arena, path);
  r->lang = lang;
  r->context = ctx;
  r->context_reason = reason ? rl_arena_strdup(r->arena, reason) : NULL;
  return r;
}

static rl_finding *add_finding(rl_file_result *r, const rl_rule *rule, rl_severity sev, const char *message,
                               uint32_t sl, uint32_t sc, uint32_t el, uint32_t ec, const char *snippet,
                               const char *fp) {
  rl_finding *old = r->findings;
  r->findings = rl_arena_calloc(r->arena, r->nfindings + 1, sizeof *r->findings);
  if (old) memcpy(r->findings, old, r->nfindings * sizeof *r->findings);
  rl_finding *f = &r->findings[r->nfindings++];
  f->rule = rule;
  f->severity = sev;
  f->message = rl_arena_strdup(r->arena, message);
  f->start_line = sl;
  f->start_col = sc;
  f->end_line = el;
  f->end_col = ec;
  f->snippet = rl_arena_strdup(r->arena, snippet);
  snprintf(f->fingerprint, sizeof f->fingerprint, "%s", fp);
  return f;
}

static void add_note(rl_file_result *r, rl_note_level level, const char *id, const char *message, uint32_t line,
                     uint32_t col) {
  rl_notification *old = r->notes;
  r->notes = rl_arena_calloc(r->arena, r->nnotes + 1, sizeof *r->notes);
  if (old) memcpy(r->notes, old, r->nnotes * sizeof *r->notes);
  rl_notification *n = &r->notes[r->nnotes++];
  n->level = level;
  n->id = rl_arena_strdup(r->arena, id);
  n->message = rl_arena_strdup(r->arena, message);
  n->line = line;
  n->col = col;
}

#define NFILES 8

/* The files of the run, in the engine's order (sorted by path). */
static rl_file_result *make_file(int i) {
  rl_file_result *r;
  rl_finding *f;
  switch (i) {
  case 0: /* absolute, under the working directory: becomes relative */
    r = new_result("/home/dev/my app/tools/gen.mjs", RL_LANG_JS, RL_CTX_SERVER, "imports node:fs");
    r->has_syntax_errors = 1;
    return r;
  case 1: /* absolute, outside it, non-ASCII name */
    r = new_result("/opt/shared/lib \xc3\xbcn\xc3\xaf.js", RL_LANG_JS, RL_CTX_UNKNOWN, NULL);
    add_finding(r, &rule_http, RL_SEV_WARNING, "http:// endpoint 'http://media.corp.test/v1' passed to fetch", 2, 7, 2,
                34, "fetch(\"http://media.corp.test/v1\");", "0123456789abcdef");
    return r;
  case 2:
    r = new_result("dist/app.min.js", RL_LANG_JS, RL_CTX_UNKNOWN, NULL);
    r->skip = RL_SKIP_MINIFIED;
    r->skip_detail = rl_arena_strdup(r->arena, "minified file (a line of 48000 characters)");
    return r;
  case 3:
    r = new_result("src/app.js", RL_LANG_JS, RL_CTX_CLIENT, "imports react");
    /* The snippet is masked: the secret's real end column lies past it. */
    add_finding(r, &rule_secret, RL_SEV_ERROR, "100ms app secret 'abcd\xe2\x80\xa6(172 chars)' in client code", 3, 20,
                3, 194, "const APP_SECRET = \"abcd\xe2\x80\xa6(172 chars)\";", "a1b2c3d4e5f60718");
    /* A tab before the finding: the caret line keeps it. */
    add_finding(r, &rule_http, RL_SEV_WARNING, "http:// endpoint 'http://api.corp.test/token' passed to fetch", 7, 8, 7,
                36, "\tfetch('http://api.corp.test/token', { method: 'POST' });", "1111222233334444");
    f = add_finding(r, &rule_secret, RL_SEV_ERROR, "secret-named 'testKey' holds a literal", 9, 17, 9, 29,
                    "const testKey = 'sk_\xe2\x80\xa6(24 chars)';", "5555666677778888");
    f->suppressed = RL_SUPPRESS_IN_SOURCE;
    f->justification = rl_arena_strdup(r->arena, "test key for the local emulator");
    /* Code points, not bytes: "é" is one column. */
    add_finding(r, &rule_http, RL_SEV_NOTE, "ws:// endpoint 'ws://caf\xc3\xa9.corp.test' passed to WebSocket", 12, 31,
                12, 52, "const l\xc3\xa9gende = new WebSocket('ws://caf\xc3\xa9.corp.test');", "9999aaaabbbbcccc");
    /* Two lines: carets run to the end of the first. */
    add_finding(r, &rule_http, RL_SEV_WARNING, "http:// endpoint in a template string", 14, 13, 15, 9,
                "const url = `http://${host}\n  /rooms`;", "ddddeeeeffff0000");
    /* After a masked secret: its 40 columns shrink to the mask's 15. */
    add_finding(r, &rule_http, RL_SEV_WARNING, "http:// endpoint 'http://rtc.corp.test' passed to init", 16, 62, 16, 84,
                "init({ key: 'wxyz\xe2\x80\xa6(40 chars)', url: 'http://rtc.corp.test' });", "7777777777777777");
    return r;
  case 4:
    r = new_result("src/broken file #1.ts", RL_LANG_TS, RL_CTX_CLIENT, "\"use client\" directive");
    r->has_syntax_errors = 1;
    add_note(r, RL_NOTE_NOTE, "syntax-error",
             "src/broken file #1.ts has a syntax error at line 4, column 1; scanned what parsed", 4, 1);
    f = add_finding(r, &rule_secret, RL_SEV_ERROR, "secret-named 'apiSecret' holds a literal", 2, 7, 2, 40,
                    "const apiSecret = 'zzzz\xe2\x80\xa6(32 chars)';", "0f0f0f0f0f0f0f0f");
    f->suppressed = RL_SUPPRESS_EXTERNAL;
    /* A byte that is not UTF-8 (Latin-1 'é' in a comment). */
    add_finding(r, &rule_http, RL_SEV_WARNING, "http:// endpoint 'http://cdn.corp.test' passed to axios.create", 6, 12,
                6, 34, "  baseURL: 'http://cdn.corp.test', // caf\xe9", "abababababababab");
    return r;
  case 5:
    r = new_result("src/server/api.ts", RL_LANG_TS, RL_CTX_SERVER, "imports express");
    /* File text that would drive a terminal: an escape sequence and a
     * right-to-left override. The text sink must neutralise both. */
    add_finding(r, &rule_http, RL_SEV_NOTE, "ws:// endpoint 'ws://\033[2Jx.corp.test'", 3, 11, 3, 36,
                "const u = 'ws://\033[2Jx.corp.test'; // \xe2\x80\xae"
                "evil",
                "1234123412341234");
    return r;
  case 6:
    r = new_result("src/unreadable.js", RL_LANG_JS, RL_CTX_UNKNOWN, NULL);
    r->skip = RL_SKIP_UNREADABLE;
    r->skip_detail = rl_arena_strdup(r->arena, "could not be read: Permission denied");
    return r;
  default:
    r = new_result("vendor/big.js", RL_LANG_JS, RL_CTX_UNKNOWN, NULL);
    r->skip = RL_SKIP_TOO_LARGE;
    r->skip_detail = rl_arena_strdup(r->arena, "larger than --max-file-size (5242880 bytes)");
    add_note(r, RL_NOTE_NOTE, "skipped-too-large",
             "vendor/big.js was not scanned: larger than --max-file-size (5242880 bytes)", 0, 0);
    return r;
  }
}

/* Runs a whole report through s; returns end()'s code. */
static int drive(rl_sink *s, const rl_summary *sum, int nfiles) {
  assert_int_equal(s->begin(s, &run_info), 0);
  for (int i = 0; i < nfiles; i++) {
    rl_file_result *r = make_file(i);
    assert_int_equal(s->file(s, r), 0);
    rl_file_result_free(r);
  }
  int rc = s->end(s, sum);
  s->free(s);
  return rc;
}

enum { FMT_TEXT, FMT_TEXT_COLOR, FMT_TEXT_VERBOSE, FMT_JSON, FMT_SARIF };

static rl_sink *make_sink(int fmt, FILE *out) {
  rl_text_options opts = {0};
  switch (fmt) {
  case FMT_TEXT_COLOR: opts.color = 1; return rl_sink_text_new(out, &opts);
  case FMT_TEXT_VERBOSE: opts.verbose = 1; return rl_sink_text_new(out, &opts);
  case FMT_TEXT: return rl_sink_text_new(out, &opts);
  case FMT_JSON: return rl_sink_json_new(out);
  default: return rl_sink_sarif_new(out);
  }
}

/* The report in one format, as a malloc'd string. */
static char *render(int fmt, const rl_summary *sum, int nfiles) {
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&buf, &len);
  assert_non_null(out);
  assert_int_equal(drive(make_sink(fmt, out), sum, nfiles), 0);
  assert_int_equal(fclose(out), 0);
  return buf;
}

static char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  rl_buf b = {0};
  char chunk[4096];
  size_t n;
  rl_buf_put(&b, "", 0);
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) rl_buf_put(&b, chunk, n);
  fclose(f);
  *len = b.len;
  return rl_buf_detach(&b);
}

/* The reports read back with json.c, in one arena per test (freed by
 * json_done); the CLI tests read them with Python's parser too. */
static rl_arena *jarena;

static const rl_json *json_read(const char *text, size_t len) {
  if (!jarena) jarena = rl_arena_new();
  rl_json *root = NULL;
  if (rl_json_parse(&root, jarena, text, len, 0, NULL) < 0) return NULL;
  return root;
}

static void json_done(void) {
  rl_arena_free(jarena);
  jarena = NULL;
}

static void write_all(const char *path, const char *data) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(data, 1, strlen(data), f), strlen(data));
  assert_int_equal(fclose(f), 0);
}

/* Compares actual with tests/golden/<name>, or rewrites it when
 * RL_UPDATE_GOLDEN=1. On a mismatch the actual output is left in the build
 * directory for diffing. */
static void check_golden(const char *name, const char *actual) {
  char path[1024];
  snprintf(path, sizeof path, "%s%s", GOLDEN_DIR, name);
  const char *update = getenv("RL_UPDATE_GOLDEN");
  if (update && strcmp(update, "1") == 0) {
    write_all(path, actual);
    return;
  }
  size_t len = 0;
  char *expected = read_all(path, &len);
  if (!expected) fail_msg("missing golden file %s (run with RL_UPDATE_GOLDEN=1 to create it)", path);
  if (len != strlen(actual) || memcmp(expected, actual, len) != 0) {
    char out[1024];
    snprintf(out, sizeof out, "%s/%s.actual", RL_BINARY_DIR, name);
    write_all(out, actual);
    size_t i = 0;
    size_t line = 1;
    while (i < len && actual[i] && expected[i] == actual[i]) {
      if (expected[i] == '\n') line++;
      i++;
    }
    free(expected);
    fail_msg("%s differs from the golden file at line %zu; actual output in %s", name, line, out);
  }
  free(expected);
}

/* ---- golden files -------------------------------------------------------- */

static void report__text_golden(void **state) {
  (void)state;
  char *out = render(FMT_TEXT, &run_summary, NFILES);
  check_golden("report.txt", out);
  free(out);
}

static void report__text_color_golden(void **state) {
  (void)state;
  char *out = render(FMT_TEXT_COLOR, &run_summary, NFILES);
  check_golden("report-color.txt", out);
  free(out);
}

static void report__text_verbose_golden(void **state) {
  (void)state;
  char *out = render(FMT_TEXT_VERBOSE, &run_summary, NFILES);
  check_golden("report-verbose.txt", out);
  free(out);
}

static void report__json_golden(void **state) {
  (void)state;
  char *out = render(FMT_JSON, &run_summary, NFILES);
  check_golden("report.json", out);
  free(out);
}

static void report__sarif_golden(void **state) {
  (void)state;
  char *out = render(FMT_SARIF, &run_summary, NFILES);
  check_golden("report.sarif", out);
  free(out);
}

/* ---- behaviour a user relies on ------------------------------------------ */

static void report__text_hides_suppressed_but_counts_them(void **state) {
  (void)state;
  char *out = render(FMT_TEXT, &run_summary, NFILES);
  assert_null(strstr(out, "testKey"));
  assert_null(strstr(out, "apiSecret"));
  assert_non_null(strstr(out, "2 suppressed"));
  assert_non_null(strstr(out, "3 skipped"));
  assert_non_null(strstr(out, "(run with -v to list skipped files)\n"));
  /* Without -v, skipped files are not listed one by one. */
  assert_null(strstr(out, "dist/app.min.js"));
  /* No escape sequences unless asked for, not even from the scanned file,
   * and no bidi override. */
  assert_null(strchr(out, '\033'));
  assert_null(strstr(out, "\xe2\x80\xae"));
  assert_non_null(strstr(out, "'ws://\xef\xbf\xbd[2Jx.corp.test'"));
  free(out);
}

static void report__text_verbose_lists_skips_and_contexts(void **state) {
  (void)state;
  char *out = render(FMT_TEXT_VERBOSE, &run_summary, NFILES);
  assert_non_null(strstr(out, "skipped  dist/app.min.js  minified file (a line of 48000 characters)\n"));
  assert_non_null(strstr(out, "skipped  src/unreadable.js  could not be read: Permission denied\n"));
  assert_non_null(strstr(out, "src/server/api.ts  [server: imports express]\n"));
  assert_non_null(strstr(out, "syntax-error"));
  assert_null(strstr(out, "run with -v"));
  free(out);
}

static void report__text_caret_under_columns(void **state) {
  (void)state;
  char *out = render(FMT_TEXT, &run_summary, NFILES);
  /* The tab is kept; 7 code points precede column 8 and 28 carets cover [8, 36). */
  assert_non_null(strstr(out, "    \tfetch('http://api.corp.test/token', { method: 'POST' });\n"
                              "    \t      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"));
  /* "é" is one column: 30 columns precede column 31, then 21 carets. */
  assert_non_null(strstr(out, "\n    "
                              "                              "
                              "^^^^^^^^^^^^^^^^^^^^^\n"));
  /* A masked secret stands for the columns of the secret: carets cover the
   * whole mask (18 columns with its quotes)... */
  assert_non_null(strstr(out, "\n    "
                              "                   "
                              "^^^^^^^^^^^^^^^^^^\n"));
  /* ...and a finding after one on the same line is still underlined exactly:
   * 36 code points of the snippet precede it, then 22 carets. */
  assert_non_null(strstr(out, "\n    "
                              "                                    "
                              "^^^^^^^^^^^^^^^^^^^^^^\n"));
  free(out);
}

static void report__text_no_problems(void **state) {
  (void)state;
  rl_summary sum = {.files_scanned = 1, .seconds = 0.01};
  char *out = render(FMT_TEXT, &sum, 0);
  assert_string_equal(out, "no problems found \xc2\xb7 1 file scanned, 0 skipped \xc2\xb7 0.01s\n");
  free(out);
}

static void report__json_is_parseable_and_complete(void **state) {
  (void)state;
  char *out = render(FMT_JSON, &run_summary, NFILES);
  const rl_json *root = json_read(out, strlen(out));
  assert_non_null(root);
  assert_string_equal(rl_json_str(rl_json_get(rl_json_get(root, "tool"), "name"), NULL), "roomlint");
  assert_int_equal(rl_json_size(rl_json_get(root, "files")), NFILES);
  const rl_json *findings = rl_json_get(root, "findings");
  assert_int_equal(rl_json_size(findings), 10);
  const rl_json *sup = rl_json_get(rl_json_at(findings, 3), "suppressed");
  assert_string_equal(rl_json_str(rl_json_get(sup, "kind"), NULL), "inSource");
  assert_string_equal(rl_json_str(rl_json_get(sup, "justification"), NULL), "test key for the local emulator");
  /* The Latin-1 byte became U+FFFD instead of breaking the document. */
  const char *snippet = rl_json_str(rl_json_get(rl_json_at(findings, 8), "snippet"), NULL);
  assert_non_null(strstr(snippet, "caf\xef\xbf\xbd"));
  const rl_json *skipped = rl_json_get(rl_json_at(rl_json_get(root, "files"), 2), "skipped");
  assert_string_equal(rl_json_str(rl_json_get(skipped, "reason"), NULL), "minified");
  json_done();
  free(out);
}

static const rl_json *sarif_run(const rl_json **root) {
  char *out = render(FMT_SARIF, &run_summary, NFILES);
  *root = json_read(out, strlen(out));
  free(out);
  assert_non_null(*root);
  return rl_json_at(rl_json_get(*root, "runs"), 0);
}

static const char *result_uri(const rl_json *run, size_t i) {
  const rl_json *res = rl_json_at(rl_json_get(run, "results"), i);
  const rl_json *loc = rl_json_at(rl_json_get(res, "locations"), 0);
  return rl_json_str(rl_json_get(rl_json_get(rl_json_get(loc, "physicalLocation"), "artifactLocation"), "uri"), NULL);
}

static void report__sarif_uris_are_encoded(void **state) {
  (void)state;
  const rl_json *root;
  const rl_json *run = sarif_run(&root);
  const rl_json *base = rl_json_get(rl_json_get(run, "originalUriBaseIds"), "SRCROOT");
  assert_string_equal(rl_json_str(rl_json_get(base, "uri"), NULL), "file:///home/dev/my%20app/");
  assert_string_equal(result_uri(run, 0), "file:///opt/shared/lib%20%C3%BCn%C3%AF.js");
  assert_string_equal(result_uri(run, 1), "src/app.js");
  assert_string_equal(result_uri(run, 7), "src/broken%20file%20%231.ts");
  /* Every skipped file and parse error is a notification: gen.mjs (parse),
   * dist (skip), broken (parse), unreadable (skip), vendor (skip). */
  const rl_json *inv = rl_json_at(rl_json_get(run, "invocations"), 0);
  const rl_json *notes = rl_json_get(inv, "toolExecutionNotifications");
  assert_int_equal(rl_json_size(notes), 5);
  const rl_json *loc = rl_json_at(rl_json_get(rl_json_at(notes, 0), "locations"), 0);
  assert_string_equal(
      rl_json_str(rl_json_get(rl_json_get(rl_json_get(loc, "physicalLocation"), "artifactLocation"), "uri"), NULL),
      "tools/gen.mjs");
  json_done();
}

static void report__sarif_suppressions_and_periods(void **state) {
  (void)state;
  const rl_json *root;
  const rl_json *run = sarif_run(&root);
  const rl_json *results = rl_json_get(run, "results");
  const rl_json *sups = rl_json_get(rl_json_at(results, 3), "suppressions");
  assert_string_equal(rl_json_str(rl_json_get(rl_json_at(sups, 0), "kind"), NULL), "inSource");
  sups = rl_json_get(rl_json_at(results, 7), "suppressions");
  assert_string_equal(rl_json_str(rl_json_get(rl_json_at(sups, 0), "kind"), NULL), "external");
  assert_null(rl_json_get(rl_json_at(results, 0), "suppressions"));
  for (size_t i = 0; i < rl_json_size(results); i++) {
    const char *text = rl_json_str(rl_json_get(rl_json_get(rl_json_at(results, i), "message"), "text"), NULL);
    assert_int_equal(text[strlen(text) - 1], '.');
  }
  const rl_json *res = rl_json_at(results, 1);
  assert_int_equal(rl_json_num(rl_json_get(res, "ruleIndex")), 1);
  json_done();
}

/* ---- validation by Microsoft's SARIF multitool ---------------------------- */

static void report__sarif_passes_multitool(void **state) {
  (void)state;
  /* RL_SARIF_MULTITOOL overrides where the validator lives. */
  const char *tool = getenv("RL_SARIF_MULTITOOL");
  if (!tool || !tool[0]) tool = MULTITOOL;
  if (access(tool, X_OK) != 0) {
    print_message("SKIP: Sarif.Multitool not found at %s (sh scripts/test installs it into tests/npm)\n", tool);
    skip();
  }
  char out[1024], cmd[4096];
  snprintf(out, sizeof out, "%s/report-validation.sarif", RL_BINARY_DIR);
  remove(out);
  snprintf(cmd, sizeof cmd,
           "'%s' validate '%sreport.sarif' -o '%s' --rule-kind 'Gh;Sarif' --log ForceOverwrite >/dev/null 2>&1", tool,
           GOLDEN_DIR, out);
  int rc = system(cmd);
  (void)rc; /* the tool's exit code varies by version; its log is what counts */
  size_t loglen = 0;
  char *logtext = read_all(out, &loglen);
  const rl_json *log = logtext ? json_read(logtext, loglen) : NULL;
  if (!log) fail_msg("the multitool wrote no readable log at %s: %s", out, logtext ? rl_error_last() : "missing");
  free(logtext);
  const rl_json *results = rl_json_get(rl_json_at(rl_json_get(log, "runs"), 0), "results");
  assert_non_null(results);
  for (size_t i = 0; i < rl_json_size(results); i++) {
    const rl_json *res = rl_json_at(results, i);
    print_message("%s: %s\n", rl_json_str(rl_json_get(res, "ruleId"), NULL),
                  rl_json_str(rl_json_get(rl_json_get(res, "message"), "text"), NULL));
  }
  assert_int_equal(rl_json_size(results), 0);
  json_done();
}

/* ---- write failures ------------------------------------------------------- */

static void report__write_failure_is_eio(void **state) {
  (void)state;
  int fmts[] = {FMT_TEXT, FMT_JSON, FMT_SARIF};
  for (size_t i = 0; i < RL_ARRAY_LEN(fmts); i++) {
    FILE *full = fopen("/dev/full", "w");
    if (!full) {
      print_message("SKIP: /dev/full is not available\n");
      skip();
    }
    assert_int_equal(drive(make_sink(fmts[i], full), &run_summary, NFILES), RL_EIO);
    fclose(full);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(report__text_golden),
      cmocka_unit_test(report__text_color_golden),
      cmocka_unit_test(report__text_verbose_golden),
      cmocka_unit_test(report__json_golden),
      cmocka_unit_test(report__sarif_golden),
      cmocka_unit_test(report__text_hides_suppressed_but_counts_them),
      cmocka_unit_test(report__text_verbose_lists_skips_and_contexts),
      cmocka_unit_test(report__text_caret_under_columns),
      cmocka_unit_test(report__text_no_problems),
      cmocka_unit_test(report__json_is_parseable_and_complete),
      cmocka_unit_test(report__sarif_uris_are_encoded),
      cmocka_unit_test(report__sarif_suppressions_and_periods),
      cmocka_unit_test(report__sarif_passes_multitool),
      cmocka_unit_test(report__write_failure_is_eio),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
