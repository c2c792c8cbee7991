/* The whole per-file pipeline: bytes -> prefilter -> parse -> context ->
 * rules -> suppressions -> findings, then the JSON, SARIF and text sinks into
 * memory. The first input byte picks the file name (and so the language and
 * the client/server context) and whether the prefilter runs; the rest is the
 * file. Both machine-readable reports must be valid JSON.
 *
 * The one rule that reads other files (unauthenticated-room-route: Next.js
 * middleware.ts, NestJS main.ts) finds them from the scanned file's path, so
 * two of the names live in a fresh temporary folder: the input's bytes after
 * a line "//@@mw" become both files there for that input; without the line
 * neither exists.
 *
 * The SARIF driver's rule descriptors (every rule's help text) do not depend
 * on the input, and writing them took four fifths of each execution: they are
 * written and checked once at start-up, and each input's SARIF report lists
 * only the rules its findings name. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "report.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *names[] = {
    "src/App.jsx",       "src/App.tsx",        "server/index.ts",    "pages/api/token.js",
    ".env",              ".env.local",         "src/lib/hms.mjs",    "test/app.test.js",
    "next.config.js",    "vite.config.ts",     "server/auth.cjs",    "app/page.tsx",
    ".env.example",      "src/utils.ts",       "README.md",          "src/app.min.js",
};
#define NNAMES (sizeof names / sizeof names[0])

static rl_engine *engines[2]; /* [0] prefilter on, [1] every rule on every file */
static unsigned char *enabled[2];
static rl_run_info runs[2];
static const rl_rule **found_rules; /* per input: the rules its findings name, in run order */
static unsigned char *found_enabled;
static const char *const roots[] = {"."};

static const char mw_mark[] = "\n//@@mw\n";
static char tmp[] = "/tmp/rl-fuzz-pipeline-XXXXXX";
static char mw_path[64], main_path[64];

static void remove_tmp(void) {
  unlink(mw_path);
  unlink(main_path);
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
  if (r->skip) sum.files_skipped = 1;
  else sum.files_scanned = 1;
  sum.parse_errors = (size_t)r->has_syntax_errors;
  for (size_t i = 0; i < r->nfindings; i++) {
    if (r->findings[i].suppressed) sum.suppressed++;
    else if (r->findings[i].severity == RL_SEV_ERROR) sum.errors++;
    else if (r->findings[i].severity == RL_SEV_WARNING) sum.warnings++;
    else sum.notes++;
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

static void must_be_json(const char *what, const char *buf, size_t len) {
  json_error_t err;
  json_t *j = json_loadb(buf, len, 0, &err);
  if (!j) {
    fprintf(stderr, "fuzz_pipeline: the %s report is not valid JSON: %s at %d:%d\n", what, err.text, err.line,
            err.column);
    abort();
  }
  json_decref(j);
}

/* Writes r through every sink; the JSON and SARIF reports must parse. */
static void check_reports(const rl_run_info *run, const rl_file_result *r) {
  size_t len;
  char *out = report(rl_sink_json_new, run, r, &len);
  must_be_json("JSON", out, len);
  free(out);
  out = report(rl_sink_sarif_new, run, r, &len);
  must_be_json("SARIF", out, len);
  free(out);
  out = report(text_sink, run, r, &len);
  free(out);
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
    check_reports(&runs[i], r); /* every rule's descriptor, once */
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
  rl_file_result *r = rl_engine_scan_buffer(e, name, NULL, file, file_len);
  if (mark) {
    unlink(mw_path);
    unlink(main_path);
  }
  if (!r) abort();
  rl_run_info run = found_run(&runs[which], r);
  check_reports(&run, r);
  rl_file_result_free(r);
  rl_engine_scan_buffer_trim(e);
  return 0;
}
