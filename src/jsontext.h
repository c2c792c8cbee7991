#ifndef RL_JSONTEXT_H
#define RL_JSONTEXT_H
/* JSON's string members with where they are, for rules that read config
 * files (Expo's app.json): a walk over the tree json.c reads, that hands
 * each string member and its path of keys over as byte ranges of the text
 * (inside the quotes), so a finding gets its line and column. */
#include <stddef.h>
#include <stdint.h>

#include "json.h"

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
 * nonzero. The text is read as JSONC with the last of repeated keys winning
 * (as Expo reads app.json). Returns 0 when the text was read, -1 (and no
 * calls) when it is not JSON or nests deeper than RL_JSON_MAX_DEPTH. */
int rl_json_each_member(const char *json, size_t len, int (*fn)(void *arg, const rl_json_member *m), void *arg);

#endif
