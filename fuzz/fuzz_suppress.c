/* The suppression-comment parser, and matching against what it built. The
 * first byte picks the language. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "suppress.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const ids[] = {"hardcoded-secret", "insecure-http-url", "public-env-secret", "x", ""};
  if (size < 1) return 0;
  rl_lang lang = (rl_lang)(data[0] % RL_LANG__COUNT);
  size--;
  char *bytes = malloc(size ? size : 1);
  if (!bytes) abort();
  if (size) memcpy(bytes, data + 1, size);
  rl_arena *a = rl_arena_new();
  rl_suppressions *s = rl_suppress_parse(bytes, size, lang, a);
  uint32_t lines = 2;
  for (size_t i = 0; i < size; i++) lines += bytes[i] == '\n';
  if (lines > 64) lines = 64;
  for (uint32_t line = 0; line <= lines; line++) {
    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++) {
      const char *why = NULL;
      if (rl_suppress_match(s, ids[k], line, &why) && why && strlen(why) > size) abort();
    }
  }
  rl_arena_free(a);
  free(bytes);
  return 0;
}
