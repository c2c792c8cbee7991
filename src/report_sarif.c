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
  FILE *out;
  const rl_rule **rules; /* copy of run->rules (the rules themselves outlive the run) */
  size_t nrules;
  char *cwd;     /* normalised absolute working directory, or NULL */
  char *cwd_uri; /* its file URI with a trailing slash */
  json_t *driver;
  json_t *results;
  json_t *notifications;
  json_t *vcs; /* --history: versionControlProvenance, or NULL */
} sarif_sink;


/* {"text": s} */
static json_t *text_object(const char *s) {
  json_t *o = rl_report__object();
  rl_report__put(o, "text", rl_report__jstr(s));
  return o;
}

/* SARIF and GitHub style: plain-text messages are sentences ending in a
 * period. Rules write messages without one (the text sink prints them as
 * they are), so the period is added here. */
static json_t *sentence(const char *s) {
  if (!s) s = "";
  size_t n = strlen(s);
  if (n > 0 && (s[n - 1] == '.' || s[n - 1] == '!' || s[n - 1] == '?')) return text_object(s);
  rl_buf b = {0};
  rl_buf_put(&b, s, n);
  rl_buf_putc(&b, '.');
  json_t *o = text_object(b.ptr);
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
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~' || c == '/') {
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
static json_t *artifact_location(const sarif_sink *ss, const char *path) {
  json_t *loc = rl_report__object();
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
    rl_report__put(loc, "uri", json_string(b.ptr));
    rl_report__put(loc, "uriBaseId", json_string(SRCROOT));
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
    rl_report__put(loc, "uri", json_string(b.ptr));
    rl_report__put(loc, "uriBaseId", json_string(SRCROOT));
  } else {
    rl_buf_puts(&b, "file://");
    put_encoded(&b, full);
    rl_report__put(loc, "uri", json_string(b.ptr));
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

static json_t *rule_descriptor(const rl_rule *rule) {
  json_t *d = rl_report__object();
  rl_report__put(d, "id", rl_report__jstr(rule->id));
  char *name = pascal_case(rule->id);
  if (strcmp(name, rule->id) != 0) rl_report__put(d, "name", rl_report__jstr(name));
  free(name);
  const char *title = rule->title ? rule->title : rule->id;
  rl_report__put(d, "shortDescription", text_object(title));
  char *para = first_paragraph(rule->doc);
  rl_report__put(d, "fullDescription", para ? text_object(para) : sentence(title));
  free(para);
  json_t *help;
  if (rule->doc) {
    help = text_object(rule->doc);
    rl_report__put(help, "markdown", rl_report__jstr(rule->doc));
  } else {
    help = sentence(title);
  }
  rl_report__put(d, "help", help);
  json_t *config = rl_report__object();
  rl_report__put(config, "level", json_string(level_name(rule->severity)));
  rl_report__put(d, "defaultConfiguration", config);

  json_t *props = rl_report__object();
  json_t *tags = rl_report__array();
  rl_report__push(tags, json_string("security"));
  if (rule->cwe > 0) {
    char tag[64];
    snprintf(tag, sizeof tag, "CWE-%d", rule->cwe);
    rl_report__push(tags, json_string(tag));
    snprintf(tag, sizeof tag, "external/cwe/cwe-%d", rule->cwe);
    rl_report__push(tags, json_string(tag));
  }
  rl_report__put(props, "tags", tags);
  if (rule->precision) rl_report__put(props, "precision", rl_report__jstr(rule->precision));
  rl_report__put(props, "security-severity", rl_report__jstr(rule->security_severity
                                                      ? rule->security_severity
                                                      : default_security_severity(rule->severity)));
  rl_report__put(props, "problem.severity", json_string(problem_severity(rule->severity)));
  rl_report__put(d, "properties", props);
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
  if (run->vcs_uri) {
    json_t *d = rl_report__object();
    rl_report__put(d, "repositoryUri", rl_report__jstr(run->vcs_uri));
    if (run->vcs_revision) rl_report__put(d, "revisionId", rl_report__jstr(run->vcs_revision));
    if (run->vcs_branch) rl_report__put(d, "branch", rl_report__jstr(run->vcs_branch));
    json_t *mapped = rl_report__object();
    rl_report__put(mapped, "uriBaseId", json_string(SRCROOT));
    rl_report__put(d, "mappedTo", mapped);
    ss->vcs = rl_report__array();
    rl_report__push(ss->vcs, d);
  }
  ss->nrules = run->nrules;
  ss->rules = rl_xcalloc(run->nrules ? run->nrules : 1, sizeof *ss->rules);
  json_t *rules = rl_report__array();
  for (size_t i = 0; i < run->nrules; i++) {
    ss->rules[i] = run->rules[i];
    rl_report__push(rules, rule_descriptor(run->rules[i]));
  }
  if (run->cwd && run->cwd[0] == '/') {
    ss->cwd = normalise(run->cwd);
    rl_buf b = {0};
    rl_buf_puts(&b, "file://");
    put_encoded(&b, ss->cwd);
    if (b.ptr[b.len - 1] != '/') rl_buf_putc(&b, '/');
    ss->cwd_uri = rl_buf_detach(&b);
  }

  ss->driver = rl_report__object();
  rl_report__put(ss->driver, "name", json_string("roomlint"));
  rl_report__put(ss->driver, "version", json_string(RL_VERSION));
  rl_report__put(ss->driver, "semanticVersion", json_string(RL_VERSION));
  rl_report__put(ss->driver, "informationUri", json_string(RL_INFORMATION_URI));
  rl_report__put(ss->driver, "rules", rules);
  return 0;
}

/* ---- results and notifications ------------------------------------------- */

static json_t *count(uint32_t n) { return json_integer((json_int_t)n); }

static json_t *finding_result(const sarif_sink *ss, const rl_file_result *r, const rl_finding *f) {
  json_t *res = rl_report__object();
  const char *id = f->rule && f->rule->id ? f->rule->id : "unknown-rule";
  rl_report__put(res, "ruleId", rl_report__jstr(id));
  long idx = rule_index(ss, f->rule);
  if (idx >= 0) rl_report__put(res, "ruleIndex", json_integer(idx));
  rl_report__put(res, "level", json_string(level_name(f->severity)));
  rl_report__put(res, "message", sentence(f->message));

  json_t *region = rl_report__object();
  uint32_t sl = f->start_line ? f->start_line : 1;
  uint32_t sc = f->start_col ? f->start_col : 1;
  uint32_t el = f->end_line >= sl ? f->end_line : sl;
  uint32_t ec = f->end_col ? f->end_col : sc;
  if (el == sl && ec < sc) ec = sc;
  rl_report__put(region, "startLine", count(sl));
  rl_report__put(region, "startColumn", count(sc));
  rl_report__put(region, "endLine", count(el));
  rl_report__put(region, "endColumn", count(ec));
  if (f->snippet && f->snippet[0]) rl_report__put(region, "snippet", text_object(f->snippet));
  json_t *phys = rl_report__object();
  rl_report__put(phys, "artifactLocation", artifact_location(ss, r->path));
  rl_report__put(phys, "region", region);
  json_t *loc = rl_report__object();
  rl_report__put(loc, "physicalLocation", phys);
  json_t *locs = rl_report__array();
  rl_report__push(locs, loc);
  rl_report__put(res, "locations", locs);
  json_t *rels = NULL;
  if (f->bundle_path) {
    /* a source-mapped finding of a built bundle: the bundle is where it ships */
    json_t *bregion = rl_report__object();
    rl_report__put(bregion, "startLine", count(f->bundle_line ? f->bundle_line : 1));
    rl_report__put(bregion, "startColumn", count(f->bundle_col ? f->bundle_col : 1));
    json_t *bphys = rl_report__object();
    rl_report__put(bphys, "artifactLocation", artifact_location(ss, f->bundle_path));
    rl_report__put(bphys, "region", bregion);
    json_t *rel = rl_report__object();
    rl_report__put(rel, "id", json_integer(1));
    rl_report__put(rel, "physicalLocation", bphys);
    rl_report__put(rel, "message", text_object("The built bundle that ships it."));
    rels = rl_report__array();
    rl_report__push(rels, rel);
  }
  if (f->related_path) {
    /* a cross-file finding: the other file's place it is about */
    json_t *rregion = rl_report__object();
    rl_report__put(rregion, "startLine", count(f->related_line ? f->related_line : 1));
    rl_report__put(rregion, "startColumn", count(f->related_col ? f->related_col : 1));
    json_t *rphys = rl_report__object();
    rl_report__put(rphys, "artifactLocation", artifact_location(ss, f->related_path));
    rl_report__put(rphys, "region", rregion);
    json_t *rel = rl_report__object();
    rl_report__put(rel, "id", json_integer(f->bundle_path ? 2 : 1));
    rl_report__put(rel, "physicalLocation", rphys);
    rl_report__put(rel, "message", text_object(f->related_message));
    if (!rels) rels = rl_report__array();
    rl_report__push(rels, rel);
  }
  if (rels) rl_report__put(res, "relatedLocations", rels);

  json_t *fps = rl_report__object();
  rl_report__put(fps, FINGERPRINT_KEY, rl_report__jstr(f->fingerprint));
  rl_report__put(res, "partialFingerprints", fps);
  json_t *hist = rl_report__history_props(r, f);
  if (hist) rl_report__put(res, "properties", hist);

  if (f->suppressed != RL_SUPPRESS_NONE) {
    json_t *sup = rl_report__object();
    rl_report__put(sup, "kind", json_string(f->suppressed == RL_SUPPRESS_EXTERNAL ? "external" : "inSource"));
    if (f->justification && f->justification[0])
      rl_report__put(sup, "justification", rl_report__jstr(f->justification));
    json_t *sups = rl_report__array();
    rl_report__push(sups, sup);
    rl_report__put(res, "suppressions", sups);
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

static json_t *notification(const sarif_sink *ss, const rl_file_result *r, const char *level,
                            const char *id, const char *message, uint32_t line, uint32_t col) {
  json_t *n = rl_report__object();
  rl_report__put(n, "level", json_string(level));
  rl_report__put(n, "message", sentence(message));
  json_t *desc = rl_report__object();
  rl_report__put(desc, "id", rl_report__jstr(id));
  rl_report__put(n, "descriptor", desc);
  json_t *phys = rl_report__object();
  rl_report__put(phys, "artifactLocation", artifact_location(ss, r->path));
  if (line > 0) {
    json_t *region = rl_report__object();
    rl_report__put(region, "startLine", count(line));
    rl_report__put(region, "startColumn", count(col ? col : 1));
    rl_report__put(phys, "region", region);
  }
  json_t *loc = rl_report__object();
  rl_report__put(loc, "physicalLocation", phys);
  json_t *locs = rl_report__array();
  rl_report__push(locs, loc);
  rl_report__put(n, "locations", locs);
  return n;
}

/* Every skipped file and every file with syntax errors gets a notification
 * (no silent skips). The engine's own notifications say why; a file it gave
 * none for gets one made from its skip reason or syntax-error flag. */
static void file_notifications(sarif_sink *ss, const rl_file_result *r) {
  for (size_t i = 0; i < r->nnotes; i++) {
    const rl_notification *n = &r->notes[i];
    rl_report__push(ss->notifications, notification(ss, r, note_level(n->level), n->id ? n->id : "roomlint",
                                         n->message, n->line, n->col));
  }
  if (r->skip != RL_SKIP_NONE && r->nnotes == 0) {
    rl_buf id = {0}, msg = {0};
    rl_buf_printf(&id, "skipped-%s", rl_skip_name(r->skip));
    rl_buf_printf(&msg, "File not scanned (%s)", rl_skip_name(r->skip));
    if (r->skip_detail && r->skip_detail[0]) rl_buf_printf(&msg, ": %s", r->skip_detail);
    int serious = r->skip == RL_SKIP_UNREADABLE || r->skip == RL_SKIP_SYMLINK_LOOP;
    rl_report__push(ss->notifications,
         notification(ss, r, serious ? "warning" : "note", id.ptr, msg.ptr, 0, 0));
    rl_buf_free(&id);
    rl_buf_free(&msg);
  }
  if (r->skip == RL_SKIP_NONE && r->has_syntax_errors && r->nnotes == 0)
    rl_report__push(ss->notifications, notification(ss, r, "note", "syntax-error",
                                         "File has syntax errors; the rest of it was scanned", 0, 0));
}

static int sarif_file(rl_sink *s, const rl_file_result *r) {
  sarif_sink *ss = (sarif_sink *)s;
  for (size_t i = 0; i < r->nfindings; i++) rl_report__push(ss->results, finding_result(ss, r, &r->findings[i]));
  file_notifications(ss, r);
  return 0;
}

static int sarif_end(rl_sink *s, const rl_summary *sum) {
  sarif_sink *ss = (sarif_sink *)s;
  (void)sum;
  json_t *root = rl_report__object();
  rl_report__put(root, "$schema", json_string(SARIF_SCHEMA));
  rl_report__put(root, "version", json_string("2.1.0"));
  json_t *run = rl_report__object();
  json_t *tool = rl_report__object();
  if (!ss->driver) ss->driver = rl_report__object(); /* begin was never called */
  rl_report__put(tool, "driver", json_incref(ss->driver));
  rl_report__put(run, "tool", tool);

  json_t *inv = rl_report__object();
  rl_report__put(inv, "executionSuccessful", json_true());
  if (ss->cwd_uri) {
    json_t *wd = rl_report__object();
    rl_report__put(wd, "uri", json_string(ss->cwd_uri));
    rl_report__put(inv, "workingDirectory", wd);
  }
  rl_report__put(inv, "toolExecutionNotifications", json_incref(ss->notifications));
  json_t *invs = rl_report__array();
  rl_report__push(invs, inv);
  rl_report__put(run, "invocations", invs);

  if (ss->cwd_uri) {
    json_t *bases = rl_report__object();
    json_t *src = rl_report__object();
    rl_report__put(src, "uri", json_string(ss->cwd_uri));
    rl_report__put(bases, SRCROOT, src);
    rl_report__put(run, "originalUriBaseIds", bases);
  }
  if (ss->vcs) rl_report__put(run, "versionControlProvenance", json_incref(ss->vcs));
  rl_report__put(run, "results", json_incref(ss->results));
  rl_report__put(run, "columnKind", json_string("unicodeCodePoints"));
  json_t *runs = rl_report__array();
  rl_report__push(runs, run);
  rl_report__put(root, "runs", runs);

  int rc = rl_report__dump(root, ss->out);
  json_decref(root);
  return rc;
}

static void sarif_free(rl_sink *s) {
  sarif_sink *ss = (sarif_sink *)s;
  if (!ss) return;
  json_decref(ss->driver);
  json_decref(ss->results);
  json_decref(ss->notifications);
  json_decref(ss->vcs);
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
  ss->results = rl_report__array();
  ss->notifications = rl_report__array();
  return &ss->base;
}
