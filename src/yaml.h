#ifndef RL_YAML_H
#define RL_YAML_H
/* The YAML that people write in a config file, read without a library
 * (roomlint builds with tree-sitter, PCRE2 and libgit2 only): block mappings
 * and sequences, flow [..] and {..}, plain, 'single' and "double" quoted
 * scalars (with escapes), literal | and folded > block scalars, comments,
 * a leading --- and a final ... . Everything else YAML has (anchors and
 * aliases, tags, directives, several documents, ? complex keys) is an error
 * with its line and column, never a silent misreading.
 *
 * Scalars are not typed: "yes", "1" and "~" are all strings, as the config
 * reads them. Repeated keys are kept (the caller says what that means). */
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

typedef enum rl_yaml_type { RL_YAML_SCALAR = 1, RL_YAML_SEQUENCE, RL_YAML_MAPPING } rl_yaml_type;

typedef enum rl_yaml_style {
  RL_YAML_PLAIN = 0, /* also the empty value of "key:" */
  RL_YAML_SINGLE_QUOTED,
  RL_YAML_DOUBLE_QUOTED,
  RL_YAML_LITERAL,
  RL_YAML_FOLDED,
  RL_YAML_FLOW, /* a [..] or {..} collection */
  RL_YAML_BLOCK /* a block mapping or sequence */
} rl_yaml_style;

/* A read-only node of the tree, in the arena the document was read into. */
typedef struct rl_yaml_node rl_yaml_node;
struct rl_yaml_node {
  rl_yaml_type type;
  rl_yaml_style style;
  uint32_t line, column; /* 1-based, of its first character (column in bytes) */
  /* scalar: the decoded text, NUL-terminated (it may hold a NUL: len counts) */
  const char *value;
  size_t len;
  /* sequence: items[0..n); mapping: n pairs, keys[i] -> items[i] */
  rl_yaml_node **items, **keys;
  size_t n;
};

typedef struct rl_yaml_error {
  uint32_t line, column; /* 1-based */
  int too_deep;          /* the document nests deeper than max_depth */
  char message[128];     /* "not valid YAML: ..." or "unsupported YAML: ..." */
} rl_yaml_error;

/* Reads the one document of text[0..len) (UTF-8; a byte order mark, CRLF
 * line ends are fine). *out is its root, or NULL for a document with no
 * content, in arena a. Collections nested deeper than max_depth are an
 * error. Returns 0, or RL_EINVALID with *err filled. */
int rl_yaml_parse(rl_yaml_node **out, rl_arena *a, const char *text, size_t len, unsigned max_depth,
                  rl_yaml_error *err);

#endif
