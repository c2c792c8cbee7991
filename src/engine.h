#ifndef RL_ENGINE_H
#define RL_ENGINE_H
/* One file's journey: read -> prefilter -> parse -> context -> rules ->
 * suppressions -> findings; and a run: walk -> workers -> ordered merge ->
 * sink. Compiled rule state is shared read-only between workers; everything
 * per file lives in that file's arena. */
#include <stddef.h>

#include "finding.h"
#include "report.h"
#include "rule.h"

/* A per-rule severity from the config file (severity: {rule: level}). */
typedef struct rl_severity_override {
  const char *rule_id;
  rl_severity severity;
} rl_severity_override;

/* overrides: in .roomlint.yml: rules changed for the files some globs
 * match (ESLint's `files` blocks). Later entries win. */
typedef struct rl_path_override {
  const char *const *paths;          /* gitignore-style globs, NULL-terminated */
  const rl_severity_override *rules; /* severity RL_SEV_NONE: the rule is off there */
  size_t nrules;
} rl_path_override;

struct rl_baseline;

typedef struct rl_engine_config {
  const char *const *rule_dirs;      /* --rules DIR..., NULL-terminated or NULL */
  const char *const *enable;         /* --enable RULE..., NULL-terminated or NULL */
  const char *const *disable;        /* --disable RULE..., NULL-terminated or NULL */
  const rl_rule *const *extra_rules; /* more rules (config secret patterns), borrowed */
  size_t nextra_rules;
  double max_token_ttl; /* seconds; 0 = default 86400 */
  size_t max_file_size; /* bytes; 0 = default 5 MiB */
  int jobs;             /* worker threads; 0 = online cores */
  int no_ignore;
  int no_prefilter; /* run every rule on every file (tests) */
  rl_severity fail_on;
  int verbose;
  const char *const *extra_ignores;       /* config ignore globs, NULL-terminated or NULL */
  const char *extra_base;                 /* real path of the config's directory: where they are anchored */
  int force_exclude;                      /* --force-exclude: ignores apply to named paths too */
  const rl_severity_override *severities; /* config severity overrides (unknown id: error) */
  const rl_path_override *overrides;      /* config per-path overrides, anchored at extra_base */
  size_t noverrides;
  size_t nseverities;
  const struct rl_baseline *baseline; /* --baseline: its findings are suppressed "external" */
  /* --report-unused-suppressions: 0 or RL_NOTE_NOTE a note (the default),
   * RL_NOTE_ERROR an error that fails the run, -1 off */
  int unused_suppressions;
  int stats;                       /* --stats: a note per parsed file with its analysis steps */
  unsigned long long debug_budget; /* ROOMLINT_DEBUG_BUDGET: fixed steps per file (0: the default) */
  const char *const *bundles;      /* --bundle DIR...: built JavaScript (bundle.h), NULL-terminated or NULL */
  int has_protect;                 /* -o names an existing file: its identity, */
  unsigned long long protect_dev, protect_ino; /* which the scan refuses to read */
  int git_source;                              /* rl_walk_options.git_source: --staged (index) or a tree (git_rev) */
  const char *git_rev;                         /* --baseline-ref's side */
  int text_only;                               /* --history: only rl_engine_scan_text runs, so no query is compiled */
  int no_project; /* --no-project: per-file analysis only, no file reads another (model.h) */
} rl_engine_config;

typedef struct rl_engine rl_engine;

/* Loads the rules (their queries are compiled on first use, per
 * language). On failure (unknown rule id, broken rule pack) returns a negative code with rl_error_last() naming file, line and
 * the problem. Caller frees with rl_engine_free. */
int rl_engine_new(rl_engine **out, const rl_engine_config *cfg);
void rl_engine_free(rl_engine *e);

/* Every rule known (built-in and packs), sorted by id; borrowed. */
const rl_rule *const *rl_engine_rules(const rl_engine *e, size_t *n);
const rl_rule *rl_engine_rule_find(const rl_engine *e, const char *id);
int rl_engine_rule_enabled(const rl_engine *e, const rl_rule *r);

/* Between runs: the baseline findings are checked against (--baseline-ref
 * builds it with a first run), and where the walk reads files (0: the disk,
 * else rl_walk_options.git_source; rev is borrowed). */
void rl_engine_set_baseline(rl_engine *e, const struct rl_baseline *b);
void rl_engine_set_git_source(rl_engine *e, int git_source, const char *rev);

/* Scans paths, feeding sink. *sum receives the totals. Returns 0, or a
 * negative code for fatal errors (unreadable path, write failure). */
int rl_engine_scan(rl_engine *e, const char *const *paths, size_t npaths, rl_sink *sink, rl_run_info *run,
                   rl_summary *sum);

/* Reads fd to its end and reports the text as the file at display path
 * `path` (which also decides its language, context and package.json): the
 * sink sees begin, the file, end, and *sum the totals, as with
 * rl_engine_scan. Over --max-file-size the input is reported as skipped
 * (and only that much is kept in memory). ignored: the walk would leave the
 * file out, so the report has no file. Returns 0 or a negative code. */
int rl_engine_scan_fd(rl_engine *e, const char *path, int fd, int ignored, rl_sink *sink, rl_run_info *run,
                      rl_summary *sum);

/* Scans one in-memory buffer as if it were a file at display path `path`
 * (fs_path, may be NULL, is used for package.json lookup). Caller frees the
 * result with rl_file_result_free. Used by tests and fuzzers. */
rl_file_result *rl_engine_scan_buffer(rl_engine *e, const char *path, const char *fs_path, const char *bytes,
                                      size_t len);

/* Gives back what rl_engine_scan_buffer keeps between calls (the parser's
 * and the query cursor's pools, this thread's regex scratch); the next call
 * builds them afresh. A fuzzer calls it after each input so that every
 * execution frees what it allocated, and libFuzzer needs no leak re-run. */
void rl_engine_scan_buffer_trim(rl_engine *e);

/* The project model forgets what it read (rl_project_forget) and, with
 * npaths > 0, takes these scanned roots (files or folders): a module outside
 * them is not read. Between rl_engine_scan_buffer calls, when other files
 * may have changed. */
void rl_engine_project_reset(rl_engine *e, const char *const *paths, size_t npaths);
/* The same with no syntax tree (--history's blobs): JS/TS get the rules'
 * text-level detectors (rl_rule.on_text), dotenv files their usual rules.
 * No package.json is looked up (fs_path unknown). Caller frees. */
rl_file_result *rl_engine_scan_text(rl_engine *e, const char *path, const char *bytes, size_t len);

/* Fills run's rules, enabled flags and fail_on, as rl_engine_scan does. */
void rl_engine_run_info(const rl_engine *e, rl_run_info *run);
/* Adds r to the totals: scanned or skipped, findings by severity, failed. */
void rl_summary_count(rl_summary *sum, const rl_file_result *r, rl_severity fail_on);
/* The effective --max-file-size. */
size_t rl_engine_max_file_size(const rl_engine *e);

/* An empty result for path, and one marked skipped (detail NULL: the
 * standard words for s), for files the caller does not hand to a scan. */
rl_file_result *rl_engine_result_new(const char *path);
void rl_engine_mark_skipped(rl_engine *e, rl_file_result *r, rl_skip s, const char *detail);

#endif
