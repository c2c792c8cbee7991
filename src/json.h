#ifndef RL_JSON_H
#define RL_JSON_H
/* roomlint's one JSON reader and writer (no library: roomlint builds with
 * tree-sitter, PCRE2 and libgit2 only).
 *
 * Reading builds a tree of rl_json values in an arena the caller owns: every
 * value remembers the byte range it was read from, so a finding about a
 * value can give its line and column. Strings are decoded (escapes, \u
 * surrogate pairs as UTF-8, \u0000 kept: strings carry their length) and
 * NUL-terminated. Numbers keep a double and, when written as an integer
 * that fits, the exact int64. The same tree, built with rl_json_new_* and
 * filled with rl_json_put / rl_json_push, is what the writer writes (the
 * reports, the language server's messages).
 *
 * Accessors take NULL and wrong types and answer "nothing" (NULL, 0), so a
 * lookup chain needs one check at its end:
 *   rl_json_str(rl_json_get(rl_json_get(root, "compilerOptions"), "baseUrl"), &n) */
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "util.h"

typedef struct rl_json rl_json;

typedef enum rl_json_type {
  RL_JSON_NONE = 0, /* what the accessors say of NULL */
  RL_JSON_NULL,
  RL_JSON_FALSE,
  RL_JSON_TRUE,
  RL_JSON_NUMBER,
  RL_JSON_STRING,
  RL_JSON_ARRAY,
  RL_JSON_OBJECT
} rl_json_type;

/* Nesting deeper than this (arrays and objects) is an error, not a stack
 * overflow. */
#define RL_JSON_MAX_DEPTH 256

enum {
  /* JSONC, as tsconfig.json and jsconfig.json are written: // and block
   * comments, and a trailing comma after the last element or member. */
  RL_JSON_JSONC = 1u << 0,
  /* A key repeated in one object: by default an error (at the second one);
   * with this flag the last one wins (JavaScript's JSON.parse, TypeScript). */
  RL_JSON_DUPS_LAST = 1u << 1
};

/* Where and why a text is not JSON. offset is the byte the reader stopped
 * at; line and column are 1-based (the column counts bytes). */
typedef struct rl_json_error {
  size_t offset;
  uint32_t line, column;
  char message[96];
} rl_json_error;

/* Reads text[0..len) (a leading UTF-8 byte order mark is skipped; any
 * value may be at the top). On success returns 0 and sets *out to the root,
 * allocated from a and valid until a is freed. On malformed input returns
 * RL_EINVALID, fills *err when err is not NULL and sets rl_error_last() to
 * "line L column C: why". */
int rl_json_parse(rl_json **out, rl_arena *a, const char *text, size_t len, unsigned flags, rl_json_error *err);

/* ---- reading a tree ---- */
rl_json_type rl_json_typeof(const rl_json *v);
int rl_json_is(const rl_json *v, rl_json_type t);
/* Elements of an array, members of an object; 0 for anything else. */
size_t rl_json_size(const rl_json *v);
/* The i-th element of an array or the i-th member's value of an object (in
 * the order written), or NULL past the end. */
const rl_json *rl_json_at(const rl_json *v, size_t i);
/* The i-th member's key of an object (decoded, NUL-terminated, length in
 * *len when len is not NULL), or NULL. */
const char *rl_json_key_at(const rl_json *obj, size_t i, size_t *len);
/* Byte offset of the i-th member's key (its opening quote) in the text read. */
uint32_t rl_json_key_start(const rl_json *obj, size_t i);
/* The member of obj named key (NUL-terminated or key[0..klen)), or NULL. */
const rl_json *rl_json_get(const rl_json *obj, const char *key);
const rl_json *rl_json_getn(const rl_json *obj, const char *key, size_t klen);
/* A string's decoded bytes (NUL-terminated; *len, when len is not NULL,
 * counts them and any NUL inside), or NULL if v is not a string. */
const char *rl_json_str(const rl_json *v, size_t *len);
/* A number's value (0 for anything else). */
double rl_json_num(const rl_json *v);
/* 1 and *out when v is a number written as an integer (no fraction, no
 * exponent) that fits int64_t; else 0. */
int rl_json_int(const rl_json *v, int64_t *out);
/* The byte range [start, end) the value was read from (a string's includes
 * its quotes); 0, 0 for built values. */
uint32_t rl_json_start(const rl_json *v);
uint32_t rl_json_end(const rl_json *v);

/* ---- building a tree (to write it); everything lives in arena a ---- */
rl_json *rl_json_new_null(rl_arena *a);
rl_json *rl_json_new_bool(rl_arena *a, int value);
rl_json *rl_json_new_int(rl_arena *a, int64_t value);
rl_json *rl_json_new_num(rl_arena *a, double value);
/* A copy of s[0..n) (written as it is; invalid UTF-8 is written as U+FFFD). */
rl_json *rl_json_new_stringn(rl_arena *a, const char *s, size_t n);
/* A copy of s; NULL gives JSON null. */
rl_json *rl_json_new_string(rl_arena *a, const char *s);
rl_json *rl_json_new_array(rl_arena *a);
rl_json *rl_json_new_object(rl_arena *a);
/* Sets obj's member key to v (NULL: null): a new key goes last, an existing
 * one keeps its place. key is copied. A value may sit in several trees. */
void rl_json_put(rl_arena *a, rl_json *obj, const char *key, const rl_json *v);
/* Appends v (NULL: null) to arr. */
void rl_json_push(rl_arena *a, rl_json *arr, const rl_json *v);

/* ---- writing ---- */
/* Appends v as JSON text to b: indent 0 writes it on one line with no
 * spaces; indent N > 0 puts each element and member on its own line,
 * indented N spaces per level ("key": value). No final newline. */
void rl_json_write(rl_buf *b, const rl_json *v, int indent);
/* Appends s[0..n) as a JSON string, quotes included: ", \ and control
 * characters escaped, invalid UTF-8 bytes written as U+FFFD, the rest as
 * it is. The one string escaper of roomlint's JSON output. */
void rl_json_write_string(rl_buf *b, const char *s, size_t n);

#endif
