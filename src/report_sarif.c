/* The SARIF 2.1.0 sink, shaped for GitHub code scanning and checked with
 * `Sarif.Multitool validate --rule-kind "Gh;Sarif"` (tests/test_report.c).
 *
 * Locations are URIs relative to SRCROOT (the working directory) whenever the
 * file lies under it; anything else becomes an absolute file URI, and
 * invocations[0].workingDirectory tells GitHub where the checkout is. Results
 * and notifications are copied into JSON as files arrive; the log is written
 * at end(). */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_common.h"
#include "util.h"
#include "version.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define SRCROOT "SRCROOT"
#define FINGERPRINT_KEY "roomlint/v1"

typedef struct sarif_sink {
  rl_sink base;
  rl_arena *a; /* every JSON value of the report */
  FILE *out;
  const rl_rule **rules; /* copy of run->rules (the rules themselves outlive the run) */
  size_t nrules;
  char *cwd;     /* normalised absolute working directory, or NULL */
  char *cwd_uri; /* its file URI with a trailing slash */
  rl_json *driver;
  rl_json *results;
  rl_json *notifications;
  rl_json *vcs; /* --history: versionControlProvenance, or NULL */
} sarif_sink;

/* {"text": s} */
static rl_json *text_object(rl_arena *a, const char *s) {
  rl_json *o = rl_json_new_object(a);
  rl_json_put(a, o, "text", rl_report__jstr(a, s));
  return o;
}

/* SARIF and GitHub style: plain-text messages are sentences ending in a
 * period. Rules write messages without one (the text sink prints them as
 * they are), so the period is added here. */
static rl_json *sentence(rl_arena *a, const char *s) {
  if (!s) s = "";
  size_t n = strlen(s);
  if (n > 0 && (s[n - 1] == '.' || s[n - 1] == '!' || s[n - 1] == '?')) return text_object(a, s);
  rl_buf b = {0};
  rl_buf_put(&b, s, n);
  rl_buf_putc(&b, '.');
  rl_json *o = text_object(a, b.ptr);
  rl_buf_free(&b);
  return o;
}

/* ---- paths and URIs ------------------------------------------------------ */

/* Percent-encodes everything but RFC 3986 unreserved characters and '/'
 * (spaces, '%', '#', '?', ':', non-ASCII bytes...). */
static void put_encoded(rl_buf *b, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    unsigned char c = *p;
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~' || c == '/') {
      rl_buf_putc(b, (char)c);
    } else {
      rl_buf_putc(b, '%');
      rl_buf_putc(b, hex[c >> 4]);
      rl_buf_putc(b, hex[c & 15]);
    }
  }
}

/* Lexically normalises an absolute path: no empty, "." or ".." segments
 * (a file URI must not contain ".."). Returns a malloc'd "/a/b" or "/". */
static char *normalise(const char *path) {
  size_t n = strlen(path);
  char *out = rl_xmalloc(n + 2);
  size_t len = 0;
  const char *p = path;
  while (*p) {
    while (*p == '/') p++;
    const char *seg = p;
    while (*p && *p != '/') p++;
    size_t sn = (size_t)(p - seg);
    if (sn == 0 || (sn == 1 && seg[0] == '.')) continue;
    if (sn == 2 && seg[0] == '.' && seg[1] == '.') {
      while (len > 0 && out[len - 1] != '/') len--;
      if (len > 0) len--; /* drop the '/' too */
      continue;
    }
    out[len++] = '/';
    memcpy(out + len, seg, sn);
    len += sn;
  }
  if (len == 0) out[len++] = '/';
  out[len] = '\0';
  return out;
}

/* The artifactLocation of a display path. */
static rl_json *artifact_location(const sarif_sink *ss, const char *path) {
  rl_arena *a = ss->a;
  rl_json *loc = rl_json_new_object(a);
  rl_buf b = {0};
  char *full;
  if (path[0] == '/') {
    full = normalise(path);
  } else if (ss->cwd) {
    rl_buf j = {0};
    rl_buf_printf(&j, "%s/%s", ss->cwd, path);
    full = normalise(j.ptr);
    rl_buf_free(&j);
  } else {
    /* No working directory known: keep the relative path as given. */
    put_encoded(&b, path);
    rl_json_put(a, loc, "uri", rl_json_new_string(a, b.ptr));
    rl_json_put(a, loc, "uriBaseId", rl_json_new_string(a, SRCROOT));
    rl_buf_free(&b);
    return loc;
  }
  size_t cn = ss->cwd ? strlen(ss->cwd) : 0;
  const char *rel = NULL;
  if (ss->cwd && strcmp(ss->cwd, "/") == 0 && full[1] != '\0')
    rel = full + 1;
  else if (ss->cwd && strncmp(full, ss->cwd, cn) == 0 && full[cn] == '/' && full[cn + 1] != '\0')
    rel = full + cn + 1;
  if (rel) {
    put_encoded(&b, rel);
    rl_json_put(a, loc, "uri", rl_json_new_string(a, b.ptr));
    rl_json_put(a, loc, "uriBaseId", rl_json_new_string(a, SRCROOT));
  } else {
    rl_buf_puts(&b, "file://");
    put_encoded(&b, full);
    rl_json_put(a, loc, "uri", rl_json_new_string(a, b.ptr));
  }
  rl_buf_free(&b);
  free(full);
  return loc;
}

/* ---- rules --------------------------------------------------------------- */

/* "hardcoded-secret" -> "HardcodedSecret": SARIF's friendly rule name. */
static char *pascal_case(const char *id) {
  rl_buf b = {0};
  int upper = 1;
  rl_buf_put(&b, "", 0);
  for (const char *p = id; *p; p++) {
    char c = *p;
    int alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum) {
      upper = 1;
      continue;
    }
    if (upper && c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
    rl_buf_putc(&b, c);
    upper = 0;
  }
  return rl_buf_detach(&b);
}

/* The first prose paragraph of a rule's markdown doc (headings skipped),
 * lines joined with spaces; NULL if there is none. */
static char *first_paragraph(const char *doc) {
  if (!doc) return NULL;
  rl_buf b = {0};
  const char *p = doc;
  while (*p) {
    const char *eol = strchr(p, '\n');
    size_t n = eol ? (size_t)(eol - p) : strlen(p);
    size_t k = n;
    while (k > 0 && (p[k - 1] == '\r' || p[k - 1] == ' ' || p[k - 1] == '\t')) k--;
    int blank = k == 0;
    if (b.len == 0 && !blank && p[0] != '#') {
      rl_buf_put(&b, p, k);
    } else if (b.len > 0) {
      if (blank) break;
      rl_buf_putc(&b, ' ');
      rl_buf_put(&b, p, k);
    }
    p += n;
    if (*p == '\n') p++;
  }
  if (b.len == 0) {
    rl_buf_free(&b);
    return NULL;
  }
  return rl_buf_detach(&b);
}

static const char *level_name(rl_severity s) {
  switch (s) {
  case RL_SEV_ERROR: return "error";
  case RL_SEV_WARNING: return "warning";
  case RL_SEV_NOTE:
  case RL_SEV_NONE: break;
  }
  return "note";
}

/* GitHub's problem.severity vocabulary. */
static const char *problem_severity(rl_severity s) {
  switch (s) {
  case RL_SEV_ERROR: return "error";
  case RL_SEV_WARNING: return "warning";
  case RL_SEV_NOTE:
  case RL_SEV_NONE: break;
  }
  return "recommendation";
}

/* A rule without its own security-severity gets one from its severity, so
 * GitHub ranks it (critical >= 9.0, high >= 7.0, medium >= 4.0, low). */
static const char *default_security_severity(rl_severity s) {
  switch (s) {
  case RL_SEV_ERROR: return "7.5";
  case RL_SEV_WARNING: return "5.0";
  case RL_SEV_NOTE:
  case RL_SEV_NONE: break;
  }
  return "2.0";
}

static rl_json *rule_descriptor(rl_arena *a, const rl_rule *rule) {
  rl_json *d = rl_json_new_object(a);
  rl_json_put(a, d, "id", rl_report__jstr(a, rule->id));
  char *name = pascal_case(rule->id);
  if (strcmp(name, rule->id) != 0) rl_json_put(a, d, "name", rl_report__jstr(a, name));
  free(name);
  const char *title = rule->title ? rule->title : rule->id;
  rl_json_put(a, d, "shortDescription", text_object(a, title));
  char *para = first_paragraph(rule->doc);
  rl_json_put(a, d, "fullDescription", para ? text_object(a, para) : sentence(a, title));
  free(para);
  rl_json *help;
  if (rule->doc) {
    help = text_object(a, rule->doc);
    rl_json_put(a, help, "markdown", rl_report__jstr(a, rule->doc));
  } else {
    help = sentence(a, title);
  }
  rl_json_put(a, d, "help", help);
  rl_json *config = rl_json_new_object(a);
  rl_json_put(a, config, "level", rl_json_new_string(a, level_name(rule->severity)));
  rl_json_put(a, d, "defaultConfiguration", config);

  rl_json *props = rl_json_new_object(a);
  rl_json *tags = rl_json_new_array(a);
  rl_json_push(a, tags, rl_json_new_string(a, "security"));
  if (rule->cwe > 0) {
    char tag[64];
    snprintf(tag, sizeof tag, "CWE-%d", rule->cwe);
    rl_json_push(a, tags, rl_json_new_string(a, tag));
    snprintf(tag, sizeof tag, "external/cwe/cwe-%d", rule->cwe);
    rl_json_push(a, tags, rl_json_new_string(a, tag));
  }
  rl_json_put(a, props, "tags", tags);
  if (rule->precision) rl_json_put(a, props, "precision", rl_report__jstr(a, rule->precision));
  rl_json_put(a, props, "security-severity",
              rl_report__jstr(a, rule->security_severity ? rule->security_severity
                                                         : default_security_severity(rule->severity)));
  rl_json_put(a, props, "problem.severity", rl_json_new_string(a, problem_severity(rule->severity)));
  rl_json_put(a, d, "properties", props);
  return d;
}

/* Index of rule in the run's rules (sorted by id), or -1. */
static long rule_index(const sarif_sink *ss, const rl_rule *rule) {
  if (!rule || !rule->id) return -1;
  size_t lo = 0, hi = ss->nrules;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(ss->rules[mid]->id, rule->id);
    if (c == 0) return (long)mid;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  /* Not sorted after all? Fall back to a scan rather than a wrong index. */
  for (size_t i = 0; i < ss->nrules; i++)
    if (strcmp(ss->rules[i]->id, rule->id) == 0) return (long)i;
  return -1;
}

static int sarif_begin(rl_sink *s, const rl_run_info *run) {
  sarif_sink *ss = (sarif_sink *)s;
  rl_arena *a = ss->a;
  if (run->vcs_uri) {
    rl_json *d = rl_json_new_object(a);
    rl_json_put(a, d, "repositoryUri", rl_report__jstr(a, run->vcs_uri));
    if (run->vcs_revision) rl_json_put(a, d, "revisionId", rl_report__jstr(a, run->vcs_revision));
    if (run->vcs_branch) rl_json_put(a, d, "branch", rl_report__jstr(a, run->vcs_branch));
    rl_json *mapped = rl_json_new_object(a);
    rl_json_put(a, mapped, "uriBaseId", rl_json_new_string(a, SRCROOT));
    rl_json_put(a, d, "mappedTo", mapped);
    ss->vcs = rl_json_new_array(a);
    rl_json_push(a, ss->vcs, d);
  }
  ss->nrules = run->nrules;
  ss->rules = rl_xcalloc(run->nrules ? run->nrules : 1, sizeof *ss->rules);
  rl_json *rules = rl_json_new_array(a);
  for (size_t i = 0; i < run->nrules; i++) {
    ss->rules[i] = run->rules[i];
    rl_json_push(a, rules, rule_descriptor(a, run->rules[i]));
  }
  if (run->cwd && run->cwd[0] == '/') {
    ss->cwd = normalise(run->cwd);
    rl_buf b = {0};
    rl_buf_puts(&b, "file://");
    put_encoded(&b, ss->cwd);
    if (b.ptr[b.len - 1] != '/') rl_buf_putc(&b, '/');
    ss->cwd_uri = rl_buf_detach(&b);
  }

  ss->driver = rl_json_new_object(a);
  rl_json_put(a, ss->driver, "name", rl_json_new_string(a, "roomlint"));
  rl_json_put(a, ss->driver, "version", rl_json_new_string(a, RL_VERSION));
  rl_json_put(a, ss->driver, "semanticVersion", rl_json_new_string(a, RL_VERSION));
  rl_json_put(a, ss->driver, "informationUri", rl_json_new_string(a, RL_INFORMATION_URI));
  rl_json_put(a, ss->driver, "rules", rules);
  return 0;
}

/* ---- results and notifications ------------------------------------------- */

static rl_json *count(rl_arena *a, uint32_t n) { return rl_json_new_int(a, (int64_t)n); }

/* rels (made when NULL) with one more related location: id, the place and
 * what it is. */
static rl_json *push_related(const sarif_sink *ss, rl_json *rels, int id, const char *path, uint32_t line, uint32_t col,
                             const char *message) {
  rl_arena *a = ss->a;
  rl_json *region = rl_json_new_object(a);
  rl_json_put(a, region, "startLine", count(a, line ? line : 1));
  rl_json_put(a, region, "startColumn", count(a, col ? col : 1));
  rl_json *phys = rl_json_new_object(a);
  rl_json_put(a, phys, "artifactLocation", artifact_location(ss, path));
  rl_json_put(a, phys, "region", region);
  rl_json *rel = rl_json_new_object(a);
  rl_json_put(a, rel, "id", rl_json_new_int(a, id));
  rl_json_put(a, rel, "physicalLocation", phys);
  rl_json_put(a, rel, "message", text_object(a, message));
  if (!rels) rels = rl_json_new_array(a);
  rl_json_push(a, rels, rel);
  return rels;
}

static rl_json *finding_result(const sarif_sink *ss, const rl_file_result *r, const rl_finding *f) {
  rl_arena *a = ss->a;
  rl_json *res = rl_json_new_object(a);
  const char *id = f->rule && f->rule->id ? f->rule->id : "unknown-rule";
  rl_json_put(a, res, "ruleId", rl_report__jstr(a, id));
  long idx = rule_index(ss, f->rule);
  if (idx >= 0) rl_json_put(a, res, "ruleIndex", rl_json_new_int(a, idx));
  rl_json_put(a, res, "level", rl_json_new_string(a, level_name(f->severity)));
  rl_json_put(a, res, "message", sentence(a, f->message));

  rl_json *region = rl_json_new_object(a);
  uint32_t sl = f->start_line ? f->start_line : 1;
  uint32_t sc = f->start_col ? f->start_col : 1;
  uint32_t el = f->end_line >= sl ? f->end_line : sl;
  uint32_t ec = f->end_col ? f->end_col : sc;
  if (el == sl && ec < sc) ec = sc;
  rl_json_put(a, region, "startLine", count(a, sl));
  rl_json_put(a, region, "startColumn", count(a, sc));
  rl_json_put(a, region, "endLine", count(a, el));
  rl_json_put(a, region, "endColumn", count(a, ec));
  if (f->snippet && f->snippet[0]) rl_json_put(a, region, "snippet", text_object(a, f->snippet));
  rl_json *phys = rl_json_new_object(a);
  rl_json_put(a, phys, "artifactLocation", artifact_location(ss, r->path));
  rl_json_put(a, phys, "region", region);
  rl_json *loc = rl_json_new_object(a);
  rl_json_put(a, loc, "physicalLocation", phys);
  rl_json *locs = rl_json_new_array(a);
  rl_json_push(a, locs, loc);
  rl_json_put(a, res, "locations", locs);
  rl_json *rels = NULL;
  int rid = 0; /* ids unique within the result (3.34.2) */
  /* a source-mapped finding of a built bundle: the bundle is where it ships */
  if (f->bundle_path)
    rels =
        push_related(ss, rels, ++rid, f->bundle_path, f->bundle_line, f->bundle_col, "The built bundle that ships it.");
  /* a cross-file finding: the other file's places it is about */
  if (f->related_path)
    rels = push_related(ss, rels, ++rid, f->related_path, f->related_line, f->related_col, f->related_message);
  for (size_t k = 0; f->related_path && k < f->nrelated_more; k++) {
    const rl_related *m = &f->related_more[k];
    rels = push_related(ss, rels, ++rid, m->path, m->line, m->col, m->message);
  }
  if (rels) rl_json_put(a, res, "relatedLocations", rels);

  rl_json *fps = rl_json_new_object(a);
  rl_json_put(a, fps, FINGERPRINT_KEY, rl_report__jstr(a, f->fingerprint));
  rl_json_put(a, res, "partialFingerprints", fps);
  rl_json *hist = rl_report__history_props(a, r, f);
  if (hist) rl_json_put(a, res, "properties", hist);

  if (f->suppressed != RL_SUPPRESS_NONE) {
    rl_json *sup = rl_json_new_object(a);
    rl_json_put(a, sup, "kind", rl_json_new_string(a, f->suppressed == RL_SUPPRESS_EXTERNAL ? "external" : "inSource"));
    if (f->justification && f->justification[0])
      rl_json_put(a, sup, "justification", rl_report__jstr(a, f->justification));
    rl_json *sups = rl_json_new_array(a);
    rl_json_push(a, sups, sup);
    rl_json_put(a, res, "suppressions", sups);
  }
  return res;
}

static const char *note_level(rl_note_level level) {
  switch (level) {
  case RL_NOTE_ERROR: return "error";
  case RL_NOTE_WARNING: return "warning";
  case RL_NOTE_NOTE: break;
  }
  return "note";
}

static rl_json *notification(const sarif_sink *ss, const rl_file_result *r, const char *level, const char *id,
                             const char *message, uint32_t line, uint32_t col) {
  rl_arena *a = ss->a;
  rl_json *n = rl_json_new_object(a);
  rl_json_put(a, n, "level", rl_json_new_string(a, level));
  rl_json_put(a, n, "message", sentence(a, message));
  rl_json *desc = rl_json_new_object(a);
  rl_json_put(a, desc, "id", rl_report__jstr(a, id));
  rl_json_put(a, n, "descriptor", desc);
  rl_json *phys = rl_json_new_object(a);
  rl_json_put(a, phys, "artifactLocation", artifact_location(ss, r->path));
  if (line > 0) {
    rl_json *region = rl_json_new_object(a);
    rl_json_put(a, region, "startLine", count(a, line));
    rl_json_put(a, region, "startColumn", count(a, col ? col : 1));
    rl_json_put(a, phys, "region", region);
  }
  rl_json *loc = rl_json_new_object(a);
  rl_json_put(a, loc, "physicalLocation", phys);
  rl_json *locs = rl_json_new_array(a);
  rl_json_push(a, locs, loc);
  rl_json_put(a, n, "locations", locs);
  return n;
}

/* Every skipped file and every file with syntax errors gets a notification
 * (no silent skips). The engine's own notifications say why; a file it gave
 * none for gets one made from its skip reason or syntax-error flag. */
static void file_notifications(sarif_sink *ss, const rl_file_result *r) {
  rl_arena *a = ss->a;
  for (size_t i = 0; i < r->nnotes; i++) {
    const rl_notification *n = &r->notes[i];
    rl_json_push(a, ss->notifications,
                 notification(ss, r, note_level(n->level), n->id ? n->id : "roomlint", n->message, n->line, n->col));
  }
  if (r->skip != RL_SKIP_NONE && r->nnotes == 0) {
    rl_buf id = {0}, msg = {0};
    rl_buf_printf(&id, "skipped-%s", rl_skip_name(r->skip));
    rl_buf_printf(&msg, "File not scanned (%s)", rl_skip_name(r->skip));
    if (r->skip_detail && r->skip_detail[0]) rl_buf_printf(&msg, ": %s", r->skip_detail);
    int serious = r->skip == RL_SKIP_UNREADABLE || r->skip == RL_SKIP_SYMLINK_LOOP;
    rl_json_push(a, ss->notifications, notification(ss, r, serious ? "warning" : "note", id.ptr, msg.ptr, 0, 0));
    rl_buf_free(&id);
    rl_buf_free(&msg);
  }
  if (r->skip == RL_SKIP_NONE && r->has_syntax_errors && r->nnotes == 0)
    rl_json_push(
        a, ss->notifications,
        notification(ss, r, "note", "syntax-error", "File has syntax errors; the rest of it was scanned", 0, 0));
}

static int sarif_file(rl_sink *s, const rl_file_result *r) {
  sarif_sink *ss = (sarif_sink *)s;
  rl_arena *a = ss->a;
  for (size_t i = 0; i < r->nfindings; i++) rl_json_push(a, ss->results, finding_result(ss, r, &r->findings[i]));
  file_notifications(ss, r);
  return 0;
}

static int sarif_end(rl_sink *s, const rl_summary *sum) {
  sarif_sink *ss = (sarif_sink *)s;
  rl_arena *a = ss->a;
  (void)sum;
  rl_json *root = rl_json_new_object(a);
  rl_json_put(a, root, "$schema", rl_json_new_string(a, SARIF_SCHEMA));
  rl_json_put(a, root, "version", rl_json_new_string(a, "2.1.0"));
  rl_json *run = rl_json_new_object(a);
  rl_json *tool = rl_json_new_object(a);
  if (!ss->driver) ss->driver = rl_json_new_object(a); /* begin was never called */
  rl_json_put(a, tool, "driver", ss->driver);
  rl_json_put(a, run, "tool", tool);

  rl_json *inv = rl_json_new_object(a);
  rl_json_put(a, inv, "executionSuccessful", rl_json_new_bool(a, 1));
  if (ss->cwd_uri) {
    rl_json *wd = rl_json_new_object(a);
    rl_json_put(a, wd, "uri", rl_json_new_string(a, ss->cwd_uri));
    rl_json_put(a, inv, "workingDirectory", wd);
  }
  rl_json_put(a, inv, "toolExecutionNotifications", ss->notifications);
  rl_json *invs = rl_json_new_array(a);
  rl_json_push(a, invs, inv);
  rl_json_put(a, run, "invocations", invs);

  if (ss->cwd_uri) {
    rl_json *bases = rl_json_new_object(a);
    rl_json *src = rl_json_new_object(a);
    rl_json_put(a, src, "uri", rl_json_new_string(a, ss->cwd_uri));
    rl_json_put(a, bases, SRCROOT, src);
    rl_json_put(a, run, "originalUriBaseIds", bases);
  }
  if (ss->vcs) rl_json_put(a, run, "versionControlProvenance", ss->vcs);
  rl_json_put(a, run, "results", ss->results);
  rl_json_put(a, run, "columnKind", rl_json_new_string(a, "unicodeCodePoints"));
  rl_json *runs = rl_json_new_array(a);
  rl_json_push(a, runs, run);
  rl_json_put(a, root, "runs", runs);

  return rl_report__dump(root, ss->out);
}

static void sarif_free(rl_sink *s) {
  sarif_sink *ss = (sarif_sink *)s;
  if (!ss) return;
  rl_arena_free(ss->a);
  free(ss->rules);
  free(ss->cwd);
  free(ss->cwd_uri);
  free(ss);
}

rl_sink *rl_sink_sarif_new(FILE *out) {
  sarif_sink *ss = rl_xcalloc(1, sizeof *ss);
  ss->base.begin = sarif_begin;
  ss->base.file = sarif_file;
  ss->base.end = sarif_end;
  ss->base.free = sarif_free;
  ss->out = out;
  ss->a = rl_arena_new();
  ss->results = rl_json_new_array(ss->a);
  ss->notifications = rl_json_new_array(ss->a);
  return &ss->base;
}
