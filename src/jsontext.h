#ifndef RL_JSONTEXT_H
#define RL_JSONTEXT_H
/* JSON read for positions: jansson gives values but not where they are, and
 * a finding needs its line and column. A small iterative tokenizer that
 * calls back with every string member and its path of keys, as byte ranges
 * of the text (inside the quotes). */
#include <stddef.h>
#include <stdint.h>

#define RL_JSON_MAX_DEPTH 64

typedef struct rl_json_span {
  uint32_t start, end; /* inside the quotes */
} rl_json_span;

/* One string value of an object member: path[0..depth) are the keys of the
 * objects around it, outermost first (array levels add no key); key is its
 * own key. escaped: the value holds a backslash. */
typedef struct rl_json_member {
  const rl_json_span *path;
  size_t depth;
  rl_json_span key, value;
  int escaped;
} rl_json_member;

/* Calls fn for each string member of json[0..len) in order until fn returns
 * nonzero. Returns 0 when the text was read to its end, -1 when it is not
 * JSON (or nests deeper than RL_JSON_MAX_DEPTH): what was read until then
 * was still reported. */
int rl_json_each_member(const char *json, size_t len, int (*fn)(void *arg, const rl_json_member *m), void *arg);

#endif
