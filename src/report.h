#ifndef RL_REPORT_H
#define RL_REPORT_H
/* One sink interface, three formats behind it (ripgrep's printer Sink).
 * The engine calls begin once, file once per file in deterministic order
 * (scanned and skipped files alike), then end. Sinks never see a tree or
 * re-read a file: everything they print is in the rl_file_result. */
#include <stdio.h>

#include "finding.h"
#include "rule.h"

typedef struct rl_run_info {
  const rl_rule *const *rules; /* every rule known to the run (enabled or not), sorted by id */
  size_t nrules;
  const unsigned char *enabled; /* enabled[i] for rules[i] */
  const char *const *roots;     /* the paths scanned, as given */
  size_t nroots;
  const char *cwd; /* absolute working directory (SARIF SRCROOT) */
  rl_severity fail_on;
  /* --history: the repository (SARIF versionControlProvenance), else NULL */
  const char *vcs_uri, *vcs_revision, *vcs_branch;
} rl_run_info;

typedef struct rl_summary {
  size_t files_scanned;
  size_t files_skipped;
  size_t errors, warnings, notes; /* unsuppressed findings by severity */
  size_t suppressed;
  size_t parse_errors;       /* files with syntax errors (still scanned) */
  size_t analysis_stopped;   /* files whose work budget ran out (not fully checked) */
  size_t suppression_errors; /* unknown rules (and, if asked, unused ones) in suppression comments */
  double seconds;
  int failed; /* a finding at or above --fail-on exists */
} rl_summary;

typedef struct rl_sink rl_sink;
struct rl_sink {
  int (*begin)(rl_sink *s, const rl_run_info *run);
  int (*file)(rl_sink *s, const rl_file_result *r);
  int (*end)(rl_sink *s, const rl_summary *sum);
  void (*free)(rl_sink *s);
};

typedef struct rl_text_options {
  int color;   /* ANSI colour (the caller decides: TTY and no NO_COLOR) */
  int verbose; /* list skipped files and each file's context */
} rl_text_options;

/* Each writes to out (borrowed; the caller closes it). Returns 0, or RL_EIO
 * when writing fails (checked at end). Free with s->free(s). */
rl_sink *rl_sink_text_new(FILE *out, const rl_text_options *opts);
rl_sink *rl_sink_json_new(FILE *out);
rl_sink *rl_sink_sarif_new(FILE *out);
/* One self-contained HTML page for people (report_html.c). */
rl_sink *rl_sink_html_new(FILE *out);
/* JUnit XML for CI test tabs (report_junit.c). */
rl_sink *rl_sink_junit_new(FILE *out);
/* A GitLab SAST security report, schema 15 (report_gitlab.c). */
rl_sink *rl_sink_gitlab_new(FILE *out);

#endif
