#ifndef RL_DOTENV_H
#define RL_DOTENV_H
/* A dotenv parser: KEY=VALUE lines, optional `export `, single/double/back
 * quotes (double quotes decode \n \t \" \\), inline `#` comments after
 * unquoted values, blank lines and comment lines. Malformed lines are
 * skipped, never fatal. */
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

typedef struct rl_dotenv_entry {
  const char *key; /* points into the source */
  size_t key_len;
  const char *value; /* decoded, NUL-terminated, in the arena */
  size_t value_len;
  uint32_t key_start;   /* byte offsets in the source */
  uint32_t value_start; /* of the raw value, quotes included */
  uint32_t value_end;
  uint32_t line; /* 1-based */
  char quote;    /* 0, '\'', '"' or '`' */
} rl_dotenv_entry;

/* Parses bytes[0..len). *out (in arena) has *n entries. Never fails. */
void rl_dotenv_parse(const char *bytes, size_t len, rl_arena *arena, rl_dotenv_entry **out, size_t *n);

#endif
