/* The GitLab sink: a SAST security report (schema version 15, the
 * gl-sast-report.json of a job's artifacts:reports:sast), so findings show
 * in merge requests and the vulnerability report. Unsuppressed findings
 * only: GitLab has no notion of a suppressed one. Messages and snippets
 * come masked from the engine. Times are now, or SOURCE_DATE_EPOCH when
 * set (reproducible builds' convention), so a report can be compared. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"
#include "report_common.h"
#include "util.h"
#include "version.h"

#define GITLAB_SCHEMA_VERSION "15.0.7"

typedef struct gitlab_sink {
  rl_sink base;
  FILE *out;
  json_t *vulns;
  time_t start;
} gitlab_sink;

static time_t report_time(void) {
  const char *e = getenv("SOURCE_DATE_EPOCH");
  if (e && *e) {
    char *end;
    long long v = strtoll(e, &end, 10);
    if (!*end && v >= 0) return (time_t)v;
  }
  return time(NULL);
}

/* GitLab wants "YYYY-MM-DDTHH:MM:SS" (UTC, no zone). */
static json_t *iso_time(time_t t) {
  struct tm tm;
  char buf[32];
  if (!gmtime_r(&t, &tm) || strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
    snprintf(buf, sizeof buf, "1970-01-01T00:00:00");
  return json_string(buf);
}

static const char *gitlab_severity(rl_severity s) {
  switch (s) {
  case RL_SEV_ERROR: return "High";
  case RL_SEV_WARNING: return "Medium";
  case RL_SEV_NOTE: return "Low";
  case RL_SEV_NONE: break;
  }
  return "Unknown";
}

static int gitlab_begin(rl_sink *s, const rl_run_info *run) {
  (void)run;
  ((gitlab_sink *)s)->start = report_time();
  return 0;
}

static json_t *identifier(const char *type, const char *name, const char *value, const char *url) {
  json_t *o = rl_report__object();
  rl_report__put(o, "type", json_string(type));
  rl_report__put(o, "name", rl_report__jstr(name));
  rl_report__put(o, "value", rl_report__jstr(value));
  if (url) rl_report__put(o, "url", json_string(url));
  return o;
}

static json_t *vulnerability(const rl_file_result *r, const rl_finding *f) {
  const rl_rule *rule = f->rule;
  json_t *v = rl_report__object();
  /* A UUID-shaped id from the path and the fingerprint (stable across runs,
   * like the fingerprint, and unique within the report). */
  uint64_t h1 = rl_hash64(r->path, strlen(r->path), 0x726f6f6d6c696e74ULL);
  uint64_t h2 = rl_hash64(f->fingerprint, strlen(f->fingerprint), h1);
  char id[40];
  snprintf(id, sizeof id, "%08llx-%04llx-4%03llx-8%03llx-%012llx", (unsigned long long)(h1 >> 32),
           (unsigned long long)((h1 >> 16) & 0xffff), (unsigned long long)(h1 & 0xfff),
           (unsigned long long)((h2 >> 48) & 0xfff), (unsigned long long)(h2 & 0xffffffffffffULL));
  rl_report__put(v, "id", json_string(id));
  rl_report__put(v, "name", rl_report__jstr(rule ? rule->title : "roomlint finding"));
  rl_report__put(v, "description", rl_report__jstr(f->message));
  rl_report__put(v, "severity", json_string(gitlab_severity(f->severity)));
  if (rule) {
    rl_buf sol = {0};
    rl_buf_printf(&sol, "Run `roomlint --explain %s` for the fix.", rule->id);
    rl_report__put(v, "solution", rl_report__jstr(sol.ptr));
    rl_buf_free(&sol);
  }
  json_t *ids = rl_report__array();
  rl_buf url = {0}, name = {0};
  rl_buf_printf(&url, "%s/blob/main/rules/%s.md", RL_INFORMATION_URI, rule ? rule->id : "");
  rl_buf_printf(&name, "roomlint %s", rule ? rule->id : "");
  rl_report__push(ids, identifier("roomlint_rule", name.ptr, rule ? rule->id : "", rule && rule->doc ? url.ptr : NULL));
  if (rule && rule->cwe) {
    rl_buf cwe = {0}, num = {0}, curl = {0};
    rl_buf_printf(&cwe, "CWE-%d", rule->cwe);
    rl_buf_printf(&num, "%d", rule->cwe);
    rl_buf_printf(&curl, "https://cwe.mitre.org/data/definitions/%d.html", rule->cwe);
    rl_report__push(ids, identifier("cwe", cwe.ptr, num.ptr, curl.ptr));
    rl_buf_free(&cwe);
    rl_buf_free(&num);
    rl_buf_free(&curl);
  }
  rl_buf_free(&url);
  rl_buf_free(&name);
  rl_report__put(v, "identifiers", ids);
  json_t *loc = rl_report__object();
  rl_report__put(loc, "file", rl_report__jstr(r->path));
  rl_report__put(loc, "start_line", json_integer(f->start_line));
  rl_report__put(loc, "end_line", json_integer(f->end_line >= f->start_line ? f->end_line : f->start_line));
  rl_report__put(v, "location", loc);
  return v;
}

static int gitlab_file(rl_sink *s, const rl_file_result *r) {
  gitlab_sink *g = (gitlab_sink *)s;
  for (size_t i = 0; i < r->nfindings; i++)
    if (r->findings[i].suppressed == RL_SUPPRESS_NONE) rl_report__push(g->vulns, vulnerability(r, &r->findings[i]));
  return 0;
}

static json_t *tool_object(void) {
  json_t *t = rl_report__object();
  rl_report__put(t, "id", json_string("roomlint"));
  rl_report__put(t, "name", json_string("roomlint"));
  rl_report__put(t, "url", json_string(RL_INFORMATION_URI));
  rl_report__put(t, "version", json_string(RL_VERSION));
  json_t *vendor = rl_report__object();
  rl_report__put(vendor, "name", json_string("roomlint"));
  rl_report__put(t, "vendor", vendor);
  return t;
}

static int gitlab_end(rl_sink *s, const rl_summary *sum) {
  gitlab_sink *g = (gitlab_sink *)s;
  (void)sum;
  json_t *root = rl_report__object();
  rl_report__put(root, "version", json_string(GITLAB_SCHEMA_VERSION));
  json_t *scan = rl_report__object();
  rl_report__put(scan, "analyzer", tool_object());
  rl_report__put(scan, "scanner", tool_object());
  rl_report__put(scan, "type", json_string("sast"));
  rl_report__put(scan, "start_time", iso_time(g->start));
  time_t end = report_time();
  rl_report__put(scan, "end_time", iso_time(end < g->start ? g->start : end));
  rl_report__put(scan, "status", json_string("success"));
  rl_report__put(root, "scan", scan);
  rl_report__put(root, "vulnerabilities", json_incref(g->vulns));
  int rc = rl_report__dump(root, g->out);
  json_decref(root);
  return rc;
}

static void gitlab_sink_free(rl_sink *s) {
  gitlab_sink *g = (gitlab_sink *)s;
  if (!g) return;
  json_decref(g->vulns);
  free(g);
}

rl_sink *rl_sink_gitlab_new(FILE *out) {
  gitlab_sink *g = rl_xcalloc(1, sizeof *g);
  g->base.begin = gitlab_begin;
  g->base.file = gitlab_file;
  g->base.end = gitlab_end;
  g->base.free = gitlab_sink_free;
  g->out = out;
  g->vulns = rl_report__array();
  return &g->base;
}
