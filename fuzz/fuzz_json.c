/* The JSON reader and writer (src/json.c). Byte 0 picks the flags (JSONC,
 * last-of-repeated-keys); the rest is the text, in a buffer of exactly its
 * size so a read past the end is caught by ASan. Invariants: an error lies
 * inside the text; every value's byte range lies inside the text and starts
 * with the character its type is written with; strings are terminated at
 * their length; writing the tree and reading it back (strictly) gives a
 * tree that writes the same bytes, one-line and indented. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const rl_json *v, const char *text, size_t len, unsigned depth) {
  if (depth > RL_JSON_MAX_DEPTH) abort();
  uint32_t s = rl_json_start(v), e = rl_json_end(v);
  if (!(s < e && e <= len)) abort();
  char c = text[s];
  switch (rl_json_typeof(v)) {
  case RL_JSON_NULL:
    if (c != 'n' || e - s != 4) abort();
    break;
  case RL_JSON_TRUE:
    if (c != 't' || e - s != 4) abort();
    break;
  case RL_JSON_FALSE:
    if (c != 'f' || e - s != 5) abort();
    break;
  case RL_JSON_NUMBER:
    if (c != '-' && (c < '0' || c > '9')) abort();
    break;
  case RL_JSON_STRING: {
    size_t n;
    const char *p = rl_json_str(v, &n);
    if (c != '"' || text[e - 1] != '"' || p[n] != '\0' || n > e - s - 2) abort();
    break;
  }
  case RL_JSON_ARRAY:
  case RL_JSON_OBJECT:
    if (c != (rl_json_is(v, RL_JSON_ARRAY) ? '[' : '{')) abort();
    if (text[e - 1] != (rl_json_is(v, RL_JSON_ARRAY) ? ']' : '}')) abort();
    for (size_t i = 0; i < rl_json_size(v); i++) {
      const rl_json *x = rl_json_at(v, i);
      if (rl_json_start(x) <= s || rl_json_end(x) >= e) abort();
      if (rl_json_is(v, RL_JSON_OBJECT)) {
        size_t kl;
        const char *k = rl_json_key_at(v, i, &kl);
        /* a lookup by the key finds this very member (keys are unique) */
        if (!k || text[rl_json_key_start(v, i)] != '"' || rl_json_getn(v, k, kl) != x) abort();
      }
      check(x, text, len, depth + 1);
    }
    break;
  default: abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  unsigned flags = data[0] & (RL_JSON_JSONC | RL_JSON_DUPS_LAST);
  size_t len = size - 1;
  char *text = malloc(len ? len : 1);
  if (!text) abort();
  memcpy(text, data + 1, len);
  rl_arena *a = rl_arena_new();
  rl_json *root;
  rl_json_error err;
  if (rl_json_parse(&root, a, text, len, flags, &err) < 0) {
    if (err.offset > len || err.line < 1 || err.column < 1 || !err.message[0]) abort();
  } else {
    check(root, text, len, 0);
    rl_buf once = {0}, twice = {0}, pretty = {0}, pretty2 = {0};
    rl_json_write(&once, root, 0);
    rl_json_write(&pretty, root, 2);
    rl_json *again, *again2;
    if (rl_json_parse(&again, a, once.ptr, once.len, 0, &err) < 0) abort();
    if (rl_json_parse(&again2, a, pretty.ptr, pretty.len, 0, &err) < 0) abort();
    rl_json_write(&twice, again, 0);
    rl_json_write(&pretty2, again2, 2);
    if (twice.len != once.len || memcmp(twice.ptr, once.ptr, once.len) != 0) abort();
    if (pretty2.len != pretty.len || memcmp(pretty2.ptr, pretty.ptr, pretty.len) != 0) abort();
    rl_buf_free(&once);
    rl_buf_free(&twice);
    rl_buf_free(&pretty);
    rl_buf_free(&pretty2);
  }
  rl_arena_free(a);
  free(text);
  return 0;
}
