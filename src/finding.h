#ifndef RL_FINDING_H
#define RL_FINDING_H
/* What a scan of one file produces: findings, notifications, the file's
 * context. All strings live in the result's arena, which the engine frees
 * after the sink has seen the result. Sinks never see a tree or the source. */
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "source.h"

typedef enum rl_severity {
  RL_SEV_NONE = 0, /* only as a --fail-on threshold: never fail */
  RL_SEV_NOTE = 1,
  RL_SEV_WARNING = 2,
  RL_SEV_ERROR = 3
} rl_severity;

/* "note", "warning", "error" ("none" for RL_SEV_NONE). */
const char *rl_severity_name(rl_severity s);
/* Parses the names above; returns -1 if unknown. */
int rl_severity_parse(const char *s, rl_severity *out);

typedef enum rl_context {
  RL_CTX_UNKNOWN = 0,
  RL_CTX_CLIENT = 1, /* ships in a browser or mobile bundle */
  RL_CTX_SERVER = 2, /* runs on a server */
  RL_CTX_TEST = 3    /* test code: runs in Node, never bundled */
} rl_context;
#define RL_CTX_BIT(c) (1u << (c))
#define RL_CTXS_ALL 0xfu
const char *rl_context_name(rl_context c);

typedef enum rl_suppress_kind {
  RL_SUPPRESS_NONE = 0,
  RL_SUPPRESS_IN_SOURCE, /* roomlint-disable comment */
  RL_SUPPRESS_EXTERNAL   /* --baseline */
} rl_suppress_kind;

struct rl_rule;

/* --history: is the finding's secret still in HEAD's tree? */
typedef enum rl_history_state {
  RL_HISTORY_NONE = 0,    /* not a history scan */
  RL_HISTORY_REMOVED = 1, /* only in the past: rotate it, it is in every clone */
  RL_HISTORY_AT_HEAD = 2  /* HEAD still holds it */
} rl_history_state;

/* A place in another file that a finding is about (rl_finding.related_more). */
typedef struct rl_related {
  const char *path;
  uint32_t line, col;
  const char *message;
} rl_related;

typedef struct rl_finding {
  const struct rl_rule *rule;                        /* borrowed from the engine, which outlives results */
  rl_severity severity;                              /* the effective severity */
  const char *message;                               /* names the concrete thing; secrets masked */
  uint32_t start_line, start_col, end_line, end_col; /* 1-based; end exclusive column */
  uint32_t start_byte, end_byte;
  const char *snippet;  /* the source line(s) of the finding, secrets masked; a line
                              over 300 bytes is cut to a window around the finding, with
                              "…" marking each cut */
  uint32_t snippet_col; /* file columns the leading "…" stands for (0: not cut) */
  char fingerprint[17]; /* 16 hex digits; survives edits elsewhere in the file */
  rl_suppress_kind suppressed;
  const char *justification; /* reason given in the suppression, or NULL */
  /* A finding in built JavaScript that a source map placed in its original
   * source (bundle.h): where it shows in the bundle. NULL otherwise. */
  const char *bundle_path;
  uint32_t bundle_line, bundle_col;
  /* A cross-file finding (the project model): the place in another file it
   * is about, e.g. the mint site of a helper that client code calls, with a
   * short message. NULL otherwise. */
  const char *related_path;
  uint32_t related_line, related_col;
  const char *related_message;
  /* further places of the same kind, after the first (a helper that
   * several client files import: each call site); NULL when none */
  const rl_related *related_more;
  size_t nrelated_more;
  rl_history_state history;
} rl_finding;

typedef enum rl_note_level { RL_NOTE_NOTE = 1, RL_NOTE_WARNING = 2, RL_NOTE_ERROR = 3 } rl_note_level;

/* A tool-execution notification about one file: a skip or a parse problem. */
typedef struct rl_notification {
  rl_note_level level;
  const char *id;      /* stable: "skipped-too-large", "parse-error", ... */
  const char *message; /* one line */
  uint32_t line;       /* 1-based, 0 if none */
  uint32_t col;
} rl_notification;

typedef struct rl_file_result {
  const char *path; /* display path */
  rl_lang lang;
  rl_context context;
  const char *context_reason; /* why it is client/server/test/unknown */
  rl_skip skip;               /* RL_SKIP_NONE if scanned */
  const char *skip_detail;    /* human words for the skip, or NULL */
  rl_finding *findings;       /* sorted by line, column, rule id */
  size_t nfindings;
  rl_notification *notes;
  size_t nnotes, notes_cap;
  int has_syntax_errors;
  int analysis_stopped;   /* the work budget ran out: not fully checked */
  int suppression_errors; /* error notes about suppression comments: they fail the run */
  int mapped;             /* findings source-mapped here from a bundle: not a file
                           the walk found, so not counted as scanned */
  const char *commit;     /* --history: the first commit holding this blob (40 hex), else NULL */
  long long commit_time;  /* its commit time, seconds since the epoch */
  rl_arena *arena;        /* owns everything above */
} rl_file_result;

/* A result for display path `path` (copied), with its own arena, context
 * unknown. Caller frees with rl_file_result_free. */
rl_file_result *rl_file_result_new(const char *path, rl_lang lang);

/* Adds a tool notification about r's file (a skip, a parse problem, a limit
 * that cut the analysis short): id is a stable kind ("syntax-error",
 * "regex-limit", ...) and must outlive r (a literal, or r's arena); the
 * message is printf-style, one line, copied into r's arena. line and col are
 * 1-based, 0 if none. Every reporter shows it (SARIF as a
 * toolExecutionNotification). */
void rl_file_result_note(rl_file_result *r, rl_note_level level, const char *id, uint32_t line, uint32_t col,
                         const char *fmt, ...) RL_PRINTF(6, 7);

/* Frees the result and its arena; NULL is a no-op. */
void rl_file_result_free(rl_file_result *r);

/* Ranks identical findings: out[i] = how many of hashes[0..i) equal
 * hashes[i], the order of occurrence that tells identical findings apart in
 * their fingerprints. One pass over a hash table. Returns the number of
 * table slots it inspected (linear in n; the tests hold it to that). */
size_t rl_findings_rank(unsigned *out, const uint64_t *hashes, size_t n);

/* Whitespace-insensitive hash of a finding's rule, path and snippet: stable
 * when lines are added above it or the file is edited elsewhere. */
uint64_t rl_finding_hash(const rl_finding *f, const char *path);
/* Writes f[i].fingerprint from hashes[i] (rl_finding_hash) and the order
 * of occurrence that tells identical findings apart. */
void rl_findings_fingerprint(rl_finding *f, const uint64_t *hashes, size_t n);

/* Masks a secret for printing: first 4 characters, an ellipsis and the
 * length, e.g. "abcd…(172 chars)". Short secrets (< 8) show no characters. */
char *rl_mask_secret(rl_arena *a, const char *p, size_t n);

#endif
