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

/* json_object_set_new with an aborting check: every value here is small. */
static void put(json_t *obj, const char *key, json_t *value) {
  if (!value || json_object_set_new(obj, key, value) != 0) rl_oom();
}

static void push(json_t *arr, json_t *value) {
  if (!value || json_array_append_new(arr, value) != 0) rl_oom();
}

static json_t *new_object(void) {
  json_t *o = json_object();
  if (!o) rl_oom();
  return o;
}

static json_t *new_array(void) {
  json_t *a = json_array();
  if (!a) rl_oom();
  return a;
}

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
  json_t *f = new_object();
  put(f, "path", rl_report__jstr(r->path));
  put(f, "language", json_string(rl_lang_name(r->lang)));
  put(f, "context", json_string(rl_context_name(r->context)));
  put(f, "contextReason", rl_report__jstr(r->context_reason));
  if (r->skip == RL_SKIP_NONE) {
    put(f, "skipped", json_null());
  } else {
    json_t *skip = new_object();
    put(skip, "reason", json_string(rl_skip_name(r->skip)));
    put(skip, "detail", rl_report__jstr(r->skip_detail));
    put(f, "skipped", skip);
  }
  put(f, "syntaxErrors", json_boolean(r->has_syntax_errors));
  json_t *notes = new_array();
  for (size_t i = 0; i < r->nnotes; i++) {
    const rl_notification *n = &r->notes[i];
    json_t *o = new_object();
    put(o, "id", rl_report__jstr(n->id));
    put(o, "level", json_string(note_level(n->level)));
    put(o, "message", rl_report__jstr(n->message));
    put(o, "line", n->line ? count(n->line) : json_null());
    put(o, "column", n->line ? count(n->col) : json_null());
    push(notes, o);
  }
  put(f, "notifications", notes);
  return f;
}

static json_t *finding_object(const rl_file_result *r, const rl_finding *fd) {
  json_t *o = new_object();
  put(o, "ruleId", rl_report__jstr(fd->rule ? fd->rule->id : NULL));
  put(o, "severity", json_string(rl_severity_name(fd->severity)));
  put(o, "message", rl_report__jstr(fd->message));
  put(o, "path", rl_report__jstr(r->path));
  put(o, "startLine", count(fd->start_line));
  put(o, "startColumn", count(fd->start_col));
  put(o, "endLine", count(fd->end_line));
  put(o, "endColumn", count(fd->end_col));
  put(o, "snippet", rl_report__jstr(fd->snippet));
  put(o, "fingerprint", rl_report__jstr(fd->fingerprint));
  if (fd->suppressed == RL_SUPPRESS_NONE) {
    put(o, "suppressed", json_null());
  } else {
    json_t *sup = new_object();
    put(sup, "kind", json_string(suppress_kind(fd->suppressed)));
    put(sup, "justification", rl_report__jstr(fd->justification));
    put(o, "suppressed", sup);
  }
  return o;
}

static int json_file(rl_sink *s, const rl_file_result *r) {
  json_sink *j = (json_sink *)s;
  push(j->files, file_object(r));
  for (size_t i = 0; i < r->nfindings; i++) push(j->findings, finding_object(r, &r->findings[i]));
  return 0;
}

static int json_end(rl_sink *s, const rl_summary *sum) {
  json_sink *j = (json_sink *)s;
  json_t *root = new_object();
  put(root, "formatVersion", json_integer(RL_JSON_FORMAT_VERSION));
  json_t *tool = new_object();
  put(tool, "name", json_string("roomlint"));
  put(tool, "version", json_string(RL_VERSION));
  put(root, "tool", tool);
  put(root, "files", json_incref(j->files));
  put(root, "findings", json_incref(j->findings));
  json_t *summary = new_object();
  put(summary, "filesScanned", count(sum->files_scanned));
  put(summary, "filesSkipped", count(sum->files_skipped));
  put(summary, "errors", count(sum->errors));
  put(summary, "warnings", count(sum->warnings));
  put(summary, "notes", count(sum->notes));
  put(summary, "suppressed", count(sum->suppressed));
  put(summary, "parseErrors", count(sum->parse_errors));
  put(summary, "failed", json_boolean(sum->failed));
  put(root, "summary", summary);
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
  j->files = new_array();
  j->findings = new_array();
  return &j->base;
}
