/* The ignore-pattern matcher: input = flags byte, ignore-file text, NUL,
 * path. Compiles the text as an ignore file (at the root or in a
 * subdirectory), matches the path as a file and as a directory, and matches
 * each pattern line on its own with rl_glob_match. Matching promises bounded
 * work, so libFuzzer's -timeout catches any blow-up. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ignore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  unsigned flags = data[0];
  data++;
  size--;
  const uint8_t *nul = memchr(data, 0, size);
  size_t tlen = nul ? (size_t)(nul - data) : size;
  char *text = malloc(tlen ? tlen : 1);
  if (!text) abort();
  if (tlen) memcpy(text, data, tlen);
  size_t plen = nul ? size - tlen - 1 : 0;
  char *path = malloc(plen + 1);
  if (!path) abort();
  if (plen) memcpy(path, nul + 1, plen);
  path[plen] = '\0';
  plen = strlen(path); /* a path is a C string */

  rl_ignore *ig = rl_ignore_new((flags & 1) ? "sub/dir" : "", text, tlen);
  int v = rl_ignore_match(ig, path, (flags >> 1) & 1);
  if (v < -1 || v > 1) abort();
  v = rl_ignore_match(ig, path, !((flags >> 1) & 1));
  if (v < -1 || v > 1) abort();
  rl_ignore_free(ig);

  for (size_t i = 0; i < tlen;) {
    size_t j = i;
    while (j < tlen && text[j] != '\n') j++;
    char *pat = malloc(j - i + 1);
    if (!pat) abort();
    memcpy(pat, text + i, j - i);
    pat[j - i] = '\0';
    v = rl_glob_match(pat, j - i, path, plen);
    if (v != 0 && v != 1) abort();
    free(pat);
    i = j + 1;
  }
  free(text);
  free(path);
  return 0;
}
