/* The dotenv parser: every entry it returns must lie inside the input, in
 * order, with a NUL-terminated decoded value. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dotenv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* A private copy so reads past the end are caught by ASan. */
  char *bytes = malloc(size ? size : 1);
  if (!bytes) abort();
  if (size) memcpy(bytes, data, size);
  rl_arena *a = rl_arena_new();
  rl_dotenv_entry *e = NULL;
  size_t n = 0;
  rl_dotenv_parse(bytes, size, a, &e, &n);
  uint32_t prev_line = 0, prev_start = 0;
  for (size_t i = 0; i < n; i++) {
    const rl_dotenv_entry *x = &e[i];
    if (x->key < bytes || x->key_len == 0 || (size_t)(x->key - bytes) + x->key_len > size) abort();
    if (x->key_start != (uint32_t)(x->key - bytes)) abort();
    if (x->value_start > x->value_end || x->value_end > size || x->value_start < x->key_start) abort();
    if (x->value[x->value_len] != '\0') abort();
    if (x->line < 1 || x->line < prev_line || (i && x->key_start <= prev_start)) abort();
    prev_line = x->line;
    prev_start = x->key_start;
  }
  rl_arena_free(a);
  free(bytes);
  return 0;
}
