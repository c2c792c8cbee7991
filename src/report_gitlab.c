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
  rl_arena *a; /* every JSON value of the report */
  FILE *out;
  rl_json *vulns;
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
static rl_json *iso_time(rl_arena *a, time_t t) {
  struct tm tm;
  char buf[32];
  if (!gmtime_r(&t, &tm) || strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
    snprintf(buf, sizeof buf, "1970-01-01T00:00:00");
  return rl_json_new_string(a, buf);
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

static rl_json *identifier(rl_arena *a, const char *type, const char *name, const char *value, const char *url) {
  rl_json *o = rl_json_new_object(a);
  rl_json_put(a, o, "type", rl_json_new_string(a, type));
  rl_json_put(a, o, "name", rl_report__jstr(a, name));
  rl_json_put(a, o, "value", rl_report__jstr(a, value));
  if (url) rl_json_put(a, o, "url", rl_json_new_string(a, url));
  return o;
}

static rl_json *vulnerability(rl_arena *a, const rl_file_result *r, const rl_finding *f) {
  const rl_rule *rule = f->rule;
  rl_json *v = rl_json_new_object(a);
  /* A UUID-shaped id from the path and the fingerprint (stable across runs,
   * like the fingerprint, and unique within the report). */
  uint64_t h1 = rl_hash64(r->path, strlen(r->path), 0x726f6f6d6c696e74ULL);
  uint64_t h2 = rl_hash64(f->fingerprint, strlen(f->fingerprint), h1);
  char id[40];
  snprintf(id, sizeof id, "%08llx-%04llx-4%03llx-8%03llx-%012llx", (unsigned long long)(h1 >> 32),
           (unsigned long long)((h1 >> 16) & 0xffff), (unsigned long long)(h1 & 0xfff),
           (unsigned long long)((h2 >> 48) & 0xfff), (unsigned long long)(h2 & 0xffffffffffffULL));
  rl_json_put(a, v, "id", rl_json_new_string(a, id));
  rl_json_put(a, v, "name", rl_report__jstr(a, rule ? rule->title : "roomlint finding"));
  rl_json_put(a, v, "description", rl_report__jstr(a, f->message));
  rl_json_put(a, v, "severity", rl_json_new_string(a, gitlab_severity(f->severity)));
  if (rule) {
    rl_buf sol = {0};
    rl_buf_printf(&sol, "Run `roomlint --explain %s` for the fix.", rule->id);
    rl_json_put(a, v, "solution", rl_report__jstr(a, sol.ptr));
    rl_buf_free(&sol);
  }
  rl_json *ids = rl_json_new_array(a);
  rl_buf url = {0}, name = {0};
  rl_buf_printf(&url, "%s/blob/main/rules/%s.md", RL_INFORMATION_URI, rule ? rule->id : "");
  rl_buf_printf(&name, "roomlint %s", rule ? rule->id : "");
  rl_json_push(a, ids,
               identifier(a, "roomlint_rule", name.ptr, rule ? rule->id : "", rule && rule->doc ? url.ptr : NULL));
  if (rule && rule->cwe) {
    rl_buf cwe = {0}, num = {0}, curl = {0};
    rl_buf_printf(&cwe, "CWE-%d", rule->cwe);
    rl_buf_printf(&num, "%d", rule->cwe);
    rl_buf_printf(&curl, "https://cwe.mitre.org/data/definitions/%d.html", rule->cwe);
    rl_json_push(a, ids, identifier(a, "cwe", cwe.ptr, num.ptr, curl.ptr));
    rl_buf_free(&cwe);
    rl_buf_free(&num);
    rl_buf_free(&curl);
  }
  rl_buf_free(&url);
  rl_buf_free(&name);
  rl_json_put(a, v, "identifiers", ids);
  rl_json *loc = rl_json_new_object(a);
  rl_json_put(a, loc, "file", rl_report__jstr(a, r->path));
  rl_json_put(a, loc, "start_line", rl_json_new_int(a, f->start_line));
  rl_json_put(a, loc, "end_line", rl_json_new_int(a, f->end_line >= f->start_line ? f->end_line : f->start_line));
  rl_json_put(a, v, "location", loc);
  return v;
}

static int gitlab_file(rl_sink *s, const rl_file_result *r) {
  gitlab_sink *g = (gitlab_sink *)s;
  rl_arena *a = g->a;
  for (size_t i = 0; i < r->nfindings; i++)
    if (r->findings[i].suppressed == RL_SUPPRESS_NONE) rl_json_push(a, g->vulns, vulnerability(a, r, &r->findings[i]));
  return 0;
}

static rl_json *tool_object(rl_arena *a) {
  rl_json *t = rl_json_new_object(a);
  rl_json_put(a, t, "id", rl_json_new_string(a, "roomlint"));
  rl_json_put(a, t, "name", rl_json_new_string(a, "roomlint"));
  rl_json_put(a, t, "url", rl_json_new_string(a, RL_INFORMATION_URI));
  rl_json_put(a, t, "version", rl_json_new_string(a, RL_VERSION));
  rl_json *vendor = rl_json_new_object(a);
  rl_json_put(a, vendor, "name", rl_json_new_string(a, "roomlint"));
  rl_json_put(a, t, "vendor", vendor);
  return t;
}

static int gitlab_end(rl_sink *s, const rl_summary *sum) {
  gitlab_sink *g = (gitlab_sink *)s;
  rl_arena *a = g->a;
  (void)sum;
  rl_json *root = rl_json_new_object(a);
  rl_json_put(a, root, "version", rl_json_new_string(a, GITLAB_SCHEMA_VERSION));
  rl_json *scan = rl_json_new_object(a);
  rl_json_put(a, scan, "analyzer", tool_object(a));
  rl_json_put(a, scan, "scanner", tool_object(a));
  rl_json_put(a, scan, "type", rl_json_new_string(a, "sast"));
  rl_json_put(a, scan, "start_time", iso_time(a, g->start));
  time_t end = report_time();
  rl_json_put(a, scan, "end_time", iso_time(a, end < g->start ? g->start : end));
  rl_json_put(a, scan, "status", rl_json_new_string(a, "success"));
  rl_json_put(a, root, "scan", scan);
  rl_json_put(a, root, "vulnerabilities", g->vulns);
  return rl_report__dump(root, g->out);
}

static void gitlab_sink_free(rl_sink *s) {
  gitlab_sink *g = (gitlab_sink *)s;
  if (!g) return;
  rl_arena_free(g->a);
  free(g);
}

rl_sink *rl_sink_gitlab_new(FILE *out) {
  gitlab_sink *g = rl_xcalloc(1, sizeof *g);
  g->base.begin = gitlab_begin;
  g->base.file = gitlab_file;
  g->base.end = gitlab_end;
  g->base.free = gitlab_sink_free;
  g->out = out;
  g->a = rl_arena_new();
  g->vulns = rl_json_new_array(g->a);
  return &g->base;
}
