#ifndef RL_CONFIG_H
#define RL_CONFIG_H
/* .roomlint.yml: project settings, read with yaml.c. The file is found in
 * the scanned root (or given with --config); command-line flags override it.
 *
 *   rules: {enable: [id...], disable: [id...], severity: {id: error|warning|note}}
 *   fail-on: error|warning|note|none
 *   max-token-ttl: 12h
 *   ignore: [glob...]              extra gitignore-style patterns
 *   secret-names: [name...]        extra names whose values are credentials
 *   auth-middleware: [name...]     extra names of functions that authenticate a route
 *   client-sdks: [package...]      extra packages whose import means browser/mobile code
 *   server-frameworks: [package...] extra packages whose import means server code
 *   rule-packs: [dir...]           relative to the config file's directory
 *   overrides: [{paths: [glob...], rules: {id: off|error|warning|note}}...]
 *                                  later entries win; globs as ignore:, relative
 *                                  to the config file's directory
 *   secrets: [{id, regex, keywords, min-entropy, severity, description}...]
 *                                  custom secret patterns (secretpat.c runs them)
 *   allow: [{name: N} | {value: PCRE2} | {path: glob}...]
 *                                  a project's own values that are not secrets:
 *                                  by variable/key name, by value pattern, or
 *                                  every secret rule off under a path glob
 *
 * Unknown keys and bad values are errors: RL_EINVALID with rl_error_last()
 * = "FILE:LINE: problem". A list may also be written as one string.
 *
 * The name registries (secret names, auth middleware, SDKs, frameworks) are
 * process-wide: rl_config_install sets them once before a scan and they are
 * read-only while workers run, so lookups take no lock. */
#include <stddef.h>
#include <stdio.h>

#include "engine.h"
#include "finding.h"

typedef struct rl_config_list {
  const char **v; /* NULL-terminated (never NULL after load) */
  unsigned *line; /* 1-based line of each entry in the file */
  size_t n;
} rl_config_list;

typedef struct rl_config_override {
  rl_config_list paths;
  rl_severity_override *rules; /* RL_SEV_NONE: off */
  unsigned *rule_line;
  size_t nrules;
  unsigned line;
} rl_config_override;
struct rl_regex;

/* One custom secret pattern (secrets:). The regex is compiled at load. */
typedef struct rl_config_secret {
  char *id;    /* kebab-case, not a built-in rule's id */
  char *regex; /* as written */
  struct rl_regex *re;
  char *description;       /* NULL if not given */
  rl_config_list keywords; /* one must occur, ignoring ASCII case (empty: no prefilter) */
  double min_entropy;      /* Shannon bits per character of the secret; 0 = none */
  rl_severity severity;    /* default error */
  unsigned line;           /* the entry's line */
} rl_config_secret;

typedef struct rl_config {
  char *path; /* as given or found */
  rl_config_list enable, disable;
  rl_severity_override *severities;
  unsigned *severity_line;
  size_t nseverities;
  int has_fail_on;
  rl_severity fail_on;
  unsigned fail_on_line;
  int has_max_token_ttl;
  double max_token_ttl; /* seconds */
  unsigned max_token_ttl_line;
  rl_config_override *overrides;
  size_t noverrides;
  rl_path_override *path_overrides; /* the engine's view of overrides */
  rl_config_list ignore, secret_names, auth_names, client_sdks, server_frameworks;
  rl_config_list rule_packs; /* resolved against the config file's directory */
  rl_config_secret *secrets;
  size_t nsecrets;
  rl_config_list allow_names;     /* allow: name entries */
  rl_config_list allow_value_src; /* allow: value entries as written */
  struct rl_regex **allow_values; /* ... compiled, allow_value_src.n of them */
} rl_config;

/* A token lifetime as --max-token-ttl and max-token-ttl: take it ("3600" is
 * seconds, "12h", "1d"): *secs and 0, or -1 if it is not a duration from one
 * second to 100 years (a longer limit is none: disable the rule instead). */
int rl_config_parse_ttl(const char *s, double *secs);

/* Parses path. Caller frees with rl_config_free. */
int rl_config_load(rl_config **out, const char *path);
void rl_config_free(rl_config *c);

/* dir/.roomlint.yml if it is a regular file, else NULL. Caller frees. */
char *rl_config_find(const char *dir);
/* The .roomlint.yml for one file (--stdin-filename): in the file's directory
 * or the nearest one above it, up to the top of its git work tree; the file
 * and its folders need not exist. NULL if none. Caller frees. */
char *rl_config_find_near(const char *file);

/* The .roomlint.yml that applies to path (a file or directory): in its
 * directory or the nearest one above, up to the repository root (the first
 * directory holding .git) or "/". An absolute real path, or NULL. Caller
 * frees. */
char *rl_config_find_up(const char *path);

/* Checks that every rule id the file names is known to `known` (which
 * returns nonzero for a known id) or is one of its secrets' ids, and that no
 * secret reuses a known id; RL_EINVALID with "FILE:LINE: problem" otherwise. */
int rl_config_check_rules(const rl_config *c, int (*known)(void *data, const char *id), void *data);

/* What the command line set, for rl_config_print. Lists NULL-terminated or NULL. */
typedef struct rl_cli_settings {
  const char *const *enable, *const *disable, *const *rule_dirs;
  int fail_on_set;
  rl_severity fail_on;
  double max_token_ttl; /* 0: not given */
  int no_ignore, force_exclude;
} rl_cli_settings;

/* --print-config: the settings of the run as a .roomlint.yml (it loads
 * back), each with a comment saying where it comes from: "FILE:LINE",
 * the command-line option, or "default". c may be NULL (no file);
 * found_from is the PATH the file was found from (NULL: --config). */
void rl_config_print(FILE *out, const rl_config *c, const char *found_from, const rl_cli_settings *cli);

/* Makes c's name lists the process-wide registries (NULL clears them). c
 * must outlive every scan; call before scanning, never during one. */
void rl_config_install(const rl_config *c);

/* Registry lookups (0 when nothing is installed). Secret and auth names
 * compare whole, ignoring case and the separators _ - $ (roomPin matches
 * ROOM_PIN), an auth name also as the last name of a member chain
 * (auth.requireSession); package names compare exactly. */
int rl_config_is_secret_name(const char *s, size_t n);
/* 1 if .roomlint.yml's allow: says this name (compared as secret-names) or
 * this value (a value pattern matching it) is not a secret. Either may be
 * NULL. */
int rl_config_is_allowed(const char *name, size_t nl, const char *v, size_t vl);
int rl_config_is_auth_name(const char *s, size_t n);
int rl_config_is_client_sdk(const char *s, size_t n);
int rl_config_is_server_framework(const char *s, size_t n);
/* The server frameworks, for package.json classification: NULL-terminated,
 * borrowed (an empty list when nothing is installed). */
const char *const *rl_config_server_frameworks(void);

#endif
