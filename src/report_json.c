/* The JSON sink: one stable object, documented in docs/json-format.md.
 * Each file result is copied into JSON values as it arrives (the engine
 * frees the result after file() returns); the whole object is written at
 * end(), so a failed write is reported once, there. */
#include <stdlib.h>

#include "report.h"
#include "report_common.h"
#include "util.h"
#include "version.h"

#define RL_JSON_FORMAT_VERSION 1

typedef struct json_sink {
  rl_sink base;
  rl_arena *a; /* every JSON value of the report */
  FILE *out;
  rl_json *files;
  rl_json *findings;
} json_sink;

static rl_json *count(rl_arena *a, size_t n) { return rl_json_new_int(a, (int64_t)n); }

static int json_begin(rl_sink *s, const rl_run_info *run) {
  (void)s;
  (void)run;
  return 0;
}

static const char *suppress_kind(rl_suppress_kind k) { return k == RL_SUPPRESS_EXTERNAL ? "external" : "inSource"; }

static const char *note_level(rl_note_level level) {
  switch (level) {
  case RL_NOTE_ERROR: return "error";
  case RL_NOTE_WARNING: return "warning";
  case RL_NOTE_NOTE: break;
  }
  return "note";
}

static rl_json *file_object(rl_arena *a, const rl_file_result *r) {
  rl_json *f = rl_json_new_object(a);
  rl_json_put(a, f, "path", rl_report__jstr(a, r->path));
  rl_json_put(a, f, "language", rl_json_new_string(a, rl_lang_name(r->lang)));
  rl_json_put(a, f, "context", rl_json_new_string(a, rl_context_name(r->context)));
  rl_json_put(a, f, "contextReason", rl_report__jstr(a, r->context_reason));
  if (r->skip == RL_SKIP_NONE) {
    rl_json_put(a, f, "skipped", rl_json_new_null(a));
  } else {
    rl_json *skip = rl_json_new_object(a);
    rl_json_put(a, skip, "reason", rl_json_new_string(a, rl_skip_name(r->skip)));
    rl_json_put(a, skip, "detail", rl_report__jstr(a, r->skip_detail));
    rl_json_put(a, f, "skipped", skip);
  }
  rl_json_put(a, f, "syntaxErrors", rl_json_new_bool(a, r->has_syntax_errors));
  rl_json *notes = rl_json_new_array(a);
  for (size_t i = 0; i < r->nnotes; i++) {
    const rl_notification *n = &r->notes[i];
    rl_json *o = rl_json_new_object(a);
    rl_json_put(a, o, "id", rl_report__jstr(a, n->id));
    rl_json_put(a, o, "level", rl_json_new_string(a, note_level(n->level)));
    rl_json_put(a, o, "message", rl_report__jstr(a, n->message));
    rl_json_put(a, o, "line", n->line ? count(a, n->line) : rl_json_new_null(a));
    rl_json_put(a, o, "column", n->line ? count(a, n->col) : rl_json_new_null(a));
    rl_json_push(a, notes, o);
  }
  rl_json_put(a, f, "notifications", notes);
  return f;
}

/* {path, line, column}: another place a finding is about */
static rl_json *place_object(rl_arena *a, const char *path, uint32_t line, uint32_t col) {
  rl_json *p = rl_json_new_object(a);
  rl_json_put(a, p, "path", rl_report__jstr(a, path));
  rl_json_put(a, p, "line", count(a, line));
  rl_json_put(a, p, "column", count(a, col));
  return p;
}

static rl_json *finding_object(rl_arena *a, const rl_file_result *r, const rl_finding *fd) {
  rl_json *o = rl_json_new_object(a);
  rl_json_put(a, o, "ruleId", rl_report__jstr(a, fd->rule ? fd->rule->id : NULL));
  rl_json_put(a, o, "severity", rl_json_new_string(a, rl_severity_name(fd->severity)));
  rl_json_put(a, o, "message", rl_report__jstr(a, fd->message));
  rl_json_put(a, o, "path", rl_report__jstr(a, r->path));
  rl_json_put(a, o, "startLine", count(a, fd->start_line));
  rl_json_put(a, o, "startColumn", count(a, fd->start_col));
  rl_json_put(a, o, "endLine", count(a, fd->end_line));
  rl_json_put(a, o, "endColumn", count(a, fd->end_col));
  rl_json_put(a, o, "snippet", rl_report__jstr(a, fd->snippet));
  rl_json_put(a, o, "fingerprint", rl_report__jstr(a, fd->fingerprint));
  if (fd->bundle_path) {
    /* a source-mapped finding of a built bundle: where it ships */
    rl_json_put(a, o, "bundle", place_object(a, fd->bundle_path, fd->bundle_line, fd->bundle_col));
  }
  if (fd->related_path) {
    /* a cross-file finding: the other file's place it is about */
    rl_json *rel = place_object(a, fd->related_path, fd->related_line, fd->related_col);
    rl_json_put(a, rel, "message", rl_report__jstr(a, fd->related_message));
    rl_json_put(a, o, "related", rel);
    if (fd->nrelated_more) { /* the places after the first, alike */
      rl_json *more = rl_json_new_array(a);
      for (size_t k = 0; k < fd->nrelated_more; k++) {
        const rl_related *m = &fd->related_more[k];
        rl_json *x = place_object(a, m->path, m->line, m->col);
        rl_json_put(a, x, "message", rl_report__jstr(a, m->message));
        rl_json_push(a, more, x);
      }
      rl_json_put(a, o, "relatedMore", more);
    }
  }
  const rl_json *hist = rl_report__history_props(a, r, fd);
  for (size_t i = 0; i < rl_json_size(hist); i++) rl_json_put(a, o, rl_json_key_at(hist, i, NULL), rl_json_at(hist, i));
  if (fd->suppressed == RL_SUPPRESS_NONE) {
    rl_json_put(a, o, "suppressed", rl_json_new_null(a));
  } else {
    rl_json *sup = rl_json_new_object(a);
    rl_json_put(a, sup, "kind", rl_json_new_string(a, suppress_kind(fd->suppressed)));
    rl_json_put(a, sup, "justification", rl_report__jstr(a, fd->justification));
    rl_json_put(a, o, "suppressed", sup);
  }
  return o;
}

static int json_file(rl_sink *s, const rl_file_result *r) {
  json_sink *j = (json_sink *)s;
  rl_arena *a = j->a;
  rl_json_push(a, j->files, file_object(a, r));
  for (size_t i = 0; i < r->nfindings; i++) rl_json_push(a, j->findings, finding_object(a, r, &r->findings[i]));
  return 0;
}

static int json_end(rl_sink *s, const rl_summary *sum) {
  json_sink *j = (json_sink *)s;
  rl_arena *a = j->a;
  rl_json *root = rl_json_new_object(a);
  rl_json_put(a, root, "formatVersion", rl_json_new_int(a, RL_JSON_FORMAT_VERSION));
  rl_json *tool = rl_json_new_object(a);
  rl_json_put(a, tool, "name", rl_json_new_string(a, "roomlint"));
  rl_json_put(a, tool, "version", rl_json_new_string(a, RL_VERSION));
  rl_json_put(a, root, "tool", tool);
  rl_json_put(a, root, "files", j->files);
  rl_json_put(a, root, "findings", j->findings);
  rl_json *summary = rl_json_new_object(a);
  rl_json_put(a, summary, "filesScanned", count(a, sum->files_scanned));
  rl_json_put(a, summary, "filesSkipped", count(a, sum->files_skipped));
  rl_json_put(a, summary, "errors", count(a, sum->errors));
  rl_json_put(a, summary, "warnings", count(a, sum->warnings));
  rl_json_put(a, summary, "notes", count(a, sum->notes));
  rl_json_put(a, summary, "suppressed", count(a, sum->suppressed));
  rl_json_put(a, summary, "parseErrors", count(a, sum->parse_errors));
  rl_json_put(a, summary, "analysisStopped", count(a, sum->analysis_stopped));
  rl_json_put(a, summary, "failed", rl_json_new_bool(a, sum->failed));
  rl_json_put(a, root, "summary", summary);
  return rl_report__dump(root, j->out);
}

static void json_sink_free(rl_sink *s) {
  json_sink *j = (json_sink *)s;
  if (!j) return;
  rl_arena_free(j->a);
  free(j);
}

rl_sink *rl_sink_json_new(FILE *out) {
  json_sink *j = rl_xcalloc(1, sizeof *j);
  j->base.begin = json_begin;
  j->base.file = json_file;
  j->base.end = json_end;
  j->base.free = json_sink_free;
  j->out = out;
  j->a = rl_arena_new();
  j->files = rl_json_new_array(j->a);
  j->findings = rl_json_new_array(j->a);
  return &j->base;
}
