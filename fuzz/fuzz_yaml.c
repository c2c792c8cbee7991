/* The YAML reader (src/yaml.c) on .roomlint.yml-like text, in a buffer of
 * exactly its size so a read past the end is caught by ASan. Invariants:
 * an error has a line and column inside the text and a message; every node
 * has a line and column inside the text, collections nest no deeper than
 * the limit, scalars are terminated at their length; and the tree written
 * back as flow YAML with every scalar double-quoted reads as the same tree. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "yaml.h"

#define DEPTH 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const rl_yaml_node *v, uint32_t nlines, unsigned depth) {
  if (!v || v->line < 1 || v->line > nlines || v->column < 1) abort();
  if (v->type == RL_YAML_SCALAR) {
    if (v->value[v->len] != '\0' || v->n) abort();
    return;
  }
  if (depth + 1 > DEPTH) abort();
  if (v->type != RL_YAML_SEQUENCE && v->type != RL_YAML_MAPPING) abort();
  for (size_t i = 0; i < v->n; i++) {
    if (v->type == RL_YAML_MAPPING) {
      if (!v->keys[i] || v->keys[i]->type != RL_YAML_SCALAR) abort();
      check(v->keys[i], nlines, depth + 1);
    }
    check(v->items[i], nlines, depth + 1);
  }
}

static void put_scalar(rl_buf *b, const char *s, size_t n) {
  rl_buf_putc(b, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\')
      rl_buf_printf(b, "\\%c", c);
    else if (c < 0x20 || c == 0x7F)
      rl_buf_printf(b, "\\x%02X", c);
    else
      rl_buf_putc(b, (char)c);
  }
  rl_buf_putc(b, '"');
}

/* The tree as flow YAML; a dump that compares two trees too. */
static void emit(rl_buf *b, const rl_yaml_node *v) {
  if (v->type == RL_YAML_SCALAR) {
    put_scalar(b, v->value, v->len);
    return;
  }
  int map = v->type == RL_YAML_MAPPING;
  rl_buf_putc(b, map ? '{' : '[');
  for (size_t i = 0; i < v->n; i++) {
    if (i) rl_buf_puts(b, ", ");
    if (map) {
      emit(b, v->keys[i]);
      rl_buf_puts(b, ": ");
    }
    emit(b, v->items[i]);
  }
  rl_buf_putc(b, map ? '}' : ']');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size ? size : 1);
  if (!text) abort();
  if (size) memcpy(text, data, size);
  uint32_t nlines = 1;
  for (size_t i = 0; i < size; i++)
    if (text[i] == '\n' || (text[i] == '\r' && !(i + 1 < size && text[i + 1] == '\n'))) nlines++;
  rl_arena *a = rl_arena_new();
  rl_yaml_node *root;
  rl_yaml_error err;
  if (rl_yaml_parse(&root, a, text, size, DEPTH, &err) < 0) {
    if (err.line < 1 || err.line > nlines || err.column < 1 || !err.message[0]) abort();
  } else if (root) {
    check(root, nlines, 0);
    rl_buf once = {0}, twice = {0};
    emit(&once, root);
    rl_yaml_node *again;
    if (rl_yaml_parse(&again, a, once.ptr, once.len, DEPTH + 1, &err) < 0 || !again) {
      fprintf(stderr, "re-read failed: %u:%u: %s\n%s\n", err.line, err.column, err.message, once.ptr);
      abort();
    }
    emit(&twice, again);
    if (twice.len != once.len || memcmp(twice.ptr, once.ptr, once.len) != 0) {
      fprintf(stderr, "round trip differs:\n%s\n%s\n", once.ptr, twice.ptr);
      abort();
    }
    rl_buf_free(&once);
    rl_buf_free(&twice);
  }
  rl_arena_free(a);
  free(text);
  return 0;
}
