#include "rulepack.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

#include "query.h"
#include "util.h"

#define PACK_FILE_MAX (1024 * 1024)

typedef struct pack_rule {
  rl_rule rule;
  char *id, *title, *message, *query, *doc, *path;
  char **secrets; /* `; secret:` capture names, NULL-terminated, or NULL */
} pack_rule;

struct rl_rulepack {
  pack_rule *rules;
  size_t n;
};

static void pack_rule_free(pack_rule *r) {
  free(r->id);
  free(r->title);
  free(r->message);
  free(r->query);
  free(r->doc);
  free(r->path);
  for (size_t i = 0; r->secrets && r->secrets[i]; i++) free(r->secrets[i]);
  free(r->secrets);
}

void rl_rulepack_free(rl_rulepack *p) {
  if (!p) return;
  for (size_t i = 0; i < p->n; i++) pack_rule_free(&p->rules[i]);
  free(p->rules);
  free(p);
}

size_t rl_rulepack_count(const rl_rulepack *p) { return p->n; }
const rl_rule *rl_rulepack_rule(const rl_rulepack *p, size_t i) { return &p->rules[i].rule; }

static int is_kebab(const char *s) {
  if (!*s || *s == '-') return 0;
  for (const char *p = s; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-')) return 0;
  return s[strlen(s) - 1] != '-';
}

static char *trim_dup(const char *p, size_t n) {
  while (n && (*p == ' ' || *p == '\t')) p++, n--;
  while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r')) n--;
  return rl_xstrndup(p, n);
}

static int parse_languages(const char *v, unsigned *out) {
  *out = 0;
  const char *p = v;
  while (*p) {
    while (*p == ' ' || *p == ',') p++;
    const char *start = p;
    while (*p && *p != ' ' && *p != ',') p++;
    if (p == start) break;
    rl_lang l = rl_lang_from_name(start, (size_t)(p - start));
    if (l == RL_LANG_NONE || l == RL_LANG_DOTENV) return -1;
    *out |= RL_LANG_BIT(l);
  }
  return *out ? 0 : -1;
}

static int parse_contexts(const char *v, unsigned *out) {
  static const struct {
    const char *name;
    rl_context c;
  } names[] = {
      {"client", RL_CTX_CLIENT}, {"server", RL_CTX_SERVER}, {"test", RL_CTX_TEST}, {"unknown", RL_CTX_UNKNOWN}};
  *out = 0;
  const char *p = v;
  while (*p) {
    while (*p == ' ' || *p == ',') p++;
    const char *start = p;
    while (*p && *p != ' ' && *p != ',') p++;
    size_t n = (size_t)(p - start);
    if (!n) break;
    size_t i = 0;
    for (; i < RL_ARRAY_LEN(names); i++)
      if (strlen(names[i].name) == n && memcmp(names[i].name, start, n) == 0) break;
    if (i == RL_ARRAY_LEN(names)) return -1;
    *out |= RL_CTX_BIT(names[i].c);
  }
  return *out ? 0 : -1;
}

/* `; secret: token, key` (an optional leading @ each): r->secrets. */
static int parse_secrets(pack_rule *r, const char *v) {
  size_t n = 0;
  for (const char *p = v; *p;) {
    while (*p == ' ' || *p == ',') p++;
    if (*p == '@') p++;
    const char *start = p;
    while (*p && *p != ' ' && *p != ',') p++;
    if (p == start) {
      if (*p) return -1; /* "@" alone */
      break;
    }
    r->secrets = rl_xreallocarray(r->secrets, n + 2, sizeof *r->secrets);
    r->secrets[n++] = rl_xstrndup(start, (size_t)(p - start));
    r->secrets[n] = NULL;
  }
  return n ? 0 : -1;
}

/* 1 if the query has capture @name. */
static int has_capture(const TSQuery *tq, const char *name) {
  for (uint32_t c = 0; c < ts_query_capture_count(tq); c++) {
    uint32_t len;
    const char *cn = ts_query_capture_name_for_id(tq, c, &len);
    if (len == strlen(name) && memcmp(cn, name, len) == 0) return 1;
  }
  return 0;
}

/* Reads the metadata block and checks the query. */
static int load_file(pack_rule *pr, const char *path) {
  int rc = RL_EINVALID;
  FILE *f = fopen(path, "rb");
  if (!f) {
    rl_error_set("%s: cannot read: %s", path, strerror(errno));
    return RL_EIO;
  }
  rl_buf text = {0};
  char chunk[8192];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
    rl_buf_put(&text, chunk, got);
    if (text.len > PACK_FILE_MAX) break;
  }
  int read_err = ferror(f);
  fclose(f);
  if (read_err || text.len > PACK_FILE_MAX || !text.ptr) {
    rl_error_set("%s: %s", path, !text.ptr ? "empty rule file" : read_err ? "read error" : "rule file over 1 MiB");
    goto cleanup;
  }
  pr->path = rl_xstrdup(path);
  char *sev = NULL, *langs = NULL, *ctxs = NULL, *cwe = NULL, *secret = NULL;
  unsigned secret_line = 0;
  unsigned line = 0;
  for (const char *p = text.ptr; *p;) {
    const char *eol = strchr(p, '\n');
    size_t n = eol ? (size_t)(eol - p) : strlen(p);
    line++;
    const char *q = p;
    while (q < p + n && (*q == ' ' || *q == '\t')) q++;
    if (q == p + n) { /* blank line */
    } else if (*q != ';') {
      break; /* the query starts */
    } else {
      while (q < p + n && *q == ';') q++;
      const char *colon = memchr(q, ':', (size_t)(p + n - q));
      char *key = colon ? trim_dup(q, (size_t)(colon - q)) : NULL;
      char **slot = NULL;
      if (key && strcmp(key, "id") == 0)
        slot = &pr->id;
      else if (key && strcmp(key, "title") == 0)
        slot = &pr->title;
      else if (key && strcmp(key, "message") == 0)
        slot = &pr->message;
      else if (key && strcmp(key, "severity") == 0)
        slot = &sev;
      else if (key && strcmp(key, "languages") == 0)
        slot = &langs;
      else if (key && strcmp(key, "context") == 0)
        slot = &ctxs;
      else if (key && strcmp(key, "cwe") == 0)
        slot = &cwe;
      else if (key && strcmp(key, "secret") == 0) {
        slot = &secret;
        secret_line = line;
      } else if (key && strchr(key, ' ') == NULL && key[0]) {
        rl_error_set("%s:%u:1: unknown metadata key '%s' (id, severity, title, message, languages, context, cwe, "
                     "secret)",
                     path, line, key);
        free(key);
        goto meta_fail;
      }
      free(key);
      if (slot) {
        if (*slot) {
          rl_error_set("%s:%u:1: metadata key given twice", path, line);
          goto meta_fail;
        }
        *slot = trim_dup(colon + 1, (size_t)(p + n - colon - 1));
      }
    }
    if (!eol) break;
    p = eol + 1;
  }
  {
    const char *missing = !pr->id        ? "id"
                          : !sev         ? "severity"
                          : !pr->title   ? "title"
                          : !pr->message ? "message"
                          : !langs       ? "languages"
                                         : NULL;
    if (missing) {
      rl_error_set("%s:1:1: missing metadata '; %s: ...' in the leading comment block", path, missing);
      goto meta_fail;
    }
    if (!is_kebab(pr->id)) {
      rl_error_set("%s:1:1: rule id '%s' must be kebab-case (a-z, 0-9, -)", path, pr->id);
      goto meta_fail;
    }
    rl_severity s;
    if (rl_severity_parse(sev, &s) < 0 || s == RL_SEV_NONE) {
      rl_error_set("%s:1:1: severity '%s' must be error, warning or note", path, sev);
      goto meta_fail;
    }
    pr->rule.severity = s;
    if (parse_languages(langs, &pr->rule.langs) < 0) {
      rl_error_set("%s:1:1: languages '%s' must list javascript, typescript and/or tsx", path, langs);
      goto meta_fail;
    }
    if (ctxs && parse_contexts(ctxs, &pr->rule.contexts) < 0) {
      rl_error_set("%s:1:1: context '%s' must list client, server, test and/or unknown", path, ctxs);
      goto meta_fail;
    }
    if (cwe) {
      char *end;
      /* "CWE-" only as a whole prefix: "C" alone is not one (reading
       * four bytes on ran past a short value; found by fuzz_rulepack) */
      long v = strtol(strncmp(cwe, "CWE-", 4) == 0 ? cwe + 4 : cwe, &end, 10);
      if (v <= 0 || v > 99999 || *end) {
        rl_error_set("%s:1:1: cwe '%s' must be a number such as 798 or CWE-798", path, cwe);
        goto meta_fail;
      }
      pr->rule.cwe = (int)v;
    }
    if (secret && parse_secrets(pr, secret) < 0) {
      rl_error_set("%s:%u:1: secret '%s' must list capture names, e.g. '; secret: token'", path, secret_line, secret);
      goto meta_fail;
    }
  }
  /* The query is the whole file: the metadata lines are query comments. */
  for (int l = RL_LANG_JS; l <= RL_LANG_TSX; l++) {
    if (!(pr->rule.langs & RL_LANG_BIT(l))) continue;
    rl_query *q = NULL;
    if (rl_query_new(&q, (rl_lang)l, text.ptr, (uint32_t)text.len) < 0) {
      char msg[400];
      snprintf(msg, sizeof msg, "%s", rl_error_last());
      rl_error_set("%s:%s", path, msg);
      goto meta_fail;
    }
    const TSQuery *tq = rl_query_ts(q);
    int has_finding = has_capture(tq, "finding");
    const char *missing = NULL;
    for (size_t i = 0; pr->secrets && pr->secrets[i] && !missing; i++)
      if (!has_capture(tq, pr->secrets[i])) missing = pr->secrets[i];
    if (missing) {
      rl_error_set("%s:%u:1: secret names @%s, which the query does not capture", path, secret_line, missing);
      rl_query_free(q);
      goto meta_fail;
    }
    rl_query_free(q);
    if (!has_finding) {
      rl_error_set("%s:1:1: the query has no @finding capture to report at", path);
      goto meta_fail;
    }
  }
  pr->query = rl_buf_detach(&text);
  {
    rl_buf doc = {0};
    rl_buf_printf(&doc, "# %s\n\n%s.\n\nA rule from the rule pack file `%s`.\n", pr->title, pr->message, path);
    pr->doc = rl_buf_detach(&doc);
  }
  pr->rule.id = pr->id;
  pr->rule.title = pr->title;
  pr->rule.message = pr->message;
  pr->rule.query = pr->query;
  pr->rule.doc = pr->doc;
  pr->rule.precision = "medium";
  pr->rule.secret_captures = (const char *const *)pr->secrets;
  pr->rule.source_path = pr->path;
  pr->rule.security_severity = pr->rule.severity == RL_SEV_ERROR     ? "7.5"
                               : pr->rule.severity == RL_SEV_WARNING ? "5.0"
                                                                     : "2.0";
  rc = 0;
meta_fail:
  free(sev);
  free(langs);
  free(ctxs);
  free(cwe);
  free(secret);
cleanup:
  rl_buf_free(&text);
  return rc;
}

static int name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int rl_rulepack_load(rl_rulepack **out, const char *dir) {
  *out = NULL;
  DIR *d = opendir(dir);
  if (!d) {
    rl_error_set("--rules %s: cannot open directory: %s", dir, strerror(errno));
    return RL_EIO;
  }
  char **names = NULL;
  size_t n = 0;
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    size_t len = strlen(de->d_name);
    if (len > 4 && strcmp(de->d_name + len - 4, ".scm") == 0 && de->d_name[0] != '.') {
      names = rl_xreallocarray(names, n + 1, sizeof *names);
      names[n++] = rl_xstrdup(de->d_name);
    }
  }
  closedir(d);
  qsort(names, n, sizeof *names, name_cmp);
  rl_rulepack *p = rl_xcalloc(1, sizeof *p);
  p->rules = rl_xcalloc(n ? n : 1, sizeof *p->rules);
  int rc = 0;
  for (size_t i = 0; i < n; i++) {
    rl_buf path = {0};
    rl_buf_printf(&path, "%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
    rc = load_file(&p->rules[p->n], path.ptr);
    rl_buf_free(&path);
    if (rc < 0) {
      pack_rule_free(&p->rules[p->n]);
      break;
    }
    p->n++;
  }
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
  if (rc == 0 && n == 0) {
    rl_error_set("--rules %s: no *.scm rule files in this directory", dir);
    rc = RL_EINVALID;
  }
  if (rc < 0) {
    rl_rulepack_free(p);
    return rc;
  }
  *out = p;
  return 0;
}
