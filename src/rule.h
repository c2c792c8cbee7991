#ifndef RL_RULE_H
#define RL_RULE_H
/* The shape of a rule (ESLint's rule objects, ShellCheck's check registry).
 *
 * A rule is one read-only `const rl_rule` with designated initialisers. The
 * engine compiles its query for a language the first time a file of that
 * language needs the rule, keeps it for the run, runs it over each file, and
 * calls on_match for every match whose predicates hold; on_file runs once per
 * file (dotenv rules, whole-file checks). Rules report through rl_report();
 * they never allocate with malloc, print, or keep state between files. */
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "finding.h"
#include "source.h"

typedef struct rl_ctx rl_ctx;
typedef struct rl_prefilter rl_prefilter;
typedef struct rl_jsfile rl_jsfile;
struct rl_dotenv_entry;

/* One match of a rule's query: borrowed, valid during on_match only. */
typedef struct rl_match {
  const TSQueryCapture *captures;
  uint32_t ncaptures;
  const TSQuery *query;
  uint32_t pattern; /* index of the pattern within the rule's own query */
} rl_match;

typedef struct rl_rule {
  const char *id;    /* kebab-case, stable forever */
  const char *title; /* one line, sentence case, no final period */
  rl_severity severity;
  int cwe;           /* CWE number, 0 if none */
  const char *doc;   /* markdown: rules/<id>.md, embedded at build time */
  unsigned langs;    /* RL_LANG_BIT set */
  unsigned contexts; /* RL_CTX_BIT set the rule applies in; 0 = every context */
  const char *query; /* tree-sitter query for JS/TS/TSX, or NULL */
  void (*on_match)(rl_ctx *ctx, const rl_match *m);
  void (*on_file)(rl_ctx *ctx);
  /* Report at the @finding capture with this message when on_match is NULL.
   * "{name}" is replaced by the text of capture @name. Used by rule packs. */
  const char *message;
  /* Prefilter: the rule cannot fire on a file that contains none of these
   * (case-sensitive) strings. NULL = always run. NULL-terminated. */
  const char *const *needles;
  const char *bad_example;       /* JS that triggers the rule */
  const char *good_example;      /* the same, done right; triggers nothing */
  const char *precision;         /* SARIF: "very-high", "high", "medium", "low" */
  const char *security_severity; /* SARIF/GitHub: "0.0".."10.0" */
  /* Prefilter, second stage (prefilter.h): asked when a needle hit (or the
   * rule has none); returns 0 only when the rule cannot fire on these bytes.
   * NULL = the needles decide. */
  int (*can_fire)(rl_prefilter *pf);
  /* Rule packs: capture names (NULL-terminated) whose text is a secret, masked
   * in every message and snippet. NULL = none. */
  const char *const *secret_captures;
  /* The file that defines the rule (a pack's .scm, the config of a custom
   * secret pattern), for links; NULL for built-in rules (rules/<id>.md). */
  const char *source_path;
  /* The rule's text-level detector, for code no tree is built for
   * (--history reads every blob of a repository): reads the raw bytes
   * through rl_ctx_source and reports byte ranges. NULL = the rule needs a
   * tree. Dotenv rules need none and run through on_file as usual. */
  void (*on_text)(rl_ctx *ctx);
} rl_rule;

/* ---- what a rule may ask of the file being scanned ---------------------- */

rl_source *rl_ctx_source(rl_ctx *ctx);
rl_context rl_ctx_context(const rl_ctx *ctx);
/* The tree's root (a null node for dotenv files). */
TSNode rl_ctx_root(const rl_ctx *ctx);
/* The shared JS analysis state for this file (NULL for dotenv files). */
rl_jsfile *rl_ctx_js(rl_ctx *ctx);
/* The parsed dotenv entries (NULL/0 for other files). */
const struct rl_dotenv_entry *rl_ctx_dotenv(rl_ctx *ctx, size_t *n);
/* The file's arena, for scratch strings that die with the file. */
rl_arena *rl_ctx_arena(rl_ctx *ctx);
/* Options that rules read. */
double rl_ctx_max_token_ttl(const rl_ctx *ctx); /* seconds */
const rl_rule *rl_ctx_rule(const rl_ctx *ctx);

/* Text of a node: a pointer into the source and its length. */
const char *rl_ctx_text(rl_ctx *ctx, TSNode node, size_t *n);

/* The node of capture `name` in m, or a null node (ts_node_is_null). */
TSNode rl_match_capture(const rl_match *m, const char *name);

/* Marks bytes [start, end) of the file as a secret: every snippet that shows
 * them prints them masked. Call before rl_report. */
void rl_ctx_mark_secret(rl_ctx *ctx, uint32_t start, uint32_t end);

/* A regular expression of the current rule, searching from byte, hit a PCRE2 limit: a
 * "regex-limit" warning notification for the file, never a silent miss. */
void rl_ctx_regex_limit(rl_ctx *ctx, uint32_t byte);

/* The next finding reported (rl_report, rl_report_range) carries this
 * related location: a place in another file (display path, 1-based line and
 * column) that the finding is about, and a short message. Strings are copied.
 * Called again before the report, it adds one more place (text: one
 * "related:" line each; JSON: `related`, then `relatedMore`; SARIF: each in
 * relatedLocations, with ids unique in the result). */
void rl_ctx_related(rl_ctx *ctx, const char *path, uint32_t line, uint32_t col, const char *message);

/* The next finding reported is at most max (RL_SEV_NOTE...), whatever the
 * rule's or the configuration's severity: a fact about the project makes
 * this one less severe than its kind (jsonwebtoken 9 already refuses what
 * the code allows). */
void rl_ctx_cap_severity(rl_ctx *ctx, rl_severity max);

/* Reports a finding of the current rule at node, message printf-style. */
void rl_report(rl_ctx *ctx, TSNode node, const char *fmt, ...) RL_PRINTF(3, 4);
/* The same at a byte range (dotenv rules, sub-node ranges). */
void rl_report_range(rl_ctx *ctx, uint32_t start, uint32_t end, const char *fmt, ...) RL_PRINTF(4, 5);

/* ---- the built-in table (rules/rules.c, listed in rules/rules.def) ------- */

/* Sorted by id, unique ids; a test checks both. */
extern const rl_rule *const rl_builtin_rules[];
extern const size_t rl_builtin_rule_count;
const rl_rule *rl_builtin_rule_find(const char *id);

#endif
