#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "duration.h"
#include "regex.h"
#include "rule.h"
#include "source.h"
#include "util.h"
#include "yaml.h"

#define MAX_CONFIG_SIZE (1u << 20)
#define CONFIG_NAME ".roomlint.yml"
#define MAX_DEPTH 16

typedef struct loader {
  rl_config *c;
  const char *path;
  char *dir; /* the config file's directory, for rule-packs */
} loader;

static unsigned line_of(const rl_yaml_node *n) { return n->line; }

/* The message names the file and line: "FILE:LINE: problem". */
static int fail(const loader *ld, unsigned line, const char *fmt, ...) RL_PRINTF(3, 4);
static int fail(const loader *ld, unsigned line, const char *fmt, ...) {
  rl_buf b = {0};
  va_list ap;
  va_start(ap, fmt);
  rl_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  rl_error_set("%s:%u: %s", ld->path, line, b.ptr ? b.ptr : "");
  rl_buf_free(&b);
  return RL_EINVALID;
}

static const char *scalar(const rl_yaml_node *n) { return n->value; }

static void list_push(rl_config_list *l, const char *v, unsigned line) {
  l->v = rl_xreallocarray(l->v, l->n + 2, sizeof *l->v);
  l->line = rl_xreallocarray(l->line, l->n + 1, sizeof *l->line);
  l->v[l->n] = rl_xstrdup(v);
  l->line[l->n++] = line;
  l->v[l->n] = NULL;
}

static void list_init(rl_config_list *l) {
  if (!l->v) {
    l->v = rl_xcalloc(1, sizeof *l->v);
  }
}

static void list_free(rl_config_list *l) {
  for (size_t i = 0; i < l->n; i++) free((char *)l->v[i]);
  free(l->v);
  free(l->line);
  memset(l, 0, sizeof *l);
}

/* ---- value checks: each returns NULL or what is wrong ---------------------- */

typedef const char *(*check_fn)(const char *v);

static const char *check_rule_id(const char *v) {
  if (!v[0]) return "a rule id may not be empty";
  for (const char *p = v; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
      return "a rule id is kebab-case (lower-case letters, digits and '-'); see roomlint --list-rules";
  return NULL;
}

static const char *check_identifier(const char *v) {
  if (!v[0]) return "a name may not be empty";
  for (const char *p = v; *p; p++) {
    int ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' || *p == '$' ||
             (p > v && ((*p >= '0' && *p <= '9') || *p == '-'));
    if (!ok) return "a name is an identifier: letters, digits, '_', '$' and '-' (not first)";
  }
  return NULL;
}

/* npm package names: "name" or "@scope/name", lower-case URL-safe characters. */
static const char *check_package(const char *v) {
  const char *slash = strchr(v, '/');
  if (!v[0]) return "a package name may not be empty";
  if (v[0] == '@' && (!slash || slash == v + 1 || !slash[1] || strchr(slash + 1, '/')))
    return "a scoped package name is @scope/name";
  if (v[0] != '@' && slash) return "a package name has no '/' unless it is scoped (@scope/name)";
  for (const char *p = v; *p; p++) {
    int ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~' ||
             *p == '/' || (*p == '@' && p == v);
    if (!ok) return "a package name has lower-case letters, digits and - . _ ~ only";
  }
  return NULL;
}

static const char *check_glob(const char *v) {
  if (!v[0]) return "an ignore pattern may not be empty";
  if (strchr(v, '\n') || strchr(v, '\r')) return "an ignore pattern is one line";
  return NULL;
}

static const char *check_dir(const char *v) {
  if (!v[0]) return "a rule-pack directory may not be empty";
  return NULL;
}

/* A list of strings: a sequence of scalars, or one scalar. */
static int read_list(loader *ld, const rl_yaml_node *key, const rl_yaml_node *val, rl_config_list *out,
                     check_fn check) {
  list_init(out);
  const rl_yaml_node *single = NULL;
  size_t n = 0;
  rl_yaml_node *const *it = NULL;
  if (val->type == RL_YAML_SCALAR) {
    /* "key:" with nothing after it is an empty list. */
    if (val->len == 0 && val->style == RL_YAML_PLAIN) return 0;
    single = val;
    n = 1;
  } else if (val->type == RL_YAML_SEQUENCE) {
    it = val->items;
    n = val->n;
  } else {
    return fail(ld, line_of(val), "%s: expected a list of strings", scalar(key));
  }
  for (size_t i = 0; i < n; i++) {
    const rl_yaml_node *item = it ? it[i] : single;
    if (!item || item->type != RL_YAML_SCALAR)
      return fail(ld, line_of(item ? item : val), "%s: expected a string, not a list or mapping", scalar(key));
    if (strlen(scalar(item)) != item->len)
      return fail(ld, line_of(item), "%s: a NUL character is not allowed", scalar(key));
    const char *why = check(scalar(item));
    if (why) return fail(ld, line_of(item), "%s: '%s': %s", scalar(key), scalar(item), why);
    list_push(out, scalar(item), line_of(item));
  }
  return 0;
}

static int read_scalar(loader *ld, const rl_yaml_node *key, const rl_yaml_node *val, const char **out) {
  if (val->type != RL_YAML_SCALAR || val->len == 0) return fail(ld, line_of(val), "%s: expected a value", scalar(key));
  *out = scalar(val);
  return 0;
}

static int read_severities(loader *ld, const rl_yaml_node *key, const rl_yaml_node *val) {
  rl_config *c = ld->c;
  if (val->type == RL_YAML_SCALAR && val->len == 0) return 0;
  if (val->type != RL_YAML_MAPPING)
    return fail(ld, line_of(val), "%s: expected a mapping of rule id to error, warning or note", scalar(key));
  for (size_t p = 0; p < val->n; p++) {
    const rl_yaml_node *k = val->keys[p];
    const rl_yaml_node *v = val->items[p];
    if (!k || !v || k->type != RL_YAML_SCALAR) return fail(ld, line_of(k ? k : val), "severity: expected a rule id");
    const char *why = check_rule_id(scalar(k));
    if (why) return fail(ld, line_of(k), "severity: '%s': %s", scalar(k), why);
    rl_severity sev;
    if (v->type != RL_YAML_SCALAR || rl_severity_parse(scalar(v), &sev) < 0 || sev == RL_SEV_NONE)
      return fail(ld, line_of(v), "severity of %s: expected error, warning or note", scalar(k));
    for (size_t i = 0; i < c->nseverities; i++)
      if (strcmp(c->severities[i].rule_id, scalar(k)) == 0)
        return fail(ld, line_of(k), "severity: %s is given twice (also on line %u)", scalar(k), c->severity_line[i]);
    c->severities = rl_xreallocarray(c->severities, c->nseverities + 1, sizeof *c->severities);
    c->severity_line = rl_xreallocarray(c->severity_line, c->nseverities + 1, sizeof *c->severity_line);
    c->severities[c->nseverities].rule_id = rl_xstrdup(scalar(k));
    c->severities[c->nseverities].severity = sev;
    c->severity_line[c->nseverities++] = line_of(k);
  }
  return 0;
}

/* Rejects a key seen before in the same mapping. */
static int unique_key(loader *ld, const rl_yaml_node *map, size_t upto, const rl_yaml_node *key) {
  for (size_t p = 0; p < upto; p++) {
    const rl_yaml_node *k = map->keys[p];
    if (k->type == RL_YAML_SCALAR && k->len == key->len && memcmp(scalar(k), scalar(key), k->len) == 0)
      return fail(ld, line_of(key), "'%s' is given twice (also on line %u)", scalar(key), line_of(k));
  }
  return 0;
}

static int read_rules(loader *ld, const rl_yaml_node *key, const rl_yaml_node *val) {
  if (val->type == RL_YAML_SCALAR && val->len == 0) return 0;
  if (val->type != RL_YAML_MAPPING)
    return fail(ld, line_of(val), "rules: expected a mapping with enable, disable and severity");
  for (size_t p = 0; p < val->n; p++) {
    const rl_yaml_node *k = val->keys[p];
    const rl_yaml_node *v = val->items[p];
    if (!k || !v || k->type != RL_YAML_SCALAR) return fail(ld, line_of(k ? k : val), "rules: expected a key");
    int rc = unique_key(ld, val, p, k);
    if (rc < 0) return rc;
    const char *name = scalar(k);
    if (strcmp(name, "enable") == 0)
      rc = read_list(ld, k, v, &ld->c->enable, check_rule_id);
    else if (strcmp(name, "disable") == 0)
      rc = read_list(ld, k, v, &ld->c->disable, check_rule_id);
    else if (strcmp(name, "severity") == 0)
      rc = read_severities(ld, k, v);
    else
      rc = fail(ld, line_of(k), "unknown key 'rules.%s' (expected enable, disable or severity)", name);
    if (rc < 0) return rc;
  }
  (void)key;
  return 0;
}

static int read_rule_packs(loader *ld, const rl_yaml_node *key, const rl_yaml_node *val) {
  rl_config_list raw = {0};
  int rc = read_list(ld, key, val, &raw, check_dir);
  list_init(&ld->c->rule_packs);
  for (size_t i = 0; rc == 0 && i < raw.n; i++) {
    rl_buf b = {0};
    if (raw.v[i][0] == '/' || strcmp(ld->dir, ".") == 0)
      rl_buf_puts(&b, raw.v[i]);
    else
      rl_buf_printf(&b, "%s/%s", ld->dir, raw.v[i]);
    struct stat st;
    if (stat(b.ptr, &st) != 0 || !S_ISDIR(st.st_mode)) {
      rc = fail(ld, raw.line[i], "rule-packs: '%s' is not a directory", raw.v[i]);
    } else {
      list_push(&ld->c->rule_packs, b.ptr, raw.line[i]);
    }
    rl_buf_free(&b);
  }
  list_free(&raw);
  return rc;
}

/* overrides: a sequence of {paths: [glob...], rules: {id: off|level}}. */
static int read_overrides(loader *ld, const rl_yaml_node *key, const rl_yaml_node *val) {
  rl_config *c = ld->c;
  if (val->type == RL_YAML_SCALAR && val->len == 0) return 0;
  if (val->type != RL_YAML_SEQUENCE)
    return fail(ld, line_of(val), "overrides: expected a list of {paths: [...], rules: {...}}");
  for (size_t it = 0; it < val->n; it++) {
    const rl_yaml_node *item = val->items[it];
    if (!item || item->type != RL_YAML_MAPPING)
      return fail(ld, line_of(item ? item : val), "overrides: each entry is a mapping with paths and rules");
    c->overrides = rl_xreallocarray(c->overrides, c->noverrides + 1, sizeof *c->overrides);
    rl_config_override *o = &c->overrides[c->noverrides++];
    memset(o, 0, sizeof *o);
    o->line = line_of(item);
    list_init(&o->paths);
    int have_paths = 0, have_rules = 0;
    for (size_t p = 0; p < item->n; p++) {
      const rl_yaml_node *k = item->keys[p];
      const rl_yaml_node *v = item->items[p];
      if (!k || !v || k->type != RL_YAML_SCALAR) return fail(ld, line_of(k ? k : item), "overrides: expected a key");
      int rc = unique_key(ld, item, p, k);
      if (rc < 0) return rc;
      if (strcmp(scalar(k), "paths") == 0) {
        have_paths = 1;
        if ((rc = read_list(ld, k, v, &o->paths, check_glob)) < 0) return rc;
      } else if (strcmp(scalar(k), "rules") == 0) {
        have_rules = 1;
        if (v->type == RL_YAML_SCALAR && v->len == 0) continue;
        if (v->type != RL_YAML_MAPPING)
          return fail(ld, line_of(v), "overrides: rules: expected a mapping of rule id to off, error, warning or note");
        for (size_t q = 0; q < v->n; q++) {
          const rl_yaml_node *rk = v->keys[q];
          const rl_yaml_node *rv = v->items[q];
          if (!rk || !rv || rk->type != RL_YAML_SCALAR)
            return fail(ld, line_of(rk ? rk : v), "overrides: rules: expected a rule id");
          const char *why = check_rule_id(scalar(rk));
          if (why) return fail(ld, line_of(rk), "overrides: rules: '%s': %s", scalar(rk), why);
          if ((rc = unique_key(ld, v, q, rk)) < 0) return rc;
          rl_severity sev = RL_SEV_NONE;
          if (rv->type != RL_YAML_SCALAR ||
              (strcmp(scalar(rv), "off") != 0 && (rl_severity_parse(scalar(rv), &sev) < 0 || sev == RL_SEV_NONE)))
            return fail(ld, line_of(rv), "overrides: %s: expected off, error, warning or note", scalar(rk));
          o->rules = rl_xreallocarray(o->rules, o->nrules + 1, sizeof *o->rules);
          o->rule_line = rl_xreallocarray(o->rule_line, o->nrules + 1, sizeof *o->rule_line);
          o->rules[o->nrules].rule_id = rl_xstrdup(scalar(rk));
          o->rules[o->nrules].severity = sev;
          o->rule_line[o->nrules++] = line_of(rk);
        }
      } else {
        return fail(ld, line_of(k), "unknown key 'overrides.%s' (expected paths and rules)", scalar(k));
      }
    }
    if (!have_paths || o->paths.n == 0) return fail(ld, o->line, "overrides: an entry needs paths: [glob...]");
    if (!have_rules) return fail(ld, o->line, "overrides: an entry needs rules: {rule-id: off|error|warning|note}");
  }
  (void)key;
  return 0;
}

static const char *check_keyword(const char *v) { return v[0] ? NULL : "a keyword may not be empty"; }

/* secrets: a list of {id, regex, keywords, min-entropy, severity, description}. */
static int read_secret(loader *ld, const rl_yaml_node *entry, rl_config_secret *sp) {
  static const char *const known = "id, regex, keywords, min-entropy, severity, description";
  sp->severity = RL_SEV_ERROR;
  sp->line = line_of(entry);
  list_init(&sp->keywords);
  if (entry->type != RL_YAML_MAPPING) return fail(ld, line_of(entry), "secrets: each entry is a mapping (%s)", known);
  unsigned regex_line = 0;
  for (size_t p = 0; p < entry->n; p++) {
    const rl_yaml_node *k = entry->keys[p];
    const rl_yaml_node *v = entry->items[p];
    if (!k || !v || k->type != RL_YAML_SCALAR) return fail(ld, line_of(k ? k : entry), "secrets: expected a key");
    int rc = unique_key(ld, entry, p, k);
    if (rc < 0) return rc;
    const char *name = scalar(k), *s = NULL;
    if (strcmp(name, "keywords") == 0) {
      rc = read_list(ld, k, v, &sp->keywords, check_keyword);
    } else if (strcmp(name, "id") == 0 || strcmp(name, "regex") == 0 || strcmp(name, "description") == 0 ||
               strcmp(name, "severity") == 0 || strcmp(name, "min-entropy") == 0) {
      rc = read_scalar(ld, k, v, &s);
      if (rc == 0 && strlen(s) != v->len) rc = fail(ld, line_of(v), "%s: a NUL character is not allowed", name);
    } else {
      rc = fail(ld, line_of(k), "unknown key 'secrets.%s' (expected %s)", name, known);
    }
    if (rc < 0 || !s) {
      if (rc < 0) return rc;
      continue;
    }
    if (strcmp(name, "id") == 0) {
      const char *why = check_rule_id(s);
      if (why) return fail(ld, line_of(v), "secrets: id '%s': %s", s, why);
      sp->id = rl_xstrdup(s);
    } else if (strcmp(name, "regex") == 0) {
      sp->regex = rl_xstrdup(s);
      regex_line = line_of(v);
    } else if (strcmp(name, "description") == 0) {
      sp->description = rl_xstrdup(s);
    } else if (strcmp(name, "severity") == 0) {
      if (rl_severity_parse(s, &sp->severity) < 0 || sp->severity == RL_SEV_NONE)
        return fail(ld, line_of(v), "secrets: severity '%s' is not one of error, warning, note", s);
    } else {
      char *end;
      double e = strtod(s, &end);
      if (end == s || *end || !(e >= 0 && e <= 8))
        return fail(ld, line_of(v), "secrets: min-entropy '%s' is not a number of bits per character from 0 to 8", s);
      sp->min_entropy = e;
    }
  }
  if (!sp->id) return fail(ld, sp->line, "secrets: an entry has no id");
  if (!sp->regex) return fail(ld, sp->line, "secrets: %s has no regex", sp->id);
  if (!sp->regex[0]) return fail(ld, regex_line, "secrets: %s: the regex may not be empty", sp->id);
  if (rl_regex_new(&sp->re, sp->regex, strlen(sp->regex), 0) < 0)
    return fail(ld, regex_line, "secrets: %s: the regex does not compile: %s", sp->id, rl_error_last());
  size_t span[4];
  if (rl_regex_search_from(sp->re, "", 0, 0, span) == 1)
    return fail(ld, regex_line, "secrets: %s: the regex matches the empty string", sp->id);
  if (rl_builtin_rule_find(sp->id))
    return fail(ld, sp->line, "secrets: id '%s' is a built-in rule's id; choose another", sp->id);
  for (size_t i = 0; i < ld->c->nsecrets; i++)
    if (strcmp(ld->c->secrets[i].id, sp->id) == 0)
      return fail(ld, sp->line, "secrets: id '%s' is given twice (also on line %u)", sp->id, ld->c->secrets[i].line);
  return 0;
}

static void secret_free(rl_config_secret *sp) {
  free(sp->id);
  free(sp->regex);
  free(sp->description);
  rl_regex_free(sp->re);
  list_free(&sp->keywords);
}

static int read_secrets(loader *ld, const rl_yaml_node *key, const rl_yaml_node *val) {
  rl_config *c = ld->c;
  if (val->type == RL_YAML_SCALAR && val->len == 0) return 0;
  if (val->type != RL_YAML_SEQUENCE) return fail(ld, line_of(val), "%s: expected a list of patterns", scalar(key));
  for (size_t it = 0; it < val->n; it++) {
    const rl_yaml_node *entry = val->items[it];
    if (!entry) return fail(ld, line_of(val), "secrets: a broken entry");
    rl_config_secret sp;
    memset(&sp, 0, sizeof sp);
    int rc = read_secret(ld, entry, &sp);
    if (rc < 0) {
      secret_free(&sp);
      return rc;
    }
    c->secrets = rl_xreallocarray(c->secrets, c->nsecrets + 1, sizeof *c->secrets);
    c->secrets[c->nsecrets++] = sp;
  }
  return 0;
}

/* The secret rules an allow: path entry turns off. */
static const char *const secret_rules[] = {"hardcoded-secret", "secret-in-env-file", "public-env-secret",
                                           "secret-logged"};

/* allow: path: an override turning the secret rules off under the glob. */
static void allow_path(rl_config *c, const char *glob, unsigned line) {
  c->overrides = rl_xreallocarray(c->overrides, c->noverrides + 1, sizeof *c->overrides);
  rl_config_override *o = &c->overrides[c->noverrides++];
  memset(o, 0, sizeof *o);
  o->line = line;
  list_init(&o->paths);
  list_push(&o->paths, glob, line);
  o->nrules = RL_ARRAY_LEN(secret_rules);
  o->rules = rl_xcalloc(o->nrules, sizeof *o->rules);
  o->rule_line = rl_xcalloc(o->nrules, sizeof *o->rule_line);
  for (size_t i = 0; i < o->nrules; i++) {
    o->rules[i].rule_id = rl_xstrdup(secret_rules[i]);
    o->rules[i].severity = RL_SEV_NONE;
    o->rule_line[i] = line;
  }
}

/* allow: a list of {name: N}, {value: PCRE2} or {path: glob}, one key each
 * (a `reason:` may say why). */
static int read_allow(loader *ld, const rl_yaml_node *key, const rl_yaml_node *val) {
  static const char *const known = "name, value or path, and an optional reason";
  rl_config *c = ld->c;
  if (val->type == RL_YAML_SCALAR && val->len == 0) return 0;
  if (val->type != RL_YAML_SEQUENCE)
    return fail(ld, line_of(val), "%s: expected a list of {name: ...}, {value: ...} or {path: ...}", scalar(key));
  for (size_t it = 0; it < val->n; it++) {
    const rl_yaml_node *e = val->items[it];
    if (!e || e->type != RL_YAML_MAPPING)
      return fail(ld, line_of(e ? e : val), "allow: each entry is a mapping with one of %s", known);
    const rl_yaml_node *what = NULL, *v = NULL;
    for (size_t p = 0; p < e->n; p++) {
      const rl_yaml_node *k = e->keys[p];
      if (!k || !e->items[p] || k->type != RL_YAML_SCALAR) return fail(ld, line_of(k ? k : e), "allow: expected a key");
      int rc = unique_key(ld, e, p, k);
      if (rc < 0) return rc;
      const char *name = scalar(k);
      if (strcmp(name, "reason") == 0) continue;
      if (strcmp(name, "name") != 0 && strcmp(name, "value") != 0 && strcmp(name, "path") != 0)
        return fail(ld, line_of(k), "unknown key 'allow.%s' (expected %s)", name, known);
      if (what) return fail(ld, line_of(k), "allow: one of name, value or path per entry (also '%s')", scalar(what));
      what = k;
      v = e->items[p];
    }
    if (!what) return fail(ld, line_of(e), "allow: an entry needs name, value or path");
    if (v->type != RL_YAML_SCALAR || v->len == 0 || strlen(scalar(v)) != v->len)
      return fail(ld, line_of(v), "allow: %s: expected a non-empty string", scalar(what));
    const char *s = scalar(v), *why = NULL;
    if (strcmp(scalar(what), "name") == 0) {
      if ((why = check_identifier(s)) != NULL) return fail(ld, line_of(v), "allow: name '%s': %s", s, why);
      list_push(&c->allow_names, s, line_of(v));
    } else if (strcmp(scalar(what), "path") == 0) {
      if ((why = check_glob(s)) != NULL) return fail(ld, line_of(v), "allow: path '%s': %s", s, why);
      allow_path(c, s, line_of(v));
    } else {
      struct rl_regex *re = NULL;
      if (rl_regex_new(&re, s, strlen(s), 0) < 0)
        return fail(ld, line_of(v), "allow: value '%s': the pattern does not compile: %s", s, rl_error_last());
      size_t span[4];
      if (rl_regex_search_from(re, "", 0, 0, span) == 1) {
        rl_regex_free(re);
        return fail(ld, line_of(v), "allow: value '%s': the pattern matches the empty string, so every value", s);
      }
      c->allow_values = rl_xreallocarray(c->allow_values, c->allow_value_src.n + 1, sizeof *c->allow_values);
      c->allow_values[c->allow_value_src.n] = re;
      list_push(&c->allow_value_src, s, line_of(v));
    }
  }
  return 0;
}

static int read_top(loader *ld, const rl_yaml_node *root) {
  static const char *const known =
      "rules, fail-on, max-token-ttl, ignore, secret-names, auth-middleware, client-sdks, server-frameworks, "
      "rule-packs, overrides, secrets, allow";
  rl_config *c = ld->c;
  if (root->type == RL_YAML_SCALAR && root->len == 0) return 0;
  if (root->type != RL_YAML_MAPPING) return fail(ld, line_of(root), "expected a mapping of settings (%s)", known);
  for (size_t p = 0; p < root->n; p++) {
    const rl_yaml_node *k = root->keys[p];
    const rl_yaml_node *v = root->items[p];
    if (!k || !v || k->type != RL_YAML_SCALAR) return fail(ld, line_of(k ? k : root), "expected a setting name");
    int rc = unique_key(ld, root, p, k);
    if (rc < 0) return rc;
    const char *name = scalar(k);
    const char *s = NULL;
    if (strcmp(name, "rules") == 0) {
      rc = read_rules(ld, k, v);
    } else if (strcmp(name, "fail-on") == 0) {
      rc = read_scalar(ld, k, v, &s);
      if (rc == 0 && rl_severity_parse(s, &c->fail_on) < 0)
        rc = fail(ld, line_of(v), "fail-on: '%s' is not one of error, warning, note, none", s);
      c->has_fail_on = 1;
      c->fail_on_line = line_of(k);
    } else if (strcmp(name, "max-token-ttl") == 0) {
      rc = read_scalar(ld, k, v, &s);
      double secs = 0;
      if (rc == 0 && rl_config_parse_ttl(s, &secs) < 0)
        rc = fail(ld, line_of(v),
                  "max-token-ttl: '%s' is not a duration from 1 second to 100 years (e.g. 3600, 12h, 1d)", s);
      c->max_token_ttl = secs;
      c->has_max_token_ttl = 1;
      c->max_token_ttl_line = line_of(k);
    } else if (strcmp(name, "ignore") == 0) {
      rc = read_list(ld, k, v, &c->ignore, check_glob);
    } else if (strcmp(name, "secret-names") == 0) {
      rc = read_list(ld, k, v, &c->secret_names, check_identifier);
    } else if (strcmp(name, "auth-middleware") == 0) {
      rc = read_list(ld, k, v, &c->auth_names, check_identifier);
    } else if (strcmp(name, "client-sdks") == 0) {
      rc = read_list(ld, k, v, &c->client_sdks, check_package);
    } else if (strcmp(name, "server-frameworks") == 0) {
      rc = read_list(ld, k, v, &c->server_frameworks, check_package);
    } else if (strcmp(name, "rule-packs") == 0) {
      rc = read_rule_packs(ld, k, v);
    } else if (strcmp(name, "overrides") == 0) {
      rc = read_overrides(ld, k, v);
    } else if (strcmp(name, "secrets") == 0) {
      rc = read_secrets(ld, k, v);
    } else if (strcmp(name, "allow") == 0) {
      rc = read_allow(ld, k, v);
    } else {
      rc = fail(ld, line_of(k), "unknown key '%s' (expected one of %s)", name, known);
    }
    if (rc < 0) return rc;
  }
  return 0;
}

static void init_lists(rl_config *c) {
  rl_config_list *all[] = {&c->enable,      &c->disable,           &c->ignore,    &c->secret_names, &c->auth_names,
                           &c->client_sdks, &c->server_frameworks, &c->rule_packs};
  for (size_t i = 0; i < RL_ARRAY_LEN(all); i++) list_init(all[i]);
  list_init(&c->allow_names);
  list_init(&c->allow_value_src);
}

#define TTL_MAX (100 * 365.25 * 86400)

int rl_config_parse_ttl(const char *s, double *secs) {
  int unitless = 0;
  double v = 0;
  if (!rl_duration_parse(s, strlen(s), &v, &unitless)) return -1;
  /* A bare number means seconds, as TTLs are written in seconds. */
  if (unitless) v = strtod(s, NULL);
  /* Below a second the limit prints as 0 seconds; far above 100 years
   * whole-day counts overflow, and no token limit means anything there. */
  if (!(v >= 1 && v <= TTL_MAX)) return -1;
  *secs = v;
  return 0;
}

int rl_config_load(rl_config **out, const char *path) {
  *out = NULL;
  int rc = 0;
  char *bytes = NULL;
  size_t len = 0;
  rl_arena *arena = rl_arena_new(); /* the YAML tree */
  loader ld = {0};
  rl_config *c = rl_xcalloc(1, sizeof *c);
  c->path = rl_xstrdup(path);
  ld.c = c;
  ld.path = path;
  ld.dir = rl_xstrdup(path);
  char *slash = strrchr(ld.dir, '/');
  if (slash == ld.dir)
    slash[1] = '\0';
  else if (slash)
    *slash = '\0';
  else {
    free(ld.dir);
    ld.dir = rl_xstrdup(".");
  }

  rl_skip s = rl_file_read(path, MAX_CONFIG_SIZE, &bytes, &len);
  if (s != RL_SKIP_NONE) {
    char why[256];
    snprintf(why, sizeof why, "%s", s == RL_SKIP_UNREADABLE ? rl_error_last() : rl_skip_name(s));
    rl_error_set("cannot read config %s: %s", path, why);
    rc = RL_EIO;
    goto cleanup;
  }
  rl_yaml_node *root;
  rl_yaml_error yerr;
  if (rl_yaml_parse(&root, arena, bytes, len, MAX_DEPTH, &yerr) < 0) {
    rl_error_set("%s:%u:%u: %s%s", path, yerr.line, yerr.column, yerr.message,
                 yerr.too_deep ? " (a roomlint config needs 4)" : "");
    rc = RL_EINVALID;
    goto cleanup;
  }
  init_lists(c);
  if (root) rc = read_top(&ld, root);
  if (rc < 0) goto cleanup;
  if (c->noverrides) {
    c->path_overrides = rl_xcalloc(c->noverrides, sizeof *c->path_overrides);
    for (size_t i = 0; i < c->noverrides; i++) {
      c->path_overrides[i].paths = c->overrides[i].paths.v;
      c->path_overrides[i].rules = c->overrides[i].rules;
      c->path_overrides[i].nrules = c->overrides[i].nrules;
    }
  }
  *out = c;
  c = NULL;
cleanup:
  rl_arena_free(arena);
  free(bytes);
  free(ld.dir);
  rl_config_free(c);
  return rc;
}

void rl_config_free(rl_config *c) {
  if (!c) return;
  rl_config_list *all[] = {&c->enable,      &c->disable,           &c->ignore,    &c->secret_names, &c->auth_names,
                           &c->client_sdks, &c->server_frameworks, &c->rule_packs};
  for (size_t i = 0; i < RL_ARRAY_LEN(all); i++) list_free(all[i]);
  for (size_t i = 0; i < c->nseverities; i++) free((char *)c->severities[i].rule_id);
  free(c->severities);
  free(c->severity_line);
  for (size_t i = 0; i < c->noverrides; i++) {
    rl_config_override *o = &c->overrides[i];
    list_free(&o->paths);
    for (size_t j = 0; j < o->nrules; j++) free((char *)o->rules[j].rule_id);
    free(o->rules);
    free(o->rule_line);
  }
  free(c->overrides);
  free(c->path_overrides);
  for (size_t i = 0; i < c->nsecrets; i++) secret_free(&c->secrets[i]);
  free(c->secrets);
  for (size_t i = 0; i < c->allow_value_src.n; i++) rl_regex_free(c->allow_values[i]);
  free(c->allow_values);
  list_free(&c->allow_names);
  list_free(&c->allow_value_src);
  free(c->path);
  free(c);
}

char *rl_config_find(const char *dir) {
  rl_buf b = {0};
  size_t n = strlen(dir);
  rl_buf_printf(&b, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", CONFIG_NAME);
  struct stat st;
  if (stat(b.ptr, &st) == 0 && S_ISREG(st.st_mode)) return rl_buf_detach(&b);
  rl_buf_free(&b);
  return NULL;
}

/* The real path of dir/.roomlint.yml if it is a regular file, else NULL. */
static char *config_in(const char *dir) {
  rl_buf b = {0};
  rl_buf_printf(&b, "%s%s%s", dir, strcmp(dir, "/") == 0 ? "" : "/", CONFIG_NAME);
  struct stat st;
  if (stat(b.ptr, &st) == 0 && S_ISREG(st.st_mode)) return rl_buf_detach(&b);
  rl_buf_free(&b);
  return NULL;
}

char *rl_config_find_up(const char *path) {
  char *dir = realpath(path, NULL);
  if (!dir) return NULL;
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    char *slash = strrchr(dir, '/');
    if (slash == dir)
      slash[1] = '\0';
    else if (slash)
      *slash = '\0';
  }
  char *found = NULL;
  for (;;) {
    found = config_in(dir);
    if (found) break;
    /* The repository root is as far as a project's settings go. */
    rl_buf git = {0};
    rl_buf_printf(&git, "%s%s.git", dir, strcmp(dir, "/") == 0 ? "" : "/");
    int top = lstat(git.ptr, &st) == 0;
    rl_buf_free(&git);
    if (top || strcmp(dir, "/") == 0) break;
    char *slash = strrchr(dir, '/');
    if (slash == dir)
      slash[1] = '\0';
    else
      *slash = '\0';
  }
  free(dir);
  return found;
}

static int is_secret_id(const rl_config *c, const char *id) {
  for (size_t i = 0; i < c->nsecrets; i++)
    if (strcmp(c->secrets[i].id, id) == 0) return 1;
  return 0;
}

char *rl_config_find_near(const char *file) {
  /* The nearest directory on the way that exists: the file, and the
   * folders it is in, need not (an editor's new file). From there the
   * lookup is rl_config_find_up's. */
  char *dir = rl_xstrdup(file), *real = NULL;
  char *slash = strrchr(dir, '/');
  while (!real && slash) {
    slash[slash == dir] = '\0';
    real = realpath(dir, NULL);
    slash = slash == dir ? NULL : strrchr(dir, '/');
  }
  if (!real) real = realpath(".", NULL);
  free(dir);
  char *found = real ? rl_config_find_up(real) : NULL;
  free(real);
  return found;
}

int rl_config_check_rules(const rl_config *c, int (*known)(void *data, const char *id), void *data) {
  for (size_t i = 0; i < c->nsecrets; i++) {
    if (known(data, c->secrets[i].id)) {
      rl_error_set("%s:%u: secrets: id '%s' is already a rule's id (built-in or from a rule pack); choose another",
                   c->path, c->secrets[i].line, c->secrets[i].id);
      return RL_EINVALID;
    }
  }
  const rl_config_list *lists[] = {&c->enable, &c->disable};
  for (size_t l = 0; l < RL_ARRAY_LEN(lists); l++) {
    for (size_t i = 0; i < lists[l]->n; i++) {
      if (!known(data, lists[l]->v[i]) && !is_secret_id(c, lists[l]->v[i])) {
        rl_error_set("%s:%u: unknown rule '%s' (see roomlint --list-rules)", c->path, lists[l]->line[i],
                     lists[l]->v[i]);
        return RL_EINVALID;
      }
    }
  }
  for (size_t i = 0; i < c->nseverities; i++) {
    if (!known(data, c->severities[i].rule_id) && !is_secret_id(c, c->severities[i].rule_id)) {
      rl_error_set("%s:%u: unknown rule '%s' (see roomlint --list-rules)", c->path, c->severity_line[i],
                   c->severities[i].rule_id);
      return RL_EINVALID;
    }
  }
  for (size_t i = 0; i < c->noverrides; i++) {
    const rl_config_override *o = &c->overrides[i];
    for (size_t j = 0; j < o->nrules; j++) {
      if (!known(data, o->rules[j].rule_id)) {
        rl_error_set("%s:%u: unknown rule '%s' (see roomlint --list-rules)", c->path, o->rule_line[j],
                     o->rules[j].rule_id);
        return RL_EINVALID;
      }
    }
  }
  return 0;
}

/* ---- --print-config -------------------------------------------------------------- */

/* A YAML single-quoted scalar. */
static void put_quoted(FILE *out, const char *v) {
  fputc('\'', out);
  for (const char *p = v; *p; p++) {
    if (*p == '\'') fputc('\'', out);
    fputc(*p, out);
  }
  fputc('\'', out);
}

static void put_origin(FILE *out, const rl_config *c, unsigned line, const char *flag) {
  if (flag)
    fprintf(out, "  # %s\n", flag);
  else
    fprintf(out, "  # %s:%u\n", c->path, line);
}

/* A list with each entry's origin; dirs (rule-packs) as real paths, so
 * the printed file means the same wherever it is saved. */
static void put_list(FILE *out, const char *indent, const char *key, const rl_config *c, const rl_config_list *l,
                     const char *const *cli, const char *flag, int dirs) {
  size_t ncli = 0;
  while (cli && cli[ncli]) ncli++;
  size_t nfile = c && l ? l->n : 0;
  if (nfile + ncli == 0) {
    fprintf(out, "%s%s: []\n", indent, key);
    return;
  }
  fprintf(out, "%s%s:\n", indent, key);
  for (size_t i = 0; i < nfile + ncli; i++) {
    const char *v = i < nfile ? l->v[i] : cli[i - nfile];
    char *real = dirs ? realpath(v, NULL) : NULL;
    fprintf(out, "%s  - ", indent);
    put_quoted(out, real ? real : v);
    free(real);
    put_origin(out, c, i < nfile ? l->line[i] : 0, i < nfile ? NULL : flag);
  }
}

static void put_ttl(FILE *out, double secs) {
  if (rl_num_whole(secs))
    fprintf(out, "%lld", (long long)secs);
  else
    fprintf(out, "%g", secs);
}

/* allow: name and value entries (path entries load as overrides, and print
 * with them). */
static void put_allow(FILE *out, const rl_config *c) {
  if (!c || (c->allow_names.n == 0 && c->allow_value_src.n == 0)) return;
  fputs("allow:\n", out);
  const rl_config_list *l[] = {&c->allow_names, &c->allow_value_src};
  const char *key[] = {"name", "value"};
  for (size_t i = 0; i < 2; i++)
    for (size_t k = 0; k < l[i]->n; k++) {
      fprintf(out, "  - %s: ", key[i]);
      put_quoted(out, l[i]->v[k]);
      put_origin(out, c, l[i]->line[k], NULL);
    }
}

void rl_config_print(FILE *out, const rl_config *c, const char *found_from, const rl_cli_settings *cli) {
  fputs("# roomlint --print-config: the settings of this run, each with where it comes from\n", out);
  if (!c)
    fputs("# config file: none\n", out);
  else if (found_from)
    fprintf(out, "# config file: %s (found from %s)\n", c->path, found_from);
  else
    fprintf(out, "# config file: %s (--config)\n", c->path);
  if (cli->no_ignore) fputs("# --no-ignore: no ignore files, no default directories, no ignore: patterns\n", out);
  if (cli->force_exclude) fputs("# --force-exclude: ignore rules apply to named paths too\n", out);

  fputs("rules:\n", out);
  put_list(out, "  ", "enable", c, c ? &c->enable : NULL, cli->enable, "--enable", 0);
  put_list(out, "  ", "disable", c, c ? &c->disable : NULL, cli->disable, "--disable", 0);
  if (!c || c->nseverities == 0) {
    fputs("  severity: {}\n", out);
  } else {
    fputs("  severity:\n", out);
    for (size_t i = 0; i < c->nseverities; i++) {
      fprintf(out, "    %s: %s", c->severities[i].rule_id, rl_severity_name(c->severities[i].severity));
      put_origin(out, c, c->severity_line[i], NULL);
    }
  }
  if (cli->fail_on_set) {
    fprintf(out, "fail-on: %s", rl_severity_name(cli->fail_on));
    put_origin(out, c, 0, "--fail-on");
  } else if (c && c->has_fail_on) {
    fprintf(out, "fail-on: %s", rl_severity_name(c->fail_on));
    put_origin(out, c, c->fail_on_line, NULL);
  } else {
    fprintf(out, "fail-on: warning");
    put_origin(out, c, 0, "default");
  }
  fputs("max-token-ttl: ", out);
  if (cli->max_token_ttl > 0) {
    put_ttl(out, cli->max_token_ttl);
    put_origin(out, c, 0, "--max-token-ttl");
  } else if (c && c->has_max_token_ttl) {
    put_ttl(out, c->max_token_ttl);
    put_origin(out, c, c->max_token_ttl_line, NULL);
  } else {
    fputs("86400", out);
    put_origin(out, c, 0, "default (24h)");
  }
  put_list(out, "", "ignore", c, c ? &c->ignore : NULL, NULL, NULL, 0);
  put_list(out, "", "secret-names", c, c ? &c->secret_names : NULL, NULL, NULL, 0);
  put_list(out, "", "auth-middleware", c, c ? &c->auth_names : NULL, NULL, NULL, 0);
  put_list(out, "", "client-sdks", c, c ? &c->client_sdks : NULL, NULL, NULL, 0);
  put_list(out, "", "server-frameworks", c, c ? &c->server_frameworks : NULL, NULL, NULL, 0);
  put_list(out, "", "rule-packs", c, c ? &c->rule_packs : NULL, cli->rule_dirs, "--rules", 1);
  put_allow(out, c);
  if (!c || c->noverrides == 0) {
    fputs("overrides: []\n", out);
    return;
  }
  fputs("overrides:\n", out);
  for (size_t i = 0; i < c->noverrides; i++) {
    const rl_config_override *o = &c->overrides[i];
    fputs("  - paths:", out);
    put_origin(out, c, o->line, NULL);
    for (size_t k = 0; k < o->paths.n; k++) {
      fputs("      - ", out);
      put_quoted(out, o->paths.v[k]);
      fputc('\n', out);
    }
    fputs("    rules:\n", out);
    for (size_t k = 0; k < o->nrules; k++) {
      fprintf(out, "      %s: %s", o->rules[k].rule_id,
              o->rules[k].severity == RL_SEV_NONE ? "off" : rl_severity_name(o->rules[k].severity));
      put_origin(out, c, o->rule_line[k], NULL);
    }
  }
}

/* ---- the registries ----------------------------------------------------------------- */

/* Set once before a scan (rl_config_install), read-only while workers run. */
static const rl_config *g_installed;
static const char *const g_empty[] = {NULL};

void rl_config_install(const rl_config *c) { g_installed = c; }

/* Equal ignoring ASCII case and the separators _ - $. */
static int name_eq(const char *a, const char *b, size_t bn) {
  size_t i = 0, j = 0;
  for (;;) {
    while (a[i] == '_' || a[i] == '-' || a[i] == '$') i++;
    while (j < bn && (b[j] == '_' || b[j] == '-' || b[j] == '$')) j++;
    if (!a[i] || j == bn) return !a[i] && j == bn;
    if (rl_ascii_lower((unsigned char)a[i]) != rl_ascii_lower((unsigned char)b[j])) return 0;
    i++;
    j++;
  }
}

static int in_names(const rl_config_list *l, const char *s, size_t n) {
  for (size_t i = 0; i < l->n; i++)
    if (name_eq(l->v[i], s, n)) return 1;
  return 0;
}

static int in_packages(const rl_config_list *l, const char *s, size_t n) {
  for (size_t i = 0; i < l->n; i++)
    if (strlen(l->v[i]) == n && memcmp(l->v[i], s, n) == 0) return 1;
  return 0;
}

int rl_config_is_secret_name(const char *s, size_t n) {
  return g_installed && s && n && in_names(&g_installed->secret_names, s, n);
}

int rl_config_is_allowed(const char *name, size_t nl, const char *v, size_t vl) {
  if (!g_installed) return 0;
  if (name && nl && in_names(&g_installed->allow_names, name, nl)) return 1;
  for (size_t i = 0; v && i < g_installed->allow_value_src.n; i++) {
    size_t span[4];
    if (rl_regex_search_from(g_installed->allow_values[i], v, vl, 0, span) == 1) return 1;
  }
  return 0;
}

int rl_config_is_auth_name(const char *s, size_t n) {
  if (!g_installed || !s || !n) return 0;
  if (in_names(&g_installed->auth_names, s, n)) return 1;
  /* A member chain (`auth.gatekeeper`) is known by its last name. */
  const char *dot = NULL;
  for (size_t i = 0; i < n; i++)
    if (s[i] == '.') dot = s + i;
  return dot && in_names(&g_installed->auth_names, dot + 1, n - (size_t)(dot + 1 - s));
}

int rl_config_is_client_sdk(const char *s, size_t n) {
  return g_installed && s && n && in_packages(&g_installed->client_sdks, s, n);
}

int rl_config_is_server_framework(const char *s, size_t n) {
  return g_installed && s && n && in_packages(&g_installed->server_frameworks, s, n);
}

const char *const *rl_config_server_frameworks(void) {
  return g_installed && g_installed->server_frameworks.v ? g_installed->server_frameworks.v : g_empty;
}
