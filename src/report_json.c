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
  FILE *out;
  json_t *files;
  json_t *findings;
} json_sink;


static json_t *count(size_t n) { return json_integer((json_int_t)n); }

static int json_begin(rl_sink *s, const rl_run_info *run) {
  (void)s;
  (void)run;
  return 0;
}

static const char *suppress_kind(rl_suppress_kind k) {
  return k == RL_SUPPRESS_EXTERNAL ? "external" : "inSource";
}

static const char *note_level(rl_note_level level) {
  switch (level) {
  case RL_NOTE_ERROR: return "error";
  case RL_NOTE_WARNING: return "warning";
  case RL_NOTE_NOTE: break;
  }
  return "note";
}

static json_t *file_object(const rl_file_result *r) {
  json_t *f = rl_report__object();
  rl_report__put(f, "path", rl_report__jstr(r->path));
  rl_report__put(f, "language", json_string(rl_lang_name(r->lang)));
  rl_report__put(f, "context", json_string(rl_context_name(r->context)));
  rl_report__put(f, "contextReason", rl_report__jstr(r->context_reason));
  if (r->skip == RL_SKIP_NONE) {
    rl_report__put(f, "skipped", json_null());
  } else {
    json_t *skip = rl_report__object();
    rl_report__put(skip, "reason", json_string(rl_skip_name(r->skip)));
    rl_report__put(skip, "detail", rl_report__jstr(r->skip_detail));
    rl_report__put(f, "skipped", skip);
  }
  rl_report__put(f, "syntaxErrors", json_boolean(r->has_syntax_errors));
  json_t *notes = rl_report__array();
  for (size_t i = 0; i < r->nnotes; i++) {
    const rl_notification *n = &r->notes[i];
    json_t *o = rl_report__object();
    rl_report__put(o, "id", rl_report__jstr(n->id));
    rl_report__put(o, "level", json_string(note_level(n->level)));
    rl_report__put(o, "message", rl_report__jstr(n->message));
    rl_report__put(o, "line", n->line ? count(n->line) : json_null());
    rl_report__put(o, "column", n->line ? count(n->col) : json_null());
    rl_report__push(notes, o);
  }
  rl_report__put(f, "notifications", notes);
  return f;
}

static json_t *finding_object(const rl_file_result *r, const rl_finding *fd) {
  json_t *o = rl_report__object();
  rl_report__put(o, "ruleId", rl_report__jstr(fd->rule ? fd->rule->id : NULL));
  rl_report__put(o, "severity", json_string(rl_severity_name(fd->severity)));
  rl_report__put(o, "message", rl_report__jstr(fd->message));
  rl_report__put(o, "path", rl_report__jstr(r->path));
  rl_report__put(o, "startLine", count(fd->start_line));
  rl_report__put(o, "startColumn", count(fd->start_col));
  rl_report__put(o, "endLine", count(fd->end_line));
  rl_report__put(o, "endColumn", count(fd->end_col));
  rl_report__put(o, "snippet", rl_report__jstr(fd->snippet));
  rl_report__put(o, "fingerprint", rl_report__jstr(fd->fingerprint));
  if (fd->bundle_path) {
    /* a source-mapped finding of a built bundle: where it ships */
    json_t *b = rl_report__object();
    rl_report__put(b, "path", rl_report__jstr(fd->bundle_path));
    rl_report__put(b, "line", count(fd->bundle_line));
    rl_report__put(b, "column", count(fd->bundle_col));
    rl_report__put(o, "bundle", b);
  }
  if (fd->related_path) {
    /* a cross-file finding: the other file's place it is about */
    json_t *rel = rl_report__object();
    rl_report__put(rel, "path", rl_report__jstr(fd->related_path));
    rl_report__put(rel, "line", count(fd->related_line));
    rl_report__put(rel, "column", count(fd->related_col));
    rl_report__put(rel, "message", rl_report__jstr(fd->related_message));
    rl_report__put(o, "related", rel);
  }
  json_t *hist = rl_report__history_props(r, fd);
  if (hist) {
    json_t *v;
    const char *k;
    json_object_foreach(hist, k, v) rl_report__put(o, k, json_incref(v));
    json_decref(hist);
  }
  if (fd->suppressed == RL_SUPPRESS_NONE) {
    rl_report__put(o, "suppressed", json_null());
  } else {
    json_t *sup = rl_report__object();
    rl_report__put(sup, "kind", json_string(suppress_kind(fd->suppressed)));
    rl_report__put(sup, "justification", rl_report__jstr(fd->justification));
    rl_report__put(o, "suppressed", sup);
  }
  return o;
}

static int json_file(rl_sink *s, const rl_file_result *r) {
  json_sink *j = (json_sink *)s;
  rl_report__push(j->files, file_object(r));
  for (size_t i = 0; i < r->nfindings; i++) rl_report__push(j->findings, finding_object(r, &r->findings[i]));
  return 0;
}

static int json_end(rl_sink *s, const rl_summary *sum) {
  json_sink *j = (json_sink *)s;
  json_t *root = rl_report__object();
  rl_report__put(root, "formatVersion", json_integer(RL_JSON_FORMAT_VERSION));
  json_t *tool = rl_report__object();
  rl_report__put(tool, "name", json_string("roomlint"));
  rl_report__put(tool, "version", json_string(RL_VERSION));
  rl_report__put(root, "tool", tool);
  rl_report__put(root, "files", json_incref(j->files));
  rl_report__put(root, "findings", json_incref(j->findings));
  json_t *summary = rl_report__object();
  rl_report__put(summary, "filesScanned", count(sum->files_scanned));
  rl_report__put(summary, "filesSkipped", count(sum->files_skipped));
  rl_report__put(summary, "errors", count(sum->errors));
  rl_report__put(summary, "warnings", count(sum->warnings));
  rl_report__put(summary, "notes", count(sum->notes));
  rl_report__put(summary, "suppressed", count(sum->suppressed));
  rl_report__put(summary, "parseErrors", count(sum->parse_errors));
  rl_report__put(summary, "analysisStopped", count(sum->analysis_stopped));
  rl_report__put(summary, "failed", json_boolean(sum->failed));
  rl_report__put(root, "summary", summary);
  int rc = rl_report__dump(root, j->out);
  json_decref(root);
  return rc;
}

static void json_sink_free(rl_sink *s) {
  json_sink *j = (json_sink *)s;
  if (!j) return;
  json_decref(j->files);
  json_decref(j->findings);
  free(j);
}

rl_sink *rl_sink_json_new(FILE *out) {
  json_sink *j = rl_xcalloc(1, sizeof *j);
  j->base.begin = json_begin;
  j->base.file = json_file;
  j->base.end = json_end;
  j->base.free = json_sink_free;
  j->out = out;
  j->files = rl_report__array();
  j->findings = rl_report__array();
  return &j->base;
}
