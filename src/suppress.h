#ifndef RL_SUPPRESS_H
#define RL_SUPPRESS_H
/* Suppression comments:
 *   // roomlint-disable-next-line RULE[, RULE] [-- reason]
 *   code();  // roomlint-disable-line RULE
 *   / * roomlint-disable RULE * / ... / * roomlint-enable RULE * /   (block)
 *   # roomlint-disable-line RULE      (dotenv; also -next-line)
 * No rule list means every rule. A directive counts only inside a comment. */
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "source.h"

typedef struct rl_suppressions rl_suppressions;

/* Scans the bytes for directives; the result lives in arena. Never fails;
 * returns NULL when the file has none (the common case, checked with one
 * memmem). */
rl_suppressions *rl_suppress_parse(const char *bytes, size_t len, rl_lang lang, rl_arena *arena);

/* 1 if rule_id is suppressed at 1-based line; *justification (may be NULL)
 * gets the "-- reason" text or NULL. s may be NULL. Marks every directive
 * rule name that covers it as used. */
int rl_suppress_match(const rl_suppressions *s, const char *rule_id, uint32_t line, const char **justification);

/* One rule name written in a directive, or a directive that names none
 * (rule NULL: every rule). Lives in the arena of rl_suppress_parse. */
typedef struct rl_suppress_entry {
  const char *directive; /* "roomlint-disable-next-line", ... */
  const char *rule;      /* as written; NULL: every rule */
  uint32_t offset;       /* byte offset of the name (or of the directive word) */
  uint32_t line;         /* 1-based line of it */
  int used;              /* suppressed a finding (an enable is always used) */
} rl_suppress_entry;

/* The entries in file order: the first with prev NULL, then the one after
 * prev; NULL at the end (and for s NULL). Read `used` after every finding
 * of the file went through rl_suppress_match. */
const rl_suppress_entry *rl_suppress_entry_next(const rl_suppressions *s, const rl_suppress_entry *prev);

#endif
