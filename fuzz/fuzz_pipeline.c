/* The whole per-file pipeline: bytes -> prefilter -> parse -> context ->
 * rules -> suppressions -> findings, then the JSON, SARIF and text sinks into
 * memory. The first input byte picks the file name (and so the language and
 * the client/server context) and whether the prefilter runs; the rest is the
 * file. Both machine-readable reports must be valid JSON.
 *
 * The project model reads other files: Next.js middleware.ts and NestJS
 * main.ts found from the scanned file's path, and the modules it imports.
 * Two of the names live in a fresh temporary folder, the engines' scanned
 * root: the input's bytes after a line "//@@mw" become middleware.ts and
 * main.ts there for that input, and the bytes after a line "//@@mod" become
 * lib.js next to both names (`import ... from './lib'`); without the lines
 * no such file exists. The model forgets every file after each input.
 *
 * The SARIF driver's rule descriptors (every rule's help text) do not depend
 * on the input, and writing them took four fifths of each execution: they are
 * written and checked once at start-up, and each input's SARIF report lists
 * only the rules its findings name. Each input goes through one sink, or
 * all three, as bits 5-6 of its first byte say: writing every report of
 * every input was a seventh of the time, and every sink still sees inputs
 * of every file name (the name is the first byte modulo 20).
 *
 * A slow path is a failure twice over: libFuzzer's -timeout, and an input
 * whose analysis stops at the per-file step budget (a million steps plus
 * 400 a node, so no input of a few hundred bytes comes near it unless the
 * analysis grows faster than the tree): that input aborts, deterministically.
 *
 * tree-sitter's parser and query cursor keep pools between inputs; an input
 * that ended with more allocations than frees made libFuzzer run it a
 * second time and then a leak scan, half of all the time: the engine gives
 * them back after each input (rl_engine_scan_buffer_trim). */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "report.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *names[] = {
    "src/App.jsx",
    "src/App.tsx",
    "server/index.ts",
    "pages/api/token.js",
    ".env",
    ".env.local",
    "src/lib/hms.mjs",
    "test/app.test.js",
    "next.config.js",
    "vite.config.ts",
    "server/auth.cjs",
    "app/page.tsx",
    ".env.example",
    "src/utils.ts",
    "README.md",
    "src/app.min.js",
    /* markup and Expo config (issue 13): appended, so seeds keep their paths */
    "src/Room.vue",
    "public/index.html",
    "src/pages/a.astro",
    "app.json",
};
#define NNAMES (sizeof names / sizeof names[0])

static rl_engine *engines[2]; /* [0] prefilter on, [1] every rule on every file */
static unsigned char *enabled[2];
static rl_run_info runs[2];
static const rl_rule **found_rules; /* per input: the rules its findings name, in run order */
static unsigned char *found_enabled;
static const char *const roots[] = {"."};

static const char mw_mark[] = "\n//@@mw\n";
static const char mod_mark[] = "\n//@@mod\n";
static char tmp[] = "/tmp/rl-fuzz-pipeline-XXXXXX";
static char mw_path[64], main_path[64], lib_paths[2][80], sub_dirs[3][64];

static void remove_tmp(void) {
  unlink(mw_path);
  unlink(main_path);
  unlink(lib_paths[0]);
  unlink(lib_paths[1]);
  for (int i = 2; i >= 0; i--) rmdir(sub_dirs[i]);
  rmdir(tmp);
}

static void write_file(const char *path, const char *bytes, size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f || (len && fwrite(bytes, 1, len, f) != len) || fclose(f) != 0) abort();
}

/* Writes r through one sink into memory; returns the report (caller frees). */
static char *report(rl_sink *(*make)(FILE *), const rl_run_info *run, const rl_file_result *r, size_t *len) {
  char *buf = NULL;
  FILE *f = open_memstream(&buf, len);
  if (!f) abort();
  rl_sink *s = make(f);
  rl_summary sum;
  memset(&sum, 0, sizeof sum);
  if (r->skip)
    sum.files_skipped = 1;
  else
    sum.files_scanned = 1;
  sum.parse_errors = (size_t)r->has_syntax_errors;
  for (size_t i = 0; i < r->nfindings; i++) {
    if (r->findings[i].suppressed)
      sum.suppressed++;
    else if (r->findings[i].severity == RL_SEV_ERROR)
      sum.errors++;
    else if (r->findings[i].severity == RL_SEV_WARNING)
      sum.warnings++;
    else
      sum.notes++;
  }
  if (s->begin(s, run) < 0 || s->file(s, r) < 0 || s->end(s, &sum) < 0) abort();
  s->free(s);
  if (fclose(f) != 0) abort();
  return buf;
}

static rl_sink *text_sink(FILE *f) {
  static const rl_text_options o = {1, 1};
  return rl_sink_text_new(f, &o);
}

/* JSON syntax (RFC 8259) as json_loadb checks it by default, without
 * building a tree: an object or array at the top, strings of valid UTF-8
 * (no overlong forms, surrogates or code points past U+10FFFF) whose \u
 * escapes are not NUL and pair their surrogates, nothing but blanks after.
 * Parsing each report back with jansson cost a tenth of every execution in
 * allocations alone. Returns NULL, or what is wrong; *at is the offset. */
#define JSON_MAX_DEPTH 2048
/* The check is not what is fuzzed: no coverage feedback from its loops. */
#define NOT_FUZZED __attribute__((no_sanitize("coverage")))

NOT_FUZZED static int hex4(const unsigned char *p, size_t n, size_t i, unsigned *out) {
  unsigned v = 0;
  if (i + 4 > n) return 0;
  for (size_t k = i; k < i + 4; k++) {
    unsigned c = p[k], d;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (c >= 'a' && c <= 'f')
      d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      d = c - 'A' + 10;
    else
      return 0;
    v = v << 4 | d;
  }
  *out = v;
  return 1;
}

/* One UTF-8 sequence at p[i]; returns its length, or 0 if invalid. */
NOT_FUZZED static size_t utf8_len(const unsigned char *p, size_t n, size_t i) {
  unsigned c = p[i], cp;
  size_t len;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF)
    len = 2, cp = c & 0x1F;
  else if (c >= 0xE0 && c <= 0xEF)
    len = 3, cp = c & 0x0F;
  else if (c >= 0xF0 && c <= 0xF4)
    len = 4, cp = c & 0x07;
  else
    return 0;
  if (i + len > n) return 0;
  for (size_t k = 1; k < len; k++) {
    if ((p[i + k] & 0xC0) != 0x80) return 0;
    cp = cp << 6 | (p[i + k] & 0x3F);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
  if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
  return len;
}

NOT_FUZZED static size_t skip_blank(const unsigned char *p, size_t n, size_t i) {
  while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r')) i++;
  return i;
}

/* The string starting at p[i] == '"'; returns the offset after it, or 0. */
NOT_FUZZED static size_t json_string_end(const unsigned char *p, size_t n, size_t i) {
  for (i++; i < n;) {
    unsigned c = p[i];
    if (c == '"') return i + 1;
    if (c < 0x20) return 0;
    if (c != '\\') {
      size_t l = utf8_len(p, n, i);
      if (!l) return 0;
      i += l;
      continue;
    }
    if (++i >= n) return 0;
    c = p[i];
    if (c != 'u') {
      if (!strchr("\"\\/bfnrt", (int)c) || c == 0) return 0;
      i++;
      continue;
    }
    unsigned u, lo;
    if (!hex4(p, n, i + 1, &u) || u == 0) return 0;
    i += 5;
    if (u >= 0xDC00 && u <= 0xDFFF) return 0;
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (i + 6 > n || p[i] != '\\' || p[i + 1] != 'u' || !hex4(p, n, i + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF)
        return 0;
      i += 6;
    }
  }
  return 0;
}

NOT_FUZZED static size_t json_number_end(const unsigned char *p, size_t n, size_t i) {
#define DIGIT(k) ((k) < n && p[k] >= '0' && p[k] <= '9')
  if (i < n && p[i] == '-') i++;
  if (!DIGIT(i)) return 0;
  if (p[i] == '0')
    i++;
  else
    while (DIGIT(i)) i++;
  if (i < n && p[i] == '.') {
    if (!DIGIT(i + 1)) return 0;
    for (i++; DIGIT(i);) i++;
  }
  if (i < n && (p[i] == 'e' || p[i] == 'E')) {
    i++;
    if (i < n && (p[i] == '+' || p[i] == '-')) i++;
    if (!DIGIT(i)) return 0;
    while (DIGIT(i)) i++;
  }
  return i;
#undef DIGIT
}

NOT_FUZZED static const char *json_syntax(const char *buf, size_t n, size_t *at) {
  const unsigned char *p = (const unsigned char *)buf;
  char stack[JSON_MAX_DEPTH]; /* '{' or '[' per open container */
  size_t depth = 0, i = skip_blank(p, n, 0);
  /* want: 'v' a value, 'k' a key or '}', 'K' a key, 'e' a value or ']', ',' a comma or a close */
  char want = 'v';
  if (i >= n || (p[i] != '{' && p[i] != '[')) return *at = i, "not an object or array";
  for (;;) {
    i = skip_blank(p, n, i);
    *at = i;
    if (want == ',') {
      if (depth == 0) break;
      if (i >= n) return "unexpected end";
      char open = stack[depth - 1];
      if (p[i] == ',') {
        i++;
        want = open == '{' ? 'K' : 'v';
      } else if ((open == '{' && p[i] == '}') || (open == '[' && p[i] == ']')) {
        i++;
        depth--;
      } else {
        return "expected ',' or a close";
      }
      continue;
    }
    if (i >= n) return "unexpected end";
    if (want == 'k' || want == 'K') {
      if (want == 'k' && p[i] == '}') {
        i++;
        depth--;
        want = ',';
        continue;
      }
      if (p[i] != '"' || !(i = json_string_end(p, n, i))) return "bad key";
      i = skip_blank(p, n, i);
      if (i >= n || p[i] != ':') return *at = i, "expected ':'";
      i++;
      want = 'v';
      continue;
    }
    if (want == 'e' && p[i] == ']') {
      i++;
      depth--;
      want = ',';
      continue;
    }
    /* a value */
    unsigned c = p[i];
    if (c == '{' || c == '[') {
      if (depth == JSON_MAX_DEPTH) return "nested too deep";
      stack[depth++] = (char)c;
      i++;
      want = c == '{' ? 'k' : 'e';
      continue;
    }
    size_t end = 0;
    if (c == '"')
      end = json_string_end(p, n, i);
    else if (c == '-' || (c >= '0' && c <= '9'))
      end = json_number_end(p, n, i);
    else if (n - i >= 4 && memcmp(p + i, "true", 4) == 0)
      end = i + 4;
    else if (n - i >= 5 && memcmp(p + i, "false", 5) == 0)
      end = i + 5;
    else if (n - i >= 4 && memcmp(p + i, "null", 4) == 0)
      end = i + 4;
    if (!end) return "bad value";
    i = end;
    want = ',';
  }
  if (skip_blank(p, n, i) != n) return *at = i, "text after the end";
  return NULL;
}

static void must_be_json(const char *what, const char *buf, size_t len) {
  size_t at = 0;
  const char *why = json_syntax(buf, len, &at);
  if (why) {
    fprintf(stderr, "fuzz_pipeline: the %s report is not valid JSON: %s at byte %zu\n", what, why, at);
    abort();
  }
}

/* At start-up: the syntax check agrees with jansson's parser on reports
 * and on broken ones, so it is not a check that cannot fail. */
static void check_the_check(const char *buf, size_t len) {
  static const char *const bad[] = {"{\"a\":1,}",         "[1 2]", "{\"a\" 1}", "[\"\\u0000\"]",
                                    "[\"\\ud800\"]",      "[01]",  "[1.]",      "[\"\xc0\xaf\"]",
                                    "[\"\xed\xa0\x80\"]", "[tru]", "{}x",       "\"s\"",
                                    "[\"\t\"]",           "[1e]",  "{\"a\":[}"};
  static const char *const good[] = {"{}", "[]", "[-0.5e+3, true, false, null, \"\\ud83d\\ude00\\n\xc3\xa9\"]",
                                     " {\"a\": {\"b\": [[], {}]}} \n"};
  size_t at;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    json_error_t err;
    json_t *j = json_loadb(bad[i], strlen(bad[i]), 0, &err);
    if (j || !json_syntax(bad[i], strlen(bad[i]), &at)) {
      fprintf(stderr, "fuzz_pipeline: the JSON check and jansson disagree on %s\n", bad[i]);
      abort();
    }
  }
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    json_error_t err;
    json_t *j = json_loadb(good[i], strlen(good[i]), 0, &err);
    if (!j || json_syntax(good[i], strlen(good[i]), &at)) {
      fprintf(stderr, "fuzz_pipeline: the JSON check and jansson disagree on %s\n", good[i]);
      abort();
    }
    json_decref(j);
  }
  json_error_t err;
  json_t *j = json_loadb(buf, len, 0, &err);
  if (!j || json_syntax(buf, len, &at)) {
    fprintf(stderr, "fuzz_pipeline: the JSON check and jansson disagree on the start-up report\n");
    abort();
  }
  json_decref(j);
}

/* Writes r through sink `which` (0 JSON, 1 SARIF, 2 text, 3 every one);
 * the JSON and SARIF reports must parse. */
static void check_reports(const rl_run_info *run, const rl_file_result *r, unsigned which) {
  size_t len;
  char *out;
  if (which == 0 || which == 3) {
    out = report(rl_sink_json_new, run, r, &len);
    must_be_json("JSON", out, len);
    free(out);
  }
  if (which == 1 || which == 3) {
    out = report(rl_sink_sarif_new, run, r, &len);
    must_be_json("SARIF", out, len);
    free(out);
  }
  if (which == 2 || which == 3) {
    out = report(text_sink, run, r, &len);
    free(out);
  }
}

/* run, narrowed to the rules r's findings name (still sorted by id). */
static rl_run_info found_run(const rl_run_info *run, const rl_file_result *r) {
  rl_run_info narrow = *run;
  narrow.rules = found_rules;
  narrow.enabled = found_enabled;
  narrow.nrules = 0;
  for (size_t k = 0; k < run->nrules; k++) {
    size_t i = 0;
    while (i < r->nfindings && r->findings[i].rule != run->rules[k]) i++;
    if (i == r->nfindings) continue;
    found_rules[narrow.nrules] = run->rules[k];
    found_enabled[narrow.nrules++] = run->enabled[k];
  }
  return narrow;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  static const char *const dirs[] = {RL_SOURCE_DIR "/rules/examples", NULL};
  (void)argc;
  (void)argv;
  static char route[64], controller[64];
  if (!mkdtemp(tmp)) abort();
  atexit(remove_tmp);
  snprintf(mw_path, sizeof mw_path, "%s/middleware.ts", tmp);
  snprintf(main_path, sizeof main_path, "%s/main.ts", tmp);
  snprintf(route, sizeof route, "%s/pages/api/token.js", tmp);
  snprintf(controller, sizeof controller, "%s/src/utils.ts", tmp);
  snprintf(sub_dirs[0], sizeof sub_dirs[0], "%s/pages", tmp);
  snprintf(sub_dirs[1], sizeof sub_dirs[1], "%s/pages/api", tmp);
  snprintf(sub_dirs[2], sizeof sub_dirs[2], "%s/src", tmp);
  for (int i = 0; i < 3; i++)
    if (mkdir(sub_dirs[i], 0700) != 0) abort();
  snprintf(lib_paths[0], sizeof lib_paths[0], "%s/lib.js", sub_dirs[1]);
  snprintf(lib_paths[1], sizeof lib_paths[1], "%s/lib.js", sub_dirs[2]);
  names[3] = route;
  names[13] = controller;
  for (int i = 0; i < 2; i++) {
    rl_engine_config cfg = {0};
    cfg.rule_dirs = dirs;
    cfg.jobs = 1;
    cfg.no_prefilter = i;
    cfg.fail_on = RL_SEV_WARNING;
    if (rl_engine_new(&engines[i], &cfg) < 0) {
      fprintf(stderr, "fuzz_pipeline: %s\n", rl_error_last());
      abort();
    }
    const char *const root[] = {tmp};
    rl_engine_project_reset(engines[i], root, 1);
    size_t n;
    const rl_rule *const *rules = rl_engine_rules(engines[i], &n);
    enabled[i] = calloc(n ? n : 1, 1);
    for (size_t k = 0; k < n; k++) enabled[i][k] = (unsigned char)rl_engine_rule_enabled(engines[i], rules[k]);
    runs[i].rules = rules;
    runs[i].nrules = n;
    runs[i].enabled = enabled[i];
    runs[i].roots = roots;
    runs[i].nroots = 1;
    runs[i].cwd = "/fuzz";
    runs[i].fail_on = RL_SEV_WARNING;
  }
  found_rules = calloc(runs[0].nrules + runs[1].nrules + 1, sizeof *found_rules);
  found_enabled = calloc(runs[0].nrules + runs[1].nrules + 1, 1);
  if (!found_rules || !found_enabled) abort();
  for (int i = 0; i < 2; i++) {
    rl_file_result *r = rl_engine_scan_buffer(engines[i], "src/App.jsx", NULL, "", 0);
    if (!r) abort();
    check_reports(&runs[i], r, 3); /* every rule's descriptor, once */
    size_t len;
    char *out = report(rl_sink_sarif_new, &runs[i], r, &len);
    check_the_check(out, len);
    free(out);
    rl_file_result_free(r);
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  int which = (data[0] >> 4) & 1;
  const char *name = names[data[0] % NNAMES];
  rl_engine *e = engines[which];
  const char *file = (const char *)data + 1;
  size_t file_len = size - 1;
  const char *mark = memmem(file, file_len, mw_mark, sizeof mw_mark - 1);
  if (mark) {
    const char *mw = mark + sizeof mw_mark - 1;
    size_t mw_len = file_len - (size_t)(mw - file);
    write_file(mw_path, mw, mw_len);
    write_file(main_path, mw, mw_len);
    file_len = (size_t)(mark - file);
  }
  const char *mod = memmem(file, file_len, mod_mark, sizeof mod_mark - 1);
  if (mod) {
    const char *lib = mod + sizeof mod_mark - 1;
    size_t lib_len = file_len - (size_t)(lib - file);
    write_file(lib_paths[0], lib, lib_len);
    write_file(lib_paths[1], lib, lib_len);
    file_len = (size_t)(mod - file);
  }
  rl_file_result *r = rl_engine_scan_buffer(e, name, NULL, file, file_len);
  if (mark) {
    unlink(mw_path);
    unlink(main_path);
  }
  if (mod) {
    unlink(lib_paths[0]);
    unlink(lib_paths[1]);
  }
  rl_engine_project_reset(e, NULL, 0); /* the next input's files are others */
  if (!r) abort();
  for (size_t i = 0; i < r->nnotes; i++)
    if (!strcmp(r->notes[i].id, "analysis-stopped")) {
      /* the budget is a million steps and 400 a node: an input of a few
       * hundred bytes that spends it has found a path that is not linear */
      fprintf(stderr, "fuzz_pipeline: %s\n", r->notes[i].message);
      abort();
    }
  rl_run_info run = found_run(&runs[which], r);
  check_reports(&run, r, (unsigned)(data[0] >> 5) & 3);
  rl_file_result_free(r);
  rl_engine_scan_buffer_trim(e);
  return 0;
}
