/* The parse floor: reads each file named on stdin (one path per line) with one
 * read, parses it with the grammar roomlint would use, and frees the tree.
 * Nothing else: no rules, no output. Single thread. Prints totals to stderr.
 * Built by CMake as bench/parse_only; run by bench/scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_javascript(void);
const TSLanguage *tree_sitter_typescript(void);
const TSLanguage *tree_sitter_tsx(void);

static const TSLanguage *language_for(const char *path) {
  const char *dot = strrchr(path, '.');
  if (!dot) return NULL;
  if (!strcmp(dot, ".js") || !strcmp(dot, ".jsx") || !strcmp(dot, ".mjs") || !strcmp(dot, ".cjs"))
    return tree_sitter_javascript();
  if (!strcmp(dot, ".ts") || !strcmp(dot, ".mts") || !strcmp(dot, ".cts")) return tree_sitter_typescript();
  if (!strcmp(dot, ".tsx")) return tree_sitter_tsx();
  return NULL;
}

static char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
  size_t got = buf ? fread(buf, 1, (size_t)n, f) : 0;
  fclose(f);
  if (!buf || got != (size_t)n) {
    free(buf);
    return NULL;
  }
  *len = got;
  return buf;
}

int main(void) {
  TSParser *parser = ts_parser_new();
  char line[8192];
  size_t files = 0, bytes = 0, nodes_with_errors = 0;
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = '\0';
    const TSLanguage *lang = language_for(line);
    size_t len;
    char *src = lang ? read_all(line, &len) : NULL;
    if (!src) continue;
    ts_parser_set_language(parser, lang);
    TSTree *tree = ts_parser_parse_string(parser, NULL, src, (uint32_t)len);
    if (tree && ts_node_has_error(ts_tree_root_node(tree))) nodes_with_errors++;
    ts_tree_delete(tree);
    free(src);
    files++;
    bytes += len;
  }
  ts_parser_delete(parser);
  fprintf(stderr, "parse_only: %zu files, %zu bytes, %zu with syntax errors\n", files, bytes, nodes_with_errors);
  return 0;
}
